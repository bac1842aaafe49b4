// Connector states for the shell's tests: one healthy state and small changes to it.
import { type ActivityEntry, API_VERSION, type ConnectorState } from '../server/api.ts';

export const QUICK_URL = 'https://green-tree-42.trycloudflare.com';

/** Running, tunnel up, owner @octocat, one folder: everything works. */
export function connectedState(): ConnectorState {
  return {
    apiVersion: API_VERSION,
    server: { state: 'running', port: 48213, localUrl: 'http://127.0.0.1:48213', message: null },
    publicBaseUrl: QUICK_URL,
    mcpUrl: `${QUICK_URL}/mcp`,
    paused: false,
    autoUpdate: true,
    auth: {
      mode: 'oauth',
      owner: { id: 583231, login: 'octocat', name: 'The Octocat', avatarUrl: null },
      github: {
        configured: true,
        clientId: 'Iv1.0123456789abcdef',
        webUrl: 'https://github.com',
        apiUrl: 'https://api.github.com',
        setup: {
          newAppUrl: 'https://github.com/settings/applications/new',
          applicationName: 'Porthole',
          homepageUrl: 'https://github.com/porthole',
          callbackUrl: 'http://127.0.0.1/oauth/github/callback',
        },
      },
      signIn: { state: 'idle', message: null },
      tokenLifetimes: { accessTokenSeconds: 7 * 86_400, refreshTokenSeconds: 30 * 86_400 },
    },
    tunnel: { mode: 'quick', state: 'connected', publicUrl: QUICK_URL, hostname: null, message: null },
    folders: [
      {
        id: 'f1',
        path: '/home/me/Notes',
        name: 'Notes',
        state: 'watching',
        filesSeen: 10,
        indexed: 10,
        skipped: 0,
        errors: [],
        bytes: 1234,
        lastIndexedAt: '2025-01-01T00:00:00.000Z',
        message: null,
      },
    ],
    dataDir: '/home/me/.config/Porthole',
  };
}

type Patch = {
  [K in keyof ConnectorState]?: ConnectorState[K] extends object
    ? Partial<ConnectorState[K]>
    : ConnectorState[K];
};

/** connectedState() with some of its parts replaced (one level deep). */
export function stateWith(patch: Patch, base: ConnectorState = connectedState()): ConnectorState {
  const next = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    const current = next[key];
    next[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? { ...current, ...value }
        : value;
  }
  return next as unknown as ConnectorState;
}

export function activityEntry(patch: Partial<ActivityEntry> = {}): ActivityEntry {
  return {
    seq: 1,
    time: '2025-01-01T00:00:00.000Z',
    kind: 'auth',
    client: { id: 'https://chatgpt.com/oauth/client.json', name: 'ChatGPT' },
    login: 'octocat',
    method: 'consent',
    tool: null,
    summary: 'approved',
    outcome: { ok: true },
    latencyMs: null,
    ...patch,
  };
}
