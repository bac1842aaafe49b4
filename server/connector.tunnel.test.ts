import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChatGptLike } from '../e2e/fixtures/chatgpt-like.ts';
import { FAKE_CLOUDFLARED, readFakeState } from '../e2e/fixtures/fake-cloudflared-testing.ts';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from '../e2e/fixtures/fake-github.ts';
import { FakeNgrok } from '../e2e/fixtures/fake-ngrok.ts';
import {
  approveWithRedirects,
  type PortholeWithAuth,
  startPortholeWithAuth,
  tunnelFetch,
} from '../e2e/fixtures/porthole-auth.ts';
import { type Connector, createConnector } from './connector.ts';
import { eventually, removeDirs, tempDir, writeTree } from './library/testing.ts';
import { rawRequest } from './mcp/testing.ts';
import { MemorySecretStore } from './secrets.ts';
import { SettingsFile } from './settings.ts';

// The connector behind a quick tunnel (the fake cloudflared): the public URL becomes the
// issuer and the resource; when Cloudflare hands out a new URL, both follow, the person is
// told to update ChatGPT, and tokens for the old URL stop working.

let porthole: PortholeWithAuth;
const fakeDir = mkdtempSync(path.join(tmpdir(), 'porthole-tunnel-fake-'));

beforeAll(async () => {
  porthole = await startPortholeWithAuth({
    connector: {
      tunnel: 'quick',
      env: { ...process.env, CLOUDFLARED_BIN: FAKE_CLOUDFLARED, FAKE_CLOUDFLARED_STATE_DIR: fakeDir },
    },
  });
  await eventually(() => porthole.connector.state().tunnel.state === 'connected', 15_000);
}, 30_000);

afterAll(async () => {
  await porthole?.close();
  rmSync(fakeDir, { recursive: true, force: true });
});

function fake() {
  const [file] = readdirSync(fakeDir).filter((f) => f.endsWith('.json'));
  return readFakeState(fakeDir, Number(file!.replace('.json', '')))!;
}

