// THE contract between the connector core and every UI (Electron window, tray,
// headless dashboard, CLI). The renderer imports this file and nothing else from server/, so
// it stays free of libraries: types, plain constants (API_VERSION, CONTROL_METHODS,
// DESKTOP_METHODS, GITHUB_COM, TOKEN_LIFETIME_LIMITS) and one pure function (initialFolderStatus). What
// each method accepts is in api-schemas.ts beside it. Bump API_VERSION on any incompatible change.

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
    /** 'loopback-only': no GitHub OAuth App set up yet, so nothing is reachable from outside. */
    mode: 'loopback-only' | 'oauth';
    owner: OwnerInfo | null;
    github: GitHubAppState;
    /** The owner sign-in started from the app (tray, window, CLI). */
    signIn: { state: 'idle' | 'waiting' | 'error'; message: string | null };
    /** How long the tokens issued from now on last (settings; see TOKEN_LIFETIME_LIMITS). */
    tokenLifetimes: TokenLifetimes;
  };
  tunnel: {
    mode: TunnelMode;
    state: TunnelState;
    publicUrl: string | null;
    /** Named tunnels: the stable hostname from settings. */
    hostname: string | null;
    /** ngrok: the static domain from settings (its authtoken stays in the keychain). */
    ngrokDomain: string | null;
    /** The public URL stays the same across restarts (named, ngrok with a domain, Tailscale Funnel). */
    stable: boolean;
    /**
     * Set when the public URL changed since the last run (or during this one): the URL ChatGPT
     * still has. The UIs say so on their first screen, with the new URL to copy.
     */
    previousUrl: string | null;
    /** What is happening, or (state `error`) what to do. */
    message: string | null;
  };
  folders: FolderStatus[];
  /** Where settings, the index and the logs live (read-only in the UI). */
  dataDir: string;
  /** Desktop app: check GitHub Releases for updates. */
  autoUpdate: boolean;
  /** Where the secrets (GitHub client secret, signing keys, tunnel token) are kept. */
  secretStorage: SecretStorageState;
}

/** 'keychain': the OS keychain; 'file': a file in the data folder readable by this user only. */
export interface SecretStorageState {
  kind: 'keychain' | 'file';
  /** The file, when kind is 'file'. */
  file: string | null;
  /** What a person should know (why a file, what that means); null for the keychain. */
  warning: string | null;
}

export type TunnelMode = 'quick' | 'named' | 'ngrok' | 'tailscale' | 'off';

/** Where people find what each tunnel provider needs (dashboard links, error messages). */
export const TUNNEL_LINKS = {
  ngrokSignup: 'https://dashboard.ngrok.com/signup',
  ngrokAuthtoken: 'https://dashboard.ngrok.com/get-started/your-authtoken',
  ngrokDomains: 'https://dashboard.ngrok.com/domains',
  ngrokLimits: 'https://ngrok.com/docs/pricing-limits/free-plan-limits/',
  tailscaleDownload: 'https://tailscale.com/download',
  tailscaleFunnel: 'https://tailscale.com/kb/1223/funnel',
  tailscalePolicy: 'https://login.tailscale.com/admin/acls/file',
  tailscaleDns: 'https://login.tailscale.com/admin/dns',
  cloudflareTunnels: 'https://one.dash.cloudflare.com/',
} as const;

/** Every tunnel mode, for choosers (dashboard, CLI). */
export const TUNNEL_MODES: readonly TunnelMode[] = ['quick', 'named', 'ngrok', 'tailscale', 'off'];

/** Lifetimes of the tokens the authorization server issues, in seconds. */
export interface TokenLifetimes {
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
}

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

/**
 * Bounds and defaults of TokenLifetimes. Access tokens are long by default because clients such
 * as Claude's connectors and ChatGPT in long sessions never use their refresh token, and /mcp
 * checks the grant on every request, so revoking a client cuts it off at once however long its
 * token has left. A refresh token must live at least as long as the access token it follows.
 */
export const TOKEN_LIFETIME_LIMITS = {
  accessTokenSeconds: { min: HOUR_S, max: 30 * DAY_S, default: 7 * DAY_S },
  refreshTokenSeconds: { min: DAY_S, max: 90 * DAY_S, default: 30 * DAY_S },
} as const;

