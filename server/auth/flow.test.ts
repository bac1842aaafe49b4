import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from '../../e2e/fixtures/fake-github.ts';
import { createPkce, randomState } from '../github/pkce.ts';
import type { AuthEvent } from './interactions.ts';
import { REFRESH_TOKEN_REUSE_GRACE_S } from './sqlite-adapter.ts';
import { Browser, startTestAuthServer, type TestAuthServer } from './testing.ts';

const CALLBACK = 'http://127.0.0.1:9/callback';
let github: FakeGitHub;
let auth: TestAuthServer;
let base: string;
const events: AuthEvent[] = [];

beforeAll(async () => {
  github = await startFakeGitHub({ autoLoginUser: 'octocat' });
  auth = await startTestAuthServer({
    github: { webUrl: github.url, apiUrl: github.apiUrl, ...DEFAULT_CLIENT },
    onEvent: (e) => events.push(e),
  });
  ({ base } = auth);
});

afterAll(async () => {
  await auth?.close();
  await github?.close();
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
