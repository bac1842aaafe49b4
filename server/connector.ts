import { EventEmitter } from 'node:events';
import { printableLine } from './activity/index.ts';
import type { ConnectorEvent, ConnectorState, ControlApi, SecretStorageState } from './api.ts';
import { createControl } from './connector/control.ts';
import { type Runtime, startRuntime } from './connector/runtime.ts';
import { connectorState, type ServerPhase } from './connector/state.ts';
import { GITHUB_SECRET_NAME, GitHubAppSource } from './github/app.ts';
import type { Library } from './library/library.ts';
import { KeychainSecretStore, type SecretStore } from './secrets.ts';
import type { SettingsFile } from './settings.ts';
import { TunnelSlot, type TunnelSlotOptions } from './tunnel/slot.ts';

export { GITHUB_SECRET_NAME };

export interface ConnectorOptions {
  dataDir: string;
  /** Where secrets live (default: the OS keychain). */
  secrets?: SecretStore;
  /** What the UIs say about where secrets are kept (default: the OS keychain, no warning). */
  secretStorage?: SecretStorageState;
  /** GitHub OAuth App and endpoints; override settings and the keychain (env, CLI flags). */
  githubClientId?: string;
  githubClientSecret?: string;
  githubWebUrl?: string;
  githubApiUrl?: string;
  /** Pin the owner to this GitHub login (resolved to its numeric id once). */
  allowLogin?: string;
  /** Overrides the port from settings (0 = any free port). */
  port?: number;
  /** Overrides the tunnel mode from settings. */
  tunnel?: TunnelSlotOptions['mode'];
  /** Also keep `tunnel` as the setting, for the next start (the CLI's --tunnel). */
  saveTunnel?: boolean;
  /** With `saveTunnel` and tunnel 'ngrok': the static domain to keep (the CLI's --ngrok-domain). */
  ngrokDomain?: string;
  /** Tests: an ngrok SDK standing in for @ngrok/ngrok (see server/tunnel/ngrok.ts). */
  ngrok?: TunnelSlotOptions['ngrok'];
  /** Tests: how often the Tailscale Funnel watchdog looks. */
  tailscalePollMs?: number;
  /** Where a packaged app keeps its bundled cloudflared (process.resourcesPath). */
  resourcesPath?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Keep the index current with a file watcher (default true). */
  watch?: boolean;
  log?: (line: string) => void;
  /** Tests only: fetch Client ID Metadata Documents from a local https server. */
  clientMetadataFetch?: typeof fetch;
}

export interface Connector {
  start(): Promise<ConnectorState>;
  stop(): Promise<void>;
  state(): ConnectorState;
  /** The commands every UI uses. */
  control: ControlApi;
  subscribe(listener: (event: ConnectorEvent) => void): () => void;
  /** Available after start(): for the CLI and tests. */
  readonly library: Library;
  /** Available after start(): the CLI remembers the headless dashboard's port in it. */
  readonly settings: SettingsFile;
}

/**
 * The composition root: the runtime (settings, library, activity log, the authorization server,
 * the public listener; server/connector/runtime.ts) while it runs, the tunnel in front of it, and
 * the state every UI shows, whose changes it emits.
 */
export function createConnector(options: ConnectorOptions): Connector {
  const log = options.log ?? ((line: string) => console.error(printableLine(line)));
  const secrets = options.secrets ?? new KeychainSecretStore();
  const events = new EventEmitter<{ event: [ConnectorEvent] }>();
  const emit = (event: ConnectorEvent) => events.emit('event', event);
  const github = new GitHubAppSource(
    {
      clientId: options.githubClientId,
      clientSecret: options.githubClientSecret,
      webUrl: options.githubWebUrl,
      apiUrl: options.githubApiUrl,
    },
    secrets,
    log,
  );
  /** The one place that says whether Porthole runs: set by start(), cleared by stop(). */
  let runtime: Runtime | null = null;
  let phase: ServerPhase = { state: 'stopped', message: null };

  const tunnel = new TunnelSlot({
    // Saved (the CLI's --tunnel) it is the setting, which Settings may change later; else it overrides.
    mode: options.saveTunnel ? undefined : options.tunnel,
    resourcesPath: options.resourcesPath ?? null,
    env: options.env ?? process.env,
    secrets,
    stateDir: options.dataDir,
    log,
    onChange: () => emitState(),
    record: (entry) => runtime?.activity.record(entry),
    remember: (url) =>
      runtime?.settings.update((s) => {
        s.tunnel.lastPublicUrl = url;
      }),
    ngrok: options.ngrok,
    tailscalePollMs: options.tailscalePollMs,
  });
  const state = () =>
    connectorState({
      runtime,
      phase,
      tunnel,
      dataDir: options.dataDir,
      secretStorage: options.secretStorage,
    });
  const emitState = () => emit({ type: 'state', state: state() });
  const running = (): Runtime => {
    if (!runtime) throw new Error('Porthole is not running yet.');
    return runtime;
  };
  /** The tunnel runs only with the authorization server: a public URL without it would be open. */
  const applyTunnel = (r: Runtime) =>
    tunnel.apply(r.settings.get().tunnel, { url: r.localUrl, allowed: r.auth.current() !== null });

  const stop = async () => {
    await tunnel.stop();
    const stopping = runtime;
    runtime = null;
    await stopping?.stop();
    phase = { state: 'stopped', message: phase.message };
    emitState();
  };

  return {
    control: createControl({
      state,
      running,
      current: () => runtime,
      github,
      secrets,
      applyTunnel,
      changed: emitState,
    }),
    state,
    subscribe(fn) {
      events.on('event', fn);
      return () => events.off('event', fn);
    },
    get library() {
      return running().library;
    },
    get settings() {
      return running().settings;
    },
    async start() {
      phase = { state: 'starting', message: null };
      try {
        const started = await startRuntime({
          dataDir: options.dataDir,
          port: options.port,
          watch: options.watch ?? true,
          allowLogin: options.allowLogin,
          clientMetadataFetch: options.clientMetadataFetch,
          secrets,
          github,
          tunnelUrl: () => tunnel.publicUrl(),
          emit,
          changed: emitState,
          log,
        });
        runtime = started;
        if (options.tunnel && options.saveTunnel)
          started.settings.update((s) => {
            s.tunnel.mode = options.tunnel ?? s.tunnel.mode;
            if (options.ngrokDomain) s.tunnel.ngrokDomain = options.ngrokDomain;
          });
        phase = { state: 'running', message: null };
        await applyTunnel(started);
        emitState();
        return state();
      } catch (error) {
        const failed: ServerPhase = { state: 'error', message: (error as Error).message };
        phase = failed;
        await stop().catch(() => {});
        phase = failed;
        emitState();
        throw error;
      }
    },
    stop,
  };
}
