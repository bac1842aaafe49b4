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
import { GITHUB_COM } from '../../server/api.ts';
import { sampleConnectorState } from '../../server/api-fixtures.ts';
import type { BridgeHandle } from '../src/bridge.ts';
import { createConnectionMonitor } from '../src/lib/connection.ts';
import {
  AVATAR,
  between,
  CLIENTS,
  delay,
  folder,
  initialFolders,
  makeEntry,
  makeHistory,
  quickUrl,
} from './mock-data.ts';

export function createMockBridge(params: URLSearchParams): BridgeHandle {
  const fresh = params.get('mock') === 'setup';
  const flag = (name: string, fallback = false) => {
    const value = params.get(name);
    return value === null ? fallback : value !== '0' && value !== 'false';
  };
  const empty = flag('empty', fresh);
  const live = flag('live', true);
  const named = !flag('quick', true);
  // ?tunnel=ngrok: a free ngrok static domain; ?changed=1: the URL differs from the last run's.
  const ngrok = params.get('tunnel') === 'ngrok';
  const port = 4747;
  const localUrl = `http://127.0.0.1:${port}`;
  const publicUrl = ngrok
    ? 'https://mona-porthole.ngrok-free.app'
    : named
      ? 'https://porthole.mona.dev'
      : 'https://calm-river-sky-42.trycloudflare.com';

  let state: ConnectorState = sampleConnectorState({
    server: { port, localUrl },
    publicBaseUrl: fresh ? localUrl : publicUrl,
    mcpUrl: fresh ? `${localUrl}/mcp` : `${publicUrl}/mcp`,
    paused: flag('paused'),
    auth: {
      mode: fresh ? 'loopback-only' : 'oauth',
      owner: fresh ? null : { id: 583231, login: 'octocat', name: 'Mona Octocat', avatarUrl: AVATAR },
      github: {
        configured: !fresh,
        clientId: fresh ? null : 'Ov23liA7yXq2cV9bKm4P',
        setup: { applicationName: 'Porthole (mona-macbook)', homepageUrl: localUrl },
      },
    },
    // A fresh install answers this computer only: no tunnel runs before GitHub sign-in is set up.
    tunnel: {
      mode: ngrok ? 'ngrok' : named ? 'named' : 'quick',
      state: fresh ? 'off' : 'connected',
      publicUrl: fresh ? null : publicUrl,
      hostname: named ? 'porthole.mona.dev' : null,
      ngrokDomain: ngrok ? 'mona-porthole.ngrok-free.app' : null,
      stable: ngrok || named,
      previousUrl: flag('changed') ? 'https://old-moss-lake-17.trycloudflare.com' : null,
    },
    folders: fresh ? [] : initialFolders(),
    dataDir: '/Users/mona/Library/Application Support/Porthole',
  });
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
      const limit = options?.limit ?? 10_000;
      return activity.slice(-limit);
    },
    async exportActivity() {
      await delay(400);
      // The "files" of the mock: everything it ever logged, oldest first.
      return activity.map((entry) => `${JSON.stringify(entry)}\n`).join('');
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
    async setTokenLifetimes(tokenLifetimes) {
      await delay(200);
      if (tokenLifetimes.refreshTokenSeconds < tokenLifetimes.accessTokenSeconds)
        throw new Error(
          'Invalid settings: tokenLifetimes.refreshTokenSeconds: must be at least the access token lifetime',
        );
      update((s) => ({ ...s, auth: { ...s.auth, tokenLifetimes: { ...tokenLifetimes } } }));
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
      const webUrl = app.webUrl ?? GITHUB_COM.webUrl;
      update((s) => ({
        ...s,
        auth: {
          ...s.auth,
          github: {
            ...s.auth.github,
            configured: true,
            clientId: app.clientId,
            webUrl,
            apiUrl: app.apiUrl ?? GITHUB_COM.apiUrl,
            setup: { ...s.auth.github.setup, newAppUrl: `${webUrl}/settings/applications/new` },
          },
        },
      }));
    },
    async beginGitHubAppSetup() {
      await delay(200);
      const oneClick = (state: 'waiting' | 'idle') => ({ state, message: null });
      update((s) => ({
        ...s,
        auth: { ...s.auth, github: { ...s.auth.github, oneClick: oneClick('waiting') } },
      }));
      // The person creates the app on GitHub and comes back: the app is set up, nothing pasted.
      window.setTimeout(() => {
        update((s) => ({
          ...s,
          auth: {
            ...s.auth,
            mode: 'oauth',
            github: {
              ...s.auth.github,
              configured: true,
              kind: 'github-app',
              clientId: 'Iv23liF0a1b2c3d4e5f6',
              appUrl: 'https://github.com/settings/apps/porthole-3f9a2c',
              oneClick: oneClick('idle'),
            },
          },
        }));
      }, 2500);
      return { url: 'about:blank' };
    },
    async setTunnel(tunnel) {
      await delay(300);
      const mode: TunnelMode = tunnel.mode;
      if (mode === 'named' && !tunnel.hostname) throw new Error('A named tunnel needs its hostname.');
      const url =
        mode === 'named'
          ? `https://${tunnel.hostname}`
          : mode === 'ngrok'
            ? `https://${tunnel.ngrokDomain ?? 'mona-porthole.ngrok-free.app'}`
            : mode === 'tailscale'
              ? 'https://mona-macbook.tail1234.ts.net'
              : mode === 'quick'
                ? quickUrl()
                : null;
      update((s) => ({
        ...s,
        tunnel: {
          ...s.tunnel,
          mode,
          state: mode === 'off' ? 'off' : 'starting',
          publicUrl: null,
          hostname: tunnel.hostname ?? null,
          ngrokDomain: tunnel.ngrokDomain ?? s.tunnel.ngrokDomain,
          stable: mode === 'named' || mode === 'ngrok' || mode === 'tailscale',
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
    async revokeAllClients() {
      await delay(300);
      const count = clients.length;
      clients = [];
      return count;
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
