// A fake connector for working on the dashboard without one: `npm run dev:renderer`, then
// open http://127.0.0.1:5173/?mock=1. Only the dev server loads it (main.tsx, behind
// import.meta.env.DEV). Deterministic data (seeded), so screenshots are comparable.
//
//   ?mock=1         a set-up Porthole: owner, 4 folders (one indexing, one broken), 10,000 activity entries
//   ?mock=setup     a fresh install: no GitHub OAuth App, no owner, no folder
//   &desktop=1      with the Electron-only DesktopApi (folder picker, launch at login)
//   &offline=1      the event stream is down: the "reconnecting" banner
//   &unauthorized=1 a stale token
//   &empty=1        no activity and no clients yet
//   &live=0         no new activity while you look (stable screenshots)
//   &paused=1       start paused
//   &quick=0        a named tunnel instead of a quick one
//   &rate=5         a new activity entry every 5 ms (a load test for the live log)
import type {
  ActivityEntry,
  ConnectedClient,
  ConnectorEvent,
  ConnectorState,
  ControlApi,
  DesktopApi,
  FolderStatus,
  PortholeBridge,
  TunnelMode,
} from '../../server/api.ts';
import type { BridgeHandle } from '../src/bridge.ts';
import { createConnectionMonitor } from '../src/lib/connection.ts';

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const between = (min: number, max: number) => Math.round(min + random() * (max - min));
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const AVATAR = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#6e40c9"/><circle cx="32" cy="26" r="12" fill="#f0e7ff"/><path d="M12 58c2-12 10-18 20-18s18 6 20 18z" fill="#f0e7ff"/></svg>',
)}`;

const CLIENTS: ConnectedClient[] = [
  {
    clientId: 'https://chatgpt.com/.well-known/oauth-client-metadata.json',
    name: 'ChatGPT',
    host: 'chatgpt.com',
    redirectHost: 'chatgpt.com',
    createdAt: new Date(Date.now() - 12 * 86400_000).toISOString(),
    lastUsedAt: new Date(Date.now() - 40_000).toISOString(),
  },
  {
    clientId: 'https://claude.ai/oauth/mcp-client-metadata',
    name: 'Claude',
    host: 'claude.ai',
    redirectHost: 'claude.ai',
    createdAt: new Date(Date.now() - 3 * 86400_000).toISOString(),
    lastUsedAt: new Date(Date.now() - 5 * 3600_000).toISOString(),
  },
  {
    clientId: 'dcr_7Hq2mXb9cV4kLp0sNw3eRt6y',
    name: 'Visual Studio Code',
    host: '127.0.0.1',
    redirectHost: '127.0.0.1',
    createdAt: new Date(Date.now() - 26 * 86400_000).toISOString(),
    lastUsedAt: new Date(Date.now() - 9 * 86400_000).toISOString(),
  },
  {
    clientId: 'dcr_Zx81LmQa0PfE5uTj2vGc7bNh',
    name: null,
    host: 'localhost',
    redirectHost: 'localhost',
    createdAt: new Date(Date.now() - 40 * 86400_000).toISOString(),
    lastUsedAt: null,
  },
];

const QUERIES = [
  'quarterly revenue 2024',
  'lease agreement renewal date',
  'tax return 2023 deductions',
  'passport expiry',
  'kubernetes migration plan',
  'meeting notes with Dana',
  'invoice acme corp',
  'recipe sourdough starter',
  'insurance policy number',
  'onboarding checklist',
  'api rate limits design doc',
  'wedding guest list',
  'car service history',
  'thesis chapter 3 methodology',
  'budget 2025 forecast',
  'how to reset router',
  'postgres vacuum tuning',
  'flight confirmation lisbon',
  'dentist appointment',
  'roadmap q3 okrs',
];

const DOCUMENTS = [
  'Q4 2024 Board Deck.pdf',
  'Lease – Rue des Martyrs 12.docx',
  'Steuererklärung 2023.pdf',
  'README.md',
  'migration-plan.md',
  '2025-02-11 Weekly sync.md',
  'Invoice INV-20931.pdf',
  'Sourdough.md',
  'Home insurance policy.pdf',
  'Onboarding checklist.docx',
  'Rate limiting RFC.md',
  'Thesis – Chapter 3.docx',
  'Budget 2025.xlsx.csv',
  'Flight TP1337 LIS.pdf',
  'OKRs Q3.md',
];

const SYSTEM_EVENTS = [
  'Tunnel connected: calm-river-sky.trycloudflare.com',
  'Porthole started (port 4747)',
  'Folder Documents indexed: 4,812 files',
  'Tunnel reconnecting: connection to Cloudflare lost',
  'Watcher picked up 3 changed files in Notes',
];

function clientRef(client: ConnectedClient) {
  return { id: client.clientId, name: client.name };
}

let seq = 0;

function makeEntry(time: number, paused = false): ActivityEntry {
  seq += 1;
  const roll = random();
  const chatgpt = CLIENTS[0] as ConnectedClient;
  const client = roll < 0.7 ? chatgpt : pick(CLIENTS.slice(0, 3));
  const base = { seq, time: new Date(time).toISOString(), login: 'octocat' };
  if (paused) {
    return {
      ...base,
      kind: 'mcp',
      client: clientRef(client),
      method: 'tools/call',
      tool: 'search',
      summary: pick(QUERIES),
      outcome: { ok: false, error: 'Porthole is paused' },
      latencyMs: between(0, 2),
    };
  }
  if (roll < 0.5) {
    const results = random() < 0.1 ? 0 : between(1, 10);
    return {
      ...base,
      kind: 'mcp',
      client: clientRef(client),
      method: 'tools/call',
      tool: 'search',
      summary: pick(QUERIES),
      outcome: { ok: true, results },
      latencyMs: between(3, 60) + (random() < 0.05 ? between(200, 2400) : 0),
    };
  }
  if (roll < 0.85) {
    const failed = random() < 0.06;
    return {
      ...base,
      kind: 'mcp',
      client: clientRef(client),
      method: 'tools/call',
      tool: 'fetch',
      summary: pick(DOCUMENTS),
      outcome: failed
        ? { ok: false, error: 'This document was deleted or moved since it was indexed.' }
        : { ok: true, bytes: between(900, 180_000) },
      latencyMs: between(8, 240),
    };
  }
  if (roll < 0.93) {
    return {
      ...base,
      kind: 'mcp',
      client: clientRef(client),
      method: pick(['initialize', 'tools/list', 'notifications/initialized']),
      tool: null,
      summary: '',
      outcome: { ok: true },
      latencyMs: between(1, 6),
    };
  }
  if (roll < 0.98) {
    const method = pick(['token', 'refresh', 'consent', 'register', 'github-sign-in']);
    const refused = method === 'github-sign-in' && random() < 0.3;
    return {
      ...base,
      kind: 'auth',
      client: clientRef(client),
      login: refused ? 'mallory' : 'octocat',
      method,
      tool: null,
      summary: refused
        ? 'GitHub account @mallory is not the owner'
        : `${method} for ${client.name ?? client.clientId}`,
      outcome: refused ? { ok: false, error: 'Not the owner: refused' } : { ok: true },
      latencyMs: between(20, 900),
    };
  }
  return {
    ...base,
    kind: 'system',
    client: null,
    login: null,
    method: 'system',
    tool: null,
    summary: pick(SYSTEM_EVENTS),
    outcome: { ok: true },
    latencyMs: null,
  };
}

function makeHistory(count: number): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  let time = Date.now() - count * 26_000;
  for (let i = 0; i < count; i++) {
    time += between(500, 50_000);
    entries.push(makeEntry(Math.min(time, Date.now() - 1000)));
  }
  return entries;
}

function folder(partial: Partial<FolderStatus> & Pick<FolderStatus, 'id' | 'path' | 'name'>): FolderStatus {
  return {
    state: 'watching',
    filesSeen: 0,
    indexed: 0,
    skipped: 0,
    errors: [],
    bytes: 0,
    lastIndexedAt: null,
    message: null,
    ...partial,
  };
}

function initialFolders(): FolderStatus[] {
  return [
    folder({
      id: 'fold-docs',
      path: '/Users/mona/Documents',
      name: 'Documents',
      filesSeen: 4851,
      indexed: 4812,
      skipped: 37,
      bytes: 2_861_000_000,
      lastIndexedAt: new Date(Date.now() - 7 * 60_000).toISOString(),
      errors: [
        { path: 'Finance/2019/statement-encrypted.pdf', reason: 'The PDF is password-protected' },
        { path: 'Scans/IMG_2041.pdf', reason: 'No text found (a scanned image?)' },
      ],
    }),
    folder({
      id: 'fold-projects',
      path: '/Users/mona/Projects',
      name: 'Projects',
      state: 'indexing',
      filesSeen: 5940,
      indexed: 2378,
      skipped: 412,
      bytes: 96_400_000,
      lastIndexedAt: new Date(Date.now() - 2 * 86400_000).toISOString(),
    }),
    folder({
      id: 'fold-notes',
      path: '/Users/mona/Library/Mobile Documents/iCloud~md~obsidian/Documents/Notes',
      name: 'Notes',
      filesSeen: 1290,
      indexed: 1290,
      bytes: 14_200_000,
      lastIndexedAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
    }),
    folder({
      id: 'fold-archive',
      path: '/Volumes/Backup/Archive',
      name: 'Archive',
      state: 'error',
      indexed: 0,
      message:
        'This folder can no longer be read: ENOENT: no such file or directory. Is the drive connected?',
      lastIndexedAt: new Date(Date.now() - 21 * 86400_000).toISOString(),
    }),
  ];
}

function quickUrl(): string {
  const words = ['calm', 'river', 'sky', 'amber', 'delta', 'forest', 'orbit', 'meadow', 'harbor', 'violet'];
  return `https://${pick(words)}-${pick(words)}-${pick(words)}-${between(10, 99)}.trycloudflare.com`;
}

