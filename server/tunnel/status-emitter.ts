import { EventEmitter } from 'node:events';
import type { TunnelState } from '../api.ts';

export interface TunnelStatus {
  state: TunnelState;
  /** https://… while a tunnel URL is live (kept while cloudflared reconnects by itself). */
  publicUrl: string | null;
  /** For people: what is happening, or what to do. Never contains the token. */
  message: string | null;
}

export interface TunnelEvents {
  status: [status: TunnelStatus];
  /** A new public URL was announced (the first one: oldUrl null). Never emitted for "no URL". */
  urlChanged: [oldUrl: string | null, newUrl: string];
}

/**
 * What every tunnel provider keeps the same way: its status (emitted as `status` only when
 * something a person sees changed) and the last public URL it announced (`urlChanged`
 * once per new URL). TunnelSupervisor (cloudflared) and RetryingTunnel (ngrok, Tailscale)
 * both extend it.
 */
export class TunnelStatusEmitter extends EventEmitter<TunnelEvents> {
  #status: TunnelStatus = { state: 'off', publicUrl: null, message: null };
  #announced: string | null = null;

  status(): TunnelStatus {
    return { ...this.#status };
  }

  protected get current(): Readonly<TunnelStatus> {
    return this.#status;
  }

  protected announce(url: string): void {
    if (url === this.#announced) return;
    const previous = this.#announced;
    this.#announced = url;
    this.emit('urlChanged', previous, url);
  }

  protected setStatus(patch: Partial<TunnelStatus>): void {
    const next = { ...this.#status, ...patch };
    const s = this.#status;
    if (next.state === s.state && next.publicUrl === s.publicUrl && next.message === s.message) return;
    this.#status = next;
    this.emit('status', { ...next });
  }
}
