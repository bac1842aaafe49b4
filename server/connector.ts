import { EventEmitter } from 'node:events';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { ActivityLog, printableLine, systemEntry } from './activity/index.ts';
import {
  type ActivityEntry,
  API_VERSION,
  type ConnectorEvent,
  type ConnectorState,
  type ControlApi,
  type FolderStatus,
} from './api.ts';
import { authEntry } from './auth/activity.ts';
import type { Authorization } from './auth/index.ts';
import { Ownership } from './auth/ownership.ts';
import {
  GITHUB_SECRET_NAME,
  type GitHubAppOverrides,
  gitHubAppState,
  loadGitHubClient,
  validateGitHubApp,
} from './github/app.ts';
import { GitHubClient } from './github/client.ts';
import { listenPublic, type PublicListener } from './http.ts';
import { Library } from './library/library.ts';
import { mountMcp } from './mcp/routes.ts';
import { KeychainSecretStore, type SecretStore } from './secrets.ts';
import { DEFAULT_TOKEN_LIFETIMES, describeDuration, SettingsFile, settingsFolderStore } from './settings.ts';
import { TUNNEL_TOKEN_NAME, TunnelSlot, type TunnelSlotOptions } from './tunnel/slot.ts';
import { mountViewer } from './viewer/routes.ts';

export { GITHUB_SECRET_NAME };

export interface ConnectorOptions {
  dataDir: string;
  /** Where secrets live (default: the OS keychain). */
  secrets?: SecretStore;
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
}

/**
 * The composition root: settings, library, activity log, the authorization server, the
 * tunnel and the public listener, wired together. Owns the state every UI shows and emits
 * its changes.
 */
