import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../server/connector.ts';
import { createConnector } from '../server/connector.ts';
import { removeDirs, tempDir, writeTree } from '../server/library/testing.ts';
import { MemorySecretStore } from '../server/secrets.ts';
import { chromiumMissing, launchChromium } from './browser.ts';
import {
  type ClientHost,
  connectChatGptLike,
  startClientHost,
  trustingFetch,
} from './fixtures/chatgpt-like.ts';
import { type FakeGitHub, startFakeGitHub } from './fixtures/fake-github.ts';

// The one-click setup as a person lives it, in a real browser, from a Porthole with no GitHub
// app at all: Porthole's page sends the manifest to GitHub (the fake), the person presses
// "Create GitHub App", comes back, signs in as the owner through the new GitHub App, and then
// ChatGPT (our ChatGPT-like client) connects through it exactly as through an OAuth App
// (chatgpt-flow.test.ts runs the same connection with an OAuth App).

const missing = chromiumMissing();
if (missing) console.log(`github-app-flow: skipped: ${missing}`);

let browser: Browser;
let host: ClientHost;
let github: FakeGitHub;
let connector: Connector;
let dataDir: string;
let folder: string;
const logLines: string[] = [];

beforeAll(async () => {
  if (missing) return;
  browser = await launchChromium();
  host = await startClientHost('ChatGPT');
  github = await startFakeGitHub({ autoLoginUser: null });
  dataDir = await tempDir('porthole-github-app-');
  folder = await tempDir();
  await writeTree(folder, { 'plans/trip.md': '# Trip to Lisbon\n\nBook the tram tour on Tuesday.' });
  connector = createConnector({
    dataDir,
    port: 0,
    watch: false,
    tunnel: 'off',
    log: (line) => logLines.push(line),
    secrets: new MemorySecretStore(),
    clientMetadataFetch: trustingFetch(host.ca),
  });
  await connector.start();
  await connector.control.addFolder(folder);
  await connector.library.whenIdle();
});

afterAll(async () => {
  await browser?.close();
  await connector?.stop();
  await github?.close();
  await host?.close();
  if (dataDir) await removeDirs(dataDir, folder);
});

async function newPage(): Promise<Page> {
  return (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
}

describe.skipIf(missing)('one-click GitHub App, then ChatGPT through it', () => {
  it('creates the GitHub App on GitHub from the manifest', async () => {
    const { url } = await connector.control.beginGitHubAppSetup({
      webUrl: github.url,
      apiUrl: github.apiUrl,
    });
    const page = await newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Continue to GitHub' }).click();
    await page.getByRole('button', { name: 'Create GitHub App' }).click();
    await expect.poll(() => page.textContent('h1')).toMatch(/^GitHub App Porthole-[0-9a-f]{6} is ready$/);
    const created = github.createdApps().at(-1)!;
    expect(connector.state().auth.github).toMatchObject({
      configured: true,
      kind: 'github-app',
      clientId: created.clientId,
    });
    expect(logLines.join('\n')).not.toContain(created.clientSecret);
  });

  it('signs the owner in through the GitHub App', async () => {
    const { url } = await connector.control.beginOwnerSignIn();
    const page = await newPage();
    await page.goto(url);
    await page.getByRole('button', { name: /Sign in as octocat\b/ }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Signed in as @octocat');
    expect(connector.state().auth.owner?.login).toBe('octocat');
  });

  it('connects ChatGPT (CIMD) through the GitHub App: consent, GitHub, search and fetch', async () => {
    const page = await newPage();
    const base = connector.state().publicBaseUrl!;
    const chatgpt = await connectChatGptLike({
      mcpUrl: `${base}/mcp`,
      mode: 'cimd',
      host,
      browser: async (authorizationUrl) => {
        await page.goto(authorizationUrl.toString());
        await expect
          .poll(() => page.textContent('h1'))
          .toMatch(/wants to search and read your shared folders/);
        // No stable public URL: the page says where to finish before anyone goes to GitHub.
        expect(await page.getByTestId('this-computer-only').textContent()).toContain(
          'Do this on the computer where Porthole runs.',
        );
        await page.getByRole('button', { name: 'Continue with GitHub' }).click();
        await page.getByRole('button', { name: /Sign in as octocat\b/ }).click();
        await page.waitForURL((u) => u.toString().startsWith(host.redirectUrl));
        return page.url();
      },
    });
    const search = await chatgpt.client.callTool({ name: 'search', arguments: { query: 'tram tour' } });
    const results = (search.structuredContent as { results: { id: string; title: string }[] }).results;
    expect(results.map((r) => r.title)).toEqual(['Trip to Lisbon']);
    const doc = await chatgpt.client.callTool({ name: 'fetch', arguments: { id: results[0]!.id } });
    expect((doc.structuredContent as { text: string }).text).toContain('Book the tram tour on Tuesday.');
    // GitHub's user token (a ghu_ one, with a refresh token) was revoked at once.
    const token = github.revokedTokens().at(-1)!;
    expect(token.accessToken.startsWith('ghu_')).toBe(true);
    await chatgpt.close();
  });
});
