// The snapshot every UI shows (ConnectorState), from the runtime while it runs and from the
// defaults before start() and after stop().
import { API_VERSION, type ConnectorState, type SecretStorageState, type ServerState } from '../api.ts';
import { gitHubAppState } from '../github/app.ts';
import { DEFAULT_TOKEN_LIFETIMES } from '../settings.ts';
import type { TunnelSlot } from '../tunnel/slot.ts';
import type { Runtime } from './runtime.ts';

const KEYCHAIN_STORAGE: SecretStorageState = { kind: 'keychain', file: null, warning: null };

/** Where start() and stop() are; port and local URL come from the runtime. */
export interface ServerPhase {
  state: ServerState;
  message: string | null;
}

export function connectorState(parts: {
  runtime: Runtime | null;
  phase: ServerPhase;
  tunnel: TunnelSlot;
  dataDir: string;
  /** Where secrets are kept (default: the OS keychain). */
  secretStorage?: SecretStorageState;
}): ConnectorState {
  const { runtime, tunnel } = parts;
  const saved = runtime?.settings.get();
  const base = tunnel.publicUrl() ?? runtime?.localUrl ?? null;
  return {
    apiVersion: API_VERSION,
    server: {
      state: parts.phase.state,
      port: runtime?.port ?? null,
      localUrl: runtime?.localUrl ?? null,
      message: parts.phase.message,
    },
    publicBaseUrl: base,
    mcpUrl: base ? `${base}/mcp` : null,
    paused: saved?.paused ?? false,
    auth: {
      mode: runtime?.auth.current() ? 'oauth' : 'loopback-only',
      owner: saved?.owner ?? null,
      github: gitHubAppState(saved ?? null, runtime?.auth.github ?? null, runtime?.appSetup.status()),
      signIn: runtime?.ownership.signInState() ?? { state: 'idle', message: null },
      tokenLifetimes: { ...(saved?.tokenLifetimes ?? DEFAULT_TOKEN_LIFETIMES) },
    },
    tunnel: tunnel.state(saved?.tunnel),
    folders: runtime?.library.listFolders() ?? [],
    dataDir: parts.dataDir,
    autoUpdate: saved?.autoUpdate ?? true,
    secretStorage: { ...(parts.secretStorage ?? KEYCHAIN_STORAGE) },
  };
}
