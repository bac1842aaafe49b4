// The whole authorization flow over real HTTP on loopback: DCR, PKCE, resource, the
// consent page, the (fake) GitHub sign-in, the owner check, tokens, /mcp behind the
// bearer check, refresh rotation and reuse detection.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import type Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from '../../e2e/fixtures/fake-github.ts';
import { GitHubClient } from '../github/client.ts';
import { createPkce, randomState } from '../github/pkce.ts';
import { MemorySecretStore } from '../secrets.ts';
import { createBearerAuth } from './bearer.ts';
import { createGitHubStep } from './github-step.ts';
import { type AuthEvent, mountInteractions } from './interactions.ts';
import { loadOrCreateKeys, publicJwks } from './keys.ts';
import { createProvider, PROVIDER_PATHS } from './provider.ts';
import {
  createSqliteAdapterFactory,
  REFRESH_TOKEN_REUSE_GRACE_S,
  type SqliteAdapterFactory,
} from './sqlite-adapter.ts';
import { Browser } from './testing.ts';

const CALLBACK = 'http://127.0.0.1:9/callback';
let github: FakeGitHub;
let server: Server;
let base: string;
let provider: Provider;
let adapter: SqliteAdapterFactory;
let dir: string;
const events: AuthEvent[] = [];

beforeAll(async () => {
  github = await startFakeGitHub({ autoLoginUser: 'octocat' });
  dir = mkdtempSync(path.join(tmpdir(), 'porthole-flow-'));
  adapter = createSqliteAdapterFactory(path.join(dir, 'auth.sqlite'), { purgeIntervalMs: 0 });
  const keys = await loadOrCreateKeys(new MemorySecretStore());
  const app = express();
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  provider = createProvider({ issuer: base, resourceUrl: `${base}/mcp`, adapter, keys });
  const client = new GitHubClient({
    webUrl: github.url,
    apiUrl: github.apiUrl,
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
  });
  const step = createGitHubStep({
    github: () => client,
    callbackUrl: () => `${base}/oauth/github/callback`,
    expiredPage: (res) => res.status(400).send('expired'),
  });
  step.mount(app);
  mountInteractions(app, {
    provider: () => provider,
    resourceUrls: () => [`${base}/mcp`, `${base}/sse`],
    githubStep: () => step,
    owner: () => ({ id: 1, login: 'octocat' }),
    folders: () => ['/home/octocat/Notes'],
    onEvent: (e) => events.push(e),
  });
  app.post(
    '/mcp',
    createBearerAuth({
      resourceUrl: () => `${base}/mcp`,
      issuer: () => base,
      jwks: () => publicJwks(keys.jwks),
      ownerId: () => 1,
      requiredScope: 'mcp',
      isGrantRevoked: async (token) => !token.grantId || !(await provider.Grant.find(token.grantId)),
    }),
    (_req, res) => {
      res.json({ ok: true, principal: res.locals.principal });
    },
  );
  const callback = provider.callback();
  app.use((req, res, next) =>
    PROVIDER_PATHS.some((p) => req.path.startsWith(p)) ? callback(req, res) : next(),
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await github.close();
  adapter.close();
  rmSync(dir, { recursive: true, force: true });
});

async function register(): Promise<string> {
  const res = await fetch(`${base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'ChatGPT-like',
      redirect_uris: [CALLBACK],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { client_id: string }).client_id;
}

async function authorize(clientId: string, pkce = createPkce()) {
  const state = randomState();
  const browser = new Browser(CALLBACK);
  const url = new URL(`${base}/authorize`);
  for (const [k, v] of Object.entries({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'mcp',
    state,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    resource: `${base}/mcp`,
  }))
    url.searchParams.set(k, v);
  const consent = await browser.go(url.toString());
  expect(consent.status).toBe(200);
  expect(consent.body).toContain('ChatGPT-like');
  // Before GitHub says who the visitor is: the folder's name, never its path or the owner.
  expect(consent.body).toContain('Notes');
  expect(consent.body).not.toContain('/home/octocat');
  expect(consent.body).not.toContain('@octocat');
  const csrf = /name="csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '';
  const done = await browser.go(consent.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, action: 'continue' }).toString(),
  });
  return { done, browser, state, pkce };
}

async function token(params: Record<string, string>) {
  const res = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

/** The token request a client makes after the redirect: code, PKCE verifier, resource. */
const exchangeCode = (clientId: string, code: string, verifier: string) =>
  token({
    grant_type: 'authorization_code',
    code,
    redirect_uri: CALLBACK,
    client_id: clientId,
    code_verifier: verifier,
    resource: `${base}/mcp`,
  });

const callMcp = (accessToken: string) =>
  fetch(`${base}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } }).then(
    (r) => r.status,
  );

