import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from '../e2e/fixtures/fake-github.ts';
import { memoryOAuthClient } from '../e2e/fixtures/memory-oauth-client.ts';
import { Browser } from './auth/testing.ts';
import { type Connector, createConnector } from './connector.ts';
import { removeDirs, tempDir, writeTree } from './library/testing.ts';
import { MCP_HEADERS, rawRequest, rpc } from './mcp/testing.ts';
import { MemorySecretStore } from './secrets.ts';
import { SettingsFile } from './settings.ts';

let github: FakeGitHub;
let dataDir: string;
let connector: Connector;
let port: number;
let base: string;
let folder: string;

beforeAll(async () => {
  github = await startFakeGitHub({ autoLoginUser: 'octocat' });
  dataDir = await tempDir('porthole-data-');
  SettingsFile.open(dataDir, { log: () => {} }).update((s) => {
    s.owner = { id: 1, login: 'octocat', name: 'The Octocat', avatarUrl: null };
    s.github = { webUrl: github.url, apiUrl: github.apiUrl, clientId: DEFAULT_CLIENT.clientId };
  });
  connector = createConnector({
    dataDir,
    port: 0,
    watch: false,
    log: () => {},
    secrets: new MemorySecretStore(),
    githubClientSecret: DEFAULT_CLIENT.clientSecret,
    tunnel: 'off',
  });
  const state = await connector.start();
  port = state.server.port!;
  base = state.publicBaseUrl!;
  folder = await tempDir();
  await writeTree(folder, { 'plans/trip.md': '# Trip to Lisbon\n\nBook the tram tour.' });
  await connector.control.addFolder(folder);
  await connector.library.whenIdle();
});

afterAll(async () => {
  await connector.stop();
  await github.close();
  await removeDirs(dataDir, folder);
});

describe('the connector with GitHub configured', () => {
  it('reports OAuth mode and the owner', () => {
    expect(connector.state().auth).toMatchObject({ mode: 'oauth', owner: { id: 1, login: 'octocat' } });
  });

  it('refuses /mcp without a token, pointing at the protected-resource metadata', async () => {
    const res = await rawRequest(port, {
      method: 'POST',
      path: '/mcp',
      headers: MCP_HEADERS,
      body: rpc('tools/list'),
    });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain(
      `resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
    );
    const sse = await rawRequest(port, { path: '/sse' });
    expect(sse.status).toBe(401);
  });

  it('publishes RFC 9728 and RFC 8414 metadata for this resource and issuer', async () => {
    const resource = (await fetch(`${base}/.well-known/oauth-protected-resource/mcp`).then((r) =>
      r.json(),
    )) as Record<string, unknown>;
    expect(resource).toMatchObject({ resource: `${base}/mcp`, authorization_servers: [base] });
    const server = (await fetch(`${base}/.well-known/oauth-authorization-server`).then((r) =>
      r.json(),
    )) as Record<string, unknown>;
    expect(server).toMatchObject({
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      registration_endpoint: `${base}/register`,
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('still answers unknown routes with our 404', async () => {
    const res = await rawRequest(port, { path: '/nope' });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });
});

const CLIENT_CALLBACK = 'http://127.0.0.1:9/sdk-callback';

describe("the MCP SDK's own OAuth client", () => {
  it('discovers, registers, signs the owner in through GitHub, and then searches', async () => {
    const auth = memoryOAuthClient({ callback: CLIENT_CALLBACK, clientName: 'SDK client' });
    const mcpUrl = new URL(`${base}/mcp`);
    const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: auth });
    await expect(new Client({ name: 'sdk', version: '1' }).connect(first)).rejects.toThrow(/Unauthorized/i);
    expect(auth.authorizationUrl?.searchParams.get('resource')).toBe(`${base}/mcp`);
    // The person's browser: consent, then GitHub (signs in as octocat), back to the client.
    const browser = new Browser(CLIENT_CALLBACK);
    const consent = await browser.go(auth.authorizationUrl!.toString());
    const csrf = /name="csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '';
    const back = await browser.go(consent.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, action: 'continue' }).toString(),
    });
    const code = new URL(back.url).searchParams.get('code') ?? '';
    await first.finishAuth(code);
    const client = new Client({ name: 'sdk', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: auth }));
    const result = await client.callTool({ name: 'search', arguments: { query: 'tram' } });
    expect(
      (result.structuredContent as { results: { title: string }[] }).results.map((r) => r.title),
    ).toEqual(['Trip to Lisbon']);
    await client.close();
    const entries = await connector.control.listActivity({ limit: 50 });
    expect(entries.some((e) => e.kind === 'auth' && e.method === 'consent' && e.login === 'octocat')).toBe(
      true,
    );
  });
});
