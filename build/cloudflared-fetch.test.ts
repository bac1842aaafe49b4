import * as fsPromises from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import checkedIn from './cloudflared-checksums.json' with { type: 'json' };
import {
  ALL_TARGETS,
  assetUrl,
  type ChecksumTable,
  computeChecksums,
  fetchCloudflared,
  isPinned,
  PIN_FILE,
  parseChecksumTable,
  parseTarget,
  sha256Hex,
  targetKey,
} from './cloudflared-fetch.ts';
import { type LoopbackServer, makeTgz, serveBytes, serveTruncated, startLoopbackServer } from './testing.ts';
import { extractFileFromTgz } from './untar.ts';

const VERSION = '2025.7.0';
const LINUX_BINARY = Buffer.from('\x7fELF pretend linux cloudflared\n'.repeat(300));
const DARWIN_BINARY = Buffer.from('\xcf\xfa\xed\xfe pretend darwin cloudflared\n'.repeat(300));
const WINDOWS_BINARY = Buffer.from('MZ pretend windows cloudflared\n'.repeat(300));
const DARWIN_TGZ = makeTgz([{ name: 'cloudflared', data: DARWIN_BINARY }]);

function tableFor(hashes: Record<string, string>): ChecksumTable {
  return {
    version: VERSION,
    baseUrl: 'https://github.com/cloudflare/cloudflared/releases/download',
    targets: checkedIn.targets,
    sha256: { ...checkedIn.sha256, ...hashes },
  };
}

const GOOD = tableFor({
  'cloudflared-linux-amd64': sha256Hex(LINUX_BINARY),
  'cloudflared-darwin-arm64.tgz': sha256Hex(DARWIN_TGZ),
  'cloudflared-windows-amd64.exe': sha256Hex(WINDOWS_BINARY),
});

let server: LoopbackServer;
let dest: string;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  dest = await mkdtemp(path.join(os.tmpdir(), 'porthole-cloudflared-'));
  server.requests.length = 0;
  server.route(`/${VERSION}/cloudflared-linux-amd64`, serveBytes(LINUX_BINARY));
  server.route(`/${VERSION}/cloudflared-darwin-arm64.tgz`, serveBytes(DARWIN_TGZ));
  server.route(`/${VERSION}/cloudflared-windows-amd64.exe`, serveBytes(WINDOWS_BINARY));
});
afterEach(() => rm(dest, { recursive: true, force: true }));

const linux = parseTarget('linux', 'x64');
const fetchInto = (table: ChecksumTable, targets = [linux], extra = {}) =>
  fetchCloudflared(targets, { table, destRoot: dest, baseUrl: server.url, ...extra });

/** Every file under dest, relative: a failed run must leave none (not even a .partial). */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

