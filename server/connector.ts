import { EventEmitter } from 'node:events';
import path from 'node:path';
import { ActivityLog } from './activity/index.ts';
import {
  type ActivityEntry,
  API_VERSION,
  type ConnectorEvent,
  type ConnectorState,
  type ControlApi,
  type FolderStatus,
} from './api.ts';
import type { Authorization } from './auth/index.ts';
import { GitHubClient } from './github/client.ts';
import { listenPublic, type PublicListener } from './http.ts';
import { Library } from './library/library.ts';
import { mountMcp } from './mcp/routes.ts';
import { KeychainSecretStore, type SecretStore } from './secrets.ts';
import { SettingsFile, settingsFolderStore } from './settings.ts';

/** The keychain entry of the GitHub OAuth App's client secret. */
export const GITHUB_SECRET_NAME = 'github.client-secret';

export interface ConnectorOptions {
  dataDir: string;
  /** Where secrets live (default: the OS keychain). */
  secrets?: SecretStore;
  /** GitHub OAuth App credentials; override settings and the keychain (env GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET). */
  githubClientId?: string;
  githubClientSecret?: string;
  /** Overrides the port from settings (0 = any free port). */
  port?: number;
  /** Keep the index current with a file watcher (default true). */
  watch?: boolean;
  log?: (line: string) => void;
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
}

/**
 * The composition root: settings, library, activity log and the public listener,
 * wired together. Owns the state every UI shows and emits its changes.
 */
