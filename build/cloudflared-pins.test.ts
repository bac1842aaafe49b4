import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import checkedIn from './cloudflared-checksums.json' with { type: 'json' };
import {
  ALL_TARGETS,
  assetUrl,
  parseChecksumTable,
  parseTarget,
  sha256Hex,
  targetKey,
} from './cloudflared-fetch.ts';
import { type ChecksumTable, isPinned, reviewPin, sourceId, sourceProblem } from './cloudflared-pins.ts';
import { type LoopbackServer, makeTgz, serveBytes, startLoopbackServer } from './testing.ts';
import { extractFileFromTgz } from './untar.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const table = parseChecksumTable(checkedIn);

describe('the checked-in table', () => {
  it('names the release asset of the pinned cloudflared for every target', () => {
    expect(table.version).toMatch(/^20\d\d\.\d+\.\d+$/);
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

  it('pins every asset (no placeholder left), and both hashes of each macOS archive', () => {
    for (const asset of new Set(Object.values(table.targets))) {
      expect(reviewPin(table, asset).refusals, asset).toEqual([]);
      const pin = table.assets[asset];
      expect(isPinned(pin?.sha256), asset).toBe(true);
      if (asset.endsWith('.tgz')) {
        // The archive and the binary in it are different files: equal hashes would mean a mix-up.
        expect(isPinned(pin?.binarySha256), asset).toBe(true);
        expect(pin?.binarySha256).not.toBe(pin?.sha256);
      }
    }
  });

  it('every source says where to look again (repo + path + commit, or a URL)', () => {
    for (const pin of Object.values(table.assets))
      for (const source of [...pin.sources, ...(pin.binarySources ?? [])])
        expect(sourceProblem(source), JSON.stringify(source)).toBeNull();
  });

  it('only these hashes rest on a single source (each one warns when used)', () => {
    const single = Object.keys(table.assets).flatMap((asset) =>
      reviewPin(table, asset).warnings.map((w) => `${asset}: ${w.slice(0, w.indexOf(' ('))}`),
    );
    expect(single).toEqual([
      'cloudflared-linux-arm64: checksum for cloudflared-linux-arm64',
      'cloudflared-darwin-arm64.tgz: checksum for cloudflared-darwin-arm64.tgz',
    ]);
  });
});

describe('pin review', () => {
  const base = parseChecksumTable(checkedIn);
  const withPin = (asset: string, pin: object): ChecksumTable => ({
    ...base,
    assets: { ...base.assets, [asset]: pin as ChecksumTable['assets'][string] },
  });

  it('a table missing an asset, or with a source that cannot be found again, is rejected', () => {
    const { 'cloudflared-linux-arm64': _, ...assets } = checkedIn.assets;
    expect(() => parseChecksumTable({ ...checkedIn, assets })).toThrow(
      'no "sha256" entry for cloudflared-linux-arm64',
    );
    const vague = {
      sha256: 'a'.repeat(64),
      sources: [{ what: 'a blog', repo: 'x/y', path: 'a', commit: 'main' }],
    };
    expect(() =>
      parseChecksumTable({ ...checkedIn, assets: { ...checkedIn.assets, 'cloudflared-linux-arm64': vague } }),
    ).toThrow('cloudflared-linux-arm64: source x/y/a names no full commit');
    expect(() => parseTarget('freebsd', 'x64')).toThrow('No cloudflared target freebsd-x64');
  });

  it('repositories and pages are told apart by name; a copy of a page is the same page', () => {
    expect(sourceId({ what: 'a', repo: 'Owner/Repo', path: 'x', commit: '1'.repeat(40) })).toBe('owner/repo');
    expect(sourceId({ what: 'b', url: 'https://example.com/notes', copies: ['https://c.example/1'] })).toBe(
      'https://example.com/notes',
    );
    expect(sourceProblem({ what: 'c', url: 'http://insecure.example/' })).toMatch(/neither repo/);
  });

  it('a raw binary with an inner-binary hash is refused (there is nothing inside it)', () => {
    const odd = withPin('cloudflared-linux-amd64', {
      ...base.assets['cloudflared-linux-amd64'],
      binarySha256: 'b'.repeat(64),
    });
    expect(reviewPin(odd, 'cloudflared-linux-amd64').refusals).toEqual([
      'cloudflared-linux-amd64 is not an archive: it has no inner binary to pin (remove binarySha256)',
    ]);
  });

  it('an archive without an inner-binary hash is allowed, with a warning', () => {
    const {
      binarySha256: _,
      binarySources: __,
      ...archiveOnly
    } = base.assets['cloudflared-darwin-amd64.tgz']!;
    expect(
      reviewPin(withPin('cloudflared-darwin-amd64.tgz', archiveOnly), 'cloudflared-darwin-amd64.tgz'),
    ).toEqual({
      refusals: [],
      warnings: [
        'the binary inside cloudflared-darwin-amd64.tgz has no pinned checksum: only the archive is checked',
      ],
    });
  });
});

describe('fetch-cloudflared (the command npm run dist runs)', () => {
  const BINARY = Buffer.from('\xcf\xfa\xed\xfe pretend darwin cloudflared\n'.repeat(100));
  const TGZ = makeTgz([{ name: 'cloudflared', data: BINARY }]);
  let server: LoopbackServer;
  let dir: string;
  beforeAll(async () => {
    server = await startLoopbackServer();
    server.route(`/${checkedIn.version}/cloudflared-darwin-arm64.tgz`, serveBytes(TGZ));
    dir = await mkdtemp(path.join(os.tmpdir(), 'porthole-fetch-cli-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (pin: object) => {
    const tableFile = path.join(dir, 'table.json');
    const assets = { ...checkedIn.assets, 'cloudflared-darwin-arm64.tgz': pin };
    await writeFile(tableFile, JSON.stringify({ ...checkedIn, assets }));
    const args = ['--platform', 'darwin', '--arch', 'arm64', '--force'];
    const cli = ['build/fetch-cloudflared.ts', ...args, '--table', tableFile, '--dest', dir];
    const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    return promisify(execFile)(process.execPath, [tsx, ...cli, '--base-url', server.url], { cwd: root }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
  };
  const source = (what: string) => ({ what, url: `https://${what.replaceAll(' ', '-')}.example/` });

  it('prints a warning for a single-sourced pin, and still places the binary', async () => {
    const result = await run({
      sha256: sha256Hex(TGZ),
      sources: [source('one manifest')],
      binarySha256: sha256Hex(BINARY),
      binarySources: [source('release notes'), source('another pin file')],
    });
    expect(result.stderr).toContain(
      'fetch-cloudflared: warning: checksum for cloudflared-darwin-arm64.tgz (cloudflared 2026.8.2) has a ' +
        'single source: one manifest (https://one-manifest.example/)',
    );
    expect(result.code).toBe(0);
    expect(await readFile(path.join(dir, 'darwin-arm64', 'cloudflared'))).toEqual(BINARY);
  });

  it('exits 1 with the reason when the binary inside the archive is not the pinned one', async () => {
    const result = await run({
      sha256: sha256Hex(TGZ),
      sources: [source('one'), source('two')],
      binarySha256: 'd'.repeat(64),
      binarySources: [source('one'), source('two')],
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'fetch-cloudflared: checksum mismatch for the cloudflared binary inside cloudflared-darwin-arm64.tgz',
    );
    expect(result.stderr).not.toContain('warning');
  });
});

describe('extractFileFromTgz', () => {
  it('finds the binary under a ./ prefix and refuses data that is not gzip', () => {
    const data = Buffer.from('binary');
    const tgz = makeTgz([
      { name: './LICENSE', data: Buffer.from('license') },
      { name: './cloudflared', data },
    ]);
    expect(extractFileFromTgz(tgz, 'cloudflared')).toEqual(data);
    expect(() => extractFileFromTgz(Buffer.from('plain'), 'cloudflared')).toThrow('not gzip data');
  });
});