describe('fetchCloudflared', () => {
  it('a matching checksum: the binary is in place, executable, with a pin record', async () => {
    const [result] = await fetchInto(GOOD);
    const file = path.join(dest, 'linux-x64', 'cloudflared');
    expect(result).toMatchObject({ path: file, downloaded: true });
    expect(await readFile(file)).toEqual(LINUX_BINARY);
    expect((await stat(file)).mode & 0o777).toBe(0o755);
    expect(JSON.parse(await readFile(path.join(dest, 'linux-x64', PIN_FILE), 'utf8'))).toEqual({
      version: VERSION,
      asset: 'cloudflared-linux-amd64',
      sha256: sha256Hex(LINUX_BINARY),
    });
    expect(server.requests).toEqual([`/${VERSION}/cloudflared-linux-amd64`]);
  });

  it('a second run finds the pinned binary in place and downloads nothing; --force downloads again', async () => {
    await fetchInto(GOOD);
    const [again] = await fetchInto(GOOD);
    expect(again?.downloaded).toBe(false);
    expect(server.requests).toHaveLength(1);
    await fetchInto(GOOD, [linux], { force: true });
    expect(server.requests).toHaveLength(2);
  });

  it('a new pin replaces what is in place', async () => {
    await fetchInto(GOOD);
    const newer = Buffer.from('newer cloudflared');
    server.route(`/${VERSION}/cloudflared-linux-amd64`, serveBytes(newer));
    const [result] = await fetchInto(tableFor({ 'cloudflared-linux-amd64': sha256Hex(newer) }));
    expect(result?.downloaded).toBe(true);
    expect(await readFile(path.join(dest, 'linux-x64', 'cloudflared'))).toEqual(newer);
  });

  it('a checksum mismatch fails and writes nothing', async () => {
    const wrong = tableFor({ 'cloudflared-linux-amd64': 'a'.repeat(64) });
    await expect(fetchInto(wrong)).rejects.toThrow(
      /checksum mismatch for cloudflared-linux-amd64: expected a{64}, got [0-9a-f]{64}/,
    );
    expect(await filesUnder(dest)).toEqual([]);
  });

  it('a checksum mismatch keeps the binary that was in place', async () => {
    await fetchInto(GOOD);
    server.route(`/${VERSION}/cloudflared-linux-amd64`, serveBytes(Buffer.from('tampered')));
    await expect(fetchInto(GOOD, [linux], { force: true })).rejects.toThrow(/checksum mismatch/);
    expect(await readFile(path.join(dest, 'linux-x64', 'cloudflared'))).toEqual(LINUX_BINARY);
    expect((await filesUnder(dest)).sort()).toEqual(['linux-x64/cloudflared', `linux-x64/${PIN_FILE}`]);
  });

  it('a missing asset (404) fails with the URL', async () => {
    const arm = parseTarget('linux', 'arm64');
    const table = tableFor({ 'cloudflared-linux-arm64': 'b'.repeat(64) });
    await expect(fetchInto(table, [arm])).rejects.toThrow(
      `${server.url}/${VERSION}/cloudflared-linux-arm64 was not found (404)`,
    );
    expect(await filesUnder(dest)).toEqual([]);
  });

  it('another HTTP error fails with its status', async () => {
    server.route(`/${VERSION}/cloudflared-linux-amd64`, (_req, res) => res.writeHead(503).end('busy'));
    await expect(fetchInto(GOOD)).rejects.toThrow(/answered 503/);
  });

  it('a body cut short of its Content-Length fails and writes nothing', async () => {
    server.route(
      `/${VERSION}/cloudflared-linux-amd64`,
      serveTruncated(LINUX_BINARY.subarray(0, 100), LINUX_BINARY.length),
    );
    await expect(fetchInto(GOOD)).rejects.toThrow(
      new RegExp(
        `broke off after 100 of ${LINUX_BINARY.length} bytes|is 100 bytes, but the server announced`,
      ),
    );
    expect(await filesUnder(dest)).toEqual([]);
  });

  it('a network error (nothing listening) fails clearly', async () => {
    const closed = await startLoopbackServer();
    await closed.close();
    await expect(fetchInto(GOOD, [linux], { baseUrl: closed.url })).rejects.toThrow(
      /could not download http:\/\/127\.0\.0\.1:\d+\/2025\.7\.0\/cloudflared-linux-amd64: fetch failed/,
    );
    expect(await filesUnder(dest)).toEqual([]);
  });

  it('a placeholder checksum is refused before anything is downloaded', async () => {
    const unpinned = tableFor({
      'cloudflared-linux-amd64': 'UNPINNED: run fetch-cloudflared --print-checksums',
    });
    await expect(fetchInto(unpinned)).rejects.toThrow(
      'checksum for cloudflared-linux-amd64 (cloudflared 2025.7.0) is not pinned yet: run ' +
        '`npx tsx build/fetch-cloudflared.ts --print-checksums` on a machine with internet, review, commit',
    );
    expect(server.requests).toEqual([]);
    expect(await filesUnder(dest)).toEqual([]);
  });

  it('macOS: the binary comes out of the .tgz, executable', async () => {
    const [result] = await fetchInto(GOOD, [parseTarget('darwin', 'arm64')]);
    const file = path.join(dest, 'darwin-arm64', 'cloudflared');
    expect(result?.path).toBe(file);
    expect(await readFile(file)).toEqual(DARWIN_BINARY);
    expect((await stat(file)).mode & 0o777).toBe(0o755);
  });

  it('a .tgz without the binary fails and writes nothing', async () => {
    const empty = makeTgz([{ name: 'README', data: Buffer.from('no binary here') }]);
    server.route(`/${VERSION}/cloudflared-darwin-arm64.tgz`, serveBytes(empty));
    const table = tableFor({ 'cloudflared-darwin-arm64.tgz': sha256Hex(empty) });
    await expect(fetchInto(table, [parseTarget('darwin', 'arm64')])).rejects.toThrow(
      'cloudflared-darwin-arm64.tgz: the archive holds no file named cloudflared',
    );
    expect(await filesUnder(dest)).toEqual([]);
  });

  it('Windows x64 and arm64 share the x64 exe: one download, two placed copies', async () => {
    const targets = [parseTarget('win32', 'x64'), parseTarget('win32', 'arm64')];
    const results = await fetchInto(GOOD, targets);
    expect(results.map((r) => path.relative(dest, r.path))).toEqual([
      path.join('win32-x64', 'cloudflared.exe'),
      path.join('win32-arm64', 'cloudflared.exe'),
    ]);
    expect(server.requests).toEqual([`/${VERSION}/cloudflared-windows-amd64.exe`]);
  });

  it('a failure while moving the file into place leaves no partial file', async () => {
    const fs = {
      ...fsPromises,
      rename: async () => {
        throw new Error('disk full');
      },
    };
    await expect(fetchInto(GOOD, [linux], { fs })).rejects.toThrow('disk full');
    expect(await filesUnder(dest)).toEqual([]);
  });
});