/**
 * GitHub.com's two base URLs: the default of the settings, and what the dashboard compares a
 * saved host with to tell GitHub Enterprise Server apart. Here so that both sides share one copy.
 */
export const GITHUB_COM = { webUrl: 'https://github.com', apiUrl: 'https://api.github.com' } as const;

/** The GitHub OAuth App Porthole signs in with, and the values to create one. */
export interface GitHubAppState {
  /** Client id and secret both present. */
  configured: boolean;
  clientId: string | null;
  /** https://github.com, or a GitHub Enterprise Server. */
  webUrl: string;
  apiUrl: string;
  /** What to paste into GitHub's "Register a new OAuth application" form. */
  setup: { newAppUrl: string; applicationName: string; homepageUrl: string; callbackUrl: string };
  /** A GitHub App made by the one-click setup (manifest flow), or an OAuth App typed in by hand. */
  kind: 'oauth-app' | 'github-app';
  /** The GitHub App's page on GitHub (its settings), when known. */
  appUrl: string | null;
  /** A GitHub App's registered callback URLs: with a stable public one, consent works from any browser. */
  callbackUrls: string[];
  /** The one-click setup started from the app (beginGitHubAppSetup). */
  oneClick: { state: 'idle' | 'waiting' | 'error'; message: string | null };
}

export type FolderState = 'scanning' | 'indexing' | 'watching' | 'error';

export interface FolderError {
  /** Path relative to the folder root, '/'-separated. */
  path: string;
  reason: string;
}

/** A shared folder and how its indexing goes. */
export interface FolderStatus {
  id: string;
  path: string;
  name: string;
  state: FolderState;
  filesSeen: number;
  indexed: number;
  skipped: number;
  errors: FolderError[];
  /** Bytes of the files indexed (on disk size). */
  bytes: number;
  lastIndexedAt: string | null;
  /** A folder-level problem (folder vanished, watcher failed), else null. */
  message: string | null;
}

/** A folder as it is before its first scan: nothing seen, nothing indexed, no problem. */
export function initialFolderStatus(folder: { id: string; path: string; name: string }): FolderStatus {
  return {
    id: folder.id,
    path: folder.path,
    name: folder.name,
    state: 'scanning',
    filesSeen: 0,
    indexed: 0,
    skipped: 0,
    errors: [],
    bytes: 0,
    lastIndexedAt: null,
    message: null,
  };
}

/** A client (ChatGPT, Claude, …) that holds or held a grant. */
export interface ConnectedClient {
  clientId: string;
  name: string | null;
  /** The host of its client id URL (CIMD) or of its first redirect URI (DCR). */
  host: string | null;
  redirectHost: string | null;
  /** ISO 8601 */
  createdAt: string;
  lastUsedAt: string | null;
  /** ISO 8601: when it last exchanged an authorization code for tokens (connected or reconnected). */
  lastCodeExchangeAt: string | null;
  /** ISO 8601: when it last used its refresh token; null if it never did (many clients never do). */
  lastRefreshAt: string | null;
  /** ISO 8601: when the access token it was last issued expires. */
  accessExpiresAt: string | null;
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
  /** Every entry the activity files still hold (not only what the window shows), as JSON Lines, oldest first. */
  exportActivity(): Promise<string>;
  addFolder(path: string): Promise<FolderStatus>;
  removeFolder(folderId: string): Promise<void>;
  reindexFolder(folderId: string): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
  /**
   * Starts the owner sign-in: returns the loopback URL to open in the system browser, which
   * leads to GitHub. The account that signs in becomes the owner; a different owner than
   * before revokes every grant. Progress arrives as state events (`auth.signIn`, `auth.owner`).
   */
  beginOwnerSignIn(): Promise<{ url: string }>;
  /** Stores the GitHub OAuth App (the secret goes to the keychain, never back out). */
  setGitHubApp(app: {
    clientId: string;
    clientSecret: string;
    webUrl?: string;
    apiUrl?: string;
  }): Promise<void>;
  /**
   * One-click setup: returns a one-time loopback URL to open in the browser; its page sends a
   * GitHub App manifest to GitHub (github.com, an organization, or `webUrl` for GitHub Enterprise
   * Server). When the person has created the app there, Porthole stores its client ID (settings)
   * and secret (keychain) and uses it; progress arrives as state events (`auth.github.oneClick`).
   */
  beginGitHubAppSetup(options?: {
    webUrl?: string;
    apiUrl?: string;
    organization?: string;
  }): Promise<{ url: string }>;
  /**
   * Chooses the tunnel. named: `hostname` + `token` (Cloudflare); ngrok: `ngrokAuthtoken` (to the
   * keychain) + `ngrokDomain` (the static domain). An absent secret keeps the saved one.
   */
  setTunnel(tunnel: {
    mode: TunnelMode;
    hostname?: string | null;
    token?: string | null;
    ngrokDomain?: string | null;
    ngrokAuthtoken?: string | null;
  }): Promise<void>;
  listClients(): Promise<ConnectedClient[]>;
  /** Its grants and refresh tokens are gone; its next request is refused. */
  revokeClient(clientId: string): Promise<void>;
  /** Every client's grants and tokens end at once (each must connect again); returns how many grants ended. */
  revokeAllClients(): Promise<number>;
  /** Desktop app: turn update checks on or off (kept in settings). */
  setAutoUpdate(enabled: boolean): Promise<void>;
  /** Kept in settings; tokens issued from now on get them (within TOKEN_LIFETIME_LIMITS). */
  setTokenLifetimes(lifetimes: TokenLifetimes): Promise<void>;
}

