import type { Server } from 'node:http';
import express from 'express';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBearerAuth, type VerifiedAccessToken } from './bearer.ts';
import { resourcePathOf } from './resource-metadata.ts';

const RESOURCE = 'https://x.trycloudflare.com/mcp';
const SSE_RESOURCE = 'https://x.trycloudflare.com/sse';
const ISSUER = 'https://x.trycloudflare.com';
const METADATA = 'https://x.trycloudflare.com/.well-known/oauth-protected-resource/mcp';
const CHALLENGE = `Bearer resource_metadata="${METADATA}", scope="mcp"`;
const SSE_CHALLENGE = `Bearer resource_metadata="https://x.trycloudflare.com/.well-known/oauth-protected-resource/sse", scope="mcp"`;

type Key = Awaited<ReturnType<typeof generateKeyPair>> & { kid: string; jwk: JWK; privateJwk: JWK };

async function makeKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
  return { privateKey, publicKey, kid, jwk, privateJwk };
}

let current: Key;
let previous: Key;
let stranger: Key;
let server: Server;
let base: string;

// What the middleware sees; each test starts from the defaults in beforeEach.
let keys: JWK[];
let owner: number | null;
let revoked: boolean | Error;
let checked: VerifiedAccessToken[];
let logs: string[];

beforeAll(async () => {
  [current, previous, stranger] = await Promise.all([makeKey('k2'), makeKey('k1'), makeKey('k2')]);
  const app = express();
  const auth = createBearerAuth({
    resourceUrl: (req) => `${ISSUER}${resourcePathOf(req.path)}`,
    audiences: () => [RESOURCE, SSE_RESOURCE],
    issuer: () => ISSUER,
    jwks: () => ({ keys }),
    ownerId: () => owner,
    requiredScope: 'mcp',
    isGrantRevoked: (token) => {
      checked.push(token);
      if (revoked instanceof Error) throw revoked;
      return Promise.resolve(revoked);
    },
    clientName: (id) => (id === 'client-1' ? 'ChatGPT' : null),
    ownerLogin: () => 'octocat',
    log: (line) => logs.push(line),
  });
  app.post(['/mcp', '/sse', '/messages'], auth, (_req, res) => {
    res.json(res.locals.principal);
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  keys = [current.jwk];
  owner = 1;
  revoked = false;
  checked = [];
  logs = [];
});

/** A token as oidc-provider issues it (RFC 9068 header, its claims), with overrides. */
function mint(
  claims: JWTPayload = {},
  { key = current, typ = 'at+jwt', expiresIn = '1h' as string | null } = {},
): Promise<string> {
  const payload = {
    iss: ISSUER,
    aud: RESOURCE,
    sub: '1',
    scope: 'mcp',
    client_id: 'client-1',
    jti: 'tok-1',
    ...claims,
  };
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ }).setIssuedAt();
  if (expiresIn) jwt.setExpirationTime(expiresIn);
  return jwt.sign(key.privateKey);
}

async function call(authorization?: string, path = '/mcp') {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: authorization === undefined ? {} : { authorization },
  });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Expects a 401 invalid_token with the full challenge, and exactly one log line without the token. */
