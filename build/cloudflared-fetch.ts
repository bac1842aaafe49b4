// Puts the pinned cloudflared release where the packager picks it up
// (build/cloudflared/<platform>-<arch>/cloudflared[.exe] → resources/cloudflared/ in the app).
// Nothing unverified is ever written: the asset's SHA-256 must match the table checked into the
// repo (cloudflared-pins.ts), and for a .tgz the binary taken out of it must match too; the
// binary lands under a temporary name that is renamed only once it is complete.
// fetch and the file system come in as parameters, so every failure can be tested on loopback.
import { createHash, randomBytes } from 'node:crypto';
import * as fsPromises from 'node:fs/promises';
import path from 'node:path';
import { binaryName } from '../server/tunnel/binary.ts';
import {
  type ChecksumTable,
  isPinned,
  parseChecksumTable as parsePins,
  reviewPin,
  TABLE_FILE,
} from './cloudflared-pins.ts';
import { extractFileFromTgz } from './untar.ts';

export { type ChecksumTable, isPinned, TABLE_FILE };

export type TargetPlatform = 'linux' | 'darwin' | 'win32';
export type TargetArch = 'x64' | 'arm64';
export interface Target {
  platform: TargetPlatform;
  arch: TargetArch;
}

/** Every OS and architecture an installer is built for (see electron-builder.config.ts). */
export const ALL_TARGETS: readonly Target[] = [
  { platform: 'linux', arch: 'x64' },
  { platform: 'linux', arch: 'arm64' },
  { platform: 'darwin', arch: 'x64' },
  { platform: 'darwin', arch: 'arm64' },
  { platform: 'win32', arch: 'x64' },
  { platform: 'win32', arch: 'arm64' },
];

export type FetchFs = Pick<
  typeof fsPromises,
  'mkdir' | 'writeFile' | 'chmod' | 'rename' | 'rm' | 'readFile' | 'stat'
>;

export interface FetchOptions {
  table: ChecksumTable;
  /** build/cloudflared: each target gets a `<platform>-<arch>` folder inside. */
  destRoot: string;
  /** Instead of the table's (tests, mirrors). */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  fs?: FetchFs;
  log?: (line: string) => void;
  /** A pin that is weaker than it should be (one source only, no inner-binary hash). */
  warn?: (line: string) => void;
  /** Per download; a stalled connection must not hang a release build. */
  timeoutMs?: number;
  /** Download again even when the binary in place is the pinned one. */
  force?: boolean;
}

/** Written beside the binary: which pinned asset it came from, so a second run can skip the download. */
export const PIN_FILE = 'cloudflared.pin.json';
const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export const targetKey = (target: Target): string => `${target.platform}-${target.arch}`;

/** Checks the table's shape for every target; placeholders are refused only when used. */
export function parseChecksumTable(json: unknown): ChecksumTable {
  return parsePins(json, ALL_TARGETS.map(targetKey));
}

export function parseTarget(platform: string, arch: string): Target {
  const target = ALL_TARGETS.find((t) => t.platform === platform && t.arch === arch);
  if (!target)
    throw new Error(
      `No cloudflared target ${platform}-${arch}: choose one of ${ALL_TARGETS.map(targetKey).join(', ')}.`,
    );
  return target;
}

export function assetFor(table: ChecksumTable, target: Target): string {
  const asset = table.targets[targetKey(target)];
  if (!asset) throw new Error(`${TABLE_FILE} names no asset for ${targetKey(target)}.`);
  return asset;
}

