// Puts the pinned cloudflared release where the packager picks it up
// (build/cloudflared/<platform>-<arch>/cloudflared[.exe] → resources/cloudflared/ in the app).
// Nothing unverified is ever written: the asset's SHA-256 must match the table checked into the
// repo, and the binary lands under a temporary name that is renamed only once it is complete.
// fetch and the file system come in as parameters, so every failure can be tested on loopback.
import { createHash, randomBytes } from 'node:crypto';
import * as fsPromises from 'node:fs/promises';
import path from 'node:path';
import { binaryName } from '../server/tunnel/binary.ts';
import { extractFileFromTgz } from './untar.ts';

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

export interface ChecksumTable {
  version: string;
  baseUrl: string;
  /** `<platform>-<arch>` → release asset name. */
  targets: Record<string, string>;
  /** Release asset name → SHA-256 (hex), or a placeholder until pinned. */
  sha256: Record<string, string>;
}

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
  /** Per download; a stalled connection must not hang a release build. */
  timeoutMs?: number;
  /** Download again even when the binary in place is the pinned one. */
  force?: boolean;
}

export const TABLE_FILE = 'cloudflared-checksums.json';
/** Written beside the binary: which pinned asset it came from, so a second run can skip the download. */
export const PIN_FILE = 'cloudflared.pin.json';
const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export const targetKey = (target: Target): string => `${target.platform}-${target.arch}`;

export function isPinned(sha256: string | undefined): boolean {
  return typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256);
}

/** Checks the table's shape; placeholders are allowed here and refused only when used. */
export function parseChecksumTable(json: unknown): ChecksumTable {
  const bad = (what: string) => new Error(`${TABLE_FILE}: ${what}`);
  if (typeof json !== 'object' || json === null) throw bad('not a JSON object');
  const table = json as Partial<ChecksumTable>;
  if (typeof table.version !== 'string' || !/^\d{4}\.\d+\.\d+$/.test(table.version))
    throw bad('"version" must be a cloudflared release like 2025.7.0');
  if (typeof table.baseUrl !== 'string' || !/^https?:\/\//.test(table.baseUrl))
    throw bad('"baseUrl" must be an http(s) URL');
  if (typeof table.targets !== 'object' || table.targets === null) throw bad('"targets" is missing');
  if (typeof table.sha256 !== 'object' || table.sha256 === null) throw bad('"sha256" is missing');
  for (const target of ALL_TARGETS) {
    const asset = table.targets[targetKey(target)];
    if (typeof asset !== 'string' || asset === '') throw bad(`no asset for ${targetKey(target)}`);
    if (typeof table.sha256[asset] !== 'string') throw bad(`no "sha256" entry for ${asset}`);
  }
  return table as ChecksumTable;
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

export function notPinnedMessage(table: ChecksumTable, asset: string): string {
  return (
    `checksum for ${asset} (cloudflared ${table.version}) is not pinned yet: run ` +
    '`npx tsx build/fetch-cloudflared.ts --print-checksums` on a machine with internet, review, commit ' +
    `build/${TABLE_FILE}.`
  );
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

/** Downloads each asset of `targets` once, checks it, and places the binaries. Refuses before downloading when a checksum is not pinned. */
export async function fetchCloudflared(
  targets: readonly Target[],
  options: FetchOptions,
): Promise<Array<{ target: Target; path: string; downloaded: boolean }>> {
  const { table } = options;
  const unpinned = [...new Set(targets.map((t) => assetFor(table, t)))].filter(
    (a) => !isPinned(table.sha256[a]),
  );
  if (unpinned.length > 0)
    throw new Error(unpinned.map((asset) => notPinnedMessage(table, asset)).join('\n'));

  const downloads = new Map<string, Promise<Buffer>>();
  const results = [];
  for (const target of targets) {
    const asset = assetFor(table, target);
    const expected = table.sha256[asset] as string;
    const fs = options.fs ?? fsPromises;
    const dir = path.join(options.destRoot, targetKey(target));
    const file = path.join(dir, binaryName(target.platform));
    const pin = { version: table.version, asset, sha256: expected };
    if (!options.force && (await isInPlace(fs, file, path.join(dir, PIN_FILE), pin))) {
      options.log?.(`${targetKey(target)}: cloudflared ${table.version} is already in place`);
      results.push({ target, path: file, downloaded: false });
      continue;
    }
    let bytes = downloads.get(asset);
    if (!bytes) {
      const url = assetUrl(table, asset, options.baseUrl);
      options.log?.(`${targetKey(target)}: downloading ${url}`);
      bytes = download(url, options).then((body) => verify(body, asset, expected));
      downloads.set(asset, bytes);
    }
    const body = await bytes;
    const binary = asset.endsWith('.tgz') ? extractFromArchive(body, asset) : body;
    await writeAtomically(fs, file, binary);
    await writeAtomically(fs, path.join(dir, PIN_FILE), Buffer.from(`${JSON.stringify(pin)}\n`), 0o644);
    options.log?.(`${targetKey(target)}: ${file} (sha256 of ${asset} verified)`);
    results.push({ target, path: file, downloaded: true });
  }
  return results;
}

function verify(body: Buffer, asset: string, expected: string): Buffer {
  const actual = sha256Hex(body);
  if (actual !== expected)
    throw new Error(
      `checksum mismatch for ${asset}: expected ${expected}, got ${actual}. ` +
        'The download is not the pinned release; nothing was written.',
    );
  return body;
}

function extractFromArchive(body: Buffer, asset: string): Buffer {
  try {
    return extractFileFromTgz(body, 'cloudflared');
  } catch (error) {
    throw new Error(`${asset}: ${(error as Error).message}`);
  }
}

async function isInPlace(
  fs: FetchFs,
  file: string,
  pinFile: string,
  pin: { version: string; asset: string; sha256: string },
): Promise<boolean> {
  try {
    const recorded = JSON.parse(String(await fs.readFile(pinFile)));
    if (recorded.version !== pin.version || recorded.asset !== pin.asset || recorded.sha256 !== pin.sha256)
      return false;
    return (await fs.stat(file)).isFile();
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

/** For `--print-checksums`: downloads every asset in the table and returns the table with real hashes. */
export async function computeChecksums(
  table: ChecksumTable,
  options: Pick<FetchOptions, 'baseUrl' | 'fetch' | 'log' | 'timeoutMs'> = {},
): Promise<ChecksumTable> {
  const sha256: Record<string, string> = {};
  for (const asset of [...new Set(Object.values(table.targets))]) {
    const url = assetUrl(table, asset, options.baseUrl);
    options.log?.(`downloading ${url}`);
    const body = await download(url, options);
    // A .tgz must hold the binary, or pinning it would only move the failure to the build.
    if (asset.endsWith('.tgz')) extractFromArchive(body, asset);
    sha256[asset] = sha256Hex(body);
  }
  return { ...table, sha256 };
}
