// Clients that never refresh (Claude's connectors, ChatGPT in long sessions) keep working for the
// access token's whole lifetime, which is a setting; the owner still cuts one off at once. The
// Clients list says who refreshes and when each access token runs out. Date is moved for the
// whole process (the authorization server, the bearer check and SQLite all read it).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
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
import type { ConnectedClient } from './api.ts';
import { DEFAULT_ACCESS_TOKEN_TTL_S, DEFAULT_REFRESH_TOKEN_TTL_S } from './auth/provider.ts';
import { DEFAULT_TOKEN_LIFETIMES } from './settings.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let host: ClientHost;
let porthole: PortholeWithAuth;

beforeAll(async () => {
  host = await startClientHost('ChatGPT-like');
  porthole = await startPortholeWithAuth({ connector: { clientMetadataFetch: trustingFetch(host.ca) } });
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await porthole?.close();
  await host?.close();
});

/** Date (only Date: timers and I/O run as usual) now reads `ms`, for the whole process. */
function setClock(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(ms);
}

/** A fetch that counts the client's requests to the token endpoint. */
function countingTokenRequests(): { fetch: typeof fetch; count: () => number } {
  let count = 0;
  const counting: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (url.pathname === '/token') count++;
    return fetch(input, init);
  };
  return { fetch: counting, count: () => count };
}

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { iat: number; exp: number };

const titles = (result: unknown) =>
  ((result as { structuredContent: { results: { title: string }[] } }).structuredContent.results ?? []).map(
    (r) => r.title,
  );

async function listed(clientId: string): Promise<ConnectedClient> {
  const client = (await porthole.connector.control.listClients()).find((c) => c.clientId === clientId);
  if (!client) throw new Error(`${clientId} is not listed`);
  return client;
}

/** A loopback client (DCR) connected through consent and GitHub; its tokens are in `memory`. */
async function connectDcr(redirect: string) {
  const client = await connectChatGptLike({
    mcpUrl: `${porthole.base}/mcp`,
    mode: 'dcr',
    dcrRedirectUrl: redirect,
    browser: approveWithRedirects(redirect),
  });
  const clientId = (client.provider.memory.client as { client_id: string }).client_id;
  return { ...client, clientId };
}

