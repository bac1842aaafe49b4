// Both MCP transports behind real OAuth, as real clients use them: the MCP SDK's own OAuth
// client discovers from the 401, registers, sends the person through consent and the fake
// GitHub, and connects. Covers the legacy /sse transport as a resource of its own, SSE
// sessions bound to their client, and the 2026-07-28 probe that must read "legacy server".

import { type ClientRequest, request } from 'node:http';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryOAuthClient } from '../../e2e/fixtures/memory-oauth-client.ts';
import {
  approveWithRedirects,
  type PortholeWithAuth,
  startPortholeWithAuth,
} from '../../e2e/fixtures/porthole-auth.ts';
import { eventually } from '../library/testing.ts';
import { MCP_HEADERS, rawRequest } from './testing.ts';

let porthole: PortholeWithAuth;
let base: string;

beforeAll(async () => {
  porthole = await startPortholeWithAuth({
    files: { 'plans/trip.md': '# Trip to Lisbon\n\nBook the tram tour.' },
  });
  base = porthole.base;
});

afterAll(async () => {
  await porthole?.close();
});

type Transport = SSEClientTransport | StreamableHTTPClientTransport;

/**
 * What an SDK client does the first time: connect, get a 401, discover, register, send the
 * person to consent (approved by the owner's browser), then trade the code for tokens.
 */
async function signIn(url: URL, open: (auth: OAuthClientProvider) => Transport, callback: string) {
  const auth = memoryOAuthClient({ callback, clientName: 'SDK client' });
  const first = open(auth);
  await expect(new Client({ name: 'sdk', version: '1' }).connect(first)).rejects.toThrow(/Unauthorized/i);
  await first.close();
  const authorizationUrl = auth.authorizationUrl;
  if (!authorizationUrl) throw new Error(`${url} never asked for authorization`);
  const back = new URL(await approveWithRedirects(callback)(authorizationUrl));
  await first.finishAuth(back.searchParams.get('code') ?? '');
  return { auth, authorizationUrl };
}

const sse = (url: URL) => (auth: OAuthClientProvider) => new SSEClientTransport(url, { authProvider: auth });
const streamable = (url: URL) => (auth: OAuthClientProvider) =>
  new StreamableHTTPClientTransport(url, { authProvider: auth });

async function searchTitles(client: Client, query: string): Promise<string[]> {
  const result = await client.callTool({ name: 'search', arguments: { query } });
  return (result.structuredContent as { results: { title: string }[] }).results.map((r) => r.title);
}

describe('the legacy /sse transport is a protected resource of its own', () => {
  it('challenges /sse and /messages with the /sse metadata, whose resource is the /sse URL', async () => {
    const challenges = [
      await rawRequest(porthole.port, { path: '/sse', headers: { accept: 'text/event-stream' } }),
      await rawRequest(porthole.port, {
        method: 'POST',
        path: '/messages?sessionId=x',
        headers: MCP_HEADERS,
        body: '{}',
      }),
    ];
    for (const res of challenges) {
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain(
        `resource_metadata="${base}/.well-known/oauth-protected-resource/sse"`,
      );
    }
    const metadata = await (await fetch(`${base}/.well-known/oauth-protected-resource/sse`)).json();
    expect(metadata).toMatchObject({ resource: `${base}/sse`, authorization_servers: [base] });
  });

  it("lets the SDK's SSEClientTransport discover from the 401, sign in for /sse, and search", async () => {
    const sseUrl = new URL(`${base}/sse`);
    const { auth, authorizationUrl } = await signIn(sseUrl, sse(sseUrl), 'http://127.0.0.1:9/sse-callback');
    expect(authorizationUrl.searchParams.get('resource')).toBe(`${base}/sse`);
    expect(decodeJwt(auth.accessToken()).aud).toBe(`${base}/sse`);

    const client = new Client({ name: 'sdk-sse', version: '1' });
    await client.connect(new SSEClientTransport(sseUrl, { authProvider: auth }));
    expect(await searchTitles(client, 'tram')).toEqual(['Trip to Lisbon']);
    await client.close();
  });
});

/** Opens GET /sse with a token and resolves with the session's message path (the `endpoint` event). */
function openSession(token: string): Promise<{ endpoint: string; req: ClientRequest }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: porthole.port,
        path: '/sse',
        headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
      },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`GET /sse answered ${res.statusCode}`));
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          const endpoint = /event: endpoint\ndata: (\S+)/.exec(buffer)?.[1];
          if (endpoint) resolve({ endpoint, req });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('legacy SSE sessions are bound to the client that opened them', () => {
  it("refuses client B's token in client A's session with the unknown-session 404, and logs it", async () => {
    const mcpUrl = new URL(`${base}/mcp`);
    // Two connections the owner approved, each with its own client registration and grant.
    const alice = (await signIn(mcpUrl, streamable(mcpUrl), 'http://127.0.0.1:9/a-callback')).auth;
    const bob = (await signIn(mcpUrl, streamable(mcpUrl), 'http://127.0.0.1:9/b-callback')).auth;
    const session = await openSession(alice.accessToken());
    const post = (token: string, path: string) =>
      rawRequest(porthole.port, {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });

    const unknown = await post(bob.accessToken(), '/messages?sessionId=00000000-0000-0000-0000-000000000000');
    const intruding = await post(bob.accessToken(), session.endpoint);
    expect(intruding.status).toBe(404);
    expect(intruding.body).toBe(unknown.body);
    await eventually(() =>
      porthole.logLines.some((l) => /refused POST \/messages: .*another client/.test(l)),
    );

    expect((await post(alice.accessToken(), session.endpoint)).status).toBe(202);
    session.req.destroy();
  });
});

// MCP 2026-07-28 (modern) clients that still speak the older revisions (dual-era: Claude
// Code, Claude Desktop) first send a modern request. The spec (basic/transports/
// streamable-http, "Backward Compatibility"; basic/versioning, "Compatibility Matrix"): a
// 400 whose body is not a recognized modern JSON-RPC error means a legacy server, and the
// client falls back to `initialize`. Modern errors are the spec-reserved codes -32020 to
// -32099 (HeaderMismatch -32020, MissingRequiredClientCapability -32021,
// UnsupportedProtocolVersion -32022) and 404 with -32601 (method not found). The SDK we run
// serves up to 2025-11-25, so Porthole must keep reading as a legacy server.
describe('a dual-era (2026-07-28) client', () => {
  it('reads Porthole as a legacy server from its server/discover probe, then falls back to initialize', async () => {
    const mcpUrl = new URL(`${base}/mcp`);
    const { auth } = await signIn(mcpUrl, streamable(mcpUrl), 'http://127.0.0.1:9/modern-callback');
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'claude-code', version: '3.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const probe = await rawRequest(porthole.port, {
      method: 'POST',
      path: '/mcp',
      headers: {
        ...MCP_HEADERS,
        authorization: `Bearer ${auth.accessToken()}`,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'server/discover',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: meta } }),
    });
    // Through the bearer gate (not a 401), then the legacy signal.
    expect(probe.status).toBe(400);
    const error = (probe.json() as { error?: { code?: unknown } }).error;
    expect(typeof error?.code).toBe('number');
    const code = error?.code as number;
    // Implementation-defined (-32000 to -32019): no cross-implementation meaning, so not "modern".
    expect(code).toBeLessThanOrEqual(-32000);
    expect(code).toBeGreaterThanOrEqual(-32019);

    const client = new Client({ name: 'claude-code', version: '3.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: auth }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['fetch', 'search']);
    expect(await searchTitles(client, 'tram')).toEqual(['Trip to Lisbon']);
    await client.close();
  });
});
