import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './browser.ts';
import { startFakeGitHub } from './fixtures/fake-github.ts';
import { type PortholeWithAuth, startPortholeWithAuth } from './fixtures/porthole-auth.ts';
import {
  freePort,
  INSPECTOR_LAUNCHER,
  installedVersion,
  node22,
  stopChild,
  waitForOutput,
} from './fixtures/real-clients.ts';

// The MCP Inspector's web UI (a real, pinned third-party client) in Chromium, used as a
// developer would: connect to Porthole, sign in (the page itself goes to Porthole's consent
// page and the fake GitHub's account picker, and comes back), list the tools, run search and
// fetch from the forms. Inspector 2.x sends its OAuth and MCP traffic through its own local
// backend (/api/fetch, /api/mcp/*), so this does not exercise CORS on Porthole's listener.

const missingChromium = chromiumMissing();
const nodeForInspector = node22();
const missing =
  missingChromium ??
  (nodeForInspector
    ? null
    : 'the MCP Inspector needs Node >= 22 (none here, in $PORTHOLE_NODE22 or e2e/node22)');
if (missing) console.log(`inspector-web: skipped: ${missing}`);

const TEST_MS = 180_000;
/** Each step waits for what the page shows next; on a busy machine the first render is slow. */
const STEP_MS = 60_000;

let porthole: PortholeWithAuth;
let browser: Browser;
let inspector: ChildProcess | undefined;
let inspectorUrl: string;
let dir: string;
const token = randomBytes(16).toString('hex');
const output: string[] = [];

beforeAll(async () => {
  if (missing) return;
  dir = await mkdtemp(path.join(tmpdir(), 'porthole-inspector-web-'));
  porthole = await startPortholeWithAuth({
    github: await startFakeGitHub({ autoLoginUser: null }),
    files: {
      'plans/trip.md': '# Trip to Lisbon\n\nBook the tram tour on Tuesday.',
      'recipes/soup.txt': 'Tomato soup: tomatoes, onion, garlic, stock.',
    },
  });
  // A read-only server list with just Porthole, so the UI shows it with its Connect switch.
  const config = path.join(dir, 'mcp.json');
  await writeFile(
    config,
    JSON.stringify({ mcpServers: { porthole: { type: 'streamable-http', url: `${porthole.base}/mcp` } } }),
  );
  const port = await freePort();
  inspectorUrl = `http://127.0.0.1:${port}`;
  inspector = spawn(nodeForInspector as string, [INSPECTOR_LAUNCHER, '--web', '--config', config], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      MCP_STORAGE_DIR: path.join(dir, 'storage'),
      MCP_INSPECTOR_SECRET_STORE: 'file',
      MCP_INSPECTOR_API_TOKEN: token,
      MCP_AUTO_OPEN_ENABLED: 'false',
      CLIENT_PORT: String(port),
      MCP_SANDBOX_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  inspector.stdout?.on('data', (chunk) => output.push(String(chunk)));
  inspector.stderr?.on('data', (chunk) => output.push(String(chunk)));
  await waitForOutput(inspector, /MCP Inspector Web is up and running/, output);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopChild(inspector);
  await porthole?.close();
  await porthole?.github.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A page that can reach loopback only: the UI asks for Google Fonts, which must not leave the machine. */
async function loopbackOnlyPage(): Promise<Page> {
  const context = await browser.newContext();
  await context.route(/.*/, (route) =>
    ['127.0.0.1', 'localhost'].includes(new URL(route.request().url()).hostname)
      ? route.continue()
      : route.abort(),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  return page;
}

async function runTool(page: Page, tool: RegExp, field: RegExp, value: string): Promise<void> {
  await page.getByRole('button', { name: tool }).click();
  await page.getByRole('textbox', { name: field }).fill(value);
  await page.getByRole('button', { name: 'Execute Tool' }).click();
}

describe.skipIf(missing)(
  `MCP Inspector ${installedVersion('@modelcontextprotocol/inspector')} web UI`,
  () => {
    it(
      'connects through the consent page and GitHub, lists the tools, runs search and fetch',
      async () => {
        const page = await loopbackOnlyPage();
        await page.goto(`${inspectorUrl}/?MCP_INSPECTOR_API_TOKEN=${token}`);
        // The switch's own track covers the input, so the click goes to where a person clicks.
        await page.getByRole('switch', { name: /Connect or disconnect "porthole"/ }).click({ force: true });

        await page.waitForURL((url) => url.origin === porthole.base);
        expect(await page.textContent('h1')).toMatch(/wants to search and read your shared folders/);
        await page.getByRole('button', { name: 'Continue with GitHub' }).click();
        await page.getByRole('button', { name: /^Sign in as octocat\b/ }).click();
        await page.waitForURL((url) => url.origin === inspectorUrl);
        await page.getByText('Connected', { exact: true }).waitFor();

        await page.locator('label', { hasText: /^Tools$/ }).click();
        await page.getByRole('button', { name: /Search shared files/ }).waitFor();
        await page.getByRole('button', { name: /Read a shared file/ }).waitFor();

        await runTool(page, /Search shared files/, /query/, 'tram tour');
        const found = /"id": "([^"]+)",\s*"title": "Trip to Lisbon"/;
        await expect.poll(() => page.locator('body').textContent(), { timeout: STEP_MS }).toMatch(found);
        const id = found.exec((await page.locator('body').textContent()) ?? '')?.[1] as string;

        await runTool(page, /Read a shared file/, /^id/, id);
        await page
          .getByText(/Book the tram tour on Tuesday\./)
          .first()
          .waitFor();
      },
      TEST_MS,
    );
  },
);
