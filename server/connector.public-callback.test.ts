// Connecting from any browser when the public URL is stable. Behind a named tunnel (the fake
// cloudflared) whose hostname is known, the one-click GitHub App registers the public host's
// callback beside the loopback one, and consents send GitHub's answer there: a phone, or any
// computer, can finish. The binding of server/connector.consent-binding.test.ts still holds on
// that path: Mallory, who started a consent and sent its GitHub link to the owner, gets no code.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_CLOUDFLARED,
  fakeTunnelToken,
  readFakeState,
} from '../e2e/fixtures/fake-cloudflared-testing.ts';
import { type FakeGitHub, startFakeGitHub } from '../e2e/fixtures/fake-github.ts';
import { createAppThroughManifest } from '../e2e/fixtures/fake-github-manifest-browser.ts';
import { approveWithRedirects, tunnelFetch } from '../e2e/fixtures/porthole-auth.ts';
import { Browser } from './auth/testing.ts';
import { type Connector, createConnector } from './connector.ts';
import { createPkce, randomState } from './github/pkce.ts';
import { eventually, removeDirs, tempDir } from './library/testing.ts';
import { MemorySecretStore } from './secrets.ts';
import { SettingsFile } from './settings.ts';
import { TUNNEL_TOKEN_NAME } from './tunnel/slot.ts';

const HOST = 'files.example.com';
const PUBLIC = `https://${HOST}`;
const CLIENT_CALLBACK = 'https://client.example/cb';
const fakeDir = mkdtempSync(path.join(tmpdir(), 'porthole-named-fake-'));
let github: FakeGitHub;
let connector: Connector;
let dataDir: string;
let via: typeof fetch;
const lines: string[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  github = await startFakeGitHub({ autoLoginUser: 'octocat' });
  dataDir = await tempDir('porthole-public-callback-');
  const port = await freePort();
  SettingsFile.open(dataDir, { log: () => {} }).update((s) => {
    s.port = port;
    s.tunnel.mode = 'named';
    s.tunnel.hostname = HOST;
  });
  const secrets = new MemorySecretStore();
  await secrets.set(TUNNEL_TOKEN_NAME, fakeTunnelToken());
  connector = createConnector({
    dataDir,
    watch: false,
    log: (line) => lines.push(line),
    secrets,
    env: {
      ...process.env,
      CLOUDFLARED_BIN: FAKE_CLOUDFLARED,
      FAKE_CLOUDFLARED_STATE_DIR: fakeDir,
      FAKE_CLOUDFLARED_TARGET: `http://127.0.0.1:${port}`,
      FAKE_CLOUDFLARED_HOSTNAME: HOST,
    },
  });
  await connector.start();
  // The one-click setup, before the tunnel may run: the named hostname is known from settings.
  const { url } = await connector.control.beginGitHubAppSetup({ webUrl: github.url, apiUrl: github.apiUrl });
  const run = await createAppThroughManifest(new Browser('https://never.example/'), url);
  expect(run.manifest.callback_urls).toEqual([
    `http://127.0.0.1:${port}/oauth/github/callback`,
    `${PUBLIC}/oauth/github/callback`,
  ]);
  const signIn = await connector.control.beginOwnerSignIn();
  await fetch(signIn.url);
  await eventually(() => connector.state().tunnel.state === 'connected', 20_000);
  const [file] = readdirSync(fakeDir).filter((f) => f.endsWith('.json'));
  via = tunnelFetch(PUBLIC, readFakeState(fakeDir, Number(file!.replace('.json', '')))!.port);
}, 60_000);

afterAll(async () => {
  await connector?.stop();
  await github?.close();
  await removeDirs(dataDir);
  rmSync(fakeDir, { recursive: true, force: true });
});

async function registerClient(): Promise<string> {
  const res = await via(`${PUBLIC}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'A client',
      redirect_uris: [CLIENT_CALLBACK],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { client_id: string }).client_id;
}

function authorizeUrl(clientId: string): string {
  const url = new URL(`${PUBLIC}/authorize`);
  for (const [k, v] of Object.entries({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: CLIENT_CALLBACK,
    scope: 'mcp',
    state: randomState(),
    code_challenge: createPkce().challenge,
    code_challenge_method: 'S256',
    resource: `${PUBLIC}/mcp`,
  }))
    url.searchParams.set(k, v);
  return url.toString();
}

/** A browser through the tunnel: the consent page, Continue; returns where it was sent (GitHub). */
async function startConsent(browser: Browser, clientId: string) {
  const consent = await browser.go(authorizeUrl(clientId));
  expect(consent.status).toBe(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '';
  const res = await via(consent.url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: browser.cookieHeader(consent.url),
    },
    body: new URLSearchParams({ csrf, action: 'continue' }).toString(),
  });
  expect(res.status).toBe(303);
  return { consentUrl: consent.url, consentBody: consent.body, githubUrl: res.headers.get('location') ?? '' };
}

describe('a stable public URL: GitHub returns to the public host', () => {
  it('sends GitHub back to the public host, and any browser finishes its own consent', async () => {
    const clientId = await registerClient();
    const { consentBody, githubUrl } = await startConsent(new Browser(CLIENT_CALLBACK, via), clientId);
    expect(consentBody).not.toContain('this-computer-only');
    expect(new URL(githubUrl).searchParams.get('redirect_uri')).toBe(`${PUBLIC}/oauth/github/callback`);
    // The whole way in one browser that never touches 127.0.0.1 of Porthole: a code for the client.
    const back = await approveWithRedirects(CLIENT_CALLBACK, via)(new URL(authorizeUrl(clientId)));
    expect(new URL(back).searchParams.get('code')).toBeTruthy();
    await connector.control.revokeClient(clientId);
  });

  it("refuses Mallory a code after the owner's browser completed GitHub on her link, on the public callback", async () => {
    const clientId = await registerClient();
    const mallory = new Browser(CLIENT_CALLBACK, via);
    const { consentUrl, githubUrl } = await startConsent(mallory, clientId);
    const owner = new Browser(CLIENT_CALLBACK, via);
    const landing = await owner.go(githubUrl);
    // GitHub sent the owner's browser to the public callback, then to finish, where it has no
    // interaction cookie: nothing is granted.
    expect(landing.url.startsWith(CLIENT_CALLBACK)).toBe(false);
    expect(landing.url.startsWith(`${PUBLIC}/consent/`)).toBe(true);
    expect(landing.status).toBeGreaterThanOrEqual(400);
    for (const finish of [`${consentUrl}/finish`, `${consentUrl}/finish?ticket=forged`]) {
      const end = await mallory.go(finish);
      expect(end.url.startsWith(CLIENT_CALLBACK)).toBe(false);
      expect(end.status).toBe(403);
    }
    expect(lines.some((l) => l.includes('finish refused'))).toBe(true);
    expect(await connector.control.listClients()).toEqual([]);
  });
});