export function createConnector(options: ConnectorOptions): Connector {
  const log = options.log ?? ((line: string) => console.error(line));
  const events = new EventEmitter<{ event: [ConnectorEvent] }>();
  let settings: SettingsFile | null = null;
  let library: Library | null = null;
  let activity: ActivityLog | null = null;
  let listener: PublicListener | null = null;
  let mcp: ReturnType<typeof mountMcp> | null = null;
  let auth: Authorization | null = null;
  let github: GitHubClient | null = null;
  let serverState: ConnectorState['server'] = { state: 'stopped', port: null, localUrl: null, message: null };

  const localUrl = () => (listener ? `http://127.0.0.1:${listener.port}` : null);
  const publicBaseUrl = () => localUrl();

  const state = (): ConnectorState => {
    const base = publicBaseUrl();
    return {
      apiVersion: API_VERSION,
      server: { ...serverState },
      publicBaseUrl: base,
      mcpUrl: base ? `${base}/mcp` : null,
      paused: settings?.get().paused ?? false,
      auth: { mode: auth ? 'oauth' : 'loopback-only', owner: settings?.get().owner ?? null },
      tunnel: { state: 'off', publicUrl: null, message: null },
      folders: library?.listFolders() ?? [],
    };
  };
  const emit = (event: ConnectorEvent) => events.emit('event', event);
  const emitState = () => emit({ type: 'state', state: state() });

  const requireLibrary = (): Library => {
    if (!library) throw new Error('Porthole is not running yet.');
    return library;
  };

  const control: ControlApi = {
    getState: async () => state(),
    listActivity: async (opts) => activity?.recent(opts?.limit) ?? [],
    addFolder: async (folderPath) => {
      const status = await requireLibrary().addFolder(folderPath);
      activity?.record(systemEntry('folder-added', status.path));
      emitState();
      return status;
    },
    removeFolder: async (folderId) => {
      const lib = requireLibrary();
      const folder = lib.listFolders().find((f) => f.id === folderId);
      if (!folder) throw new Error('No shared folder has this id.');
      await lib.removeFolder(folderId);
      activity?.record(systemEntry('folder-removed', folder.path));
      emitState();
    },
    reindexFolder: async (folderId) => {
      await requireLibrary().reindex(folderId);
    },
    setPaused: async (paused) => {
      if (!settings) throw new Error('Porthole is not running yet.');
      settings.update((s) => {
        s.paused = paused;
      });
      activity?.record(systemEntry(paused ? 'paused' : 'resumed', ''));
      emitState();
    },
  };

  return {
    control,
    state,
    subscribe(fn) {
      events.on('event', fn);
      return () => events.off('event', fn);
    },
    get library() {
      return requireLibrary();
    },
    async start() {
      serverState = { state: 'starting', port: null, localUrl: null, message: null };
      try {
        settings = SettingsFile.open(options.dataDir, { log });
        const current = settings.get();
        activity = new ActivityLog({
          dir: path.join(options.dataDir, 'activity'),
          onWriteError: (e) => log(`activity: ${e.message}`),
        });
        activity.subscribe((entry: ActivityEntry) => emit({ type: 'activity', entry }));
        library = await Library.open({
          dataDir: options.dataDir,
          idKey: current.idKey,
          folders: settingsFolderStore(settings),
          maxFileBytes: current.maxFileBytes,
          maxTextBytes: current.maxTextBytes,
          watch: options.watch ?? true,
          log,
        });
        library.on('status', (status: FolderStatus) => emit({ type: 'folder', status }));
        const lib = library;
        const act = activity;
        github = await githubClientFrom(current, options);
        const settingsFile = settings;
        // With a GitHub OAuth App configured, /mcp needs a token only the owner can get;
        // without one, Porthole serves loopback only and nothing else can reach it.
        // Loaded only when needed: oidc-provider warns on import under Node 20.
        const { createAuthorization } = github
          ? await import('./auth/index.ts')
          : { createAuthorization: null };
        auth = createAuthorization
          ? await createAuthorization({
              dataDir: options.dataDir,
              secrets: options.secrets ?? new KeychainSecretStore(),
              issuer: () => publicBaseUrl() ?? '',
              localBase: () => localUrl() ?? '',
              github: () => github,
              owner: () => settingsFile.get().owner,
              folders: () => lib.listFolders().map((f) => f.path),
              onEvent: (event) =>
                act.record({
                  kind: 'auth',
                  client: { id: event.clientId, name: event.clientName },
                  login: event.login,
                  method: event.type,
                  tool: null,
                  summary: event.type === 'denied' ? event.reason : 'approved',
                  outcome: event.type === 'denied' ? { ok: false, error: event.reason } : { ok: true },
                  latencyMs: null,
                }),
              log,
            })
          : null;
        const authorization = auth;
        listener = await listenPublic({
          port: options.port ?? current.port,
          allowedHosts: () => loopbackHosts(listener?.port),
          log,
          mount: (app) => {
            mcp = mountMcp(app, {
              // Searches run on the library's search thread, off the event loop.
              source: { search: (query, opts) => lib.searchAsync(query, opts), read: (id) => lib.read(id) },
              baseUrl: () => publicBaseUrl() ?? '',
              paused: () => settings?.get().paused ?? false,
              record: (entry) => act.record(entry),
              authenticate: authorization?.authenticate ?? null,
            });
            authorization?.mount(app);
          },
        });
        serverState = { state: 'running', port: listener.port, localUrl: localUrl(), message: null };
        emitState();
        return state();
      } catch (error) {
        serverState = { state: 'error', port: null, localUrl: null, message: (error as Error).message };
        await this.stop().catch(() => {});
        serverState = { state: 'error', port: null, localUrl: null, message: (error as Error).message };
        emitState();
        throw error;
      }
    },
    async stop() {
      mcp?.closeAll();
      await listener?.close();
      listener = null;
      await library?.close();
      library = null;
      auth?.close();
      auth = null;
      await activity?.close();
      activity = null;
      serverState = { state: 'stopped', port: null, localUrl: null, message: serverState.message };
      emitState();
    },
  };
}

function loopbackHosts(port: number | undefined): ReadonlySet<string> {
  return port ? new Set([`127.0.0.1:${port}`, `localhost:${port}`]) : new Set();
}

function systemEntry(method: string, summary: string): Omit<ActivityEntry, 'seq' | 'time'> {
  return {
    kind: 'system',
    client: null,
    login: null,
    method,
    tool: null,
    summary,
    outcome: { ok: true },
    latencyMs: null,
  };
}

/** The GitHub OAuth App from options (env), else settings + keychain; null when not set up. */
async function githubClientFrom(
  settings: ReturnType<SettingsFile['get']>,
  options: ConnectorOptions,
): Promise<GitHubClient | null> {
  const clientId = options.githubClientId ?? settings.github.clientId;
  if (!clientId) return null;
  const clientSecret =
    options.githubClientSecret ??
    (await (options.secrets ?? new KeychainSecretStore()).get(GITHUB_SECRET_NAME));
  if (!clientSecret) return null;
  return new GitHubClient({
    webUrl: settings.github.webUrl,
    apiUrl: settings.github.apiUrl,
    clientId,
    clientSecret,
  });
}
