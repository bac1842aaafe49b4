// THE contract between the connector core and every UI (Electron window, tray,
// headless dashboard, CLI). Types only: the renderer imports this file and nothing
// else from server/. Bump API_VERSION on any incompatible change.
import type { FolderError, FolderState, FolderStatus } from './library/types.ts';

export type { FolderError, FolderState, FolderStatus };

export const API_VERSION = 1;

export type ServerState = 'starting' | 'running' | 'stopped' | 'error';
export type TunnelState = 'off' | 'starting' | 'connected' | 'reconnecting' | 'error';

export interface OwnerInfo {
  /** GitHub numeric user id: the identity. */
  id: number;
  /** For display only: logins can be renamed. */
  login: string;
  name: string | null;
  avatarUrl: string | null;
}

export interface ConnectorState {
  apiVersion: typeof API_VERSION;
  server: {
    state: ServerState;
    port: number | null;
    /** http://127.0.0.1:PORT */
    localUrl: string | null;
    message: string | null;
  };
  /** The base URL clients use: the tunnel's when there is one, else the local one. */
  publicBaseUrl: string | null;
  /** What to paste into ChatGPT: `${publicBaseUrl}/mcp`. */
  mcpUrl: string | null;
  paused: boolean;
  auth: {
    /** 'loopback-only': no authorization server yet, so nothing is reachable from outside. */
    mode: 'loopback-only' | 'oauth';
    owner: OwnerInfo | null;
  };
  tunnel: {
    state: TunnelState;
    publicUrl: string | null;
    message: string | null;
  };
  folders: FolderStatus[];
}

export type ActivityKind = 'mcp' | 'auth' | 'system';

export type ActivityOutcome = { ok: true; results?: number; bytes?: number } | { ok: false; error: string };

export interface ActivityEntry {
  /** Increasing within one run; unique across runs together with `time`. */
  seq: number;
  /** ISO 8601 */
  time: string;
  kind: ActivityKind;
  client: { id: string | null; name: string | null } | null;
  /** GitHub login of the account the request acted as, when known. */
  login: string | null;
  /** JSON-RPC method (`tools/call`, `initialize`) or auth event (`consent`, `token`, `revoke`, …). */
  method: string;
  tool: string | null;
  /** Short, secret-free: the query text, the document title. Never document contents. */
  summary: string;
  outcome: ActivityOutcome;
  latencyMs: number | null;
}

/** What a UI may ask of the connector. Every method is safe to call at any time. */
export interface ControlApi {
  getState(): Promise<ConnectorState>;
  listActivity(options?: { limit?: number }): Promise<ActivityEntry[]>;
  addFolder(path: string): Promise<FolderStatus>;
  removeFolder(folderId: string): Promise<void>;
  reindexFolder(folderId: string): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
}

export type ConnectorEvent =
  | { type: 'state'; state: ConnectorState }
  | { type: 'activity'; entry: ActivityEntry }
  | { type: 'folder'; status: FolderStatus };
