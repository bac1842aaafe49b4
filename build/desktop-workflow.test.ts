// The desktop workflow (.github/workflows/desktop.yml), checked as far as it can be without
// GitHub: it parses, runs on every push and pull request on the three OSes, downloads Electron,
// runs the tests and the build, then the smoke test twice (the built app, then the packed one,
// whose path must be where electron-builder puts it), Linux on a virtual display.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { createConfig } from './electron-builder.config.ts';

const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
const text = read('../.github/workflows/desktop.yml');
const document = parseDocument(text);
const workflow = document.toJS();
const job = workflow.jobs.desktop;
type Step = { name?: string; run?: string; if?: string; uses?: string; env?: Record<string, string> };
const steps = job.steps as Step[];
const matrix = job.strategy.matrix.include as Array<{ os: string; packed: string }>;
const indexOf = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s.run ?? ''));
const smokeSteps = steps.filter((s) => /vitest run electron\/smoke\.test\.ts$/.test(s.run ?? ''));

describe('the desktop workflow', () => {
  it('is valid YAML and runs on every push and every pull request', () => {
    expect(document.errors).toEqual([]);
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    // No branch or path filters: every push is checked.
    expect(workflow.on.push).toBeNull();
    expect(workflow.on.pull_request).toBeNull();
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('runs on Linux, macOS and Windows, each to the end whatever the others do', () => {
    expect(matrix.map((m) => m.os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(job.strategy['fail-fast']).toBe(false);
  });

  it('downloads the Electron binary (its install script, which npm 11 does not run by itself)', () => {
    expect(text).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(indexOf(/^npm ci\b/)).toBeGreaterThan(indexOf(/npm install -g npm@11/));
    expect(indexOf(/^node node_modules\/electron\/install\.js$/)).toBeGreaterThan(indexOf(/^npm ci\b/));
  });

  it('runs npm test on Linux with the keychain and the browser required, on a display', () => {
    const test = steps.find((s) => s.run?.endsWith('npm test'));
    expect(test?.if).toBe("runner.os == 'Linux'");
    expect(test?.run).toBe('bash build/ci-session.sh npm test');
    expect(test?.env).toMatchObject({ PORTHOLE_REQUIRE_KEYCHAIN: '1', PORTHOLE_REQUIRE_CHROMIUM: '1' });
    const elsewhere = steps.find((s) => s.if === "runner.os != 'Linux'" && s.run?.includes('vitest'));
    expect(elsewhere?.run).toContain('npx vitest run build electron');
  });

  it('orders the steps: tests, build, Electron natives, smoke, cloudflared, pack, smoke of the packed app', () => {
    const order = [
      indexOf(/^node node_modules\/electron\/install\.js$/),
      indexOf(/npm test$/),
      indexOf(/^npm run build$/),
      indexOf(/^npx electron-builder install-app-deps$/),
      steps.indexOf(smokeSteps[0] as Step),
      indexOf(/^npx tsx build\/fetch-cloudflared\.ts$/),
      indexOf(/^npx electron-builder --config build\/electron-builder\.config\.ts --dir\b/),
      steps.indexOf(smokeSteps[1] as Step),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('runs the one smoke test twice, required to run, the second time on the packed executable', () => {
    expect(smokeSteps).toHaveLength(2);
    for (const step of smokeSteps) {
      expect(step.run).toBe('bash build/ci-session.sh npx vitest run electron/smoke.test.ts');
      expect(step.env?.PORTHOLE_REQUIRE_ELECTRON).toBe('1');
    }
    expect(smokeSteps[0]?.env?.PORTHOLE_SMOKE_EXECUTABLE).toBeUndefined();
    expect(smokeSteps[1]?.env?.PORTHOLE_SMOKE_EXECUTABLE).toBe(
      '${{ github.workspace }}/${{ matrix.packed }}',
    );
  });

  it('packs a test build (the inspector fuse kept for Playwright), unsigned, published nowhere', () => {
    const pack = steps.find((s) => s.run?.includes('--dir'));
    expect(pack?.run).toContain('--publish never');
    expect(pack?.env).toEqual({ PORTHOLE_TEST_BUILD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' });
  });

  it('starts the packed app where electron-builder --dir puts it on each OS', () => {
    const config = createConfig({});
    const out = config.directories?.output;
    const name = config.productName;
    expect(Object.fromEntries(matrix.map((m) => [m.os, m.packed]))).toEqual({
      'ubuntu-latest': `${out}/linux-unpacked/${config.linux?.executableName}`,
      // macos-latest is an Apple silicon runner.
      'macos-latest': `${out}/mac-arm64/${name}.app/Contents/MacOS/${name}`,
      'windows-latest': `${out}/win-unpacked/${name}.exe`,
    });
  });

  it('on Linux: installs the keyring, D-Bus and Xvfb, and runs tests and smoke tests inside them', () => {
    const linux = steps.find((s) => s.if === "runner.os == 'Linux'" && s.run?.includes('apt-get install'));
    for (const pkg of ['gnome-keyring', 'dbus-x11', 'xvfb', 'xauth']) expect(linux?.run).toContain(pkg);
    expect(linux?.run).toContain('kernel.apparmor_restrict_unprivileged_userns=0');
    const session = read('./ci-session.sh');
    expect(session).toContain('dbus-run-session --');
    expect(session).toContain('gnome-keyring-daemon --unlock --components=secrets');
    expect(session).toContain('xvfb-run -a $exec_line');
    expect(session).toMatch(/if \[ "\$\(uname -s\)" != "Linux" \]; then\n\s+exec "\$@"/);
  });
});