export function createMockBridge(params: URLSearchParams): BridgeHandle {
  const fresh = params.get('mock') === 'setup';
  const flag = (name: string, fallback = false) => {
    const value = params.get(name);
    return value === null ? fallback : value !== '0' && value !== 'false';
  };
  const empty = flag('empty', fresh);
  const live = flag('live', true);
  const named = !flag('quick', true);
  const port = 4747;
  const localUrl = `http://127.0.0.1:${port}`;
  const publicUrl = named ? 'https://porthole.mona.dev' : 'https://calm-river-sky-42.trycloudflare.com';

  let state: ConnectorState = {
    apiVersion: 1,
    server: { state: 'running', port, localUrl, message: null },
    publicBaseUrl: publicUrl,
    mcpUrl: `${publicUrl}/mcp`,
    paused: flag('paused'),
    autoUpdate: true,
    auth: {
      mode: fresh ? 'loopback-only' : 'oauth',
      owner: fresh ? null : { id: 583231, login: 'octocat', name: 'Mona Octocat', avatarUrl: AVATAR },
      github: {
        configured: !fresh,
        clientId: fresh ? null : 'Ov23liA7yXq2cV9bKm4P',
        webUrl: 'https://github.com',
        apiUrl: 'https://api.github.com',
        setup: {
          newAppUrl: 'https://github.com/settings/applications/new',
          applicationName: 'Porthole (mona-macbook)',
          homepageUrl: localUrl,
          callbackUrl: 'http://127.0.0.1/oauth/github/callback',
        },
      },
      signIn: { state: 'idle', message: null },
    },
    tunnel: {
      mode: named ? 'named' : 'quick',
      state: 'connected',
      publicUrl,
      hostname: named ? 'porthole.mona.dev' : null,
      message: null,
    },
    folders: fresh ? [] : initialFolders(),
    dataDir: '/Users/mona/Library/Application Support/Porthole',
  };
  let clients: ConnectedClient[] = empty ? [] : CLIENTS.map((c) => ({ ...c }));
  let activity: ActivityEntry[] = empty ? [] : makeHistory(10_000);
  const listeners = new Set<(event: ConnectorEvent) => void>();
  const emit = (event: ConnectorEvent) => {
    for (const listener of [...listeners]) listener(event);
  };
  const update = (change: (s: ConnectorState) => ConnectorState) => {
    state = change(state);
    emit({ type: 'state', state });
  };
  const log = (entry: ActivityEntry) => {
    activity.push(entry);
    if (activity.length > 12_000) activity = activity.slice(-10_000);
    emit({ type: 'activity', entry });
  };
  const setFolder = (status: FolderStatus) => {
    state = { ...state, folders: state.folders.map((f) => (f.id === status.id ? status : f)) };
    emit({ type: 'folder', status });
  };

  const running = new Map<string, number>();
  function runIndexing(id: string, fromScratch: boolean) {
    window.clearInterval(running.get(id));
    const current = state.folders.find((f) => f.id === id);
    if (!current) return;
    let status: FolderStatus = fromScratch
      ? { ...current, state: 'scanning', filesSeen: 0, indexed: 0, skipped: 0, bytes: 0, message: null }
      : current;
    const total = current.filesSeen || between(800, 3000);
    setFolder(status);
    const timer = window.setInterval(() => {
      const latest = state.folders.find((f) => f.id === id);
      if (!latest) return window.clearInterval(timer);
      if (status.state === 'scanning') {
        const filesSeen = Math.min(total, status.filesSeen + between(150, 400));
        status = { ...status, filesSeen, skipped: status.skipped + between(0, 12) };
        if (filesSeen >= total) status = { ...status, state: 'indexing' };
      } else if (status.state === 'indexing') {
        const indexed = Math.min(status.filesSeen, status.indexed + between(20, 70));
        status = { ...status, indexed, bytes: status.bytes + between(20_000, 400_000) };
        if (indexed >= status.filesSeen - 5) {
          status = { ...status, state: 'watching', lastIndexedAt: new Date().toISOString() };
          window.clearInterval(timer);
          running.delete(id);
          log({
            ...makeEntry(Date.now()),
            kind: 'system',
            client: null,
            login: null,
            method: 'system',
            tool: null,
            summary: `Folder ${status.name} indexed: ${status.indexed.toLocaleString('en-US')} files`,
            outcome: { ok: true },
            latencyMs: null,
          });
        }
      }
      setFolder(status);
    }, 400);
    running.set(id, timer);
  }

  if (!fresh) runIndexing('fold-projects', false);

  const rate = Number(params.get('rate')) || 0;
  if (live && !empty) {
    const tick = () => {
      log(makeEntry(Date.now(), state.paused));
      window.setTimeout(tick, rate > 0 ? rate : between(700, 2600));
    };
    window.setTimeout(tick, 1500);
  }

  const api: ControlApi = {
    async getState() {
      await delay(120);
      return state;
    },
    async listActivity(options) {
      await delay(300);
      const limit = options?.limit ?? 1000;
      return activity.slice(-limit);
    },
    async addFolder(path) {
      await delay(350);
      const trimmed = path.trim();
      if (!/^(\/|[A-Za-z]:\\|~)/.test(trimmed))
        throw new Error(`Use a full path, starting with / (got “${trimmed}”).`);
      if (/nope|missing/.test(trimmed)) throw new Error(`This folder does not exist: ${trimmed}`);
      if (state.folders.some((f) => f.path === trimmed)) throw new Error(`${trimmed} is already shared.`);
      const name = trimmed.split(/[\\/]/).filter(Boolean).pop() ?? trimmed;
      const status = folder({ id: `fold-${Date.now()}`, path: trimmed, name, state: 'scanning' });
      update((s) => ({ ...s, folders: [...s.folders, status] }));
      window.setTimeout(() => runIndexing(status.id, true), 50);
      return status;
    },
    async removeFolder(folderId) {
      await delay(250);
      window.clearInterval(running.get(folderId));
      update((s) => ({ ...s, folders: s.folders.filter((f) => f.id !== folderId) }));
    },
    async reindexFolder(folderId) {
      await delay(200);
      const target = state.folders.find((f) => f.id === folderId);
      if (!target) throw new Error('That folder is no longer shared.');
      if (target.id === 'fold-archive')
        throw new Error('This folder can no longer be read: /Volumes/Backup/Archive is missing.');
      runIndexing(folderId, true);
    },
    async setPaused(paused) {
      await delay(200);
      update((s) => ({ ...s, paused }));
    },
    async setAutoUpdate(autoUpdate) {
      await delay(150);
      update((s) => ({ ...s, autoUpdate }));
    },
    async beginOwnerSignIn() {
      await delay(300);
      if (!state.auth.github.configured) throw new Error('Set up the GitHub OAuth App first.');
      update((s) => ({ ...s, auth: { ...s.auth, signIn: { state: 'waiting', message: null } } }));
      window.setTimeout(() => {
        update((s) => ({
          ...s,
          auth: {
            ...s.auth,
            mode: 'oauth',
            owner: { id: 583231, login: 'octocat', name: 'Mona Octocat', avatarUrl: AVATAR },
            signIn: { state: 'idle', message: null },
          },
        }));
      }, 2500);
      return { url: 'about:blank' };
    },
    async setGitHubApp(app) {
      await delay(400);
      if (!/^(Iv1\.|Iv23|Ov23)[A-Za-z0-9]{8,}$|^[0-9a-f]{20}$/.test(app.clientId))
        throw new Error(
          `“${app.clientId}” does not look like a GitHub client ID (they start with Ov23 or Iv1.).`,
        );
      if (app.clientSecret.length < 20)
        throw new Error('That client secret is too short: copy the whole 40-character secret.');
      const webUrl = app.webUrl ?? 'https://github.com';
      update((s) => ({
        ...s,
        auth: {
          ...s.auth,
          github: {
            ...s.auth.github,
            configured: true,
            clientId: app.clientId,
            webUrl,
            apiUrl: app.apiUrl ?? 'https://api.github.com',
            setup: { ...s.auth.github.setup, newAppUrl: `${webUrl}/settings/applications/new` },
          },
        },
      }));
    },
    async setTunnel(tunnel) {
      await delay(300);
      const mode: TunnelMode = tunnel.mode;
      if (mode === 'named' && !tunnel.hostname) throw new Error('A named tunnel needs its hostname.');
      const url = mode === 'named' ? `https://${tunnel.hostname}` : mode === 'quick' ? quickUrl() : null;
      update((s) => ({
        ...s,
        tunnel: {
          mode,
          state: mode === 'off' ? 'off' : 'starting',
          publicUrl: null,
          hostname: tunnel.hostname ?? null,
          message: null,
        },
        publicBaseUrl: mode === 'off' ? localUrl : s.publicBaseUrl,
        mcpUrl: mode === 'off' ? `${localUrl}/mcp` : s.mcpUrl,
      }));
      if (url) {
        window.setTimeout(() => {
          update((s) => ({
            ...s,
            tunnel: { ...s.tunnel, state: 'connected', publicUrl: url },
            publicBaseUrl: url,
            mcpUrl: `${url}/mcp`,
          }));
        }, 1500);
      }
    },
    async listClients() {
      await delay(250);
      return clients;
    },
    async revokeClient(clientId) {
      await delay(300);
      clients = clients.filter((c) => c.clientId !== clientId);
    },
  };

  let launchAtLogin = true;
  const desktop: DesktopApi | null = flag('desktop')
    ? {
        async chooseFolder() {
          await delay(500);
          return '/Users/mona/Desktop/Receipts';
        },
        async getLaunchAtLogin() {
          await delay(100);
          return launchAtLogin;
        },
        async setLaunchAtLogin(enabled) {
          await delay(150);
          launchAtLogin = enabled;
        },
        async openExternal(url) {
          console.info('[mock] openExternal', url);
        },
      }
    : null;

  const bridge: PortholeBridge = {
    ...api,
    subscribe(listener) {
      listeners.add(listener);
      // Like the headless event stream: a snapshot first.
      window.setTimeout(() => listener({ type: 'state', state }), 60);
      return () => {
        listeners.delete(listener);
      };
    },
    desktop,
  };

  const connection = createConnectionMonitor(
    flag('unauthorized') ? 'unauthorized' : flag('offline') ? 'reconnecting' : 'open',
    () => connection.set('open'),
  );
  return { bridge, connection, mode: 'mock' };
}
