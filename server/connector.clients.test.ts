import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientHost,
  connectChatGptLike,
  startClientHost,
  trustingFetch,
} from '../e2e/fixtures/chatgpt-like.ts';
import {
  approveWithRedirects,
  mcpToolsList,
  type PortholeWithAuth,
  startPortholeWithAuth,
} from '../e2e/fixtures/porthole-auth.ts';
import { Browser } from './auth/testing.ts';
import { eventually } from './library/testing.ts';

let host: ClientHost;
let porthole: PortholeWithAuth;

beforeAll(async () => {
  host = await startClientHost('ChatGPT-like');
  porthole = await startPortholeWithAuth({ connector: { clientMetadataFetch: trustingFetch(host.ca) } });
});

afterAll(async () => {
  await porthole?.close();
  await host?.close();
});

const titles = (result: unknown) =>
  ((result as { structuredContent: { results: { title: string }[] } }).structuredContent.results ?? []).map(
    (r) => r.title,
  );

/** The HTTP status of a `tools/list` on /mcp with this access token. */
const toolsListStatus = async (accessToken: string | undefined) =>
  (await mcpToolsList(porthole.base, accessToken)).status;

describe('a ChatGPT-like client with a Client ID Metadata Document', () => {
  it('connects with its https client id and private_key_jwt, then searches', async () => {
    const chatgpt = await connectChatGptLike({
      mcpUrl: `${porthole.base}/mcp`,
      mode: 'cimd',
      host,
      browser: approveWithRedirects(host.redirectUrl),
    });
    expect((chatgpt.provider.memory.client as { client_id: string }).client_id).toBe(host.clientId);
    expect(titles(await chatgpt.client.callTool({ name: 'search', arguments: { query: 'tram' } }))).toEqual([
      'Trip to Lisbon',
    ]);
    await chatgpt.close();
    const clients = await porthole.connector.control.listClients();
    expect(clients).toContainEqual(
      expect.objectContaining({
        clientId: host.clientId,
        name: 'ChatGPT-like',
        host: new URL(host.origin).host,
      }),
    );
    const activity = await porthole.connector.control.listActivity({ limit: 100 });
    expect(
      activity.some((e) => e.kind === 'auth' && e.method === 'token' && e.client?.id === host.clientId),
    ).toBe(true);
    expect(
      activity.some((e) => e.kind === 'mcp' && e.tool === 'search' && e.client?.name === 'ChatGPT-like'),
    ).toBe(true);
  });
});

describe('dynamic client registration', () => {
  it('registers a loopback client, and a revoked client is refused on its next request', async () => {
    const redirect = 'http://127.0.0.1:9/callback';
    const client = await connectChatGptLike({
      mcpUrl: `${porthole.base}/mcp`,
      mode: 'dcr',
      dcrRedirectUrl: redirect,
      browser: approveWithRedirects(redirect),
    });
    const clientId = (client.provider.memory.client as { client_id: string }).client_id;
    expect(
      titles(await client.client.callTool({ name: 'search', arguments: { query: 'tram' } })),
    ).toHaveLength(1);
    const listed = (await porthole.connector.control.listClients()).find((c) => c.clientId === clientId);
    expect(listed).toMatchObject({ name: 'ChatGPT-like (DCR)', redirectHost: '127.0.0.1:9' });
    await porthole.connector.control.revokeClient(clientId);
    expect((await porthole.connector.control.listClients()).map((c) => c.clientId)).not.toContain(clientId);
    expect(await toolsListStatus(client.provider.memory.tokens?.access_token)).toBe(401);
    await expect(porthole.connector.control.revokeClient(clientId)).rejects.toThrow(/No connected client/);
  });

  it.each([
    ['http on a public host', 'http://example.com/callback'],
    ['a custom scheme', 'javascript:alert(1)'],
    ['a fragment', 'https://example.com/cb#x'],
  ])('refuses a redirect URI with %s', async (_label, uri) => {
    const res = await fetch(`${porthole.base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [uri], token_endpoint_auth_method: 'none' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /invalid_redirect_uri|invalid_client_metadata/,
    );
    expect(
      porthole.logLines.some((l) => l.startsWith('auth: registration refused') && l.includes('redirect')),
    ).toBe(true);
  });

  it.each([
    ['ChatGPT', 'https://chatgpt.com/connector_platform_oauth_redirect'],
    ['Claude', 'https://claude.ai/api/mcp/auth_callback'],
    ['a loopback tool on any port', 'http://127.0.0.1:53682/callback'],
    ['localhost', 'http://localhost:6274/oauth/callback'],
  ])('accepts the callback of %s', async (_label, uri) => {
    const res = await fetch(`${porthole.base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [uri], token_endpoint_auth_method: 'none' }),
    });
    expect(res.status).toBe(201);
  });
});