/**
 * Every ControlApi method by name: the preload, the IPC handlers and the HTTP control API are
 * generated from it. A plain list because the dashboard and the sandboxed preload need the
 * names without the schemas' library; api-schemas.ts fails to compile unless it has exactly
 * one schema per name, and the two checks below tie the list to the interface both ways.
 */
export const CONTROL_METHODS = [
  'getState',
  'listActivity',
  'exportActivity',
  'addFolder',
  'removeFolder',
  'reindexFolder',
  'setPaused',
  'beginOwnerSignIn',
  'setGitHubApp',
  'beginGitHubAppSetup',
  'setTunnel',
  'listClients',
  'revokeClient',
  'revokeAllClients',
  'setAutoUpdate',
  'setTokenLifetimes',
] as const satisfies readonly (keyof ControlApi)[];

export type ControlMethod = (typeof CONTROL_METHODS)[number];

// Fails to compile when a ControlApi method is missing from CONTROL_METHODS.
export const CONTROL_METHODS_COMPLETE: Exclude<keyof ControlApi, ControlMethod> extends never ? true : never =
  true;

export type ConnectorEvent =
  | { type: 'state'; state: ConnectorState }
  | { type: 'activity'; entry: ActivityEntry }
  | { type: 'folder'; status: FolderStatus };

/** Desktop-only extras the Electron preload adds next to ControlApi (absent in the headless dashboard). */
export interface DesktopApi {
  /** The native folder picker; null when cancelled. */
  chooseFolder(): Promise<string | null>;
  getLaunchAtLogin(): Promise<boolean>;
  setLaunchAtLogin(enabled: boolean): Promise<void>;
  /** Opens an http(s) URL in the system browser (the sign-in page, GitHub's OAuth App form). */
  openExternal(url: string): Promise<void>;
}

/** Every DesktopApi method by name (see CONTROL_METHODS). */
export const DESKTOP_METHODS = [
  'chooseFolder',
  'getLaunchAtLogin',
  'setLaunchAtLogin',
  'openExternal',
] as const satisfies readonly (keyof DesktopApi)[];

export type DesktopMethod = (typeof DESKTOP_METHODS)[number];

// Fails to compile when a DesktopApi method is missing from DESKTOP_METHODS.
export const DESKTOP_METHODS_COMPLETE: Exclude<keyof DesktopApi, DesktopMethod> extends never ? true : never =
  true;

/**
 * What the dashboard talks to: `window.porthole` in Electron (the preload builds it from
 * CONTROL_METHODS and DESKTOP_METHODS), or the HTTP client of the headless control listener.
 */
export interface PortholeBridge extends ControlApi {
  subscribe(listener: (event: ConnectorEvent) => void): () => void;
  desktop: DesktopApi | null;
}
