// Starts the desktop app for real with Playwright: the built app (`npm run build`) on the
// electron package's binary, or the packed app named by PORTHOLE_SMOKE_EXECUTABLE (the desktop
// workflow runs this file both ways, .github/workflows/desktop.yml). It checks the window and
// its bridge, the tray, the connector answering on loopback, the tunnel's cloudflared (the fake
// one, e2e/fixtures) and a clean quit that leaves no cloudflared behind; for a packed app also
// the asar, the unpacked native modules, the fuses and the bundled cloudflared.
// Where there is no Electron binary (this machine: its download is not allowed) it skips and
// says why (electron/smoke-testing.ts). Navigation guards are tested on the handlers
// (electron/window.test.ts): a refused navigation has no event to wait for here.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ElectronApplication, _electron as electron, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import checksums from '../build/cloudflared-checksums.json' with { type: 'json' };
import { FAKE_CLOUDFLARED, isAlive } from '../e2e/fixtures/fake-cloudflared-testing.ts';
import { DEFAULT_CLIENT, type FakeGitHub, startFakeGitHub } from '../e2e/fixtures/fake-github.ts';
import { CONTROL_METHODS, type ConnectorState, DESKTOP_METHODS, type PortholeBridge } from '../server/api.ts';
import { fuseSettings } from './fuses.ts';
import { pinnedBinarySha256, smokePlan } from './smoke-testing.ts';

const { target, skipReason } = smokePlan();
if (skipReason) console.log(`electron/smoke.test.ts skipped: ${skipReason}`);
/** The fake cloudflared is a shell script: Windows cannot start it, so its tunnel is not run there. */
const withTunnel = process.platform !== 'win32';

/** The page's global object, as the tests see it (this project's TypeScript has no DOM types). */
type PageGlobal = { porthole?: PortholeBridge; require?: unknown; process?: unknown };