describe('revoke all', () => {
  it("ends every client's access at once; each is refused on its next request", async () => {
    const connect = (port: number) =>
      connectChatGptLike({
        mcpUrl: `${porthole.base}/mcp`,
        mode: 'dcr',
        dcrRedirectUrl: `http://127.0.0.1:${port}/callback`,
        browser: approveWithRedirects(`http://127.0.0.1:${port}/callback`),
      });
    const clients = [await connect(11), await connect(12)];
    for (const c of clients)
      expect(titles(await c.client.callTool({ name: 'search', arguments: { query: 'tram' } }))).toHaveLength(
        1,
      );
    expect(await porthole.connector.control.revokeAllClients()).toBeGreaterThanOrEqual(2);
    expect(await porthole.connector.control.listClients()).toEqual([]);
    for (const c of clients) expect(await toolsListStatus(c.provider.memory.tokens?.access_token)).toBe(401);
    const activity = await porthole.connector.control.listActivity({ limit: 20 });
    expect(activity.some((e) => e.method === 'clients-revoked')).toBe(true);
  });
});

describe('the owner', () => {
  it('signing in as another GitHub account from the app changes the owner and revokes every grant', async () => {
    const redirect = 'http://127.0.0.1:9/owner-test';
    const client = await connectChatGptLike({
      mcpUrl: `${porthole.base}/mcp`,
      mode: 'dcr',
      dcrRedirectUrl: redirect,
      browser: approveWithRedirects(redirect),
    });
    expect((await porthole.connector.control.listClients()).length).toBeGreaterThan(0);
    const { url } = await porthole.connector.control.beginOwnerSignIn();
    expect(porthole.connector.state().auth.signIn.state).toBe('waiting');
    porthole.github.setAutoLoginUser('mallory');
    try {
      const page = await fetch(url, { redirect: 'follow' });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Signed in as @mallory');
    } finally {
      porthole.github.setAutoLoginUser('octocat');
    }
    expect(porthole.connector.state().auth).toMatchObject({
      owner: { id: 666, login: 'mallory' },
      signIn: { state: 'idle' },
    });
    expect(await porthole.connector.control.listClients()).toEqual([]);
    await expect(client.client.callTool({ name: 'search', arguments: { query: 'tram' } })).rejects.toThrow();
    const activity = await porthole.connector.control.listActivity({ limit: 200 });
    expect(
      activity.some((e) => e.method === 'owner-changed' && /@octocat replaced by @mallory/.test(e.summary)),
    ).toBe(true);
    // Back to octocat for the tests after this one.
    const again = await porthole.connector.control.beginOwnerSignIn();
    await fetch(again.url, { redirect: 'follow' });
    await eventually(() => porthole.connector.state().auth.owner?.login === 'octocat');
  });

  it('a sign-in GitHub refuses leaves the owner as it was and says why', async () => {
    const { url } = await porthole.connector.control.beginOwnerSignIn();
    const callback = new URL('/oauth/github/callback', porthole.base);
    callback.searchParams.set('state', new URL(url).searchParams.get('state') ?? '');
    callback.searchParams.set('error', 'access_denied');
    const page = await fetch(callback);
    expect(page.status).toBe(400);
    expect(porthole.connector.state().auth).toMatchObject({
      owner: { login: 'octocat' },
      signIn: { state: 'error', message: 'GitHub sign-in was cancelled.' },
    });
  });
});

describe('GitHub unreachable during the sign-in', () => {
  it('ends the consent with a clear page and no code, and Porthole keeps serving', async () => {
    const redirect = 'http://127.0.0.1:9/down';
    const reg = (await (
      await fetch(`${porthole.base}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: [redirect],
          token_endpoint_auth_method: 'none',
          client_name: 'Down',
        }),
      })
    ).json()) as { client_id: string };
    const authorize = new URL('/authorize', porthole.base);
    authorize.search = new URLSearchParams({
      client_id: reg.client_id,
      response_type: 'code',
      redirect_uri: redirect,
      scope: 'mcp',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    // GitHub goes down between its sign-in page and the code exchange.
    const downAtCallback: typeof fetch = (input, init) => {
      if (String(input).includes('/oauth/github/callback')) porthole.github.setDown('error');
      return fetch(input, init);
    };
    const browser = new Browser(redirect, downAtCallback);
    try {
      const consent = await browser.go(authorize.toString());
      const csrf = /name="csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '';
      const end = await browser.go(consent.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, action: 'continue' }).toString(),
      });
      expect(end.status).toBe(403);
      expect(end.body).toMatch(/GitHub/);
      expect(end.body).toContain('Return to the app');
      expect(end.url).not.toContain('code=');
    } finally {
      porthole.github.setDown('ok');
    }
    expect((await fetch(`${porthole.base}/healthz`)).status).toBe(200);
  });
});

describe('the legacy plugin manifest', () => {
  it('points at our own OAuth endpoints', async () => {
    const manifest = (await (await fetch(`${porthole.base}/.well-known/ai-plugin.json`)).json()) as {
      auth: Record<string, unknown>;
    };
    expect(manifest.auth).toMatchObject({
      type: 'oauth',
      authorization_url: `${porthole.base}/authorize`,
      token_url: `${porthole.base}/token`,
      scopes: ['mcp'],
    });
  });
});

describe('rate limits', () => {
  it('answer a burst of registrations with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${porthole.base}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: ['http://127.0.0.1:1/cb'],
          token_endpoint_auth_method: 'none',
        }),
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toContain(201);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
