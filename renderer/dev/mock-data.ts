// The mock connector's data: seeded, so every run (and every screenshot) sees the same
// clients, queries, documents, folders and activity history.
import {
  type ActivityEntry,
  type ConnectedClient,
  type FolderStatus,
  initialFolderStatus,
} from '../../server/api.ts';

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
export const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
export const between = (min: number, max: number) => Math.round(min + random() * (max - min));
export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const AVATAR = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#6e40c9"/><circle cx="32" cy="26" r="12" fill="#f0e7ff"/><path d="M12 58c2-12 10-18 20-18s18 6 20 18z" fill="#f0e7ff"/></svg>',
)}`;

export const CLIENTS: ConnectedClient[] = [
  {
    clientId: 'https://chatgpt.com/.well-known/oauth-client-metadata.json',
    name: 'ChatGPT',
    host: 'chatgpt.com',
    redirectHost: 'chatgpt.com',
    createdAt: new Date(Date.now() - 12 * 86400_000).toISOString(),
    lastUsedAt: new Date(Date.now() - 40_000).toISOString(),
    lastCodeExchangeAt: new Date(Date.now() - 12 * 86400_000).toISOString(),
    lastRefreshAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
    accessExpiresAt: new Date(Date.now() + 7 * 86400_000 - 2 * 3600_000).toISOString(),
  },
  {
    clientId: 'https://claude.ai/oauth/mcp-client-metadata',
    name: 'Claude',
    host: 'claude.ai',
    redirectHost: 'claude.ai',
    createdAt: new Date(Date.now() - 3 * 86400_000).toISOString(),
    lastUsedAt: new Date(Date.now() - 5 * 3600_000).toISOString(),
    // Claude's connectors never refresh: the access token's own lifetime is all it gets.
    lastCodeExchangeAt: new Date(Date.now() - 3 * 86400_000).toISOString(),
    lastRefreshAt: null,
    accessExpiresAt: new Date(Date.now() + 4 * 86400_000).toISOString(),
  },
  {
    clientId: 'dcr_7Hq2mXb9cV4kLp0sNw3eRt6y',
    name: 'Visual Studio Code',
    host: '127.0.0.1',
    redirectHost: '127.0.0.1',
    createdAt: new Date(Date.now() - 26 * 86400_000).toISOString(),
    lastUsedAt: new Date(Date.now() - 9 * 86400_000).toISOString(),
    lastCodeExchangeAt: new Date(Date.now() - 26 * 86400_000).toISOString(),
    lastRefreshAt: new Date(Date.now() - 9 * 86400_000).toISOString(),
    accessExpiresAt: new Date(Date.now() - 2 * 86400_000).toISOString(),
  },
  {
    clientId: 'dcr_Zx81LmQa0PfE5uTj2vGc7bNh',
    name: null,
    host: 'localhost',
    redirectHost: 'localhost',
    createdAt: new Date(Date.now() - 40 * 86400_000).toISOString(),
    lastUsedAt: null,
    lastCodeExchangeAt: null,
    lastRefreshAt: null,
    accessExpiresAt: null,
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

export function makeEntry(time: number, paused = false): ActivityEntry {
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

export function makeHistory(count: number): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  let time = Date.now() - count * 26_000;
  for (let i = 0; i < count; i++) {
    time += between(500, 50_000);
    entries.push(makeEntry(Math.min(time, Date.now() - 1000)));
  }
  return entries;
}

export function folder(
  partial: Partial<FolderStatus> & Pick<FolderStatus, 'id' | 'path' | 'name'>,
): FolderStatus {
  return { ...initialFolderStatus(partial), state: 'watching', ...partial };
}

export function initialFolders(): FolderStatus[] {
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

export function quickUrl(): string {
  const words = ['calm', 'river', 'sky', 'amber', 'delta', 'forest', 'orbit', 'meadow', 'harbor', 'violet'];
  return `https://${pick(words)}-${pick(words)}-${pick(words)}-${between(10, 99)}.trycloudflare.com`;
}
