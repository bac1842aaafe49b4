import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './browser.ts';
import { memoryOAuthClient } from './fixtures/memory-oauth-client.ts';
import {
  approveWithRedirects,
  type PortholeWithAuth,
  startPortholeWithAuth,
} from './fixtures/porthole-auth.ts';

// An MCP client that runs in a web page on another origin (as MCP Inspector's web UI does, from
// http://localhost:6274), in a real Chromium: what its CORS requests may read, and what not.

const missing = chromiumMissing();
if (missing) console.log(`browser-mcp-client: skipped: ${missing}`);

let browser: Browser;
let porthole: PortholeWithAuth;
let site: Server;
let page: Page;

beforeAll(async () => {
  if (missing) return;
  porthole = await startPortholeWithAuth();
  // The client's own site: an empty page on another origin (localhost, not 127.0.0.1, another port).
  site = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>client</p>'),
  );
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`http://localhost:${(site.address() as AddressInfo).port}/`);
});

afterAll(async () => {
  await browser?.close();
  await porthole?.close();
  await new Promise((resolve) => site?.close(resolve));
});

/** fetch() in the page; a CORS refusal comes back as { error }. */
function fetchInPage(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
) {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const res = await fetch(url, init);
        return {
          status: res.status,
          wwwAuthenticate: res.headers.get('www-authenticate'),
          body: await res.text(),
          error: null,
        };
      } catch (error) {
        return { status: 0, wwwAuthenticate: null, body: '', error: String(error) };
      }
    },
    { url, init },
  );
}

const TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
const mcpHeaders = (token?: string) => ({
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-06-18',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

/** A token the owner approved, got the way the page's client would (its OAuth flow, done here in Node). */
async function approvedToken(): Promise<string> {
  const callback = 'http://localhost:6274/oauth/callback';
  const provider = memoryOAuthClient({
    callback,
    clientName: 'In-browser client',
    grantTypes: ['authorization_code'],
  });
  const serverUrl = new URL(`${porthole.base}/mcp`);
  await auth(provider, { serverUrl });
  const back = await approveWithRedirects(callback)(provider.authorizationUrl as URL);
  await auth(provider, { serverUrl, authorizationCode: new URL(back).searchParams.get('code') ?? '' });
  return provider.accessToken();
}

describe.skipIf(missing)('an MCP client in a web page on another origin', () => {
  it('reads the OAuth metadata and registers itself', async () => {
    const metadata = await fetchInPage(`${porthole.base}/.well-known/oauth-protected-resource/mcp`, {});
    expect(metadata.error).toBeNull();
    expect(JSON.parse(metadata.body)).toMatchObject({ resource: `${porthole.base}/mcp` });
    const registered = await fetchInPage(`${porthole.base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'In-browser client',
        redirect_uris: ['http://localhost:6274/oauth/callback'],
        token_endpoint_auth_method: 'none',
      }),
    });
    expect(registered.error).toBeNull();
    expect(registered.status).toBe(201);
  });

  it('cannot call /mcp without a token: the browser gets no readable answer', async () => {
    const res = await fetchInPage(`${porthole.base}/mcp`, {
      method: 'POST',
      headers: mcpHeaders(),
      body: TOOLS_LIST,
    });
    expect(res.error).toMatch(/Failed to fetch/);
  });

  it('reads the 401 and its WWW-Authenticate for a bad token, and the tools with a good one', async () => {
    const refused = await fetchInPage(`${porthole.base}/mcp`, {
      method: 'POST',
      headers: mcpHeaders('not-a-token'),
      body: TOOLS_LIST,
    });
    expect(refused.error).toBeNull();
    expect(refused.status).toBe(401);
    expect(refused.wwwAuthenticate).toContain('resource_metadata=');
    const served = await fetchInPage(`${porthole.base}/mcp`, {
      method: 'POST',
      headers: mcpHeaders(await approvedToken()),
      body: TOOLS_LIST,
    });
    expect(served.error).toBeNull();
    expect(served.status).toBe(200);
    expect(served.body).toContain('"search"');
  });
});