async function expectInvalid(token: string, description?: RegExp) {
  const r = await call(`Bearer ${token}`);
  expect(r.status).toBe(401);
  expect(r.challenge).toMatch(
    new RegExp(`^${escapeRegExp(CHALLENGE)}, error="invalid_token", error_description="[^"]+"$`),
  );
  expect(r.body.error).toBe('invalid_token');
  if (description) expect(r.body.error_description).toMatch(description);
  expect(logs).toHaveLength(1);
  expect(logs[0]).not.toContain(token);
  return r;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('createBearerAuth', () => {
  it('lets a valid owner token through with its principal', async () => {
    const r = await call(`Bearer ${await mint({ gid: 'grant-9' })}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      clientId: 'client-1',
      clientName: 'ChatGPT',
      login: 'octocat',
      subject: '1',
      grantId: 'grant-9',
    });
    expect(checked).toHaveLength(1);
    expect(checked[0]).toMatchObject({
      clientId: 'client-1',
      subject: '1',
      jti: 'tok-1',
      grantId: 'grant-9',
    });
    expect(checked[0]!.scopes).toEqual(['mcp']);
    expect(logs).toEqual([]);
  });

  it('accepts the scheme in any case and extra scopes', async () => {
    const token = await mint({ scope: 'openid mcp offline_access', client_id: 'other' });
    const r = await call(`bEaReR ${token}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      clientId: 'other',
      clientName: null,
      login: 'octocat',
      subject: '1',
      grantId: null,
    });
  });

  it('answers a request without a token with a bare challenge', async () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer   ', 'Basic dXNlcjpwYXNz']) {
      logs = [];
      const r = await call(header);
      expect(r.status).toBe(401);
      expect(r.challenge).toBe(CHALLENGE);
      expect(r.body.error).toBe('unauthorized');
      expect(logs).toHaveLength(1);
    }
  });

  it('refuses a malformed Authorization header with 400 invalid_request', async () => {
    const token = await mint();
    for (const header of [
      `Bearer ${token} ${token}`,
      `Bearer "${token}"`,
      `Bearer,${token}`,
      `Bearertoken`,
    ]) {
      logs = [];
      const r = await call(header);
      expect([r.status, r.body.error]).toEqual(
        header === 'Bearertoken' ? [401, 'unauthorized'] : [400, 'invalid_request'],
      );
      expect(r.challenge).toMatch(new RegExp(`^${escapeRegExp(CHALLENGE)}`));
      expect(logs).toHaveLength(1);
      expect(logs[0]).not.toContain(token);
    }
  });

  it('refuses garbage', async () => {
    await expectInvalid('garbage', /malformed/);
    logs = [];
    await expectInvalid('abc.def.ghi', /malformed/);
  });

  it('refuses an expired token, and one without exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalid(await mint({ exp: now - 60, iat: now - 3660 }, { expiresIn: null }), /expired/);
    logs = [];
    await expectInvalid(await mint({}, { expiresIn: null }), /exp/);
  });

  it('tolerates a few seconds of clock skew, no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await call(`Bearer ${await mint({ exp: now - 2 }, { expiresIn: null })}`)).status).toBe(200);
    await expectInvalid(await mint({ exp: now - 10 }, { expiresIn: null }), /expired/);
  });

  it('refuses a token for another audience', async () => {
    const audiences = [
      'https://y.trycloudflare.com/mcp',
      'https://y.trycloudflare.com/sse',
      'https://x.trycloudflare.com/mcp/',
      'https://x.trycloudflare.com/messages',
      'https://x.trycloudflare.com',
      'client-1',
      [RESOURCE, 'https://evil.example/mcp'],
      [SSE_RESOURCE, 'https://evil.example/sse'],
      [],
    ];
    for (const aud of audiences) {
      logs = [];
      await expectInvalid(await mint({ aud }), /another resource/);
    }
  });

  it('accepts a token for /mcp or /sse on /mcp, /sse and /messages: one server, one owner', async () => {
    for (const path of ['/mcp', '/sse', '/messages']) {
      for (const aud of [RESOURCE, SSE_RESOURCE, [SSE_RESOURCE], [RESOURCE, SSE_RESOURCE]]) {
        const r = await call(`Bearer ${await mint({ aud })}`, path);
        expect([path, aud, r.status]).toEqual([path, aud, 200]);
      }
    }
    expect(logs).toEqual([]);
  });

  it('points the challenge on /sse and /messages at the /sse metadata, and refuses foreign tokens there', async () => {
    for (const path of ['/sse', '/messages']) {
      logs = [];
      const bare = await call(undefined, path);
      expect([bare.status, bare.challenge]).toEqual([401, SSE_CHALLENGE]);
      const foreign = await call(`Bearer ${await mint({ aud: 'https://y.trycloudflare.com/sse' })}`, path);
      expect(foreign.status).toBe(401);
      expect(foreign.challenge).toMatch(
        new RegExp(`^${escapeRegExp(SSE_CHALLENGE)}, error="invalid_token", error_description="[^"]+"$`),
      );
      expect(logs).toHaveLength(2);
    }
  });

  it('accepts an audience array holding only this resource', async () => {
    expect((await call(`Bearer ${await mint({ aud: [RESOURCE] })}`)).status).toBe(200);
  });

  it('refuses a token from another issuer', async () => {
    await expectInvalid(await mint({ iss: 'https://evil.example' }), /another authorization server/);
  });

  it('refuses a token signed by another key, with or without a known kid', async () => {
    await expectInvalid(await mint({}, { key: stranger }), /not signed by this server/);
    logs = [];
    await expectInvalid(
      await mint({}, { key: { ...stranger, kid: 'unknown' } }),
      /not signed by this server/,
    );
  });

  it('refuses alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: ISSUER,
      aud: RESOURCE,
      sub: '1',
      scope: 'mcp',
      client_id: 'c',
      iat: now,
      exp: now + 60,
    };
    for (const header of [{ alg: 'none' }, { alg: 'none', typ: 'at+jwt', kid: current.kid }]) {
      logs = [];
      await expectInvalid(`${b64url(header)}.${b64url(claims)}.`, /ES256/);
    }
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const secrets = [
      new TextEncoder().encode(await exportSPKI(current.publicKey)),
      new TextEncoder().encode(JSON.stringify(current.jwk)),
    ];
    for (const secret of secrets) {
      logs = [];
      const token = await new SignJWT({ scope: 'mcp', client_id: 'c' })
        .setProtectedHeader({ alg: 'HS256', kid: current.kid, typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience(RESOURCE)
        .setSubject('1')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(secret);
      await expectInvalid(token, /ES256/);
    }
  });

  it('refuses a token that is not an access token (typ)', async () => {
    await expectInvalid(await mint({}, { typ: 'JWT' }), /not an access token/);
  });

  it("refuses another account's token", async () => {
    await expectInvalid(await mint({ sub: '666' }), /another account/);
  });

  it('refuses tokens of a previous owner once the owner changes', async () => {
    const token = await mint();
    expect((await call(`Bearer ${token}`)).status).toBe(200);
    owner = 2;
    await expectInvalid(token, /another account/);
  });

  it('refuses every token while there is no owner', async () => {
    owner = null;
    await expectInvalid(await mint(), /no owner/);
    expect(checked).toEqual([]);
  });

  it('refuses a token without the mcp scope with 403 insufficient_scope', async () => {
    for (const scope of ['openid', 'mcp:read', 'mcpx', undefined]) {
      logs = [];
      const r = await call(`Bearer ${await mint({ scope })}`);
      expect(r.status).toBe(403);
      expect(r.challenge).toBe(
        `${CHALLENGE}, error="insufficient_scope", error_description="The access token lacks the 'mcp' scope."`,
      );
      expect(r.body.error).toBe('insufficient_scope');
      expect(logs).toHaveLength(1);
    }
  });

  it('refuses a token whose grant was revoked', async () => {
    revoked = true;
    await expectInvalid(await mint(), /revoked/);
  });

  it('fails closed with 503 when the revocation check throws', async () => {
    revoked = new Error('database is locked');
    const r = await call(`Bearer ${await mint()}`);
    expect(r.status).toBe(503);
    expect(r.challenge).toBeNull();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('database is locked');
  });

  it('refuses an access token in the query string, with or without a header', async () => {
    const token = await mint();
    for (const header of [undefined, `Bearer ${token}`]) {
      logs = [];
      const r = await call(header, `/mcp?access_token=${token}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid_request');
      expect(r.challenge).toContain('error="invalid_request"');
      expect(logs).toHaveLength(1);
      expect(logs[0]).not.toContain(token);
    }
  });

  it('accepts the previous key while it is in the JWKS, and not after', async () => {
    const old = await mint({}, { key: previous });
    await expectInvalid(old, /not signed by this server/);
    keys = [current.jwk, previous.jwk];
    expect((await call(`Bearer ${old}`)).status).toBe(200);
    expect((await call(`Bearer ${await mint()}`)).status).toBe(200);
    keys = [current.jwk];
    logs = [];
    await expectInvalid(old, /not signed by this server/);
  });

  it('uses only the public part of keys handed over with private members', async () => {
    keys = [current.privateJwk, previous.privateJwk];
    expect((await call(`Bearer ${await mint()}`)).status).toBe(200);
    expect((await call(`Bearer ${await mint({}, { key: previous })}`)).status).toBe(200);
  });
});
