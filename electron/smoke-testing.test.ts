// When the smoke test runs, skips or fails (electron/smoke-testing.ts): CI must not pass by skipping.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import checksums from '../build/cloudflared-checksums.json' with { type: 'json' };
import { pinnedBinarySha256, smokePlan } from './smoke-testing.ts';

let dir: string;
let packed: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'porthole-smoke-plan-'));
  packed = path.join(dir, 'porthole');
  await writeFile(packed, 'a packed app');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** No Electron binary: the override points at an empty folder. */
const noElectron = () => ({ ELECTRON_OVERRIDE_DIST_PATH: dir });

describe('smokePlan', () => {
  it('skips, saying why, where there is no Electron binary', () => {
    expect(smokePlan(noElectron(), 'linux')).toEqual({
      target: null,
      skipReason:
        'no Electron binary in node_modules/electron (it was not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD)',
    });
  });

  it('fails instead when PORTHOLE_REQUIRE_ELECTRON=1 (the desktop workflow)', () => {
    expect(() => smokePlan({ ...noElectron(), PORTHOLE_REQUIRE_ELECTRON: '1' }, 'linux')).toThrow(
      'PORTHOLE_REQUIRE_ELECTRON=1 but the smoke test can not run: no Electron binary',
    );
  });

  it('starts the packed executable named by PORTHOLE_SMOKE_EXECUTABLE, with no script argument', () => {
    expect(smokePlan({ PORTHOLE_SMOKE_EXECUTABLE: packed, DISPLAY: ':99' }, 'linux')).toEqual({
      target: { executablePath: packed, args: [], packed: true },
      skipReason: null,
    });
    expect(smokePlan({ PORTHOLE_SMOKE_EXECUTABLE: packed }, 'win32').target?.packed).toBe(true);
  });

  it('a packed executable that is not there is an error, never a skip', () => {
    const missing = path.join(dir, 'no-such-app');
    expect(() => smokePlan({ PORTHOLE_SMOKE_EXECUTABLE: missing }, 'linux')).toThrow(
      `PORTHOLE_SMOKE_EXECUTABLE=${missing} does not exist`,
    );
  });

  it('needs a display on Linux (xvfb-run), and requires one when asked to', () => {
    expect(smokePlan({ PORTHOLE_SMOKE_EXECUTABLE: packed }, 'linux').skipReason).toBe(
      'no display (run under xvfb-run)',
    );
    expect(() =>
      smokePlan({ PORTHOLE_SMOKE_EXECUTABLE: packed, PORTHOLE_REQUIRE_ELECTRON: '1' }, 'linux'),
    ).toThrow('no display');
  });
});

describe('pinnedBinarySha256', () => {
  it('is the asset hash for a raw binary and the inner one for a macOS archive', () => {
    expect(pinnedBinarySha256('linux', 'x64')).toBe(checksums.assets['cloudflared-linux-amd64'].sha256);
    expect(pinnedBinarySha256('win32', 'arm64')).toBe(
      checksums.assets['cloudflared-windows-amd64.exe'].sha256,
    );
    expect(pinnedBinarySha256('darwin', 'arm64')).toBe(
      checksums.assets['cloudflared-darwin-arm64.tgz'].binarySha256,
    );
    expect(pinnedBinarySha256('freebsd', 'x64')).toBeUndefined();
  });
});
