// Everything that exists only while the connector runs, opened together and closed together:
// settings, activity log, library, the GitHub OAuth App and the authorization server, the owner,
// the public listener with its routes. Nothing in it is missing once it has started.
import path from 'node:path';
import { ActivityLog } from '../activity/index.ts';
import type { ActivityEntry, ConnectorEvent, FolderStatus } from '../api.ts';
import { authEntry } from '../auth/activity.ts';
import { Ownership } from '../auth/ownership.ts';
import type { GitHubAppSource } from '../github/app.ts';
import { createGitHubAppSetup, type GitHubAppSetup } from '../github/app-setup.ts';
import { loopbackCallbackProblem, publicCallbackUrl } from '../github/callbacks.ts';
import { listenPublic } from '../http.ts';
import { Library } from '../library/library.ts';
import type { SecretStore } from '../secrets.ts';
import { SettingsFile, settingsFolderStore } from '../settings.ts';
import { AuthSlot } from './auth-slot.ts';
import { mountPublicRoutes } from './routes.ts';

export interface Runtime {
  readonly settings: SettingsFile;
  readonly activity: ActivityLog;
  readonly library: Library;
  readonly auth: AuthSlot;
  readonly ownership: Ownership;
  /** The one-click GitHub App setup (its pages are on this listener, loopback only). */
  readonly appSetup: GitHubAppSetup;
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly localUrl: string;
  /** Closes every part, the last opened first. */
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  dataDir: string;
  secrets: SecretStore;
  github: GitHubAppSource;
  /** Overrides the port from settings (0 = any free port). */
  port?: number;
  /** Keep the index current with a file watcher. */
  watch: boolean;
  /** Pin the owner to this GitHub login. */
  allowLogin?: string;
  clientMetadataFetch?: typeof fetch;
  /** The tunnel's public URL while it has one. */
  tunnelUrl: () => string | null;
  emit: (event: ConnectorEvent) => void;
  /** The state changed: tell the UIs. */
  changed: () => void;
  log: (line: string) => void;
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { dataDir, log } = options;
  // What is open so far, closed in reverse when a later step fails (and at stop).
  const closers: Array<() => unknown> = [];
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const settings = SettingsFile.open(dataDir, { log });
    const activity = new ActivityLog({
      dir: path.join(dataDir, 'activity'),
      onWriteError: (e) => log(`activity: ${e.message}`),
    });
    closers.push(() => activity.close());
    activity.subscribe((entry: ActivityEntry) => options.emit({ type: 'activity', entry }));
    const library = await openLibrary(options, settings);
    closers.push(() => library.close());
    library.on('status', (status: FolderStatus) => options.emit({ type: 'folder', status }));

    // The issuer needs the port, known only once the listener listens: which is after the
    // authorization server exists, so that no request is ever served without it.
    let port: number | null = null;
    const localUrl = () => (port === null ? '' : `http://127.0.0.1:${port}`);
    const baseUrl = () => options.tunnelUrl() ?? localUrl();
    const auth = new AuthSlot({
      dataDir,
      secrets: options.secrets,
      issuer: baseUrl,
      localBase: localUrl,
      owner: () => settings.get().owner,
      // Consents finish on the public host when the GitHub App has its (stable) URL as a callback.
      publicCallbackUrl: () => {
        const publicUrl = options.tunnelUrl();
        return publicUrl ? publicCallbackUrl(publicUrl, settings.get().githubRegistration) : null;
      },
      folders: () => library.listFolders().map((f) => f.path),
      onEvent: (event) => activity.record(authEntry(event)),
      // Read at every issuance: a change in Settings applies to the next token, without a restart.
      tokenLifetimes: () => settings.get().tokenLifetimes,
      log,
      clientMetadataFetch: options.clientMetadataFetch,
    });
    closers.push(() => auth.close());
    const ownership = new Ownership({
      settings: () => settings,
      auth: () => auth.current(),
      github: () => auth.github,
      record: (entry) => activity.record(entry),
      changed: options.changed,
    });
    closers.push(() => ownership.stop());
    await auth.use(await options.github.load(settings.get()));
    ownership.dropIfOtherHost();
    if (options.allowLogin) await ownership.pinLogin(options.allowLogin);

    const appSetup = createGitHubAppSetup({ localBase: localUrl, log, changed: options.changed });

    // Set while listenPublic mounts the routes, before it resolves.
    let mcp: { closeAll(): void } | null = null;
    const listener = await listenPublic({
      port: options.port ?? settings.get().port,
      allowedHosts: () => allowedHosts(port, options.tunnelUrl()),
      // In-browser MCP clients on other origins may call /mcp with a token only when tokens are checked.
      bearerRequired: () => auth.current() !== null,
      log,
      mount: (app) => {
        mcp = mountPublicRoutes(app, { library, settings, activity, auth, appSetup, baseUrl, log });
      },
    });
    closers.push(() => listener.close());
    closers.push(() => mcp?.closeAll()); // so the open SSE streams end first
    port = listener.port;
    const callbackProblem =
      auth.github?.clientId === settings.get().github.clientId
        ? loopbackCallbackProblem(settings.get().githubRegistration, localUrl())
        : null;
    if (callbackProblem) log(`github: ${callbackProblem}`);
    return { settings, activity, library, auth, ownership, appSetup, port, localUrl: localUrl(), stop };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

function openLibrary(options: RuntimeOptions, settings: SettingsFile): Promise<Library> {
  const current = settings.get();
  return Library.open({
    dataDir: options.dataDir,
    idKey: current.idKey,
    folders: settingsFolderStore(settings),
    maxFileBytes: current.maxFileBytes,
    maxTextBytes: current.maxTextBytes,
    watch: options.watch,
    log: options.log,
  });
}

/** Host headers the listener answers: loopback with our port, and the tunnel's host while it has one. */
function allowedHosts(port: number | null, publicUrl: string | null): ReadonlySet<string> {
  if (!port) return new Set();
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const tunnelHost = publicUrl ? URL.parse(publicUrl)?.host : null;
  if (tunnelHost) hosts.add(tunnelHost.toLowerCase());
  return hosts;
}
