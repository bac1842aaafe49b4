// Screenshots of every view against the dev mock, light and dark, for looking at the UI:
//   npx vite --config renderer/vite.config.ts --port 5199 --host 127.0.0.1 &
//   node renderer/dev/screenshots.mjs [baseUrl]
// Writes e2e/artifacts/renderer-*.png (git-ignored) and prints any console error of the page.
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:5199/';
const out = new URL('../../e2e/artifacts/', import.meta.url);
mkdirSync(out, { recursive: true });

const shots = [
  { name: 'status', query: '?mock=1&live=0', hash: '#/status', wait: '[data-testid="connector-url"]' },
  { name: 'folders', query: '?mock=1&live=0', hash: '#/folders', wait: '[data-testid="folder-row"]' },
  { name: 'activity', query: '?mock=1&live=0', hash: '#/activity', wait: '[data-testid="activity-row"]' },
  { name: 'clients', query: '?mock=1&live=0', hash: '#/clients', wait: '[data-testid="client-row"]' },
  { name: 'settings', query: '?mock=1&live=0', hash: '#/settings', wait: 'text=Tunnel' },
  {
    name: 'settings-ngrok',
    query: '?mock=1&live=0&tunnel=ngrok',
    hash: '#/settings',
    wait: '[data-testid="ngrok-notes"]',
  },
  {
    name: 'status-url-changed',
    query: '?mock=1&live=0&changed=1',
    hash: '#/status',
    wait: '[data-testid="url-changed"]',
  },
  { name: 'setup', query: '?mock=setup', hash: '', wait: '[data-testid="github-one-click"]' },
  { name: 'unauthorized', query: '?mock=1&unauthorized=1', hash: '', wait: '[data-testid="unauthorized"]' },
  {
    name: 'reconnecting',
    query: '?mock=1&live=0&offline=1',
    hash: '#/folders',
    wait: '[data-testid="reconnecting-banner"]',
  },
  { name: 'empty', query: '?mock=1&live=0&empty=1', hash: '#/activity', wait: 'text=No activity yet' },
  {
    name: 'confirm',
    query: '?mock=1&live=0',
    hash: '#/folders',
    wait: '[data-testid="folder-row"]',
    act: async (page) => {
      await page.getByTestId('folder-row').first().getByRole('button', { name: 'Remove' }).click();
      await page.getByRole('dialog').waitFor();
    },
  },
  {
    name: 'activity-filtered',
    query: '?mock=1&live=0',
    hash: '#/activity',
    wait: '[data-testid="activity-row"]',
    act: async (page) => {
      await page.getByLabel('Filter activity').fill('fetch');
      await page.getByLabel('Errors only').check();
      await page.waitForTimeout(200);
    },
  },
  {
    name: 'keyboard-focus',
    query: '?mock=1&live=0',
    hash: '#/status',
    wait: '[data-testid="connector-url"]',
    act: async (page) => {
      for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    },
  },
  {
    name: 'activity-paused',
    query: '?mock=1&rate=300',
    hash: '#/activity',
    wait: '[data-testid="activity-row"]',
    act: async (page) => {
      await page.getByRole('button', { name: 'Pause auto-scroll' }).click();
      await page.getByText(/new · Jump to newest/).waitFor();
    },
  },
  {
    name: 'desktop-settings',
    query: '?mock=1&live=0&desktop=1',
    hash: '#/settings',
    wait: 'text=Launch at login',
  },
  {
    name: 'narrow-status',
    query: '?mock=1&live=0',
    hash: '#/status',
    wait: '[data-testid="connector-url"]',
    width: 700,
  },
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const only = process.env.SHOTS ? new Set(process.env.SHOTS.split(',')) : null;
try {
  for (const colorScheme of ['light', 'dark']) {
    for (const shot of shots) {
      if (only && !only.has(shot.name)) continue;
      const context = await browser.newContext({
        colorScheme,
        viewport: { width: shot.width ?? 1200, height: 860 },
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      // Only this machine: anything else (an avatar on the internet) is refused.
      await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          console.log(`[${shot.name}/${colorScheme}] console.${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) =>
        console.log(`[${shot.name}/${colorScheme}] pageerror: ${error.message}`),
      );
      await page.goto(`${base}${shot.query}${shot.hash}`);
      await page.locator(shot.wait).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(700);
      if (shot.act) await shot.act(page);
      const file = new URL(`renderer-${shot.name}-${colorScheme}.png`, out);
      await page.screenshot({ path: file.pathname });
      console.log(`wrote ${file.pathname}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
}
