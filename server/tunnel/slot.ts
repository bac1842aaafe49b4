// The connector's hold on the tunnel: which supervisor runs (if any) for the settings of the
// moment, and what the UI shows about it. The supervisor itself lives in server/tunnel/.
import type { ConnectorState, TunnelMode } from '../api.ts';
import type { SecretStore } from '../secrets.ts';
import type { Settings } from '../settings.ts';
import { createTunnel, type TunnelSupervisor } from './index.ts';

/** The keychain entry of a named tunnel's token. */
export const TUNNEL_TOKEN_NAME = 'tunnel.token';

export interface TunnelSlotOptions {
  /** Overrides the mode from settings (the CLI's --tunnel). */
  mode?: TunnelMode;
  resourcesPath: string | null;
  env: NodeJS.ProcessEnv;
  secrets: SecretStore;
  stateDir: string;
  log: (line: string) => void;
  onChange: () => void;
  onUrlChanged: (previous: string | null, next: string) => void;
}

type TunnelSettings = Settings['tunnel'];

export class TunnelSlot {
  private supervisor: TunnelSupervisor | null = null;
  private running: { key: string } | null = null;
  private blocked: string | null = null;
  private lastUrl: string | null = null;

  constructor(private readonly options: TunnelSlotOptions) {}

  /** The public base URL while the tunnel has one (connected, or reconnecting to the same name). */
  publicUrl(): string | null {
    const status = this.supervisor?.status();
    if (!status?.publicUrl) return null;
    return status.state === 'connected' || status.state === 'reconnecting' ? status.publicUrl : null;
  }

  state(saved: TunnelSettings | undefined): ConnectorState['tunnel'] {
    const mode = this.options.mode ?? saved?.mode ?? 'quick';
    const hostname = saved?.hostname ?? null;
    const status = this.supervisor?.status();
    if (status)
      return { mode, hostname, state: status.state, publicUrl: status.publicUrl, message: status.message };
    return { mode, hostname, state: 'off', publicUrl: null, message: this.blocked };
  }

  /** Starts, restarts or stops the tunnel to match the settings; no-op when nothing changed. */
  async apply(saved: TunnelSettings, target: { url: string | null; allowed: boolean }): Promise<void> {
    const mode = this.options.mode ?? saved.mode;
    this.blocked = null;
    if (mode === 'off' || !target.url) return this.stop();
    if (!target.allowed) {
      await this.stop();
      this.blocked = 'Waiting for GitHub sign-in to be set up: without it, a public URL would let anyone in.';
      this.options.onChange();
      return;
    }
    const token = mode === 'named' ? await this.options.secrets.get(TUNNEL_TOKEN_NAME) : null;
    const key = JSON.stringify([mode, target.url, saved.hostname, saved.binaryPath, token !== null]);
    if (this.running?.key === key) return;
    await this.stop();
    if (mode === 'named' && (!token || !saved.hostname)) {
      this.blocked = 'The named tunnel needs its token and hostname: set them in Settings.';
      this.options.onChange();
      return;
    }
    const supervisor = createTunnel({
      mode,
      targetUrl: target.url,
      stateDir: this.options.stateDir,
      binary: saved.binaryPath,
      env: this.options.env,
      resourcesPath: this.options.resourcesPath,
      token,
      hostname: saved.hostname,
      log: this.options.log,
    });
    supervisor.on('status', () => {
      const url = supervisor.status().publicUrl;
      if (url && url !== this.lastUrl && supervisor.status().state === 'connected') {
        const previous = this.lastUrl;
        this.lastUrl = url;
        this.options.onUrlChanged(previous, url);
      }
      this.options.onChange();
    });
    this.supervisor = supervisor;
    this.running = { key };
    void supervisor.start();
    this.options.onChange();
  }

  async stop(): Promise<void> {
    const supervisor = this.supervisor;
    this.supervisor = null;
    this.running = null;
    if (supervisor) {
      await supervisor.stop();
      this.options.onChange();
    }
  }
}