async function refresh(clientId: string, refreshToken: string) {
  const res = await fetch(`${porthole.base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
}

describe('token lifetimes', () => {
  it('default to 7-day access and 30-day refresh tokens, the same in settings and the provider', () => {
    expect(DEFAULT_TOKEN_LIFETIMES).toEqual({
      accessTokenSeconds: DEFAULT_ACCESS_TOKEN_TTL_S,
      refreshTokenSeconds: DEFAULT_REFRESH_TOKEN_TTL_S,
    });
    expect(DEFAULT_ACCESS_TOKEN_TTL_S).toBe(7 * 24 * 3600);
    expect(porthole.connector.state().auth.tokenLifetimes).toEqual(DEFAULT_TOKEN_LIFETIMES);
  });

  it('a client that never refreshes still searches after 25 hours, and is refused the moment it is revoked', async () => {
    const tokens = countingTokenRequests();
    const chatgpt = await connectChatGptLike({
      mcpUrl: `${porthole.base}/mcp`,
      mode: 'cimd',
      host,
      browser: approveWithRedirects(host.redirectUrl),
      fetch: tokens.fetch,
    });
    const accessToken = chatgpt.provider.memory.tokens?.access_token as string;
    const connectedAt = Date.now();
    const tokenRequestsToConnect = tokens.count();

    const before = await listed(host.clientId);
    expect(before.lastRefreshAt).toBeNull();
    const exchangedAt = Date.parse(before.lastCodeExchangeAt ?? '');
    expect(connectedAt - exchangedAt).toBeLessThan(60_000);
    // The expiry is the token's own, and ~7 days after it was issued.
    expect(Date.parse(before.accessExpiresAt ?? '')).toBe(exchangedAt + DEFAULT_ACCESS_TOKEN_TTL_S * 1000);
    expect(Math.abs(Date.parse(before.accessExpiresAt ?? '') - claims(accessToken).exp * 1000)).toBeLessThan(
      2000,
    );

    setClock(connectedAt + 25 * HOUR);
    expect(titles(await chatgpt.client.callTool({ name: 'search', arguments: { query: 'tram' } }))).toEqual([
      'Trip to Lisbon',
    ]);
    expect(tokens.count()).toBe(tokenRequestsToConnect);
    expect((await listed(host.clientId)).lastRefreshAt).toBeNull();

    await porthole.connector.control.revokeClient(host.clientId);
    const refused = await mcpToolsList(porthole.base, accessToken);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_token' });
    expect((await porthole.connector.control.listClients()).map((c) => c.clientId)).not.toContain(
      host.clientId,
    );
    await chatgpt.close();
  });

  it('a refresh is reported with its time and the new expiry, and survives a restart', async () => {
    const client = await connectDcr('http://127.0.0.1:9/lifetimes-refresh');
    const first = await listed(client.clientId);
    expect(first.lastRefreshAt).toBeNull();

    const refreshedAt = Date.parse(first.lastCodeExchangeAt ?? '') + 2 * DAY;
    setClock(refreshedAt);
    const next = await refresh(client.clientId, client.provider.memory.tokens?.refresh_token as string);
    expect(next.expires_in).toBe(DEFAULT_ACCESS_TOKEN_TTL_S);

    const after = await listed(client.clientId);
    expect(after).toMatchObject({
      lastCodeExchangeAt: first.lastCodeExchangeAt,
      lastRefreshAt: new Date(refreshedAt).toISOString(),
      accessExpiresAt: new Date(refreshedAt + DEFAULT_ACCESS_TOKEN_TTL_S * 1000).toISOString(),
    });
    await client.close();

    vi.useRealTimers();
    await porthole.connector.stop();
    const state = await porthole.connector.start();
    porthole.base = state.publicBaseUrl as string;
    expect(await listed(client.clientId)).toMatchObject({
      lastRefreshAt: after.lastRefreshAt,
      accessExpiresAt: after.accessExpiresAt,
    });
  });

  it('a change in Settings applies to the next token issued, without a restart', async () => {
    const client = await connectDcr('http://127.0.0.1:9/lifetimes-setting');
    await porthole.connector.control.setTokenLifetimes({
      accessTokenSeconds: 3600,
      refreshTokenSeconds: 86_400,
    });
    expect(porthole.connector.state().auth.tokenLifetimes).toEqual({
      accessTokenSeconds: 3600,
      refreshTokenSeconds: 86_400,
    });

    const next = await refresh(client.clientId, client.provider.memory.tokens?.refresh_token as string);
    expect(next.expires_in).toBe(3600);
    const { iat, exp } = claims(next.access_token);
    expect(exp - iat).toBe(3600);
    const listedAfter = await listed(client.clientId);
    expect(Date.parse(listedAfter.accessExpiresAt ?? '') - Date.parse(listedAfter.lastRefreshAt ?? '')).toBe(
      HOUR,
    );

    // One hour on, that short token is refused: the setting really bounds the access.
    setClock(Date.now() + HOUR + 60_000);
    expect((await mcpToolsList(porthole.base, next.access_token)).status).toBe(401);
    vi.useRealTimers();

    await expect(
      porthole.connector.control.setTokenLifetimes({
        accessTokenSeconds: 7 * 86_400,
        refreshTokenSeconds: 86_400,
      }),
    ).rejects.toThrow(/at least the access token lifetime/);
    expect(porthole.connector.state().auth.tokenLifetimes.accessTokenSeconds).toBe(3600);
    await porthole.connector.control.setTokenLifetimes({ ...DEFAULT_TOKEN_LIFETIMES });
    await client.close();
  });
});
