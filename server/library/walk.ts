import { constants, type Dirent, type Stats } from 'node:fs';
import { access, lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { IgnoreRules, type IgnoreVerdict } from './ignore-rules.ts';
import { isInsideOrEqual, toRelPath } from './paths.ts';
import type { SkipReason, WalkEntry } from './types.ts';

export interface WalkOptions {
  /** Files larger than this are reported as 'too-large' instead of yielded. */
  maxFileBytes: number;
  /** Reused across walks by the indexer; the walk re-reads every .gitignore once (`invalidate()`). */
  rules?: IgnoreRules;
  signal?: AbortSignal;
}

/**
 * A folder or file: where it appears (`rel`) and where it really is (`real`, absolute, and
 * `realRel`). They differ only below a followed folder symlink. The walk reads through the
 * real path, so nothing is resolved twice and a link swapped mid-walk cannot redirect it.
 */
interface Place {
  rel: string;
  real: string;
  realRel: string;
}

type Outcome =
  | { kind: 'entry'; entry: WalkEntry }
  | { kind: 'dir'; dir: Place }
  /** A folder symlink inside the root: followed unless it leads back or was walked already. */
  | { kind: 'link-dir'; dir: Place }
  | null;

/** Entries of one folder inspected at once: enough to keep the fs thread pool busy. */
const BATCH = 64;
const READABLE_BY_ALL = 0o444;

/**
 * Walks a shared folder and yields the files that may be indexed, and the files skipped
 * for a reason worth showing. Ignored folders are not entered. Symlinks are resolved: a
 * link leading outside the root is skipped; one inside is followed (its files keep the
 * link's relPath) unless it leads back to a folder above it or to a folder already walked.
 * Anything reached through a link must pass the ignore rules both where it appears and
 * where it really is. `absPath` is always the real location. Entries come in a stable
 * order: each folder's entries sorted by name, then its subfolders depth-first.
 *
 * Throws only when `root` is missing, not a folder or cannot be listed; a bad entry below
 * it becomes a 'skip' entry.
 */
export async function* walkFolder(root: string, opts: WalkOptions): AsyncGenerator<WalkEntry> {
  const realRoot = await checkRoot(root);
  const rules = opts.rules ?? new IgnoreRules(realRoot);
  // A walk is where .gitignore changes are picked up, whatever the rules object saw before.
  rules.invalidate();
  const ctx: Context = { realRoot, rules, maxFileBytes: opts.maxFileBytes };
  const visited = new Set<string>([realRoot]);
  const stack: Place[] = [{ rel: '', real: realRoot, realRel: '' }];
  for (let dir = stack.pop(); dir; dir = stack.pop()) {
    opts.signal?.throwIfAborted();
    let dirents: Dirent[];
    try {
      dirents = await readdir(dir.real, { withFileTypes: true });
    } catch (error) {
      if (dir.rel === '') {
        throw new Error(`Cannot list the shared folder ${root}: ${(error as Error).message}`);
      }
      if (!isGone(error)) yield { type: 'skip', relPath: dir.rel, reason: 'unreadable' };
      continue;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: Place[] = [];
    for (let i = 0; i < dirents.length; i += BATCH) {
      opts.signal?.throwIfAborted();
      const current = dir;
      const outcomes = await Promise.all(dirents.slice(i, i + BATCH).map((d) => inspect(ctx, current, d)));
      // Decided in name order, never in completion order, so the result is the same every time.
      for (const outcome of outcomes) {
        opts.signal?.throwIfAborted();
        if (!outcome) continue;
        if (outcome.kind === 'entry') {
          yield outcome.entry;
        } else if (outcome.kind === 'dir') {
          visited.add(outcome.dir.real);
          subdirs.push(outcome.dir);
        } else if (isInsideOrEqual(outcome.dir.real, dir.real) || visited.has(outcome.dir.real)) {
          yield { type: 'skip', relPath: outcome.dir.rel, reason: 'symlink-loop' };
        } else {
          visited.add(outcome.dir.real);
          subdirs.push(outcome.dir);
        }
      }
    }
    // Reversed, so the stack hands out the first name first.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as Place);
  }
}

interface Context {
  realRoot: string;
  rules: IgnoreRules;
  maxFileBytes: number;
}

async function checkRoot(root: string): Promise<string> {
  let info: Stats;
  try {
    info = await stat(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(
      `The shared folder ${root} cannot be found (${code}). Was it moved, renamed, or is its drive disconnected?`,
    );
  }
  if (!info.isDirectory()) throw new Error(`The shared folder ${root} is not a folder.`);
  return realpath(root);
}

async function inspect(ctx: Context, dir: Place, dirent: Dirent): Promise<Outcome> {
  const name = dirent.name;
  const child: Place = {
    rel: join(dir.rel, name),
    real: path.join(dir.real, name),
    realRel: join(dir.realRel, name),
  };
  if (dirent.isSymbolicLink()) return inspectLink(ctx, child);
  let isDir = dirent.isDirectory();
  let isFile = dirent.isFile();
  if (!isDir && !isFile) {
    // Some filesystems do not report the type while listing; FIFOs, sockets and devices
    // are never opened (reading a FIFO would hang the walk).
    if (dirent.isFIFO() || dirent.isSocket() || dirent.isBlockDevice() || dirent.isCharacterDevice()) {
      return null;
    }
    const info = await lstat(child.real).catch(() => null);
    if (!info || info.isSymbolicLink()) return info ? inspectLink(ctx, child) : null;
    isDir = info.isDirectory();
    isFile = info.isFile();
    if (!isDir && !isFile) return null;
  }
  const verdict = verdictFor(ctx.rules, child, isDir);
  if (verdict) return isDir ? null : skip(child.rel, verdict);
  if (isDir) return { kind: 'dir', dir: child };
  return inspectFile(ctx, child.rel, child.real);
}

async function inspectLink(ctx: Context, link: Place): Promise<Outcome> {
  let real: string;
  let info: Stats;
  try {
    real = await realpath(link.real);
    info = await stat(real);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Dangling: nothing to read, but an ignored name stays quietly ignored.
    const verdict = verdictFor(ctx.rules, link, false);
    if (verdict) return skip(link.rel, verdict);
    // ENOENT: the link points at nothing. Said as such, since "unreadable" sends people to permissions.
    return skip(
      link.rel,
      code === 'ELOOP' ? 'symlink-loop' : code === 'ENOENT' ? 'broken-link' : 'unreadable',
    );
  }
  const isDir = info.isDirectory();
  if (!isDir && !info.isFile()) return null;
  const verdict = verdictFor(ctx.rules, link, isDir);
  if (verdict) return isDir ? null : skip(link.rel, verdict);
  if (!isInsideOrEqual(ctx.realRoot, real)) return skip(link.rel, 'symlink-outside');
  // A link from a shared name to a hidden place (notes/keys -> ../.ssh) must not expose it.
  const target: Place = { rel: link.rel, real, realRel: toRelPath(ctx.realRoot, real) };
  const targetVerdict = ctx.rules.isIgnored(target.realRel, isDir);
  if (targetVerdict) return skip(link.rel, targetVerdict);
  if (isDir) return { kind: 'link-dir', dir: target };
  return inspectFile(ctx, link.rel, real, info);
}

/** `realAbs` has no symlink in it; `known` is its stat when the caller has it already. */
async function inspectFile(ctx: Context, relPath: string, realAbs: string, known?: Stats): Promise<Outcome> {
  let info: Stats;
  try {
    info = known ?? (await lstat(realAbs));
    // So an unreadable file shows as such rather than as an extraction error. access() costs
    // as much as the lstat, so it is skipped for the usual files everyone may read (644).
    if ((info.mode & READABLE_BY_ALL) !== READABLE_BY_ALL) await access(realAbs, constants.R_OK);
  } catch (error) {
    return isGone(error) ? null : skip(relPath, 'unreadable');
  }
  if (info.size > ctx.maxFileBytes) return skip(relPath, 'too-large');
  return {
    kind: 'entry',
    entry: { type: 'file', relPath, absPath: realAbs, size: info.size, mtimeMs: info.mtimeMs },
  };
}

/** Both views must pass: the path as it appears, and (under a followed link) where it really is. */
function verdictFor(rules: IgnoreRules, entry: Place, isDir: boolean): IgnoreVerdict {
  const shown = rules.isIgnored(entry.rel, isDir);
  if (shown || entry.realRel === entry.rel) return shown;
  return rules.isIgnored(entry.realRel, isDir);
}

function skip(relPath: string, reason: SkipReason): Outcome {
  return { kind: 'entry', entry: { type: 'skip', relPath, reason } };
}

function join(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
