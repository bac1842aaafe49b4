import * as fsPromises from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import checkedIn from './cloudflared-checksums.json' with { type: 'json' };
import {
  type ChecksumTable,
  computeChecksums,
  fetchCloudflared,
  isPinned,
  PIN_FILE,
  parseTarget,
  sha256Hex,
} from './cloudflared-fetch.ts';
import type { AssetPin, PinSource } from './cloudflared-pins.ts';
import { type LoopbackServer, makeTgz, serveBytes, serveTruncated, startLoopbackServer } from './testing.ts';

const VERSION = '2026.8.2';
const LINUX_BINARY = Buffer.from('\x7fELF pretend linux cloudflared\n'.repeat(300));
const DARWIN_BINARY = Buffer.from('\xcf\xfa\xed\xfe pretend darwin cloudflared\n'.repeat(300));
const WINDOWS_BINARY = Buffer.from('MZ pretend windows cloudflared\n'.repeat(300));
const DARWIN_TGZ = makeTgz([{ name: 'cloudflared', data: DARWIN_BINARY }]);

/** Two independent (made-up) sources: a pin with these is fully trusted. */
const TWO_SOURCES: PinSource[] = [
  { what: 'test source one', url: 'https://one.example/pins' },
  { what: 'test source two', repo: 'example/pins', path: 'pins.json', commit: 'a'.repeat(40) },
];

const pin = (sha256: string, extra: Partial<AssetPin> = {}): AssetPin => ({
  sha256,
  sources: TWO_SOURCES,
  ...extra,
});

function tableFor(pins: Record<string, AssetPin>): ChecksumTable {
  return {
    version: VERSION,
    baseUrl: 'https://github.com/cloudflare/cloudflared/releases/download',
    targets: checkedIn.targets,
    assets: { ...(checkedIn.assets as Record<string, AssetPin>), ...pins },
  };
}

