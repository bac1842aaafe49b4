// Sample values of the UI contract (api.ts), for the tests of every UI and the dashboard's mock
// connector: one complete ConnectorState, so a field added to the contract is filled in once.
// Imports nothing but api.ts: the renderer may import it (from server/ it imports only api.ts
// and this file).
import { API_VERSION, type ConnectorState, type FolderStatus } from './api.ts';

/** The quick tunnel's address in the sample state. */
export const SAMPLE_PUBLIC_URL = 'https://calm-river.trycloudflare.com';

/** Any part of a value, at any depth; arrays (and null) are given whole. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A shared folder, indexed and watched. */
export function sampleFolderStatus(overrides: Partial<FolderStatus> = {}): FolderStatus {
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

/**
 * Everything works: running on port 4747, a quick tunnel up, GitHub set up and owned by
 * @octocat, one folder watched. `patch` replaces any part of it, at any depth.
 */
export function sampleConnectorState(patch: DeepPartial<ConnectorState> = {}): ConnectorState {
  const sample: ConnectorState = {
    apiVersion: API_VERSION,
    server: { state: 'running', port: 4747, localUrl: 'http://127.0.0.1:4747', message: null },
    publicBaseUrl: SAMPLE_PUBLIC_URL,
    mcpUrl: `${SAMPLE_PUBLIC_URL}/mcp`,
    paused: false,
    autoUpdate: true,
    secretStorage: { kind: 'keychain', file: null, warning: null },
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
          homepageUrl: 'http://127.0.0.1:4747',
          callbackUrl: 'http://127.0.0.1/oauth/github/callback',
        },
        kind: 'oauth-app',
        appUrl: null,
        callbackUrls: [],
        oneClick: { state: 'idle', message: null },
      },
      signIn: { state: 'idle', message: null },
      tokenLifetimes: { accessTokenSeconds: 7 * 86_400, refreshTokenSeconds: 30 * 86_400 },
    },
    tunnel: {
      mode: 'quick',
      state: 'connected',
      publicUrl: SAMPLE_PUBLIC_URL,
      hostname: null,
      ngrokDomain: null,
      stable: false,
      previousUrl: null,
      message: null,
    },
    folders: [sampleFolderStatus()],
    dataDir: '/home/mona/.config/porthole',
  };
  return patchConnectorState(sample, patch);
}

/** `base` with the parts of `patch` put in, at any depth (a new object; `base` is untouched). */
export function patchConnectorState(
  base: ConnectorState,
  patch: DeepPartial<ConnectorState>,
): ConnectorState {
  return merge(base, patch) as ConnectorState;
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(base[key], value);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