describe('authorization flow', () => {
  it('lets the owner in: consent, GitHub as octocat, code with iss, tokens for /mcp', async () => {
    const clientId = await register();
    const { done, state, pkce } = await authorize(clientId);
    const callback = new URL(done.url);
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('iss')).toBe(base);
    const code = callback.searchParams.get('code') ?? '';
    const tokens = await exchangeCode(clientId, code, pkce.verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.json.refresh_token).toBeTruthy();
    const payload = JSON.parse(
      Buffer.from((tokens.json.access_token ?? '').split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(payload).toMatchObject({ aud: `${base}/mcp`, sub: '1', iss: base, scope: 'mcp' });
    expect(await callMcp(tokens.json.access_token ?? '')).toBe(200);
    expect(events.some((e) => e.type === 'consent' && e.login === 'octocat')).toBe(true);
    // The GitHub token was revoked right after reading /user.
    expect(github.revokedTokens().length).toBe(github.issuedTokens().length);
    // A reused code is refused.
    const again = await exchangeCode(clientId, code, pkce.verifier);
    expect(again.json.error).toBe('invalid_grant');
  });

  it('refuses mallory: a clear page, access_denied for the client, no token', async () => {
    github.setAutoLoginUser('mallory');
    try {
      const clientId = await register();
      const { done, browser } = await authorize(clientId);
      expect(done.status).toBe(403);
      expect(done.body).toContain('This Porthole belongs to @octocat; you signed in as @mallory.');
      const back = /href="([^"]+)"/.exec(done.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
      const end = await browser.go(back);
      expect(new URL(end.url).searchParams.get('error')).toBe('access_denied');
      expect(events.some((e) => e.type === 'denied' && e.login === 'mallory')).toBe(true);
    } finally {
      github.setAutoLoginUser('octocat');
    }
  });

  it('refuses a consent form posted without its CSRF token', async () => {
    const clientId = await register();
    const browser = new Browser(CALLBACK);
    const url = `${base}/authorize?client_id=${clientId}&response_type=code&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=mcp&code_challenge=${createPkce().challenge}&code_challenge_method=S256`;
    const consent = await browser.go(url);
    const forged = await browser.go(consent.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: 'forged', action: 'continue' }).toString(),
    });
    expect(forged.status).toBe(403);
    expect(github.issuedTokens().length).toBe(github.revokedTokens().length);
  });

  it('refuses a wrong PKCE verifier', async () => {
    const clientId = await register();
    const { done } = await authorize(clientId);
    const code = new URL(done.url).searchParams.get('code') ?? '';
    const res = await exchangeCode(clientId, code, createPkce().verifier);
    expect(res.json.error).toBe('invalid_grant');
  });

  it('refuses an unregistered redirect URI before any consent', async () => {
    const clientId = await register();
    const url = `${base}/authorize?client_id=${clientId}&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&scope=mcp&code_challenge=${createPkce().challenge}&code_challenge_method=S256`;
    const res = await new Browser(CALLBACK).go(url);
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('Continue with GitHub');
  });

  it('rotates refresh tokens, and a replayed one revokes the grant', async () => {
    const clientId = await register();
    const { done, pkce } = await authorize(clientId);
    const code = new URL(done.url).searchParams.get('code') ?? '';
    const first = await exchangeCode(clientId, code, pkce.verifier);
    const second = await token({
      grant_type: 'refresh_token',
      refresh_token: first.json.refresh_token ?? '',
      client_id: clientId,
      resource: `${base}/mcp`,
    });
    expect(second.status).toBe(200);
    expect(second.json.refresh_token).not.toBe(first.json.refresh_token);
    expect(await callMcp(second.json.access_token ?? '')).toBe(200);
    // A replay, not a parallel refresh: past the grace window for the just-rotated token.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (REFRESH_TOKEN_REUSE_GRACE_S + 1) * 1000);
    try {
      const replay = await token({
        grant_type: 'refresh_token',
        refresh_token: first.json.refresh_token ?? '',
        client_id: clientId,
        resource: `${base}/mcp`,
      });
      expect(replay.json.error).toBe('invalid_grant');
      expect(await callMcp(second.json.access_token ?? '')).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });
});
