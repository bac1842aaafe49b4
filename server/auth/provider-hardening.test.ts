// The authorization server against an attacker and against real clients, over real HTTP on
// loopback, mounted the way the app mounts it (isProviderPath + addressToIssuer): only what
// is served is advertised, no sender-constrained tokens nobody checks, only code-flow clients,
// no logout redirects, scope-less and "everything" scope requests that work, parallel
// refreshes that do not kill the connection, long-lived connections, the issuer's host only,
// and /sse as a resource of its own.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type Provider from 'oidc-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from '../../e2e/fixtures/fake-github.ts';
import type { TokenLifetimes } from '../api.ts';
import { createPkce, randomState } from '../github/pkce.ts';
import { DEFAULT_ACCESS_TOKEN_TTL_S, DEFAULT_REFRESH_TOKEN_TTL_S } from './provider.ts';
import { Browser, startTestAuthServer, type TestAuthServer } from './testing.ts';

const CALLBACK = 'http://127.0.0.1:9/callback';
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
let github: FakeGitHub;
let auth: TestAuthServer;
let base: string;
let provider: Provider;
let lifetimes: TokenLifetimes = {
  accessTokenSeconds: DEFAULT_ACCESS_TOKEN_TTL_S,
  refreshTokenSeconds: DEFAULT_REFRESH_TOKEN_TTL_S,
};

beforeAll(async () => {
  github = await startFakeGitHub({ autoLoginUser: 'octocat' });
  auth = await startTestAuthServer({
    github: { webUrl: github.url, apiUrl: github.apiUrl, ...DEFAULT_CLIENT },
    tokenLifetimes: () => lifetimes,
  });
  ({ base, provider } = auth);
});

afterEach(() => {
  vi.useRealTimers();
  lifetimes = {
    accessTokenSeconds: DEFAULT_ACCESS_TOKEN_TTL_S,
    refreshTokenSeconds: DEFAULT_REFRESH_TOKEN_TTL_S,
  };
});

afterAll(async () => {
  await auth?.close();
  await github?.close();
});

const CODE_CLIENT = {
  client_name: 'ChatGPT-like',
  redirect_uris: [CALLBACK],
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
};

async function registration(metadata: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(metadata),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function register(): Promise<string> {
  const res = await registration(CODE_CLIENT);
  expect(res.status).toBe(201);
  return res.json.client_id as string;
}

interface AuthorizeOptions {
  /** null: no scope parameter at all. */
  scope?: string | null;
  /** null: no resource parameter at all. */
  resource?: string | null;
}

/** The browser part: authorize, consent, back to the client with a code. */
async function authorize(clientId: string, options: AuthorizeOptions = {}) {
  const pkce = createPkce();
  const browser = new Browser(CALLBACK);
  const url = new URL(`${base}/authorize`);
  const params: Record<string, string | null> = {
    client_id: clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: options.scope === undefined ? 'mcp' : options.scope,
    state: randomState(),
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    resource: options.resource === undefined ? `${base}/mcp` : options.resource,
  };
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  const consent = await browser.go(url.toString());
  if (consent.url.startsWith(CALLBACK)) return { callback: new URL(consent.url), pkce };
  expect(consent.status).toBe(200);
  const done = await browser.go(consent.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      csrf: /name="csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '',
      action: 'continue',
    }).toString(),
  });
  expect(done.url.startsWith(CALLBACK), `ended on ${done.url} (${done.status}): ${done.body}`).toBe(true);
  return { callback: new URL(done.url), pkce };
}

async function token(params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

/** A registered client with a fresh token set; `resource` is also sent to /token unless null. */
async function connect(options: AuthorizeOptions = {}, headers: Record<string, string> = {}) {
  const clientId = await register();
  const { callback, pkce } = await authorize(clientId, options);
  const code = callback.searchParams.get('code');
  expect(code, `no code: ${callback}`).toBeTruthy();
  const resource = options.resource === undefined ? `${base}/mcp` : options.resource;
  const tokens = await token(
    {
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: CALLBACK,
      client_id: clientId,
      code_verifier: pkce.verifier,
      ...(resource === null ? {} : { resource }),
    },
    headers,
  );
  expect(tokens.status, JSON.stringify(tokens.json)).toBe(200);
  return { clientId, tokens: tokens.json };
}

const refresh = (clientId: string, refreshToken: string) =>
  token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });

const callMcp = (accessToken: string) =>
  fetch(`${base}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } }).then(
    (r) => r.status,
  );

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

const metadata = async (doc: string, headers: Record<string, string> = {}) =>
  (await (await fetch(`${base}/.well-known/${doc}`, { headers })).json()) as Record<string, unknown>;

const METADATA_DOCS = ['oauth-authorization-server', 'openid-configuration'];

/** Moves Date (only Date: sockets and timers keep real time) to `ms` after now. */
function moveClock(ms: number) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
}

describe('what is advertised is served', () => {
  it.each(METADATA_DOCS)('%s: no DPoP, no PAR, no logout, code only', async (doc) => {
    const meta = await metadata(doc);
    expect(meta).not.toHaveProperty('dpop_signing_alg_values_supported');
    expect(meta).not.toHaveProperty('pushed_authorization_request_endpoint');
    expect(meta).not.toHaveProperty('end_session_endpoint');
    expect(meta.response_types_supported).toEqual(['code']);
  });

  it.each(METADATA_DOCS)('%s: every *_endpoint answers through the mounting', async (doc) => {
    const endpoints = Object.entries(await metadata(doc)).filter(([key]) => key.endsWith('_endpoint'));
    expect(endpoints.length).toBeGreaterThan(3);
    for (const [key, url] of endpoints) {
      expect(String(url).startsWith(`${base}/`), key).toBe(true);
      const statuses = await Promise.all(
        ['GET', 'POST'].map(async (method) => {
          const res = await fetch(String(url), {
            method,
            redirect: 'manual',
            headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
            body: method === 'POST' ? '' : undefined,
          });
          await res.arrayBuffer();
          return res.status;
        }),
      );
      expect(
        statuses.some((s) => s !== 404),
        `${key} ${url} answered ${statuses}`,
      ).toBe(true);
    }
  });
});

describe('no sender-constrained tokens', () => {
  it('ignores a DPoP proof at /token: a Bearer token without cnf', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const proof = await new SignJWT({ htm: 'POST', htu: `${base}/token`, jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(publicKey) })
      .setIssuedAt()
      .sign(privateKey);
    const { tokens } = await connect({}, { dpop: proof });
    expect(tokens.token_type).toBe('Bearer');
    expect(claims(tokens.access_token ?? '')).not.toHaveProperty('cnf');
    expect(await callMcp(tokens.access_token ?? '')).toBe(200);
  });
});

describe('registration: authorization code clients only', () => {
  it.each([
    ['implicit grant', { grant_types: ['implicit'] }],
    ['implicit with refresh', { grant_types: ['implicit', 'refresh_token'] }],
    ['id_token response', { response_types: ['id_token'], grant_types: ['implicit'] }],
    ['hybrid response', { response_types: ['code id_token'] }],
    ['token response', { response_types: ['code token'] }],
    ['no response type', { response_types: [] }],
    ['client credentials', { grant_types: ['client_credentials'] }],
    ['device code', { grant_types: ['urn:ietf:params:oauth:grant-type:device_code'] }],
  ])('refuses %s with invalid_client_metadata', async (_label, bad) => {
    const res = await registration({ ...CODE_CLIENT, ...bad });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_client_metadata');
  });

  it('applies the same rule to Client ID Metadata Documents', async () => {
    // CIMD clients go through the same client schema (and extraClientMetadata) as DCR ones.
    const cimd = {
      client_id: 'https://client.example/oauth/client.json',
      redirect_uris: ['https://client.example/callback'],
      token_endpoint_auth_method: 'none' as const,
    };
    await expect(provider.Client.validate({ ...cimd, response_types: ['code'] })).resolves.toBeUndefined();
    await expect(
      provider.Client.validate({ ...cimd, response_types: ['code id_token'], grant_types: ['implicit'] }),
    ).rejects.toMatchObject({ error: 'invalid_client_metadata' });
    await expect(provider.Client.validate({ ...cimd, grant_types: ['implicit'] })).rejects.toMatchObject({
      error: 'invalid_client_metadata',
    });
  });
});

describe('no logout redirects', () => {
  it('does not send the browser to a registered post_logout_redirect_uri', async () => {
    const evil = 'https://evil.example/bye';
    const res = await registration({ ...CODE_CLIENT, post_logout_redirect_uris: [evil] });
    expect(res.status).toBe(201);
    const clientId = res.json.client_id as string;
    const browser = new Browser(evil);
    const url = `${base}/session/end?client_id=${clientId}&post_logout_redirect_uri=${encodeURIComponent(evil)}`;
    let page = await browser.go(url);
    // Today's provider shows a confirmation form first; submit it the way a browser would.
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(page.body);
    if (form) {
      const fields = new URLSearchParams();
      for (const [, name, value] of (form[2] ?? '').matchAll(/name="([^"]+)" value="([^"]*)"/g))
        fields.set(name ?? '', value ?? '');
      fields.set('logout', 'yes');
      page = await browser.go(new URL(form[1] ?? '', base).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: fields.toString(),
      });
    }
    expect(page.url.startsWith(evil), `ended on ${page.url}`).toBe(false);
    expect(page.status).toBe(404);
  });
});

describe('scopes', () => {
  it('grants mcp to a request without scope (and without resource)', async () => {
    const { tokens } = await connect({ scope: null, resource: null });
    expect(claims(tokens.access_token ?? '')).toMatchObject({ aud: `${base}/mcp`, scope: 'mcp' });
    expect(await callMcp(tokens.access_token ?? '')).toBe(200);
  });

  it('works for a client asking for every scope the server lists', async () => {
    const meta = await metadata('oauth-authorization-server');
    const scope = (meta.scopes_supported as string[]).join(' ');
    expect(scope).toBe('openid offline_access mcp');
    const { clientId, tokens } = await connect({ scope });
    expect(await callMcp(tokens.access_token ?? '')).toBe(200);
    const next = await refresh(clientId, tokens.refresh_token ?? '');
    expect(next.status).toBe(200);
    expect(await callMcp(next.json.access_token ?? '')).toBe(200);
  });
});

describe('refresh token reuse', () => {
  it('answers two parallel refreshes with the same token alike, and keeps the grant', async () => {
    const { clientId, tokens } = await connect();
    const gid = claims(tokens.access_token ?? '').gid as string;
    const both = await Promise.all([
      refresh(clientId, tokens.refresh_token ?? ''),
      refresh(clientId, tokens.refresh_token ?? ''),
    ]);
    for (const res of both) {
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(await callMcp(res.json.access_token ?? '')).toBe(200);
    }
    expect(await provider.Grant.find(gid)).toBeTruthy();
  });

  it('accepts the just-rotated refresh token again within the grace window', async () => {
    const { clientId, tokens } = await connect();
    const first = await refresh(clientId, tokens.refresh_token ?? '');
    const again = await refresh(clientId, tokens.refresh_token ?? '');
    expect(again.status, JSON.stringify(again.json)).toBe(200);
    expect(await callMcp(first.json.access_token ?? '')).toBe(200);
    expect(await callMcp(again.json.access_token ?? '')).toBe(200);
    // Each answer's refresh token works on.
    expect((await refresh(clientId, again.json.refresh_token ?? '')).status).toBe(200);
  });

  it('refuses a reuse after the window and revokes the grant', async () => {
    const { clientId, tokens } = await connect();
    const gid = claims(tokens.access_token ?? '').gid as string;
    const first = await refresh(clientId, tokens.refresh_token ?? '');
    expect(first.status).toBe(200);
    moveClock(60_000);
    const replay = await refresh(clientId, tokens.refresh_token ?? '');
    expect(replay.json.error).toBe('invalid_grant');
    expect(await provider.Grant.find(gid)).toBeUndefined();
    expect(await callMcp(first.json.access_token ?? '')).toBe(401);
  });
});

describe('token lifetimes', () => {
  it('defaults to 7-day access tokens: still accepted 25 hours later without a refresh', async () => {
    const { tokens } = await connect();
    expect(Number(tokens.expires_in)).toBe(DEFAULT_ACCESS_TOKEN_TTL_S);
    moveClock(25 * HOUR_MS);
    expect(await callMcp(tokens.access_token ?? '')).toBe(200);
  });

  it('keeps a client that refreshes connected past the refresh token and grant lifetimes', async () => {
    const { clientId, tokens } = await connect();
    const gid = claims(tokens.access_token ?? '').gid as string;
    let refreshToken = tokens.refresh_token ?? '';
    vi.useFakeTimers({ toFake: ['Date'] });
    for (let round = 1; round <= 3; round++) {
      vi.setSystemTime(Date.now() + 29 * DAY_MS);
      const next = await refresh(clientId, refreshToken);
      expect(next.status, `round ${round}: ${JSON.stringify(next.json)}`).toBe(200);
      expect(await callMcp(next.json.access_token ?? '')).toBe(200);
      refreshToken = next.json.refresh_token ?? '';
    }
    // 87 days after consent.
    expect(await provider.Grant.find(gid)).toBeTruthy();
  });

  it('reads the lifetimes at issuance', async () => {
    const { clientId, tokens } = await connect();
    lifetimes = { accessTokenSeconds: 600, refreshTokenSeconds: 2 * 3600 };
    const next = await refresh(clientId, tokens.refresh_token ?? '');
    expect(Number(next.json.expires_in)).toBe(600);
    expect(claims(next.json.access_token ?? '')).toMatchObject({
      exp: (claims(next.json.access_token ?? '').iat as number) + 600,
    });
    moveClock(3 * 3600_000);
    expect((await refresh(clientId, next.json.refresh_token ?? '')).json.error).toBe('invalid_grant');
  });
});

describe("only the issuer's host", () => {
  const forged = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

  it.each(METADATA_DOCS)('%s ignores X-Forwarded-Host', async (doc) => {
    const meta = await metadata(doc, forged);
    expect(meta.issuer).toBe(base);
    const urls = Object.values(meta).filter((v): v is string => typeof v === 'string' && /^\w+:\/\//.test(v));
    expect(urls.length).toBeGreaterThan(3);
    for (const url of urls) expect(url.startsWith(`${base}/`) || url === base, url).toBe(true);
  });

  it('builds registration_client_uri on the issuer', async () => {
    const res = await registration(CODE_CLIENT, forged);
    expect(res.status).toBe(201);
    expect(String(res.json.registration_client_uri).startsWith(`${base}/register/`)).toBe(true);
  });

  it('ignores the host of an absolute request target', async () => {
    const port = Number(new URL(base).port);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: 'http://evil.example/.well-known/oauth-authorization-server' },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(body).not.toContain('evil.example');
    expect(JSON.parse(body).token_endpoint).toBe(`${base}/token`);
  });
});

describe('/sse as its own resource', () => {
  it('issues a token whose audience is exactly …/sse', async () => {
    const { tokens } = await connect({ resource: `${base}/sse` });
    expect(claims(tokens.access_token ?? '')).toMatchObject({ aud: `${base}/sse`, scope: 'mcp' });
  });

  it('still defaults to /mcp', async () => {
    const { tokens } = await connect({ resource: null });
    expect(claims(tokens.access_token ?? '').aud).toBe(`${base}/mcp`);
  });

  it('refuses any other resource', async () => {
    const clientId = await register();
    const { callback } = await authorize(clientId, { resource: `${base}/other` });
    expect(callback.searchParams.get('error')).toBe('invalid_target');
  });
});