const GOOD = tableFor({
  'cloudflared-linux-amd64': pin(sha256Hex(LINUX_BINARY)),
  'cloudflared-darwin-arm64.tgz': pin(sha256Hex(DARWIN_TGZ), {
    binarySha256: sha256Hex(DARWIN_BINARY),
    binarySources: TWO_SOURCES,
  }),
  'cloudflared-windows-amd64.exe': pin(sha256Hex(WINDOWS_BINARY)),
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
      binarySha256: sha256Hex(LINUX_BINARY),
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
    const [result] = await fetchInto(tableFor({ 'cloudflared-linux-amd64': pin(sha256Hex(newer)) }));
    expect(result?.downloaded).toBe(true);
    expect(await readFile(path.join(dest, 'linux-x64', 'cloudflared'))).toEqual(newer);
  });

  it('a checksum mismatch fails and writes nothing', async () => {
    const wrong = tableFor({ 'cloudflared-linux-amd64': pin('a'.repeat(64)) });
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
    const table = tableFor({ 'cloudflared-linux-arm64': pin('b'.repeat(64)) });
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
      /could not download http:\/\/127\.0\.0\.1:\d+\/2026\.8\.2\/cloudflared-linux-amd64: fetch failed/,
    );
    expect(await filesUnder(dest)).toEqual([]);
  });

  it('a placeholder checksum is refused before anything is downloaded', async () => {
    const unpinned = tableFor({ 'cloudflared-linux-amd64': pin('UNPINNED: read it from two sources') });
    await expect(fetchInto(unpinned)).rejects.toThrow(
      'checksum for cloudflared-linux-amd64 (cloudflared 2026.8.2) is not pinned yet: read the SHA-256 ' +
        'from two independent public sources',
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
    const table = tableFor({ 'cloudflared-darwin-arm64.tgz': pin(sha256Hex(empty)) });
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

  it('macOS: an archive whose own checksum is wrong is refused before it is opened', async () => {
    const table = tableFor({
      'cloudflared-darwin-arm64.tgz': pin('c'.repeat(64), {
        binarySha256: sha256Hex(DARWIN_BINARY),
        binarySources: TWO_SOURCES,
      }),
    });
    await expect(fetchInto(table, [parseTarget('darwin', 'arm64')])).rejects.toThrow(
      /^checksum mismatch for cloudflared-darwin-arm64\.tgz: expected c{64}, got [0-9a-f]{64}/,
    );
    expect(await filesUnder(dest)).toEqual([]);
  });

  it('macOS: the right archive holding another binary is refused, and nothing is written', async () => {
    const table = tableFor({
      'cloudflared-darwin-arm64.tgz': pin(sha256Hex(DARWIN_TGZ), {
        binarySha256: sha256Hex(Buffer.from('the binary the release notes list')),
        binarySources: TWO_SOURCES,
      }),
    });
    await expect(fetchInto(table, [parseTarget('darwin', 'arm64')])).rejects.toThrow(
      `checksum mismatch for the cloudflared binary inside cloudflared-darwin-arm64.tgz: expected ${sha256Hex(
        Buffer.from('the binary the release notes list'),
      )}, got ${sha256Hex(DARWIN_BINARY)}`,
    );
    expect(await filesUnder(dest)).toEqual([]);
  });

  it('a pin with a single source is used, with a warning that names the source', async () => {
    const warnings: string[] = [];
    const one: PinSource = {
      what: 'a lone manifest',
      repo: 'someone/pins',
      path: 'p.json',
      commit: 'b'.repeat(40),
    };
    // Two entries of one repository are one source, not two.
    const table = tableFor({
      'cloudflared-linux-amd64': pin(sha256Hex(LINUX_BINARY), { sources: [one, one] }),
    });
    const [result] = await fetchInto(table, [linux], { warn: (line: string) => warnings.push(line) });
    expect(result?.downloaded).toBe(true);
    expect(warnings).toEqual([
      'checksum for cloudflared-linux-amd64 (cloudflared 2026.8.2) has a single source: a lone manifest ' +
        `(someone/pins/p.json @ ${'b'.repeat(12)}); find a second one before trusting it fully`,
    ]);
  });

  it('a hash that names no source is refused before anything is downloaded', async () => {
    const table = tableFor({ 'cloudflared-linux-amd64': pin(sha256Hex(LINUX_BINARY), { sources: [] }) });
    await expect(fetchInto(table)).rejects.toThrow('checksum for cloudflared-linux-amd64 names no source');
    expect(server.requests).toEqual([]);
  });

  it('an unpinned inner-binary hash is refused before anything is downloaded', async () => {
    const table = tableFor({
      'cloudflared-darwin-arm64.tgz': pin(sha256Hex(DARWIN_TGZ), { binarySha256: 'TODO', binarySources: [] }),
    });
    await expect(fetchInto(table, [parseTarget('darwin', 'arm64')])).rejects.toThrow(
      'checksum for the binary inside cloudflared-darwin-arm64.tgz (cloudflared 2026.8.2) is not pinned yet',
    );
    expect(server.requests).toEqual([]);
  });

  it('a binary changed in place is downloaded again, even though its pin record matches', async () => {
    await fetchInto(GOOD);
    const file = path.join(dest, 'linux-x64', 'cloudflared');
    await writeFile(file, 'edited after the download');
    const [again] = await fetchInto(GOOD);
    expect(again?.downloaded).toBe(true);
    expect(await readFile(file)).toEqual(LINUX_BINARY);
  });
});

describe('computeChecksums (--print-checksums)', () => {
  it('hashes every asset once, and the binary inside each .tgz; changed hashes lose their sources', async () => {
    for (const asset of ['cloudflared-linux-arm64', 'cloudflared-darwin-amd64.tgz'])
      server.route(`/${VERSION}/${asset}`, serveBytes(asset.endsWith('.tgz') ? DARWIN_TGZ : LINUX_BINARY));
    const pinned = await computeChecksums(GOOD, { baseUrl: server.url });
    expect(pinned.assets['cloudflared-linux-amd64']).toEqual(pin(sha256Hex(LINUX_BINARY)));
    expect(pinned.assets['cloudflared-darwin-arm64.tgz']).toEqual(
      GOOD.assets['cloudflared-darwin-arm64.tgz'],
    );
    expect(pinned.assets['cloudflared-darwin-amd64.tgz']).toEqual({
      sha256: sha256Hex(DARWIN_TGZ),
      sources: [],
      binarySha256: sha256Hex(DARWIN_BINARY),
      binarySources: [],
    });
    expect(pinned.assets['cloudflared-linux-arm64']).toEqual({
      sha256: sha256Hex(LINUX_BINARY),
      sources: [],
    });
    expect(Object.values(pinned.assets).every((p) => isPinned(p.sha256))).toBe(true);
    expect(new Set(server.requests).size).toBe(server.requests.length);
  });
});
