import { describe, expect, it } from 'vitest';
import { affectsClients, type DashboardState, dashboardReducer, initialDashboardState } from './store.ts';
import { makeEntry, makeFolder, makeState } from './testing.ts';

const withState = (): DashboardState =>
  dashboardReducer(initialDashboardState, { type: 'event', event: { type: 'state', state: makeState() } });

describe('dashboard reducer', () => {
  it('takes state snapshots from events', () => {
    const state = withState();
    expect(state.connector?.mcpUrl).toBe('https://calm-river.trycloudflare.com/mcp');
    const paused = dashboardReducer(state, {
      type: 'event',
      event: { type: 'state', state: makeState({ paused: true }) },
    });
    expect(paused.connector?.paused).toBe(true);
  });

  it('does not let a late getState answer overwrite a snapshot from the stream', () => {
    const state = dashboardReducer(withState(), { type: 'stateLoaded', state: makeState({ paused: true }) });
    expect(state.connector?.paused).toBe(false);
    const first = dashboardReducer(initialDashboardState, {
      type: 'stateLoaded',
      state: makeState({ paused: true }),
    });
    expect(first.connector?.paused).toBe(true);
  });

  it('reports a failed first load only while there is no state', () => {
    expect(dashboardReducer(initialDashboardState, { type: 'loadFailed', message: 'down' }).loadError).toBe(
      'down',
    );
    expect(dashboardReducer(withState(), { type: 'loadFailed', message: 'down' }).loadError).toBeNull();
    const recovered = dashboardReducer(
      { ...initialDashboardState, loadError: 'down' },
      { type: 'event', event: { type: 'state', state: makeState() } },
    );
    expect(recovered.loadError).toBeNull();
  });

  it('updates a folder in place and adds a new one', () => {
    let state = withState();
    state = dashboardReducer(state, {
      type: 'event',
      event: { type: 'folder', status: makeFolder({ state: 'indexing', indexed: 3 }) },
    });
    expect(state.connector?.folders).toHaveLength(1);
    expect(state.connector?.folders[0]?.indexed).toBe(3);
    state = dashboardReducer(state, {
      type: 'event',
      event: { type: 'folder', status: makeFolder({ id: 'f2', name: 'Projects' }) },
    });
    expect(state.connector?.folders.map((f) => f.id)).toEqual(['f1', 'f2']);
    state = dashboardReducer(state, { type: 'folderRemoved', folderId: 'f1' });
    expect(state.connector?.folders.map((f) => f.id)).toEqual(['f2']);
    state = dashboardReducer(state, { type: 'folderAdded', status: makeFolder({ id: 'f3' }) });
    expect(state.connector?.folders.map((f) => f.id)).toEqual(['f2', 'f3']);
  });

  it('ignores a folder event that comes before the first snapshot', () => {
    const state = dashboardReducer(initialDashboardState, {
      type: 'event',
      event: { type: 'folder', status: makeFolder() },
    });
    expect(state).toBe(initialDashboardState);
  });

  it('prepends live activity and merges a fetched page', () => {
    let state = dashboardReducer(withState(), {
      type: 'event',
      event: { type: 'activity', entry: makeEntry(10) },
    });
    state = dashboardReducer(state, { type: 'activityArrived', entries: [makeEntry(11), makeEntry(12)] });
    expect(state.activity.map((e) => e.seq)).toEqual([12, 11, 10]);
    expect(state.activityLoaded).toBe(false);
    state = dashboardReducer(state, {
      type: 'activityLoaded',
      entries: [makeEntry(9), makeEntry(10), makeEntry(11)],
    });
    expect(state.activity.map((e) => e.seq)).toEqual([12, 11, 10, 9]);
    expect(state.activityLoaded).toBe(true);
    expect(dashboardReducer(state, { type: 'activityArrived', entries: [] })).toBe(state);
  });

  it('keeps the clients and drops a revoked one', () => {
    const clients = [
      {
        clientId: 'a',
        name: 'ChatGPT',
        host: 'chatgpt.com',
        redirectHost: null,
        createdAt: '2025-03-01T00:00:00Z',
        lastUsedAt: null,
        lastCodeExchangeAt: '2025-03-01T00:00:00Z',
        lastRefreshAt: null,
        accessExpiresAt: '2025-03-08T00:00:00Z',
      },
      {
        clientId: 'b',
        name: 'Claude',
        host: 'claude.ai',
        redirectHost: null,
        createdAt: '2025-03-01T00:00:00Z',
        lastUsedAt: null,
        lastCodeExchangeAt: '2025-03-01T00:00:00Z',
        lastRefreshAt: null,
        accessExpiresAt: '2025-03-08T00:00:00Z',
      },
    ];
    let state = dashboardReducer(withState(), { type: 'clientsLoaded', clients });
    state = dashboardReducer(state, { type: 'clientRevoked', clientId: 'a' });
    expect(state.clients?.map((c) => c.clientId)).toEqual(['b']);
    state = dashboardReducer(state, { type: 'clientsFailed', message: 'nope' });
    expect(state.clientsError).toBe('nope');
    expect(state.clients).toHaveLength(1);
  });

  it('refreshes clients on auth activity only', () => {
    expect(affectsClients(makeEntry(1, { kind: 'auth' }))).toBe(true);
    expect(affectsClients(makeEntry(1))).toBe(false);
  });
});
