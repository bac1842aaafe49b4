// Builders for the tests: a connector state and activity entries with everything filled in.
import type { ActivityEntry, ConnectorState, FolderStatus } from '../../../server/api.ts';

export function makeState(overrides: Partial<ConnectorState> = {}): ConnectorState {
  return {
    apiVersion: 1,
    server: { state: 'running', port: 4747, localUrl: 'http://127.0.0.1:4747', message: null },
    publicBaseUrl: 'https://calm-river.trycloudflare.com',
    mcpUrl: 'https://calm-river.trycloudflare.com/mcp',
    paused: false,
    autoUpdate: true,
    auth: {
      mode: 'oauth',
      owner: { id: 1, login: 'octocat', name: 'The Octocat', avatarUrl: null },
      github: {
        configured: true,
        clientId: 'Iv1.abc',
        webUrl: 'https://github.com',
        apiUrl: 'https://api.github.com',
        setup: {
          newAppUrl: 'https://github.com/settings/applications/new',
          applicationName: 'Porthole',
          homepageUrl: 'http://127.0.0.1:4747',
          callbackUrl: 'http://127.0.0.1/oauth/github/callback',
        },
      },
      signIn: { state: 'idle', message: null },
      tokenLifetimes: { accessTokenSeconds: 7 * 86_400, refreshTokenSeconds: 30 * 86_400 },
    },
    tunnel: {
      mode: 'quick',
      state: 'connected',
      publicUrl: 'https://calm-river.trycloudflare.com',
      hostname: null,
      message: null,
    },
    folders: [makeFolder()],
    dataDir: '/home/mona/.config/porthole',
    ...overrides,
  };
}

export function makeFolder(overrides: Partial<FolderStatus> = {}): FolderStatus {
  return {
    id: 'f1',
    path: '/home/mona/Documents',
    name: 'Documents',
    state: 'watching',
    filesSeen: 10,
    indexed: 8,
    skipped: 2,
    errors: [],
    bytes: 4096,
    lastIndexedAt: '2025-03-04T10:00:00.000Z',
    message: null,
    ...overrides,
  };
}

export function makeEntry(seq: number, overrides: Partial<ActivityEntry> = {}): ActivityEntry {
  return {
    seq,
    time: new Date(Date.UTC(2025, 2, 4, 10, 0, 0) + seq * 1000).toISOString(),
    kind: 'mcp',
    client: { id: 'https://chatgpt.com/oauth/client', name: 'ChatGPT' },
    login: 'octocat',
    method: 'tools/call',
    tool: 'search',
    summary: `query ${seq}`,
    outcome: { ok: true, results: 3 },
    latencyMs: 12,
    ...overrides,
  };
}
