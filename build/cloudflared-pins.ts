// The pinned cloudflared release (cloudflared-checksums.json): which asset each target takes,
// the SHA-256 of each asset and, for the macOS .tgz archives, of the binary inside, each with
// the public sources it was read from. cloudflared-fetch.ts refuses what is not pinned.
//
// Why two hashes for a .tgz: the "SHA256 Checksums" block of cloudflared's release notes lists
// the hash of the `cloudflared` binary extracted from each .tgz under the archive's name
// (upload_asset() in cloudflare/cloudflared's github_release.py hashes the extracted file),
// while package managers (Hermit, …) pin the archive itself. The archive hash is checked before
// anything is extracted; the binary hash ties what ships to Cloudflare's own notes.

/** Where a hash was read: a file at a commit of a public repository, or a page (release notes). */
export interface PinSource {
  /** What the source is, in words ("Scoop bucket manifest", "release notes' SHA256 block"). */
  what: string;
  repo?: string;
  path?: string;
  commit?: string;
  url?: string;
  /** Pages that quote `url` word for word (e.g. dependency-update pull requests). */
  copies?: string[];
}

export interface AssetPin {
  /** SHA-256 of the release asset as downloaded. */
  sha256: string;
  sources: PinSource[];
  /** .tgz only: SHA-256 of the `cloudflared` file inside. */
  binarySha256?: string;
  binarySources?: PinSource[];
}

export interface ChecksumTable {
  version: string;
  baseUrl: string;
  /** `<platform>-<arch>` → release asset name. */
  targets: Record<string, string>;
  /** Release asset name → its pins. */
  assets: Record<string, AssetPin>;
}

export const TABLE_FILE = 'cloudflared-checksums.json';

export function isPinned(sha256: string | undefined): sha256 is string {
  return typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256);
}

/** Two sources are independent when they are different repositories (or different pages). */
export function sourceId(source: PinSource): string {
  return (source.repo ?? source.url ?? '').toLowerCase();
}

function describeSource(source: PinSource): string {
  return source.repo ? `${source.repo}/${source.path} @ ${source.commit?.slice(0, 12)}` : String(source.url);
}

/** A source must say where to look again: repo + path + a full commit, or a URL. */
export function sourceProblem(source: unknown): string | null {
  if (typeof source !== 'object' || source === null) return 'a source is not an object';
  const s = source as PinSource;
  if (typeof s.what !== 'string' || s.what.trim() === '') return 'a source does not say what it is';
  if (s.repo !== undefined) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(s.repo)) return `source repo "${s.repo}" is not owner/name`;
    if (typeof s.path !== 'string' || s.path === '') return `source ${s.repo} names no path`;
    if (typeof s.commit !== 'string' || !/^[0-9a-f]{40}$/.test(s.commit))
      return `source ${s.repo}/${s.path} names no full commit`;
    return null;
  }
  if (typeof s.url === 'string' && /^https:\/\//.test(s.url)) return null;
  return `source "${s.what}" has neither repo/path/commit nor an https URL`;
}

export interface PinReview {
  /** Reasons to refuse the asset: nothing is downloaded while there is one. */
  refusals: string[];
  /** Pinned, but not as well as it should be: printed, not fatal. */
  warnings: string[];
}

/** What is wrong (refusals) or weak (warnings) about the pins of `asset`. */
export function reviewPin(table: ChecksumTable, asset: string): PinReview {
  const pin = table.assets[asset];
  const refusals: string[] = [];
  const warnings: string[] = [];
  const check = (label: string, hash: string | undefined, sources: PinSource[] | undefined) => {
    if (!isPinned(hash)) return refusals.push(notPinnedMessage(table, label));
    const distinct = new Map((sources ?? []).map((s) => [sourceId(s), s]));
    if (distinct.size === 0) return refusals.push(`checksum for ${label} names no source: ${FIX}`);
    if (distinct.size === 1) {
      const [only] = distinct.values();
      warnings.push(
        `checksum for ${label} (cloudflared ${table.version}) has a single source: ${only?.what} ` +
          `(${only ? describeSource(only) : ''}); find a second one before trusting it fully`,
      );
    }
  };
  check(asset, pin?.sha256, pin?.sources);
  if (asset.endsWith('.tgz')) {
    if (pin?.binarySha256 === undefined)
      warnings.push(`the binary inside ${asset} has no pinned checksum: only the archive is checked`);
    else check(`the binary inside ${asset}`, pin.binarySha256, pin.binarySources);
  } else if (pin?.binarySha256 !== undefined) {
    refusals.push(`${asset} is not an archive: it has no inner binary to pin (remove binarySha256)`);
  }
  return { refusals, warnings };
}

const FIX =
  'read the SHA-256 from two independent public sources (build/README.md, "Pinning the checksums"), ' +
  `record them with their sources in build/${TABLE_FILE}, review, commit`;

export function notPinnedMessage(table: ChecksumTable, label: string): string {
  return `checksum for ${label} (cloudflared ${table.version}) is not pinned yet: ${FIX}.`;
}

/** Checks the table's shape; placeholders are allowed here and refused only when used. */
export function parseChecksumTable(json: unknown, targetKeys: readonly string[]): ChecksumTable {
  const bad = (what: string) => new Error(`${TABLE_FILE}: ${what}`);
  if (typeof json !== 'object' || json === null) throw bad('not a JSON object');
  const table = json as Partial<ChecksumTable>;
  if (typeof table.version !== 'string' || !/^\d{4}\.\d+\.\d+$/.test(table.version))
    throw bad('"version" must be a cloudflared release like 2026.8.2');
  if (typeof table.baseUrl !== 'string' || !/^https?:\/\//.test(table.baseUrl))
    throw bad('"baseUrl" must be an http(s) URL');
  if (typeof table.targets !== 'object' || table.targets === null) throw bad('"targets" is missing');
  if (typeof table.assets !== 'object' || table.assets === null) throw bad('"assets" is missing');
  for (const key of targetKeys) {
    const asset = table.targets[key];
    if (typeof asset !== 'string' || asset === '') throw bad(`no asset for ${key}`);
    const pin = table.assets[asset];
    if (typeof pin !== 'object' || pin === null || typeof pin.sha256 !== 'string')
      throw bad(`no "sha256" entry for ${asset}`);
    for (const source of [...(pin.sources ?? []), ...(pin.binarySources ?? [])]) {
      const problem = sourceProblem(source);
      if (problem) throw bad(`${asset}: ${problem}`);
    }
  }
  return table as ChecksumTable;
}
