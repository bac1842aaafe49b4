import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import {
  buildCloudflaredArgs,
  buildCloudflaredEnv,
  type CloudflaredMode,
  configPathFor,
  EMPTY_CONFIG,
} from './args.ts';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import { resolveCloudflaredBinary } from './binary.ts';
import { normalizeHostname } from './hostname.ts';
import { killLeftover, removePidfile, writePidfile } from './orphans.ts';
import { parseLogLine } from './parse-log.ts';
import { CloudflaredProcess, type ExitInfo } from './process.ts';
import { TunnelStatusEmitter } from './status-emitter.ts';

// Keeps one cloudflared running for as long as we are started, and says how it is doing:
//   off → starting → connected ⇄ reconnecting, and error when only the person can fix it
//   (no binary, no token, a token Cloudflare refuses).
// A process that exits is restarted with backoff. A process that lost every connection gets
// reconnectGraceMs to win them back by itself (a quick tunnel keeps its URL that way) before it is
// replaced.

export interface TunnelOptions {
  mode: CloudflaredMode;
  /** The local listener, e.g. http://127.0.0.1:PORT (quick tunnels; named ones take it from the dashboard). */
  targetUrl: string;
  /** Holds our empty cloudflared config and the pidfile (the data dir, or a folder in it). */
  stateDir: string;
  /** The cloudflared path from settings, if any. */
  binary?: string | null;
  /** Inherited by cloudflared (minus TUNNEL_*); CLOUDFLARED_BIN and PATH are read from it. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Electron's process.resourcesPath in a packaged build. */
  resourcesPath?: string | null;
  /** Named tunnels: the token from the Cloudflare dashboard. Passed in the environment only. */
  token?: string | null;
  /** Named tunnels: the public hostname routed to the tunnel. */
  hostname?: string | null;
  backoff?: Partial<BackoffOptions>;
  /** How long cloudflared may try to get its lost connections back before it is restarted. Default 30 s. */
  reconnectGraceMs?: number;
  /** SIGTERM → SIGKILL on stop. Default 5 s. */
  stopGraceMs?: number;
  platform?: NodeJS.Platform;
  log?: (line: string) => void;
}

const DEFAULT_RECONNECT_GRACE_MS = 30_000;
const DEFAULT_STOP_GRACE_MS = 5_000;

export class TunnelSupervisor extends TunnelStatusEmitter {
  readonly #options: TunnelOptions;
  readonly #backoff: BackoffOptions;
  readonly #configPath: string;
  readonly #log: (line: string) => void;
  #running = false;
  /** Bumped by every start() and stop(): a start that was overtaken must not spawn anything. */
  #generation = 0;
  #starting: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;
  #proc: CloudflaredProcess | null = null;
  #binary = '';
  #attempt = 0;
  #connections = new Set<number>();
  #lastError: string | null = null;
  #fatal: string | null = null;
  #restartTimer: NodeJS.Timeout | null = null;
  #stableTimer: NodeJS.Timeout | null = null;
  #graceTimer: NodeJS.Timeout | null = null;

  constructor(options: TunnelOptions) {
    super();
    this.#options = options;
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#configPath = configPathFor(options.stateDir);
    this.#log = options.log ?? (() => {});
  }

  /** cloudflared's pid while it runs. */
  pid(): number | null {
    return this.#proc?.pid ?? null;
  }

  /** Resolves once cloudflared is spawned (or the state is `error`); never rejects. Idempotent. */
  start(): Promise<void> {
    if (this.#running) return this.#starting ?? Promise.resolve();
    this.#running = true;
    this.#generation += 1;
    const starting = this.#begin(this.#generation).finally(() => {
      if (this.#starting === starting) this.#starting = null;
    });
    this.#starting = starting;
    return starting;
  }

  /** Stops cloudflared (SIGTERM, then SIGKILL after the grace period); resolves once it is gone. */
  stop(): Promise<void> {
    this.#running = false;
    this.#generation += 1;
    if (this.#stopping) return this.#stopping;
    const stopping = this.#end().finally(() => {
      if (this.#stopping === stopping) this.#stopping = null;
    });
    this.#stopping = stopping;
    return stopping;
  }