describe('computeChecksums (--print-checksums)', () => {
  it('downloads every asset once and fills in its SHA-256', async () => {
    for (const asset of ['cloudflared-linux-arm64', 'cloudflared-darwin-amd64.tgz'])
      server.route(`/${VERSION}/${asset}`, serveBytes(asset.endsWith('.tgz') ? DARWIN_TGZ : LINUX_BINARY));
    const pinned = await computeChecksums(tableFor({}), { baseUrl: server.url });
    expect(pinned.sha256).toEqual({
      'cloudflared-linux-amd64': sha256Hex(LINUX_BINARY),
      'cloudflared-linux-arm64': sha256Hex(LINUX_BINARY),
      'cloudflared-darwin-amd64.tgz': sha256Hex(DARWIN_TGZ),
      'cloudflared-darwin-arm64.tgz': sha256Hex(DARWIN_TGZ),
      'cloudflared-windows-amd64.exe': sha256Hex(WINDOWS_BINARY),
    });
    expect(Object.values(pinned.sha256).every(isPinned)).toBe(true);
    expect(new Set(server.requests).size).toBe(server.requests.length);
  });
});

describe('the checked-in table', () => {
  const table = parseChecksumTable(checkedIn);

  it('names the release assets of a pinned cloudflared for every target', () => {
    expect(table.version).toMatch(/^2025\.\d+\.\d+$/);
    expect(Object.keys(table.targets).sort()).toEqual(ALL_TARGETS.map(targetKey).sort());
    expect(table.targets).toMatchObject({
      'linux-x64': 'cloudflared-linux-amd64',
      'linux-arm64': 'cloudflared-linux-arm64',
      'darwin-x64': 'cloudflared-darwin-amd64.tgz',
      'darwin-arm64': 'cloudflared-darwin-arm64.tgz',
      'win32-x64': 'cloudflared-windows-amd64.exe',
      // cloudflared publishes no Windows arm64 build; the x64 one runs under emulation.
      'win32-arm64': 'cloudflared-windows-amd64.exe',
    });
    expect(assetUrl(table, 'cloudflared-linux-amd64')).toBe(
      `https://github.com/cloudflare/cloudflared/releases/download/${table.version}/cloudflared-linux-amd64`,
    );
  });

  it('every hash is either pinned (64 hex digits) or an obvious placeholder', () => {
    for (const value of Object.values(table.sha256))
      expect(isPinned(value) || value.startsWith('UNPINNED')).toBe(true);
  });

  it('a table missing an asset hash is rejected', () => {
    const { 'cloudflared-linux-arm64': _, ...sha256 } = checkedIn.sha256;
    expect(() => parseChecksumTable({ ...checkedIn, sha256 })).toThrow(
      'no "sha256" entry for cloudflared-linux-arm64',
    );
    expect(() => parseTarget('freebsd', 'x64')).toThrow('No cloudflared target freebsd-x64');
  });
});

describe('extractFileFromTgz', () => {
  it('finds the binary under a ./ prefix and refuses data that is not gzip', () => {
    const tgz = makeTgz([
      { name: './LICENSE', data: Buffer.from('license') },
      { name: './cloudflared', data: DARWIN_BINARY },
    ]);
    expect(extractFileFromTgz(tgz, 'cloudflared')).toEqual(DARWIN_BINARY);
    expect(() => extractFileFromTgz(Buffer.from('plain'), 'cloudflared')).toThrow('not gzip data');
  });
});
