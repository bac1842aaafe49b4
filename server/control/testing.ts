import type {
  ActivityEntry,
  ConnectedClient,
  ConnectorEvent,
  ConnectorState,
  ControlApi,
  ControlMethod,
  FolderStatus,
} from '../api.ts';
import { initialFolderStatus } from '../api.ts';
import { sampleConnectorState } from '../api-fixtures.ts';
import { rawRequest as mcpRawRequest, type RawResponse } from '../mcp/testing.ts';

// An in-memory ControlApi with an event bus: for the control listener's tests, and for driving the
// dashboard without a real connector. It records every call and can be told to fail.

export interface FakeControl {
  api: ControlApi;
  subscribe(listener: (event: ConnectorEvent) => void): () => void;
  emit(event: ConnectorEvent): void;
  /** How many subscriptions are open right now. */
  listenerCount(): number;
  /** Every call, in order, with the arguments as received. */
  calls: { method: ControlMethod; args: unknown[] }[];
  /** Makes the next calls of `method` throw an Error with this message (until deleted). */
  failures: Map<ControlMethod, string>;
  state: ConnectorState;
  activity: ActivityEntry[];
  clients: ConnectedClient[];
}

export function createFakeControl(): FakeControl {
  const listeners = new Set<(event: ConnectorEvent) => void>();
  const fake: FakeControl = {
    api: undefined as unknown as ControlApi,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of [...listeners]) listener(event);
    },
    listenerCount: () => listeners.size,
    calls: [],
    failures: new Map(),
    state: initialState(),
    activity: [1, 2, 3].map(activityEntry),
    clients: [
      {
        clientId: 'https://chatgpt.com/oauth/client.json',
        name: 'ChatGPT',
        host: 'chatgpt.com',
        redirectHost: 'chatgpt.com',
        createdAt: '2025-01-01T00:00:00.000Z',
        lastUsedAt: null,
        lastCodeExchangeAt: '2025-01-01T00:00:00.000Z',
        lastRefreshAt: null,
        accessExpiresAt: '2025-01-08T00:00:00.000Z',
      },
    ],
  };
  const changed = () => fake.emit({ type: 'state', state: structuredClone(fake.state) });
  const record = (method: ControlMethod, args: unknown[]) => {
    fake.calls.push({ method, args });
    const failure = fake.failures.get(method);
    if (failure !== undefined) throw new Error(failure);
  };

  fake.api = {
    async getState() {
      record('getState', []);
      return structuredClone(fake.state);
    },
    async listActivity(options) {
      record('listActivity', options === undefined ? [] : [options]);
      return fake.activity.slice(-(options?.limit ?? 200));
    },
    async exportActivity() {
      record('exportActivity', []);
      return fake.activity.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    },
    async addFolder(path) {
      record('addFolder', [path]);
      if (!path.startsWith('/')) throw new Error(`"${path}" is not an absolute path: choose a folder.`);
      const status = folderStatus(`f${fake.state.folders.length + 1}`, path);
      fake.state.folders.push(status);
      changed();
      return status;
    },
    async removeFolder(folderId) {
      record('removeFolder', [folderId]);
      const before = fake.state.folders.length;
      fake.state.folders = fake.state.folders.filter((f) => f.id !== folderId);
      if (fake.state.folders.length === before) throw new Error(`No shared folder has the id "${folderId}".`);
      changed();
    },
    async reindexFolder(folderId) {
      record('reindexFolder', [folderId]);
      if (!fake.state.folders.some((f) => f.id === folderId))
        throw new Error(`No shared folder has the id "${folderId}".`);
    },
    async setAutoUpdate(enabled) {
      record('setAutoUpdate', [enabled]);
      fake.state.autoUpdate = enabled;
      changed();
    },
    async setTokenLifetimes(lifetimes) {
      record('setTokenLifetimes', [lifetimes]);
      fake.state.auth.tokenLifetimes = { ...lifetimes };
      changed();
    },
    async setPaused(paused) {
      record('setPaused', [paused]);
      fake.state.paused = paused;
      changed();
    },
    async beginOwnerSignIn() {
      record('beginOwnerSignIn', []);
      return { url: 'http://127.0.0.1:1/oauth/github/start' };
    },
    async beginGitHubAppSetup(options) {
      record('beginGitHubAppSetup', [options]);
      return { url: 'http://127.0.0.1:1/github-app/new?start=x' };
    },
    async setGitHubApp(app) {
      record('setGitHubApp', [app]);
      fake.state.auth.github = { ...fake.state.auth.github, configured: true, clientId: app.clientId };
      changed();
    },
    async setTunnel(tunnel) {
      record('setTunnel', [tunnel]);
      fake.state.tunnel = { ...fake.state.tunnel, mode: tunnel.mode, hostname: tunnel.hostname ?? null };
      changed();
    },
    async listClients() {
      record('listClients', []);
      return structuredClone(fake.clients);
    },
    async revokeClient(clientId) {
      record('revokeClient', [clientId]);
      fake.clients = fake.clients.filter((c) => c.clientId !== clientId);
    },
    async revokeAllClients() {
      record('revokeAllClients', []);
      const count = fake.clients.length;
      fake.clients = [];
      return count;
    },
  };
  return fake;
}

/** A connector just installed: no GitHub OAuth App yet, tunnel off, no folder. */
function initialState(): ConnectorState {
  return sampleConnectorState({
    server: { port: 1, localUrl: 'http://127.0.0.1:1' },
    publicBaseUrl: 'http://127.0.0.1:1',
    mcpUrl: 'http://127.0.0.1:1/mcp',
    auth: {
      mode: 'loopback-only',
      owner: null,
      github: { configured: false, clientId: null, setup: { homepageUrl: 'http://127.0.0.1:1' } },
    },
    tunnel: { mode: 'off', state: 'off', publicUrl: null },
    folders: [],
    dataDir: '/tmp/porthole-fake',
  });
}

export function folderStatus(id: string, path: string): FolderStatus {
  const name = path.split('/').filter(Boolean).pop() ?? path;
  return { ...initialFolderStatus({ id, path, name }), state: 'watching' };
}

export function activityEntry(seq: number): ActivityEntry {
  return {
    seq,
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
    kind: 'mcp',
    client: { id: 'chatgpt', name: 'ChatGPT' },
    login: 'octocat',
    method: 'tools/call',
    tool: 'search',
    summary: `query ${seq}`,
    outcome: { ok: true, results: seq },
    latencyMs: 1.5,
  };
}

/**
 * A request with exactly the headers and path given (fetch would refuse to set Host and would
 * normalize `..` in paths): for the Host, Origin and traversal tests. Host defaults to ours.
 */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return mcpRawRequest(port, { ...options, headers: { host: `127.0.0.1:${port}`, ...options.headers } });
}
