import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import { type TunnelEvents, type TunnelStatus, TunnelStatusEmitter } from './status-emitter.ts';

// One interface for every tunnel provider (cloudflared, ngrok, Tailscale Funnel):
//   start(), stop(), status(), and the `status` / `urlChanged` events, with the states
//   off → starting → connected ⇄ reconnecting, and error (with what to do) when only the person can fix it.
// TunnelSupervisor (cloudflared, a child process) implements it itself. Providers that are not a
// process we spawn (ngrok in-process, a funnel that tailscaled serves) implement one small
// `TunnelConnection` and get the same guarantees from RetryingTunnel below: backoff between failed
// attempts, a watchdog (a connection lost longer than the grace period is closed and opened again),
// a clean stop (resolves once the connection is closed, even one still opening or one the watchdog
// is replacing), and nothing left behind (each connection's close() removes what it added).

export interface TunnelProvider {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): TunnelStatus;
  on<K extends keyof TunnelEvents>(event: K, listener: (...args: TunnelEvents[K]) => void): this;
}

/** A failure only the person can fix (a refused token, a domain that is not theirs): no retry. */
export class TunnelSetupError extends Error {
  override name = 'TunnelSetupError';
}

/** Told by a live connection when it loses and regains its link to the provider. */
export interface ConnectionEvents {
  lost(reason: string): void;
  regained(): void;
}

export interface OpenConnection {
  url: string;
  /** What the UI says while connected, e.g. "Connected to ngrok." */
  message: string;
  /** Removes everything this connection added; resolves once it is gone. */
  close(): Promise<void>;
}

export interface TunnelConnection {
  /** For messages: "ngrok", "Tailscale Funnel". */
  name: string;
  /** Shown while the first attempt runs. */
  startingMessage: string;
  /** Throws TunnelSetupError when the person must act; any other error is retried with backoff. */
  open(events: ConnectionEvents): Promise<OpenConnection>;
}

export interface RetryingTunnelOptions {
  backoff?: Partial<BackoffOptions>;
  /** How long a lost connection may take to come back by itself before it is replaced. Default 30 s. */
  reconnectGraceMs?: number;
  log?: (line: string) => void;
}

export class RetryingTunnel extends TunnelStatusEmitter implements TunnelProvider {
  readonly #connection: TunnelConnection;
  readonly #backoff: BackoffOptions;
  readonly #graceMs: number;
  readonly #log: (line: string) => void;
  #running = false;
  /** Bumped by every start() and stop(): an attempt that was overtaken closes what it opened. */
  #generation = 0;
  #attempt = 0;
  #open: OpenConnection | null = null;
  #opening: Promise<void> | null = null;
  /** Connections being closed (by the watchdog, or stop): stop() waits for every one. */
  #closing = new Set<Promise<void>>();
  #timers = new Set<NodeJS.Timeout>();
  #graceTimer: NodeJS.Timeout | null = null;

  constructor(connection: TunnelConnection, options: RetryingTunnelOptions = {}) {
    super();
    this.#connection = connection;
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#graceMs = options.reconnectGraceMs ?? 30_000;
    this.#log = options.log ?? (() => {});
  }

  /** Resolves once the first attempt has connected or failed; never rejects. Idempotent. */
  start(): Promise<void> {
    if (this.#running) return this.#opening ?? Promise.resolve();
    this.#running = true;
    this.#generation += 1;
    this.#attempt = 0;
    this.setStatus({ state: 'starting', publicUrl: null, message: this.#connection.startingMessage });
    return this.#tryOpen(this.#generation);
  }

  /** Closes the connection (one still opening too); resolves once it is gone. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#generation += 1;
    this.#clearTimers();
    await this.#opening;
    await this.#closeOpen();
    // The watchdog may be closing the previous connection; stop means it is gone.
    await Promise.all(this.#closing);
    this.setStatus({ state: 'off', publicUrl: null, message: null });
  }

  #tryOpen(generation: number): Promise<void> {
    const opening = this.#openOnce(generation).finally(() => {
      if (this.#opening === opening) this.#opening = null;
    });
    this.#opening = opening;
    return opening;
  }

  async #openOnce(generation: number): Promise<void> {
    const current = () => generation === this.#generation && this.#running;
    let opened: OpenConnection;
    try {
      opened = await this.#connection.open({
        lost: (reason) => current() && this.#onLost(opened, reason),
        regained: () => current() && this.#onRegained(opened),
      });
    } catch (error) {
      if (!current()) return;
      const message = (error as Error).message;
      if (error instanceof TunnelSetupError) {
        this.#running = false;
        this.#log(`tunnel: ${message}`);
        this.setStatus({ state: 'error', publicUrl: null, message });
        return;
      }
      this.#retryLater(`${this.#connection.name} could not connect: ${message}`);
      return;
    }
    if (!current()) {
      await opened.close().catch((e: Error) => this.#log(`tunnel: closing a late connection: ${e.message}`));
      return;
    }
    this.#open = opened;
    this.#log(`tunnel: ${this.#connection.name} connected at ${opened.url}`);
    this.setStatus({ state: 'connected', publicUrl: opened.url, message: opened.message });
    this.announce(opened.url);
    this.#later(() => {
      this.#attempt = 0;
    }, this.#backoff.stableMs);
  }

  #onLost(conn: OpenConnection | undefined, reason: string): void {
    if (!conn || conn !== this.#open || this.current.state !== 'connected') return;
    this.#log(`tunnel: ${this.#connection.name} lost its connection: ${reason}`);
    this.setStatus({
      state: 'reconnecting',
      message: `${this.#connection.name} lost its connection (${reason}); reconnecting…`,
    });
    if (this.#graceTimer) return;
    // The watchdog: a connection that does not come back by itself in time is replaced.
    this.#graceTimer = this.#later(() => {
      this.#graceTimer = null;
      if (this.#open !== conn) return;
      this.#log(`tunnel: ${this.#connection.name} did not reconnect in time; opening a new connection`);
      void this.#closeOpen().then(() => this.#retryLater(`${this.#connection.name} did not reconnect`));
    }, this.#graceMs);
  }

  #onRegained(conn: OpenConnection | undefined): void {
    if (!conn || conn !== this.#open || this.current.state !== 'reconnecting') return;
    if (this.#graceTimer) clearTimeout(this.#graceTimer);
    this.#graceTimer = null;
    this.setStatus({ state: 'connected', message: conn.message });
  }

  #retryLater(why: string): void {
    if (!this.#running) return;
    this.#attempt += 1;
    const delay = backoffDelay(this.#attempt, this.#backoff);
    this.#log(`tunnel: ${why}; attempt ${this.#attempt + 1} in ${delay} ms`);
    this.setStatus({
      state: 'reconnecting',
      message: `${why}. Trying again in ${delay < 1000 ? `${delay} ms` : `${Math.round(delay / 100) / 10} s`}…`,
    });
    const generation = this.#generation;
    this.#later(() => {
      if (generation === this.#generation && this.#running) void this.#tryOpen(generation);
    }, delay);
  }

  async #closeOpen(): Promise<void> {
    const open = this.#open;
    this.#open = null;
    if (!open) return;
    const closing = open
      .close()
      .catch((e: Error) => this.#log(`tunnel: could not close ${this.#connection.name}: ${e.message}`))
      .finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
    await closing;
  }

  #later(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  #clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#graceTimer = null;
  }
}
