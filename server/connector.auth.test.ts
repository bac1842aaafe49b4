import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from '../e2e/fixtures/fake-github.ts';
import { type Connector, createConnector } from './connector.ts';
import { removeDirs, tempDir } from './library/testing.ts';
import { MCP_HEADERS, rawRequest, rpc } from './mcp/testing.ts';
import { MemorySecretStore } from './secrets.ts';
import { SettingsFile } from './settings.ts';

let github: FakeGitHub;
let dataDir: string;
let connector: Connector;
let port: number;
let base: string;

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
  });
  const state = await connector.start();
  port = state.server.port!;
  base = state.publicBaseUrl!;
});

afterAll(async () => {
  await connector.stop();
  await github.close();
  await removeDirs(dataDir);
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
