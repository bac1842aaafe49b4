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
import { listenPublic, type PublicListener } from './http.ts';
import { Library } from './library/library.ts';
import { mountMcp } from './mcp/routes.ts';
import { SettingsFile, settingsFolderStore } from './settings.ts';

export interface ConnectorOptions {
  dataDir: string;
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
      auth: { mode: 'loopback-only', owner: null },
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
              authenticate: null,
            });
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
