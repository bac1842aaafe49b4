import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryOAuthClient } from '../e2e/fixtures/memory-oauth-client.ts';
import {
  approveWithRedirects,
  type PortholeWithAuth,
  startPortholeWithAuth,
} from '../e2e/fixtures/porthole-auth.ts';
import { Browser } from './auth/testing.ts';
import { MCP_HEADERS, rpc } from './mcp/testing.ts';

// The connector in OAuth mode with the real oidc-provider, as a browser-based MCP client (MCP
// Inspector's web UI) and a framing attacker meet it.

const INSPECTOR = 'http://localhost:6274';
const CALLBACK = 'http://localhost:6274/oauth/callback';

let porthole: PortholeWithAuth;

beforeAll(async () => {
  porthole = await startPortholeWithAuth();
});

afterAll(async () => {
  await porthole.close();
});

/** What a page on the Inspector's origin sends: every request carries its Origin. */
const fromInspector: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('origin', INSPECTOR);
  return fetch(input, { ...init, headers });
};

function expectCors(res: Response, what: string) {
  // Exactly our one value: oidc-provider adds none of its own on top.
  expect(res.headers.get('access-control-allow-origin'), what).toBe(INSPECTOR);
  expect(res.headers.get('access-control-allow-credentials'), what).toBeNull();
}

describe('an in-browser MCP client on another origin', () => {
  it('discovers, registers, gets a token and searches, every answer readable cross-origin', async () => {
    const seen: Response[] = [];
    const recording: typeof fetch = async (input, init) => {
      const res = await fromInspector(input, init);
      seen.push(res);
      return res;
    };
    const provider = memoryOAuthClient({ callback: CALLBACK, clientName: 'MCP Inspector' });
    const mcpUrl = new URL(`${porthole.base}/mcp`);
    // Discovery, registration, then the person approves in a browser, then the code for a token.
    expect(await auth(provider, { serverUrl: mcpUrl, fetchFn: recording })).toBe('REDIRECT');
    const back = await approveWithRedirects(CALLBACK)(provider.authorizationUrl as URL);
    const code = new URL(back).searchParams.get('code') ?? '';
    expect(await auth(provider, { serverUrl: mcpUrl, authorizationCode: code, fetchFn: recording })).toBe(
      'AUTHORIZED',
    );
    const client = new Client({ name: 'inspector', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider, fetch: recording }),
    );
    const result = await client.callTool({ name: 'search', arguments: { query: 'tram' } });
    expect(
      (result.structuredContent as { results: { title: string }[] }).results.map((r) => r.title),
    ).toEqual(['Trip to Lisbon']);
    await client.close();

    const paths = (res: Response) => new URL(res.url).pathname;
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-authorization-server',
      '/register',
      '/token',
      '/mcp',
    ]) {
      const answers = seen.filter((res) => paths(res) === path && res.ok);
      expect(answers.length, path).toBeGreaterThan(0);
      for (const res of answers) expectCors(res, path);
    }
  });

  it('gets 401 with a readable WWW-Authenticate for a bad token, 403 with none', async () => {
    const bad = await fromInspector(`${porthole.base}/mcp`, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: 'Bearer not-a-token' },
      body: rpc('tools/list'),
    });
    expect(bad.status).toBe(401);
    expectCors(bad, '/mcp');
    expect(bad.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    expect(bad.headers.get('www-authenticate')).toContain('resource_metadata=');
    const none = await fromInspector(`${porthole.base}/mcp`, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: rpc('tools/list'),
    });
    expect(none.status).toBe(403);
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("gets oidc-provider's endpoints answered once, with our CORS headers, preflight included", async () => {
    const preflight = await fromInspector(`${porthole.base}/token`, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expectCors(preflight, 'OPTIONS /token');
    const token = await fromInspector(`${porthole.base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', client_id: 'nope' }),
    });
    expect(token.status).toBeGreaterThanOrEqual(400);
    expect(token.status).toBeLessThan(500);
    expectCors(token, 'POST /token');
    const jwks = await fromInspector(`${porthole.base}/jwks`);
    expect(jwks.status).toBe(200);
    expectCors(jwks, 'GET /jwks');
  });
});

describe('framing', () => {
  const notFrameable = (res: Response, what: string) => {
    expect(res.headers.get('x-frame-options'), what).toBe('DENY');
    expect(res.headers.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
  };

  it("oidc-provider's own error page cannot be framed", async () => {
    const res = await fetch(`${porthole.base}/authorize?client_id=garbage&response_type=code`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    notFrameable(res, 'GET /authorize');
  });

  it('the consent page and our 404 cannot be framed', async () => {
    const provider = memoryOAuthClient({ callback: CALLBACK, clientName: 'MCP Inspector' });
    await auth(provider, { serverUrl: new URL(`${porthole.base}/mcp`) });
    const browser = new Browser(CALLBACK);
    const consent = await browser.go((provider.authorizationUrl as URL).toString());
    expect(consent.body).toContain('name="csrf"');
    const page = await fetch(consent.url, { headers: { cookie: browser.cookieHeader(consent.url) } });
    expect(page.status).toBe(200);
    notFrameable(page, 'consent');
    notFrameable(await fetch(`${porthole.base}/nothing-here`), '404');
  });
});
