import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDirs, tempDir, writeTree } from '../server/library/testing.ts';
import { chromiumMissing, launchChromium } from './browser.ts';
import { connectChatGptLike } from './fixtures/chatgpt-like.ts';
import { type DashboardHost, startDashboardHost } from './fixtures/dashboard-host.ts';
import { readFakeState } from './fixtures/fake-cloudflared-testing.ts';
import { DEFAULT_CLIENT } from './fixtures/fake-github.ts';
import { approveWithRedirects, tunnelFetch } from './fixtures/porthole-auth.ts';

// The dashboard in Chromium against the headless host (fake GitHub, fake cloudflared):
// a person goes from nothing to connected, then watches and controls what ChatGPT does.
// Screenshots of every view, light and dark, land in e2e/artifacts/ (git-ignored).

const ARTIFACTS = path.join(path.dirname(new URL(import.meta.url).pathname), 'artifacts');
const missing = chromiumMissing();
if (missing) console.log(`dashboard: skipped: ${missing}`);

let browser: Browser;
let host: DashboardHost;
let context: BrowserContext;
let page: Page;
let folder: string;

beforeAll(async () => {
  if (missing) return;
  browser = await launchChromium();
  host = await startDashboardHost();
  folder = await tempDir('porthole-dashboard-folder-');
  await writeTree(folder, {
    'garden.md': '# Garden\n\nTomatoes and basil by the south fence.',
    'notes/soup.txt': 'Tomato soup: tomatoes, onion, garlic, stock.',
  });
  context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1200, height: 860 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.control.url });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  if (folder) await removeDirs(folder);
});

async function shoot(name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function nav(name: string): Promise<void> {
  await page.getByRole('link', { name, exact: true }).click();
  await expect
    .poll(() => page.getByRole('link', { name, exact: true }).getAttribute('aria-current'))
    .toBe('page');
}

/** The fake cloudflared's edge: "the internet" side of the tunnel. */
function viaTunnel(publicUrl: string): typeof fetch {
  const [file] = readdirSync(host.fakeDir).filter((f) => f.endsWith('.json'));
  const state = readFakeState(host.fakeDir, Number(file!.replace('.json', '')))!;
  return tunnelFetch(publicUrl, state.port);
}

describe.skipIf(missing)('the dashboard', () => {
  it('opens with the link serve prints, and takes the token out of the address bar', async () => {
    await page.goto(host.control.dashboardUrl);
    await expect.poll(() => page.getByRole('heading', { name: 'Set up Porthole' }).isVisible()).toBe(true);
    expect(page.url()).not.toContain('token');
    await shoot('setup');
  });

  it('first run: OAuth App, sign in with GitHub, a first folder, the URL copied', async () => {
    await page.getByLabel('Client ID').fill(DEFAULT_CLIENT.clientId);
    await page.getByLabel('Client secret').fill('not-the-secret');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect
      .poll(() => page.getByText(/does not accept this client ID and secret/).isVisible())
      .toBe(true);
    await page.getByLabel('Client secret').fill(DEFAULT_CLIENT.clientSecret);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect.poll(() => host.connector.state().auth.github.configured).toBe(true);
    // The secret is never shown again: no field on the page holds it.
    await expect
      .poll(() =>
        page.locator('input').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value)),
      )
      .not.toContain(DEFAULT_CLIENT.clientSecret);

    const popup = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in with GitHub' }).first().click();
    const github = await popup;
    await github.waitForLoadState();
    await expect.poll(() => github.textContent('h1')).toBe('Signed in as @octocat');
    await github.close();
    await expect.poll(() => host.connector.state().auth.owner?.login).toBe('octocat');
    await expect.poll(() => page.getByText('@octocat').first().isVisible()).toBe(true);

    await page.getByLabel('Folder path').fill(folder);
    await page.getByRole('button', { name: 'Add folder' }).click();
    await expect.poll(() => host.connector.state().folders.map((f) => f.state)).toEqual(['watching']);

    await expect.poll(() => host.connector.state().tunnel.state, { timeout: 30_000 }).toBe('connected');
    const mcpUrl = host.connector.state().mcpUrl!;
    expect(mcpUrl).toMatch(/^https:\/\/[a-z-]+\.trycloudflare\.com\/mcp$/);
    await page.getByRole('button', { name: 'Copy connector URL' }).first().click();
    await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(mcpUrl);
    await shoot('setup-done');
  }, 60_000);

  it('shows every view', async () => {
    await nav('Status');
    await expect
      .poll(() => page.getByTestId('connector-url').first().textContent())
      .toContain(host.connector.state().mcpUrl!);
    await shoot('status');
    await nav('Folders');
    await expect.poll(() => page.getByTestId('folder-row').count()).toBe(1);
    await expect.poll(() => page.getByTestId('folder-counts').first().textContent()).toMatch(/2/);
    await shoot('folders');
    await nav('Settings');
    expect(await page.getByTestId('data-dir').textContent()).toContain(host.dataDir);
    await shoot('settings');
  });

  it("ChatGPT's requests appear in Activity as they happen; revoking it refuses its next request", async () => {
    await nav('Activity');
    const publicUrl = host.connector.state().tunnel.publicUrl!;
    const tunnel = viaTunnel(publicUrl);
    const redirect = 'http://127.0.0.1:9/callback';
    const chatgpt = await connectChatGptLike({
      mcpUrl: `${publicUrl}/mcp`,
      mode: 'dcr',
      dcrRedirectUrl: redirect,
      browser: approveWithRedirects(redirect, tunnel),
      fetch: tunnel,
    });
    await chatgpt.client.callTool({ name: 'search', arguments: { query: 'basil' } });
    // The row arrives live (no reload); how fast is the benchmarks' business, not a test's.
    await expect
      .poll(() => page.getByTestId('activity-row').filter({ hasText: 'basil' }).count())
      .toBeGreaterThan(0);
    await page.getByLabel('Filter activity').fill('basil');
    await expect.poll(() => page.getByTestId('activity-row').count()).toBe(1);
    await shoot('activity');
    await page.getByLabel('Filter activity').fill('');

    await nav('Clients');
    const row = page.getByTestId('client-row').filter({ hasText: 'ChatGPT-like (DCR)' });
    await expect.poll(() => row.count()).toBe(1);
    await shoot('clients');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Revoke/ })
      .click();
    await expect.poll(() => row.count()).toBe(0);
    await expect(
      chatgpt.client.callTool({ name: 'search', arguments: { query: 'basil' } }),
    ).rejects.toThrow();
  });
});