describe('the connector behind a quick tunnel', () => {
  it('uses the public URL as issuer and resource, and lets a client in through it', async () => {
    const state = porthole.connector.state();
    const publicUrl = state.tunnel.publicUrl!;
    expect(state.publicBaseUrl).toBe(publicUrl);
    expect(state.mcpUrl).toBe(`${publicUrl}/mcp`);
    const via = tunnelFetch(publicUrl, fake().port);
    const meta = (await (await via(`${publicUrl}/.well-known/oauth-authorization-server`)).json()) as {
      issuer: string;
    };
    expect(meta.issuer).toBe(publicUrl);
    const activity = await porthole.connector.control.listActivity();
    expect(
      activity.some((e) => e.method === 'tunnel-url-changed' && e.summary.includes(`${publicUrl}/mcp`)),
    ).toBe(true);
  });

  it('follows a new URL: ChatGPT is told to update, and tokens for the old URL are refused', async () => {
    const oldUrl = porthole.connector.state().tunnel.publicUrl!;
    const oldFake = fake();
    const redirect = 'http://127.0.0.1:9/tunnel';
    const via = tunnelFetch(oldUrl, oldFake.port);
    const client = await connectChatGptLike({
      mcpUrl: `${oldUrl}/mcp`,
      mode: 'dcr',
      dcrRedirectUrl: redirect,
      browser: approveWithRedirects(redirect, via),
      fetch: via,
    });
    const token = client.provider.memory.tokens!.access_token;
    process.kill(oldFake.pid, 'SIGUSR1'); // Cloudflare re-creates the quick tunnel under a new name
    await eventually(() => {
      const t = porthole.connector.state().tunnel;
      return t.state === 'connected' && t.publicUrl !== oldUrl;
    }, 15_000);
    const newUrl = porthole.connector.state().tunnel.publicUrl!;
    const activity = await porthole.connector.control.listActivity();
    expect(
      activity.some(
        (e) =>
          e.method === 'tunnel-url-changed' &&
          e.summary.includes(`update the connector URL in ChatGPT to ${newUrl}/mcp`),
      ),
    ).toBe(true);
    const newVia = tunnelFetch(newUrl, fake().port);
    const res = await newVia(`${newUrl}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    // The old host is no longer an allowed Host header on the public listener.
    const direct = await rawRequest(porthole.port, {
      path: '/healthz',
      headers: { host: new URL(oldUrl).host },
    });
    expect(direct.status).toBe(403);
    const current = await rawRequest(porthole.port, {
      path: '/healthz',
      headers: { host: new URL(newUrl).host },
    });
    expect(current.status).toBe(200);
  });
});

describe('a stable URL (ngrok) across restarts', () => {
  const TOKEN = '2abcDEFghiJKLmnoPQRstu_3vwxYZ0123456789';
  const FIRST = 'porthole-stable.ngrok-free.app';
  const SECOND = 'porthole-other.ngrok-free.app';
  const ngrok = new FakeNgrok([
    { authtoken: TOKEN, domains: [FIRST, SECOND], devDomain: 'dev.ngrok-free.dev' },
  ]);
  const secrets = new MemorySecretStore();
  let github: FakeGitHub;
  let dataDir: string;
  let folder: string;
  let connector: Connector | null = null;

  const start = async () => {
    connector = createConnector({
      dataDir,
      port: 0,
      watch: false,
      secrets,
      githubClientSecret: DEFAULT_CLIENT.clientSecret,
      ngrok: ngrok.sdk,
      log: () => {},
    });
    await connector.start();
    return connector;
  };
  const connectedUrl = async (c: Connector, not?: string) => {
    await eventually(() => {
      const t = c.state().tunnel;
      return t.state === 'connected' && t.publicUrl !== not;
    }, 15_000);
    return c.state().tunnel.publicUrl!;
  };
  const via = (url: string) => tunnelFetch(url, ngrok.edgePort(url));

  beforeAll(async () => {
    github = await startFakeGitHub({ autoLoginUser: 'octocat' });
    dataDir = await tempDir('porthole-stable-');
    folder = await tempDir('porthole-stable-folder-');
    await writeTree(folder, { 'notes.md': '# Notes\n\nThe stable URL keeps its tokens.' });
    SettingsFile.open(dataDir, { log: () => {} }).update((s) => {
      s.owner = { id: 1, login: 'octocat', name: null, avatarUrl: null };
      s.github = { webUrl: github.url, apiUrl: github.apiUrl, clientId: DEFAULT_CLIENT.clientId };
    });
  });

  afterAll(async () => {
    await connector?.stop();
    await ngrok.close();
    await github.close();
    await removeDirs(dataDir, folder);
  });

  it("keeps the URL and the client's tokens through a restart; a new URL refuses the old tokens", {
    timeout: 90_000,
  }, async () => {
    const first = await start();
    await first.control.addFolder(folder);
    await first.control.setTunnel({ mode: 'ngrok', ngrokAuthtoken: TOKEN, ngrokDomain: FIRST });
    const url = await connectedUrl(first);
    expect(url).toBe(`https://${FIRST}`);
    expect(first.state().tunnel).toMatchObject({ stable: true, previousUrl: null });
    const redirect = 'http://127.0.0.1:9/stable';
    const client = await connectChatGptLike({
      mcpUrl: `${url}/mcp`,
      mode: 'dcr',
      dcrRedirectUrl: redirect,
      browser: approveWithRedirects(redirect, via(url)),
      fetch: via(url),
    });
    await client.close();
    const clientId = (client.provider.memory.client as { client_id: string }).client_id;
    const refreshToken = client.provider.memory.tokens!.refresh_token!;
    await first.stop();

    // The next login: same data folder, a new local port, the same ngrok domain.
    const second = await start();
    expect(await connectedUrl(second)).toBe(url);
    expect(second.state().tunnel.previousUrl).toBeNull();
    const refreshed = await via(url)(`${url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
      }),
    });
    expect(refreshed.status).toBe(200);
    const { access_token: access } = (await refreshed.json()) as { access_token: string };
    expect((await mcpList(via(url), url, access)).status).toBe(200);

    // Another domain: the person is told, and tokens issued for the old URL no longer work.
    await second.control.setTunnel({ mode: 'ngrok', ngrokDomain: SECOND });
    const next = await connectedUrl(second, url);
    expect(next).toBe(`https://${SECOND}`);
    expect(second.state().tunnel.previousUrl).toBe(url);
    expect((await mcpList(via(next), next, access)).status).toBe(401);
    await second.stop();

    // A run that starts on another URL than the last run's says so from the start.
    SettingsFile.open(dataDir, { log: () => {} }).update((s) => {
      s.tunnel.ngrokDomain = FIRST;
    });
    const third = await start();
    expect(await connectedUrl(third)).toBe(url);
    expect(third.state().tunnel.previousUrl).toBe(next);
  });
});

function mcpList(internet: typeof fetch, base: string, token: string): Promise<Response> {
  return internet(`${base}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
}

describe('the tunnel chosen on the command line (serve --tunnel)', () => {
  it('keeps --ngrok-domain with the ngrok choice for the next start', { timeout: 60_000 }, async () => {
    const p = await startPortholeWithAuth({
      connector: { tunnel: 'ngrok', saveTunnel: true, ngrokDomain: 'porthole-test.ngrok-free.app' },
    });
    try {
      expect(p.connector.settings.get().tunnel).toMatchObject({
        mode: 'ngrok',
        ngrokDomain: 'porthole-test.ngrok-free.app',
      });
      // No authtoken saved or in the environment: nothing is started, and the tunnel says what to do.
      expect(p.connector.state().tunnel).toMatchObject({
        mode: 'ngrok',
        ngrokDomain: 'porthole-test.ngrok-free.app',
        state: 'off',
        message: expect.stringContaining('ngrok needs your authtoken'),
      });
    } finally {
      await p.close();
    }
  });

  it('is saved as the setting, and a later choice in Settings takes over', { timeout: 60_000 }, async () => {
    const p = await startPortholeWithAuth({
      connector: {
        tunnel: 'off',
        saveTunnel: true,
        env: { ...process.env, TAILSCALE_BIN: '/nonexistent/tailscale' },
      },
    });
    try {
      expect(p.connector.state().tunnel.mode).toBe('off');
      expect(p.connector.settings.get().tunnel.mode).toBe('off');
      await p.connector.control.setTunnel({ mode: 'tailscale' });
      await eventually(() => p.connector.state().tunnel.state === 'error');
      expect(p.connector.state().tunnel).toMatchObject({
        mode: 'tailscale',
        message: expect.stringContaining('Tailscale is not installed'),
      });
    } finally {
      await p.close();
    }
  });
});
