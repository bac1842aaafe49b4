import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './browser.ts';
import {
  type ClientHost,
  connectChatGptLike,
  startClientHost,
  trustingFetch,
} from './fixtures/chatgpt-like.ts';
import { startFakeGitHub } from './fixtures/fake-github.ts';
import { type PortholeWithAuth, startPortholeWithAuth } from './fixtures/porthole-auth.ts';

// The whole connection as a person lives it, in a real browser: ChatGPT (our ChatGPT-like
// client) sends the browser to Porthole's consent page, the person continues to GitHub
// (the fake, with its account picker), picks an account, and comes back to the client.

const missing = chromiumMissing();
if (missing) console.log(`chatgpt-flow: skipped: ${missing}`);

let browser: Browser;
let host: ClientHost;
let porthole: PortholeWithAuth;

beforeAll(async () => {
  if (missing) return;
  browser = await launchChromium();
  host = await startClientHost('ChatGPT');
  porthole = await startPortholeWithAuth({
    github: await startFakeGitHub({ autoLoginUser: null }),
    files: {
      'plans/trip.md': '# Trip to Lisbon\n\nBook the tram tour on Tuesday.',
      'recipes/soup.txt': 'Tomato soup: tomatoes, onion, garlic, stock.',
    },
    connector: { clientMetadataFetch: trustingFetch(host.ca) },
  });
});

afterAll(async () => {
  await browser?.close();
  await porthole?.close();
  await porthole?.github.close();
  await host?.close();
});

/** The person: reads the consent page, continues, picks `login` on GitHub. Returns the final URL. */
function person(login: string, returnsTo: string, pages: Page[]) {
  return async (authorizationUrl: URL): Promise<string> => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    pages.push(page);
    await page.goto(authorizationUrl.toString());
    await expect.poll(() => page.textContent('h1')).toMatch(/wants to search and read your shared folders/);
    // The folder's name, not its local path: the visitor is not known to be the owner yet.
    const body = (await page.textContent('body')) ?? '';
    expect(body).toContain(path.basename(porthole.folder));
    expect(body).not.toContain(porthole.folder);
    await page.getByRole('button', { name: 'Continue with GitHub' }).click();
    await page.getByRole('button', { name: new RegExp(`Sign in as ${login}\\b`) }).click();
    await page.waitForURL((url) => url.toString().startsWith(returnsTo) || url.pathname.includes('/finish'));
    await page.waitForLoadState();
    return page.url();
  };
}

describe.skipIf(missing)('connecting ChatGPT in a browser', () => {
  it('CIMD: the owner approves as octocat; search and fetch return the right documents', async () => {
    const pages: Page[] = [];
    const chatgpt = await connectChatGptLike({
      mcpUrl: `${porthole.base}/mcp`,
      mode: 'cimd',
      host,
      browser: person('octocat', host.redirectUrl, pages),
    });
    expect(await pages[0]!.textContent('h1')).toBe('Connected');
    const search = await chatgpt.client.callTool({ name: 'search', arguments: { query: 'tram tour' } });
    const results = (search.structuredContent as { results: { id: string; title: string }[] }).results;
    expect(results.map((r) => r.title)).toEqual(['Trip to Lisbon']);
    const doc = await chatgpt.client.callTool({ name: 'fetch', arguments: { id: results[0]!.id } });
    expect((doc.structuredContent as { text: string }).text).toContain('Book the tram tour on Tuesday.');
    await chatgpt.close();
  });

  it('refuses mallory: a clear page, and no code for the client', async () => {
    const pages: Page[] = [];
    await expect(
      connectChatGptLike({
        mcpUrl: `${porthole.base}/mcp`,
        mode: 'cimd',
        host,
        browser: person('mallory', host.redirectUrl, pages),
      }),
    ).rejects.toThrow(/no code came back/);
    const body = (await pages[0]!.textContent('body')) ?? '';
    expect(body).toContain('This Porthole belongs to @octocat; you signed in as @mallory.');
  });

  it('DCR: a client that registers itself gets in the same way', async () => {
    const pages: Page[] = [];
    const redirect = `${host.origin}/connector/oauth/callback`;
    const client = await connectChatGptLike({
      mcpUrl: `${porthole.base}/mcp`,
      mode: 'dcr',
      dcrRedirectUrl: redirect,
      browser: person('octocat', redirect, pages),
    });
    const search = await client.client.callTool({ name: 'search', arguments: { query: 'soup' } });
    expect(
      (search.structuredContent as { results: { title: string }[] }).results.map((r) => r.title),
    ).toEqual(['soup.txt']);
    await client.close();
  });
});
