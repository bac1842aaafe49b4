// Launches the built app (`npm run build` first) with Playwright where an Electron binary
// exists; elsewhere (this machine: the binary download is not allowed) it skips and says why.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CONTROL_METHODS, type ConnectorState, DESKTOP_METHODS, type PortholeBridge } from '../server/api.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const mainJs = path.join(root, 'out', 'main', 'main.js');
const indexHtml = path.join(root, 'out', 'renderer', 'index.html');

/**
 * Where the electron package put its binary, found the way its index.js does, without
 * requiring it: require('electron') tries to download a missing binary.
 */
function electronBinary(): string | null {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override
    ? path.join(override, relative ?? 'electron')
    : relative
      ? path.join(pkg, 'dist', relative)
      : null;
  return binary && existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const skipReason = !binary
  ? 'no Electron binary in node_modules/electron (it was not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD)'
  : !existsSync(mainJs) || !existsSync(indexHtml)
    ? 'the app is not built (run `npm run build`)'
    : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
      ? 'no display (run under xvfb-run)'
      : null;
if (skipReason) console.log(`electron/smoke.test.ts skipped: ${skipReason}`);

/** The page's global object, as the tests see it (this project's TypeScript has no DOM types). */
type Page = { porthole?: PortholeBridge; require?: unknown; process?: unknown; location: { href: string } };

describe('the desktop app', () => {
  it.skipIf(skipReason !== null)(
    'starts, opens its window on first run, gives the page exactly the bridge and nothing of Node',
    async () => {
      const userData = await mkdtemp(path.join(os.tmpdir(), 'porthole-smoke-'));
      const app = await electron.launch({
        executablePath: binary!,
        args: [mainJs],
        env: {
          ...process.env,
          PORTHOLE_USER_DATA_DIR: userData,
          // No tunnel to Cloudflare from a test: the tunnel fails, the rest runs.
          CLOUDFLARED_BIN: path.join(userData, 'no-cloudflared'),
          ELECTRON_RENDERER_URL: '',
        },
        timeout: 60_000,
      });
      try {
        const page = await app.firstWindow();
        await page.waitForLoadState('domcontentloaded');

        // Functions passed to evaluate() run in the page: they can use nothing from this module.
        const surface = await page.evaluate(() => {
          const w = globalThis as unknown as Page;
          return {
            bridge: Object.keys(w.porthole ?? {}).sort(),
            desktop: Object.keys(w.porthole?.desktop ?? {}).sort(),
            require: typeof w.require,
            process: typeof w.process,
          };
        });
        expect(surface).toEqual({
          bridge: [...CONTROL_METHODS, 'desktop', 'subscribe'].sort(),
          desktop: [...DESKTOP_METHODS].sort(),
          require: 'undefined',
          process: 'undefined',
        });

        const getState = async () =>
          (await page.evaluate(() => (globalThis as unknown as Page).porthole!.getState())) as ConnectorState;
        await expect.poll(async () => (await getState()).server.state, { timeout: 30_000 }).toBe('running');
        const state = await getState();
        expect(state.auth.owner).toBeNull();
        expect(state.dataDir).toBe(userData);

        // One window, and it is the one the page runs in.
        expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

        // Navigation away is refused: the page stays ours. (A file: URL, because an http(s)
        // one would be handed to the system browser.)
        await page.evaluate(() => {
          (globalThis as unknown as Page).location.href = 'file:///';
        });
        await page.waitForTimeout(500);
        expect(page.url()).toMatch(/^file:.*\/out\/renderer\/index\.html/);
      } finally {
        await app.close();
        await rm(userData, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
