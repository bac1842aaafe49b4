import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import Provider, { errors } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../secrets.ts';
import { type AuthKeys, loadOrCreateKeys } from './keys.ts';
import { createSqliteAdapterFactory, type SqliteAdapterFactory } from './sqlite-adapter.ts';

// The adapter and the keys with the real oidc-provider behind a real loopback listener: what it
// stores lands in auth.sqlite and is still there for a new Provider on the same file (a restart).

let dir: string;
let file: string;
let server: Server;
let issuer: string;
let handler: RequestListener = (_req, res) => res.end();
let factory: SqliteAdapterFactory;
let keys: AuthKeys;
const RESOURCE = 'https://rs.example/mcp';

function makeProvider(): Provider {
  const provider = new Provider(issuer, {
    adapter: factory.Adapter,
    jwks: keys.jwks,
    cookies: { keys: keys.cookieKeys },
    clients: [
      {
        client_id: 'static-public',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['https://client.example/cb'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    // Our only key is ES256; the library's default for ID tokens is RS256.
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      registration: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: 'mcp',
            audience: RESOURCE,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    ttl: { ClientCredentials: 600, Interaction: 600 },
  });
  handler = provider.callback();
  return provider;
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

function rowCount(model: string): number {
  return factory.db.prepare('SELECT COUNT(*) FROM oidc WHERE model = ?').pluck().get(model) as number;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'porthole-auth-smoke-'));
  file = path.join(dir, 'auth.sqlite');
  factory = createSqliteAdapterFactory(file, { purgeIntervalMs: 0 });
  keys = await loadOrCreateKeys(new MemorySecretStore());
  // The handler is swapped per Provider, so the issuer (and port) stays the same across the "restart".
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  factory.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('oidc-provider on the SQLite adapter', () => {
  let clientId = '';
  let clientSecret = '';
  let accessToken = '';
  let interactionUid = '';

  it('registers a client (DCR), which lands in auth.sqlite', async () => {
    const provider = makeProvider();
    const res = await fetch(`${issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'smoke',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { client_id: string; client_secret: string };
    clientId = body.client_id;
    clientSecret = body.client_secret;
    expect(rowCount('Client')).toBe(1);
    expect(rowCount('RegistrationAccessToken')).toBe(1);
    expect((await provider.Client.find(clientId))?.clientName).toBe('smoke');
    expect(factory.listClients()[0]).toMatchObject({ clientId, lastUsedAt: null });
  });

  it('issues a client_credentials token, stored hashed, and marks the client used', async () => {
    const provider = makeProvider();
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basic(clientId, clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string };
    accessToken = body.access_token;
    expect(body.token_type).toBe('Bearer');
    // client_credentials tokens are the ClientCredentials model, not AccessToken.
    expect(rowCount('ClientCredentials')).toBe(1);
    const hashed = createHash('sha256').update(accessToken).digest('base64url');
    const row = factory.db
      .prepare("SELECT id, payload FROM oidc WHERE model = 'ClientCredentials'")
      .get() as { id: string; payload: string };
    expect(row.id).toBe(hashed);
    expect(row.payload).not.toContain(accessToken);
    expect((await provider.ClientCredentials.find(accessToken))?.clientId).toBe(clientId);
    expect(factory.listClients()[0]?.lastUsedAt).toEqual(expect.any(Number));
  });

  it('starts an authorization (Interaction row, signed cookies) for a PKCE client', async () => {
    makeProvider();
    const verifier = randomBytes(32).toString('base64url');
    const params = new URLSearchParams({
      client_id: 'static-public',
      response_type: 'code',
      redirect_uri: 'https://client.example/cb',
      scope: 'openid',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${issuer}/auth?${params}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/^\/interaction\//);
    interactionUid = location.split('/').pop() ?? '';
    expect(res.headers.getSetCookie().some((c) => c.startsWith('_interaction.sig='))).toBe(true);
    expect(rowCount('Interaction')).toBe(1);
  });

  it('finds everything again after a restart on the same file', async () => {
    factory.close();
    factory = createSqliteAdapterFactory(file, { purgeIntervalMs: 0 });
    const provider = makeProvider();
    expect((await provider.Client.find(clientId))?.clientName).toBe('smoke');
    expect((await provider.ClientCredentials.find(accessToken))?.clientId).toBe(clientId);
    expect((await provider.Interaction.find(interactionUid))?.params.client_id).toBe('static-public');
    // The JWKS endpoint publishes the public half of our key, and only that.
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([keys.jwks.keys[0]?.kid]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('signs JWT access tokens with the stored ES256 key (verifiable from /jwks)', async () => {
    makeProvider();
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basic(clientId, clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: RESOURCE, scope: 'mcp' }),
    });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const { payload, protectedHeader } = await jwtVerify(
      access_token,
      createRemoteJWKSet(new URL(`${issuer}/jwks`)),
      {
        issuer,
        audience: RESOURCE,
      },
    );
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: keys.jwks.keys[0]?.kid });
    expect(payload.client_id).toBe(clientId);
  });

  it('revokes a token through the endpoint (destroy by hashed id)', async () => {
    const provider = makeProvider();
    const res = await fetch(`${issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        authorization: basic(clientId, clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: accessToken }),
    });
    expect(res.status).toBe(200);
    expect(await provider.ClientCredentials.find(accessToken)).toBeUndefined();
    expect(rowCount('ClientCredentials')).toBe(0);
  });
});
