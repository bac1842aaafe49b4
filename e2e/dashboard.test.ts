import { readdirSync, readFileSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentPage, messagePage } from '../server/auth/pages.ts';
import { removeDirs, tempDir, writeTree } from '../server/library/testing.ts';
import { renderDocumentPage } from '../server/viewer/render.ts';
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
let twins: string;

beforeAll(async () => {
  if (missing) return;
  browser = await launchChromium();
  host = await startDashboardHost();
  folder = await tempDir('porthole-dashboard-folder-');
  twins = await tempDir('porthole-dashboard-twins-');
  await writeTree(folder, {
    'garden.md': '# Garden\n\nTomatoes and basil by the south fence.',
    'notes/soup.txt': 'Tomato soup: tomatoes, onion, garlic, stock.',
  });
  context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.control.url });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  if (folder) await removeDirs(folder, twins);
});

const SIZES = [
  { label: '1280', width: 1280, height: 800 },
  { label: '420', width: 420, height: 700 },
] as const;

/** Every view at 1280×800 and 420×700, light and dark (then back to the wide light window). */
async function shoot(name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // Colour transitions (buttons) finish first, or the shot catches them half-way.
      await expect
        .poll(() =>
          page.evaluate<boolean>(
            "document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)",
          ),
        )
        .toBe(true);
      await page.screenshot({
        path: path.join(ARTIFACTS, `dashboard-${name}-${size.label}-${scheme}.png`),
        fullPage: true,
      });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The app is exactly the window: the page itself never scrolls, only the content pane does. */
async function pageOverflow(): Promise<{ vertical: number; horizontal: number }> {
  // A string, as the browser runs it: this file is compiled without the DOM's types.
  return page.evaluate<{ vertical: number; horizontal: number }>(
    '({ vertical: document.documentElement.scrollHeight - window.innerHeight, horizontal: document.documentElement.scrollWidth - window.innerWidth })',
  );
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
    // Five steps are taller than the window: the content pane scrolls, the page does not.
    expect(await pageOverflow()).toEqual({ vertical: 0, horizontal: 0 });
    expect(await page.locator('main').evaluate((m) => m.scrollHeight > m.clientHeight)).toBe(true);
    await shoot('setup');
  });

  it('loopback-only: Status says what ChatGPT still needs, and leads to it', async () => {
    await nav('Status');
    await expect.poll(() => page.getByTestId('local-only-lead').isVisible()).toBe(true);
    expect(await page.getByText('Paste this into ChatGPT').count()).toBe(0);
    expect(await page.getByText('This address changes when Porthole restarts').count()).toBe(0);
    const missing = await page.getByTestId('missing-list').textContent();
    expect(missing).toMatch(/GitHub sign-in/);
    expect(missing).toMatch(/tunnel/);
    await shoot('status-loopback');
    await page.getByRole('button', { name: 'Set up GitHub sign-in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Set up Porthole' }).isVisible()).toBe(true);
  });

  it('Setup offers the one-click GitHub App first, the OAuth App by hand as the alternative', async () => {
    await expect.poll(() => page.getByRole('heading', { name: 'Set up Porthole' }).isVisible()).toBe(true);
    const oneClick = page.getByRole('button', { name: 'Create GitHub App (one click)' });
    await expect.poll(() => oneClick.isVisible()).toBe(true);
    const manual = page.getByTestId('github-manual');
    expect(await manual.getAttribute('open')).toBeNull();
    expect((await oneClick.boundingBox())!.y).toBeLessThan((await manual.boundingBox())!.y);
    // The button opens Porthole's own page, which carries the manifest to GitHub.
    const popup = context.waitForEvent('page');
    await oneClick.click();
    const setupPage = await popup;
    await setupPage.waitForLoadState();
    expect(await setupPage.textContent('h1')).toBe('Create Porthole’s GitHub App');
    await setupPage.close();
    await expect.poll(() => page.getByText('Waiting for GitHub…').isVisible()).toBe(true);
    await shoot('setup-one-click');
  });

  it('first run: OAuth App, sign in with GitHub, a first folder, the URL copied', async () => {
    await page.getByLabel('Client ID').fill(DEFAULT_CLIENT.clientId);
    await page.getByLabel('Client secret').fill('not-the-secret');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect
      .poll(() => page.getByText(/does not accept this client ID and secret/).isVisible())
      .toBe(true);
    // A failed save keeps what was pasted, so fixing it does not mean generating a new secret.
    expect(await page.getByLabel('Client secret').inputValue()).toBe('not-the-secret');
    await page.getByLabel('Client secret').fill(DEFAULT_CLIENT.clientSecret);
    // No keychain: one human line, the D-Bus text behind "Details", the secret still in its field.
    host.secrets.failWrites = true;
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect.poll(() => page.getByText(/could not reach the system keychain/).isVisible()).toBe(true);
    expect(await page.getByText(/org\.freedesktop/).isVisible()).toBe(false);
    await page.getByText('Details', { exact: true }).click();
    await expect.poll(() => page.getByText(/org\.freedesktop\.secrets/).isVisible()).toBe(true);
    expect(await page.getByLabel('Client secret').inputValue()).toBe(DEFAULT_CLIENT.clientSecret);
    await shoot('setup-keychain-error');
    host.secrets.failWrites = false;
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

    // A relative path is refused with a way out, in the window and by the connector itself.
    await page.getByLabel('Folder path').fill('notes');
    await page.getByRole('button', { name: 'Add folder' }).click();
    await expect.poll(() => page.getByText(/is a relative path/).isVisible()).toBe(true);
    await expect(host.connector.control.addFolder('notes')).rejects.toThrow(/relative path/);
    await page.getByLabel('Folder path').fill(folder);
    await page.getByRole('button', { name: 'Add folder' }).click();
    await expect.poll(() => host.connector.state().folders.map((f) => f.state)).toEqual(['watching']);

    // 4 of 5: the Setup entry stays until the last step is done; done steps are one row each.
    await expect.poll(() => page.getByRole('link', { name: 'Setup', exact: true }).isVisible()).toBe(true);
    const marker = await page.getByTestId('setup-step-folder').locator('.step-marker').boundingBox();
    const title = await page.getByTestId('setup-step-folder').locator('.step-title').boundingBox();
    expect(
      Math.abs((marker?.y ?? 0) + (marker?.height ?? 0) / 2 - ((title?.y ?? 0) + (title?.height ?? 0) / 2)),
    ).toBeLessThan(8);
    expect(await pageOverflow()).toEqual({ vertical: 0, horizontal: 0 });

    await expect.poll(() => host.connector.state().tunnel.state, { timeout: 30_000 }).toBe('connected');
    const mcpUrl = host.connector.state().mcpUrl!;
    expect(mcpUrl).toMatch(/^https:\/\/[a-z-]+\.trycloudflare\.com\/mcp$/);
    await page.getByRole('button', { name: 'Copy connector URL' }).first().click();
    await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(mcpUrl);
    await shoot('setup-done');
    // 5 of 5: out of the navigation once you leave it, still one click away from Status.
    await nav('Status');
    await expect.poll(() => page.getByRole('link', { name: 'Setup', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Open the setup steps' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Set up Porthole' }).isVisible()).toBe(true);
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
    // Two folders both called "notes": each shows its parent. A dangling link is a "broken link".
    await writeTree(twins, { 'work/notes/plan.md': '# Plan', 'personal/notes/list.md': '# List' });
    await symlink(path.join(twins, 'nowhere.md'), path.join(twins, 'work/notes/gone.md'));
    await host.connector.control.addFolder(path.join(twins, 'work/notes'));
    await host.connector.control.addFolder(path.join(twins, 'personal/notes'));
    await expect.poll(() => page.getByTestId('folder-row').count()).toBe(3);
    await expect
      .poll(() => page.locator('.folder-name').allTextContents())
      .toEqual(expect.arrayContaining(['notes · work', 'notes · personal']));
    const work = page.getByTestId('folder-row').filter({ hasText: 'notes · work' });
    await expect.poll(() => work.getByText('1 file could not be indexed').isVisible()).toBe(true);
    await work.getByText('1 file could not be indexed').click();
    expect(await work.locator('.error-reason').textContent()).toMatch(/^broken link/);
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

    // Enough rows to scroll: scrolling away pauses, and the button says so; back on top follows.
    for (let i = 0; i < 40; i++)
      await chatgpt.client.callTool({ name: 'search', arguments: { query: `q${i}` } });
    await expect.poll(() => page.getByTestId('activity-row').filter({ hasText: 'q39' }).count()).toBe(1);
    const log = page.locator('.log-scroll');
    await log.evaluate((el) => {
      el.scrollTop = 400;
    });
    await expect.poll(() => page.getByTestId('auto-scroll').textContent()).toBe('Resume auto-scroll');
    await log.evaluate((el) => {
      el.scrollTop = 0;
    });
    await expect.poll(() => page.getByTestId('auto-scroll').textContent()).toBe('Pause auto-scroll');

    // Export saves what the connector keeps on disk, not only the rows loaded here.
    await host.connector.control.listActivity(); // (the log flushes on export itself)
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSONL' }).click();
    const saved = readFileSync((await (await download).path())!, 'utf8')
      .trimEnd()
      .split('\n');
    const onDisk = readFileSync(path.join(host.dataDir, 'activity', 'activity.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(saved.length).toBeGreaterThanOrEqual(onDisk.length);
    expect(saved.length).toBeGreaterThan(40);
    expect(saved.slice(0, onDisk.length)).toEqual(onDisk);

    await nav('Clients');
    const row = page.getByTestId('client-row').filter({ hasText: 'ChatGPT-like (DCR)' });
    await expect.poll(() => row.count()).toBe(1);
    await shoot('clients');
    // Escape closes the dialog and gives the focus back to the button that opened it.
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect
      .poll(() => page.evaluate<string>('document.activeElement?.textContent ?? ""'))
      .toMatch(/^Revoke/);
    expect(
      await page.evaluate<string>(
        'document.activeElement?.closest("[data-testid=client-row]")?.textContent ?? ""',
      ),
    ).toContain('ChatGPT-like (DCR)');
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

  it('at 420 px: every view one tap away, the status whole, nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 420, height: 700 });
    try {
      for (const name of ['Status', 'Folders', 'Activity', 'Clients', 'Settings']) {
        const link = page.getByRole('link', { name, exact: true });
        const box = await link.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= 420, `${name} within the window`).toBe(true);
      }
      const pill = page.locator('.sidebar-status-text');
      expect(await pill.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      expect(await pill.isVisible()).toBe(true);
      for (const name of ['Status', 'Folders', 'Activity', 'Clients', 'Settings']) {
        await nav(name);
        expect(await pageOverflow(), name).toEqual({ vertical: 0, horizontal: 0 });
        expect(await page.locator('main').evaluate((m) => m.scrollWidth <= m.clientWidth), name).toBe(true);
      }
      await nav('Activity');
      await expect.poll(() => page.getByTestId('activity-row').count()).toBeGreaterThan(0);
      expect(await page.locator('.log-scroll').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('the consent, denied and document pages wear the same look, light and dark, wide and narrow', async () => {
    const pages = {
      consent: consentPage({
        uid: 'u1',
        csrf: 'c',
        clientName: 'ChatGPT',
        clientHost: 'chatgpt.com',
        redirectHost: 'chatgpt.com',
        folders: ['Notes', 'Recipes'],
        githubReady: true,
      }),
      denied: messagePage('Access denied', 'This Porthole belongs to @octocat; you signed in as @mallory.', {
        href: '#',
        text: 'Return to the app',
      }),
      viewer: renderDocumentPage({
        id: 'd1',
        title: 'Garden',
        folderName: path.basename(folder),
        path: 'garden.md',
        kind: 'markdown',
        text: '# Garden\n\nTomatoes and **basil** by the south fence.\n\n```\nwater: daily\n```',
        size: 64,
        modifiedAt: '2025-03-04T05:06:07.000Z',
        truncated: false,
      } as Parameters<typeof renderDocumentPage>[0]),
    };
    for (const [name, html] of Object.entries(pages)) {
      await page.setContent(html);
      expect(await page.locator('.brand').textContent()).toBe('Porthole');
      await shoot(`page-${name}`);
    }
  });
});