  async #begin(generation: number): Promise<void> {
    await this.#stopping;
    if (generation !== this.#generation) return;
    const o = this.#options;
    this.#attempt = 0;
    this.#fatal = null;
    const resolution = resolveCloudflaredBinary({
      configured: o.binary,
      env: o.env ?? process.env,
      resourcesPath: o.resourcesPath,
      platform: o.platform,
      isFile,
    });
    if (!resolution.ok) return this.#fail(resolution.message);
    let publicUrl: string | null = null;
    if (o.mode === 'named') {
      if (!o.token?.trim()) {
        return this.#fail(
          'A named tunnel needs its token: copy it from the Cloudflare dashboard (Networks → Tunnels).',
        );
      }
      const hostname = normalizeHostname(o.hostname);
      if (!hostname) {
        return this.#fail(
          'A named tunnel needs the public hostname routed to it, e.g. porthole.example.com.',
        );
      }
      publicUrl = `https://${hostname}`;
    }
    try {
      mkdirSync(o.stateDir, { recursive: true, mode: 0o700 });
      writeFileSync(this.#configPath, EMPTY_CONFIG, { mode: 0o600 });
    } catch (error) {
      return this.#fail(`Could not write ${this.#configPath}: ${(error as Error).message}`);
    }
    await killLeftover(o.stateDir, this.#configPath, this.#log, o.platform).catch((error: Error) =>
      this.#log(`tunnel: could not check for a leftover cloudflared: ${error.message}`),
    );
    if (generation !== this.#generation) return;
    this.#binary = resolution.path;
    this.#log(`tunnel: using cloudflared from ${resolution.source}: ${resolution.path}`);
    this.setStatus({
      state: 'starting',
      publicUrl,
      message: publicUrl ? `Connecting ${publicUrl}…` : 'Requesting a quick tunnel from trycloudflare.com…',
    });
    if (publicUrl) this.announce(publicUrl);
    this.#spawn();
  }

  async #end(): Promise<void> {
    await this.#starting;
    this.#clearTimers();
    const proc = this.#proc;
    if (proc) await proc.terminate(this.#options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    this.#proc = null;
    this.#connections.clear();
    removePidfile(this.#options.stateDir);
    if (!this.#running) this.setStatus({ state: 'off', publicUrl: null, message: null });
  }

  #spawn(): void {
    const o = this.#options;
    const args = buildCloudflaredArgs({ mode: o.mode, configPath: this.#configPath, targetUrl: o.targetUrl });
    const env = buildCloudflaredEnv({ mode: o.mode, baseEnv: o.env ?? process.env, token: o.token });
    this.#log(`tunnel: starting ${this.#binary} ${args.join(' ')}`);
    this.#connections.clear();
    this.#lastError = null;
    const proc = new CloudflaredProcess(this.#binary, args, env, o.platform ?? process.platform);
    this.#proc = proc;
    proc.on('pid', (pid) => {
      if (proc !== this.#proc) return;
      try {
        const wrapperPid = proc.wrapperPid === pid ? null : proc.wrapperPid;
        writePidfile(o.stateDir, {
          pid,
          wrapperPid,
          configPath: this.#configPath,
          startedAt: new Date().toISOString(),
        });
      } catch (error) {
        this.#log(`tunnel: could not write the pidfile: ${(error as Error).message}`);
      }
    });
    proc.on('line', (line) => this.#onLine(proc, line));
    proc.on('exit', (info) => this.#onExit(proc, info));
  }

  #onLine(proc: CloudflaredProcess, raw: string): void {
    const token = this.#options.token;
    const line = token ? raw.split(token).join('[token]') : raw;
    this.#log(`cloudflared: ${line}`);
    if (proc !== this.#proc || !this.#running) return;
    const event = parseLogLine(line);
    if (!event) return;
    switch (event.kind) {
      case 'url':
        if (this.#options.mode !== 'quick') return;
        this.setStatus({ publicUrl: event.url });
        this.announce(event.url);
        return;
      case 'registered':
        this.#connections.add(event.connIndex);
        this.#clearTimer('grace');
        if (this.current.state !== 'connected') {
          const where = event.location ? ` (${event.location})` : '';
          this.setStatus({ state: 'connected', message: `Connected to Cloudflare${where}.` });
          this.#stableTimer = setTimeout(() => {
            this.#attempt = 0;
          }, this.#backoff.stableMs);
        }
        return;
      case 'disconnected':
        this.#connections.delete(event.connIndex);
        if (this.#connections.size > 0 || this.current.state !== 'connected') return;
        this.#clearTimer('stable');
        this.setStatus({
          state: 'reconnecting',
          message: 'cloudflared lost its connection to Cloudflare; reconnecting…',
        });
        this.#graceTimer = setTimeout(() => {
          this.#log('tunnel: cloudflared did not reconnect in time; restarting it');
          void proc.terminate(this.#options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
        }, this.#options.reconnectGraceMs ?? DEFAULT_RECONNECT_GRACE_MS);
        return;
      case 'error':
        this.#lastError = event.message;
        // cloudflared keeps retrying a refused token forever; nothing changes until the person acts.
        if (event.fatal && !this.#fatal) {
          this.#fatal = event.message;
          void proc.terminate(this.#options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
        } else if (this.current.state !== 'connected') {
          // While it retries by itself (no network, say), show why it is not connected yet.
          this.setStatus({ message: `Not connected yet: ${event.message}` });
        }
        return;
    }
  }

  #onExit(proc: CloudflaredProcess, info: ExitInfo): void {
    if (proc !== this.#proc) return;
    this.#proc = null;
    this.#clearTimers();
    this.#connections.clear();
    removePidfile(this.#options.stateDir);
    if (!this.#running) return;
    if (info.error || info.code === 126 || info.code === 127) {
      const reason = info.error?.message ?? this.#lastError ?? `exit code ${info.code}`;
      this.#fatal ??= `Could not run cloudflared at ${this.#binary} (${reason}). Reinstall it or set CLOUDFLARED_BIN.`;
    }
    if (this.#fatal) {
      this.#fail(this.#fatal);
      return;
    }
    this.#attempt += 1;
    const delay = backoffDelay(this.#attempt, this.#backoff);
    const why = this.#lastError ? `: ${this.#lastError}` : '';
    this.#log(`tunnel: cloudflared ${describeExit(info)}; restart ${this.#attempt} in ${delay} ms`);
    this.setStatus({
      state: 'reconnecting',
      // A quick tunnel's URL dies with its process; a named tunnel's hostname stays.
      publicUrl: this.#options.mode === 'quick' ? null : this.current.publicUrl,
      message: `cloudflared ${describeExit(info)}${why}. Restarting in ${formatDelay(delay)}…`,
    });
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      if (!this.#running) return;
      this.setStatus({ message: `Starting cloudflared again (restart ${this.#attempt})…` });
      this.#spawn();
    }, delay);
  }

  #fail(message: string): void {
    this.#running = false;
    this.#log(`tunnel: ${message}`);
    this.setStatus({ state: 'error', publicUrl: null, message });
  }

  #clearTimer(which: 'restart' | 'stable' | 'grace'): void {
    const timer =
      which === 'restart' ? this.#restartTimer : which === 'stable' ? this.#stableTimer : this.#graceTimer;
    if (timer) clearTimeout(timer);
    if (which === 'restart') this.#restartTimer = null;
    else if (which === 'stable') this.#stableTimer = null;
    else this.#graceTimer = null;
  }

  #clearTimers(): void {
    this.#clearTimer('restart');
    this.#clearTimer('stable');
    this.#clearTimer('grace');
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The watchdog reports a signal death as 128 + the signal number, like any shell. */
function describeExit(info: ExitInfo): string {
  if (info.signal) return `was stopped by ${info.signal}`;
  const code = info.code;
  if (code !== null && code > 128) {
    const name = Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0];
    if (name) return `was stopped by ${name}`;
  }
  return `exited with code ${info.code}`;
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