export function assetUrl(table: ChecksumTable, asset: string, baseUrl = table.baseUrl): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(table.version)}/${encodeURIComponent(asset)}`;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The whole body of `url`, or a clear error: not found, another HTTP status, a network error,
 * or fewer/more bytes than the Content-Length the server announced.
 */
export async function download(
  url: string,
  options: { fetch?: typeof globalThis.fetch; timeoutMs?: number } = {},
): Promise<Buffer> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let response: Response;
  try {
    response = await doFetch(url, { redirect: 'follow', signal });
  } catch (error) {
    throw new Error(`could not download ${url}: ${describe(error)}`);
  }
  if (response.status === 404) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`${url} was not found (404): is that release published with that asset name?`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`${url} answered ${response.status} ${response.statusText}`.trim());
  }
  // A compressed transfer announces the compressed size; fetch hands over the inflated bytes.
  const encoding = response.headers.get('content-encoding');
  const announced =
    encoding && encoding !== 'identity' ? null : parseContentLength(response.headers.get('content-length'));
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    if (response.body) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        chunks.push(chunk);
        received += chunk.length;
      }
    }
  } catch (error) {
    const of = announced === null ? '' : ` of ${announced}`;
    throw new Error(`download of ${url} broke off after ${received}${of} bytes: ${describe(error)}`);
  }
  if (announced !== null && received !== announced)
    throw new Error(`download of ${url} is ${received} bytes, but the server announced ${announced}`);
  return Buffer.concat(chunks, received);
}

function parseContentLength(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  // undici puts the socket error ("other side closed", ECONNREFUSED, …) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * Downloads each asset of `targets` once, checks it (and the binary inside a .tgz), and places
 * the binaries. Refuses before downloading anything when a checksum is not pinned or names no
 * source; a pin with a single source is used, with a warning.
 */
export async function fetchCloudflared(
  targets: readonly Target[],
  options: FetchOptions,
): Promise<Array<{ target: Target; path: string; downloaded: boolean }>> {
  const { table } = options;
  const assets = [...new Set(targets.map((t) => assetFor(table, t)))];
  const reviews = assets.map((asset) => reviewPin(table, asset));
  const refusals = reviews.flatMap((r) => r.refusals);
  if (refusals.length > 0) throw new Error(refusals.join('\n'));
  for (const warning of reviews.flatMap((r) => r.warnings)) (options.warn ?? options.log)?.(warning);

  const fs = options.fs ?? fsPromises;
  const binaries = new Map<string, Promise<Buffer>>();
  const results = [];
  for (const target of targets) {
    const asset = assetFor(table, target);
    const pin = table.assets[asset];
    if (!pin) throw new Error(`${TABLE_FILE} has no "assets" entry for ${asset}`);
    const dir = path.join(options.destRoot, targetKey(target));
    const file = path.join(dir, binaryName(target.platform));
    const record = {
      version: table.version,
      asset,
      sha256: pin.sha256,
      binarySha256: pin.binarySha256 ?? null,
    };
    if (!options.force && (await isInPlace(fs, file, path.join(dir, PIN_FILE), record))) {
      options.log?.(`${targetKey(target)}: cloudflared ${table.version} is already in place`);
      results.push({ target, path: file, downloaded: false });
      continue;
    }
    let binary = binaries.get(asset);
    if (!binary) {
      const url = assetUrl(table, asset, options.baseUrl);
      options.log?.(`${targetKey(target)}: downloading ${url}`);
      binary = download(url, options).then((body) => {
        verify(body, asset, pin.sha256);
        if (!asset.endsWith('.tgz')) return body;
        const inner = extractFromArchive(body, asset);
        if (pin.binarySha256 !== undefined)
          verify(inner, `the cloudflared binary inside ${asset}`, pin.binarySha256);
        return inner;
      });
      binaries.set(asset, binary);
    }
    const bytes = await binary;
    await writeAtomically(fs, file, bytes);
    const written = { ...record, binarySha256: sha256Hex(bytes) };
    await writeAtomically(fs, path.join(dir, PIN_FILE), Buffer.from(`${JSON.stringify(written)}\n`), 0o644);
    const checked = pin.binarySha256 !== undefined ? ` and of the binary inside` : '';
    options.log?.(`${targetKey(target)}: ${file} (sha256 of ${asset}${checked} verified)`);
    results.push({ target, path: file, downloaded: true });
  }
  return results;
}

function verify(body: Uint8Array, what: string, expected: string): void {
  const actual = sha256Hex(body);
  if (actual !== expected)
    throw new Error(
      `checksum mismatch for ${what}: expected ${expected}, got ${actual}. ` +
        'The download is not the pinned release; nothing was written.',
    );
}

function extractFromArchive(body: Buffer, asset: string): Buffer {
  try {
    return extractFileFromTgz(body, 'cloudflared');
  } catch (error) {
    throw new Error(`${asset}: ${(error as Error).message}`);
  }
}

interface PinRecord {
  version: string;
  asset: string;
  sha256: string;
  binarySha256: string | null;
}

/**
 * The pinned binary is in place when the record beside it names the same pins and the file
 * still hashes to what was verified when it was written (an edited or truncated file is
 * downloaded again).
 */
async function isInPlace(fs: FetchFs, file: string, pinFile: string, pin: PinRecord): Promise<boolean> {
  try {
    const recorded = JSON.parse(String(await fs.readFile(pinFile))) as PinRecord;
    if (recorded.version !== pin.version || recorded.asset !== pin.asset || recorded.sha256 !== pin.sha256)
      return false;
    if (pin.binarySha256 !== null && recorded.binarySha256 !== pin.binarySha256) return false;
    const expected = pin.binarySha256 ?? (pin.asset.endsWith('.tgz') ? recorded.binarySha256 : pin.sha256);
    return isPinned(expected ?? undefined) && sha256Hex(await fs.readFile(file)) === expected;
  } catch {
    return false;
  }
}

/** Written beside its final name and renamed into place: a failed run leaves the old file or none, never half of one. */
async function writeAtomically(fs: FetchFs, file: string, data: Uint8Array, mode = 0o755): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.writeFile(temporary, data, { mode });
    // writeFile's mode is filtered by the umask; the binary must be executable whatever it is.
    await fs.chmod(temporary, mode);
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}

/**
 * For `--print-checksums`: downloads every asset in the table and returns the table with the
 * hashes of what was downloaded (and of the binary inside each .tgz). A hash that changed loses
 * its sources: it has to be found again in public sources before it is trusted.
 */
export async function computeChecksums(
  table: ChecksumTable,
  options: Pick<FetchOptions, 'baseUrl' | 'fetch' | 'log' | 'timeoutMs'> = {},
): Promise<ChecksumTable> {
  const assets: ChecksumTable['assets'] = {};
  for (const asset of [...new Set(Object.values(table.targets))]) {
    const url = assetUrl(table, asset, options.baseUrl);
    options.log?.(`downloading ${url}`);
    const body = await download(url, options);
    const old = table.assets[asset];
    const sha256 = sha256Hex(body);
    assets[asset] = { sha256, sources: old?.sha256 === sha256 ? old.sources : [] };
    if (asset.endsWith('.tgz')) {
      // A .tgz must hold the binary, or pinning it would only move the failure to the build.
      const binarySha256 = sha256Hex(extractFromArchive(body, asset));
      const binarySources = old?.binarySha256 === binarySha256 ? (old.binarySources ?? []) : [];
      assets[asset] = { ...assets[asset], binarySha256, binarySources };
    }
  }
  return { ...table, assets };
}