describe.skipIf(skipReason !== null)(`the desktop app (${target?.packed ? 'packed' : 'built'})`, () => {
  let scratch: string;
  let fakeDir: string;
  let app: ElectronApplication;
  let page: Page;
  let github: FakeGitHub;
  // Functions passed to evaluate() run in the page (or the main process): they can use nothing
  // from this module.
  const getState = async () =>
    (await page.evaluate(() => (globalThis as unknown as PageGlobal).porthole!.getState())) as ConnectorState;
  let logFile: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'porthole-smoke-'));
    fakeDir = path.join(scratch, 'fake-cloudflared');
    await mkdir(fakeDir);
    github = await startFakeGitHub();
    app = await electron.launch({
      executablePath: target!.executablePath,
      args: target!.args,
      env: {
        ...process.env,
        PORTHOLE_USER_DATA_DIR: path.join(scratch, 'user-data'),
        // Never a tunnel to Cloudflare from a test: the fake cloudflared, with its edge on loopback.
        CLOUDFLARED_BIN: withTunnel ? FAKE_CLOUDFLARED : path.join(scratch, 'no-cloudflared'),
        FAKE_CLOUDFLARED_STATE_DIR: fakeDir,
        FAKE_CLOUDFLARED_DELAY_MS: '50',
        ELECTRON_RENDERER_URL: '',
        // No update check against GitHub Releases from a test.
        PORTHOLE_AUTO_UPDATE: '0',
        PORTHOLE_TEST_BUILD: '1',
      },
      timeout: 60_000,
    });
    logFile = path.join(await app.evaluate(({ app }) => app.getPath('logs')), 'porthole.log');
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => {});
    await github?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('opens its window on first run, and gives the page exactly the bridge and nothing of Node', async () => {
    // Functions passed to evaluate() run in the page: they can use nothing from this module.
    const surface = await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobal;
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
    // One window, and it is the one the page runs in.
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('the bridge returns the running connector, which answers /healthz on loopback', async () => {
    await expect.poll(async () => (await getState()).server.state, { timeout: 30_000 }).toBe('running');
    const state = await getState();
    expect(state.auth.owner).toBeNull();
    expect(state.dataDir).toBe(path.join(scratch, 'user-data'));
    expect(state.server.localUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${state.server.localUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
  });

  it('indexes a folder: the index writer runs in its worker thread inside the app', async () => {
    const folder = path.join(scratch, 'notes');
    await mkdir(folder);
    await writeFile(path.join(folder, 'plan.md'), '# Plan\n\nThe smoke test was here.\n');
    await page.evaluate((p) => (globalThis as unknown as PageGlobal).porthole!.addFolder(p), folder);
    await expect
      .poll(async () => (await getState()).folders.map((f) => [f.state, f.indexed, f.message]), {
        timeout: 30_000,
      })
      .toEqual([['watching', 1, null]]);
  });

  it('puts its icon in the tray', async () => {
    await expect.poll(() => thisRunsLog(logFile)).toMatch(/ tray: created\n/);
  });

  it.skipIf(!withTunnel)(
    'starts cloudflared once a GitHub App is set up, and reaches the public URL',
    async () => {
      // The fake GitHub's OAuth App: with one set up, the connector lets the tunnel start.
      const githubApp = {
        clientId: DEFAULT_CLIENT.clientId,
        clientSecret: DEFAULT_CLIENT.clientSecret,
        webUrl: github.url,
        apiUrl: github.apiUrl,
      };
      await page.evaluate((a) => (globalThis as unknown as PageGlobal).porthole!.setGitHubApp(a), githubApp);
      await expect.poll(async () => (await getState()).tunnel.state, { timeout: 30_000 }).toBe('connected');
      expect((await getState()).tunnel.publicUrl).toMatch(/^https:\/\/[a-z-]+\.trycloudflare\.com$/);
      const pids = await fakePids(fakeDir);
      expect(pids).toHaveLength(1);
      expect(isAlive(pids[0]!)).toBe(true);
    },
  );

  it.skipIf(!target?.packed)(
    'packed: runs from app.asar, native modules unpacked, fuses flipped',
    async () => {
      const where = await app.evaluate(({ app }) => ({
        packaged: app.isPackaged,
        appPath: app.getAppPath(),
        resources: process.resourcesPath,
      }));
      expect(where.packaged).toBe(true);
      expect(path.basename(where.appPath)).toBe('app.asar');
      const sqlite = ['node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'];
      expect(existsSync(path.join(where.resources, 'app.asar.unpacked', ...sqlite))).toBe(true);
      // The connector runs (the test above), so that unpacked better-sqlite3 loaded in Electron.
      const { getCurrentFuseWire, FuseV1Options, FuseState } = await import('@electron/fuses');
      const wire = (await getCurrentFuseWire(target!.executablePath)) as unknown as Record<number, number>;
      for (const [fuse, on] of Object.entries(fuseSettings({ PORTHOLE_TEST_BUILD: '1' })))
        expect(wire[FuseV1Options[fuse as keyof typeof FuseV1Options]], fuse).toBe(
          on ? FuseState.ENABLE : FuseState.DISABLE,
        );
    },
  );

  it.skipIf(!target?.packed)('packed: bundles the pinned cloudflared, which runs on this OS', async () => {
    const resources = await app.evaluate(() => process.resourcesPath);
    const bundled = path.join(
      resources,
      'cloudflared',
      process.platform === 'win32' ? 'cloudflared.exe' : 'cloudflared',
    );
    // macOS: packing may sign the binaries inside the app (ad hoc on Apple silicon), which
    // changes their bytes; elsewhere the file is the one fetch-cloudflared checked.
    if (process.platform !== 'darwin') {
      const sha256 = createHash('sha256')
        .update(await readFile(bundled))
        .digest('hex');
      expect(sha256).toBe(pinnedBinarySha256(process.platform, process.arch));
    }
    // --version prints and exits: nothing leaves the machine.
    const { stdout } = await promisify(execFile)(bundled, ['--version']);
    expect(stdout).toContain(`cloudflared version ${checksums.version}`);
  });

  it('quits cleanly when asked, and leaves no cloudflared behind', async () => {
    const pids = await fakePids(fakeDir);
    const exited = new Promise<number | null>((resolve) =>
      app.process().once('exit', (code) => resolve(code)),
    );
    await app.close();
    expect(await exited).toBe(0);
    expect(await thisRunsLog(logFile)).toContain('Porthole quitting');
    // The fake removes its state file when it exits cleanly (SIGTERM), as the connector stops it.
    expect(await fakePids(fakeDir)).toEqual([]);
    for (const pid of pids) expect(isAlive(pid), `cloudflared ${pid}`).toBe(false);
  });
});

/** The app's log from this run's first line on (on macOS every run writes to the same file). */
async function thisRunsLog(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const starts = [...text.matchAll(/Porthole \S+ \(Electron [^)]+\) starting\n/g)];
  return text.slice(starts.at(-1)?.index ?? text.length);
}

/** The pids of the fake cloudflared processes running (each writes <pid>.json while it runs). */
async function fakePids(dir: string): Promise<number[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  return files.filter((f) => /^\d+\.json$/.test(f)).map((f) => Number.parseInt(f, 10));
}