export function createConnector(options: ConnectorOptions): Connector {
  const log = options.log ?? ((line: string) => console.error(printableLine(line)));
  const secrets = options.secrets ?? new KeychainSecretStore();
  const events = new EventEmitter<{ event: [ConnectorEvent] }>();
  let settings: SettingsFile | null = null;
  let library: Library | null = null;
  let activity: ActivityLog | null = null;
  let listener: PublicListener | null = null;
  let mcp: ReturnType<typeof mountMcp> | null = null;
  let auth: Authorization | null = null;
  let authRouter: Router | null = null;
  let github: GitHubClient | null = null;
  let githubOverrides: GitHubAppOverrides = {
    clientId: options.githubClientId,
    clientSecret: options.githubClientSecret,
    webUrl: options.githubWebUrl,
    apiUrl: options.githubApiUrl,
  };
  let serverState: ConnectorState['server'] = { state: 'stopped', port: null, localUrl: null, message: null };

  const localUrl = () => (listener ? `http://127.0.0.1:${listener.port}` : null);
  const tunnel = new TunnelSlot({
    mode: options.tunnel,
    resourcesPath: options.resourcesPath ?? null,
    env: options.env ?? process.env,
    secrets,
    stateDir: options.dataDir,
    log,
    onChange: () => emitState(),
    onUrlChanged: (previous, next) => {
      activity?.record(
        systemEntry(
          'tunnel-url-changed',
          previous
            ? `The public URL changed to ${next}: update the connector URL in ChatGPT to ${next}/mcp.`
            : `Public URL: ${next}/mcp`,
        ),
      );
    },
  });
  const publicBaseUrl = () => tunnel.publicUrl() ?? localUrl();

  const state = (): ConnectorState => {
    const base = publicBaseUrl();
    const current = settings?.get();
    return {
      apiVersion: API_VERSION,
      server: { ...serverState },
      publicBaseUrl: base,
      mcpUrl: base ? `${base}/mcp` : null,
      paused: current?.paused ?? false,
      auth: {
        mode: auth ? 'oauth' : 'loopback-only',
        owner: current?.owner ?? null,
        github: gitHubAppState(current?.github ?? null, github),
        signIn: ownership.signInState(),
        tokenLifetimes: { ...(current?.tokenLifetimes ?? DEFAULT_TOKEN_LIFETIMES) },
      },
      tunnel: tunnel.state(current?.tunnel),
      folders: library?.listFolders() ?? [],
      dataDir: options.dataDir,
      autoUpdate: current?.autoUpdate ?? true,
    };
  };
  const emit = (event: ConnectorEvent) => events.emit('event', event);
  const emitState = () => emit({ type: 'state', state: state() });

  const requireLibrary = (): Library => {
    if (!library) throw new Error('Porthole is not running yet.');
    return library;
  };
  const requireSettings = (): SettingsFile => {
    if (!settings) throw new Error('Porthole is not running yet.');
    return settings;
  };
  const ownership = new Ownership({
    settings: () => requireSettings(),
    auth: () => auth,
    github: () => github,
    record: (entry) => activity?.record(entry),
    changed: () => emitState(),
  });

  const requireAuth = (): Authorization => {
    if (!auth) throw new Error('Set up the GitHub OAuth App first (client ID and secret).');
    return auth;
  };

  const startAuth = async (): Promise<void> => {
    if (auth || !github) return;
    const file = requireSettings();
    const lib = requireLibrary();
    // Loaded only when needed: oidc-provider warns on import under Node 20.
    const { createAuthorization } = await import('./auth/index.ts');
    auth = await createAuthorization({
      dataDir: options.dataDir,
      secrets,
      issuer: () => publicBaseUrl() ?? '',
      localBase: () => localUrl() ?? '',
      github: () => github,
      owner: () => file.get().owner,
      folders: () => lib.listFolders().map((f) => f.path),
      onEvent: (event) => activity?.record(authEntry(event)),
      // Read at every issuance: a change in Settings applies to the next token, without a restart.
      tokenLifetimes: () => file.get().tokenLifetimes,
      log,
      clientMetadataFetch: options.clientMetadataFetch,
    });
    const router = express.Router();
    auth.mount(router);
    authRouter = router;
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
      requireSettings().update((s) => {
        s.paused = paused;
      });
      activity?.record(systemEntry(paused ? 'paused' : 'resumed', ''));
      emitState();
    },
    beginOwnerSignIn: async () => ownership.beginSignIn(),
    setGitHubApp: async (app) => {
      validateGitHubApp(app);
      const file = requireSettings();
      const current = file.get().github;
      const candidate = new GitHubClient({
        clientId: app.clientId.trim(),
        clientSecret: app.clientSecret.trim(),
        webUrl: app.webUrl ?? current.webUrl,
        apiUrl: app.apiUrl ?? current.apiUrl,
      });
      await candidate.verifyCredentials().catch((error: Error) => {
        // Unreachable GitHub: keep the values (they may well be right) and say so in the log.
        if (error.name === 'GitHubUnavailableError')
          log(`github: could not check the OAuth App: ${error.message}`);
        else throw error;
      });
      await secrets.set(GITHUB_SECRET_NAME, app.clientSecret.trim());
      file.update((s) => {
        s.github = {
          clientId: app.clientId.trim(),
          webUrl: candidate.endpoints.webUrl,
          apiUrl: candidate.endpoints.apiUrl,
        };
      });
      // What the person chose in the app wins over the environment for the rest of this run.
      githubOverrides = {};
      github = candidate;
      await startAuth();
      ownership.dropIfOtherHost();
      activity?.record(systemEntry('github-app-set', `client ${app.clientId.trim()}`));
      await tunnel.apply(file.get().tunnel, tunnelTarget());
      emitState();
    },
    setTunnel: async (next) => {
      const file = requireSettings();
      if (next.mode === 'named') {
        const hostname = (next.hostname ?? file.get().tunnel.hostname ?? '').trim().toLowerCase();
        if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(hostname))
          throw new Error('A named tunnel needs its public hostname, e.g. files.example.com.');
        if (next.token) await secrets.set(TUNNEL_TOKEN_NAME, next.token.trim());
        else if (!(await secrets.get(TUNNEL_TOKEN_NAME)))
          throw new Error(
            'A named tunnel needs its token (from the Cloudflare dashboard: Networks → Tunnels).',
          );
        file.update((s) => {
          s.tunnel.mode = 'named';
          s.tunnel.hostname = hostname;
        });
      } else {
        file.update((s) => {
          s.tunnel.mode = next.mode;
        });
      }
      activity?.record(systemEntry('tunnel-mode', next.mode));
      await tunnel.apply(file.get().tunnel, tunnelTarget());
      emitState();
    },
    setAutoUpdate: async (enabled) => {
      requireSettings().update((s) => {
        s.autoUpdate = enabled;
      });
      activity?.record(systemEntry('auto-update', enabled ? 'on' : 'off'));
      emitState();
    },
    setTokenLifetimes: async (lifetimes) => {
      const next = requireSettings().update((s) => {
        s.tokenLifetimes = {
          accessTokenSeconds: lifetimes.accessTokenSeconds,
          refreshTokenSeconds: lifetimes.refreshTokenSeconds,
        };
      }).tokenLifetimes;
      activity?.record(
        systemEntry(
          'token-lifetimes',
          `access ${describeDuration(next.accessTokenSeconds)}, refresh ${describeDuration(next.refreshTokenSeconds)}`,
        ),
      );
      emitState();
    },
    listClients: async () => (auth ? auth.listClients() : []),
    revokeClient: async (clientId) => {
      if (!requireAuth().revokeClient(clientId)) throw new Error('No connected client has this id.');
      activity?.record({ ...systemEntry('client-revoked', clientId), kind: 'auth' });
      emitState();
    },
    revokeAllClients: async () => {
      const revoked = requireAuth().revokeAllGrants();
      activity?.record({ ...systemEntry('clients-revoked', `${revoked} grants`), kind: 'auth' });
      emitState();
      return revoked;
    },
  };

  /** The tunnel runs only with the authorization server: a public URL without it would be open. */
  const tunnelTarget = () => ({ url: localUrl(), allowed: auth !== null });

  // Slots: the routes behind them appear when the GitHub OAuth App is set up, without a restart.
  const authSlot: RequestHandler = (req, res, next) => (authRouter ? authRouter(req, res, next) : next());
  const authenticateSlot: RequestHandler = (req, res, next) =>
    auth ? auth.authenticate(req, res, next) : next();
  const viewerSlot: RequestHandler = (req, res, next) => {
    if (auth) return auth.authorizeViewer(req, res, next);
    res.status(403).type('text').send('The document viewer needs GitHub sign-in to be set up.');
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
        github = await loadGitHubClient(current, secrets, githubOverrides);
        await startAuth();
        ownership.dropIfOtherHost();
        if (options.allowLogin) await ownership.pinLogin(options.allowLogin);
        listener = await listenPublic({
          port: options.port ?? current.port,
          allowedHosts: () => allowedHosts(listener?.port, tunnel.publicUrl()),
          // In-browser MCP clients on other origins may call /mcp with a token only when tokens are checked.
          bearerRequired: () => auth !== null,
          log,
          mount: (app) => {
            app.use(authSlot);
            mcp = mountMcp(app, {
              // Searches run on the library's search thread, off the event loop.
              source: { search: (query, opts) => lib.searchAsync(query, opts), read: (id) => lib.read(id) },
              baseUrl: () => publicBaseUrl() ?? '',
              paused: () => settings?.get().paused ?? false,
              record: (entry) => act.record(entry),
              authenticate: authenticateSlot,
              log,
            });
            mountViewer(app, {
              read: (id) => lib.read(id),
              readPdf: async (id) => {
                const doc = await lib.read(id);
                return doc.kind === 'pdf' ? { bytes: await lib.readOriginal(id), title: doc.title } : null;
              },
              authorizeViewer: viewerSlot,
              log,
            });
          },
        });
        serverState = { state: 'running', port: listener.port, localUrl: localUrl(), message: null };
        await tunnel.apply(settings.get().tunnel, tunnelTarget());
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
      ownership.stop();
      await tunnel.stop();
      mcp?.closeAll();
      await listener?.close();
      listener = null;
      await library?.close();
      library = null;
      auth?.close();
      auth = null;
      authRouter = null;
      await activity?.close();
      activity = null;
      serverState = { state: 'stopped', port: null, localUrl: null, message: serverState.message };
      emitState();
    },
  };
}

function allowedHosts(port: number | undefined, publicUrl: string | null): ReadonlySet<string> {
  if (!port) return new Set();
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const tunnelHost = publicUrl ? URL.parse(publicUrl)?.host : null;
  if (tunnelHost) hosts.add(tunnelHost.toLowerCase());
  return hosts;
}
