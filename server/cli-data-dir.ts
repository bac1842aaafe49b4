import fs from 'node:fs';
import path from 'node:path';
import type { DataDirSource } from './cli-args.ts';

// The data folder of `porthole serve` and `porthole folders`, checked before anything is written
// in it, so that a problem is told in words that name how the folder was chosen (--data-dir,
// PORTHOLE_DATA_DIR or the default) and what to do, not as an errno from deep inside.

export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** Creates the folder (0700) if needed and checks that this user can write in it. */
export function prepareDataDir(dir: string, from: DataDirSource): void {
  const blocker = nonFolderOnPath(dir);
  if (blocker !== null) {
    const what = blocker.isFile ? 'is a file, not a folder' : 'is not a folder';
    const where =
      blocker.path === dir
        ? `The data folder ${dir} (${describeSource(from)}) ${what}.`
        : `The data folder ${dir} (${describeSource(from)}) cannot be created: ${blocker.path} ${what}.`;
    throw new DataDirError(`${where} ${remedy(from)}`);
  }
  try {
    makeDirs(dir);
    // A real write: access(W_OK) says yes to root on a read-only file system.
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, '', { flag: 'wx', mode: 0o600 });
    fs.rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DataDirError(
      `Porthole cannot write in its data folder ${dir} (${describeSource(from)}; ${code}). ` +
        `Make that folder writable by you, or ${remedy(from).replace(/^./, (c) => c.toLowerCase())}`,
    );
  }
}

export function describeSource(from: DataDirSource): string {
  if (from === '--data-dir') return 'from --data-dir';
  if (from === 'PORTHOLE_DATA_DIR') return 'from PORTHOLE_DATA_DIR';
  return 'the default';
}

function remedy(from: DataDirSource): string {
  if (from === '--data-dir') return 'Choose another folder with --data-dir DIR.';
  if (from === 'PORTHOLE_DATA_DIR') return 'Point PORTHOLE_DATA_DIR at a folder (it is created if missing).';
  return 'Choose another folder with --data-dir DIR or PORTHOLE_DATA_DIR.';
}

/** The first component of `dir` (itself or a parent) that exists and is not a folder, if any. */
function nonFolderOnPath(dir: string): { path: string; isFile: boolean } | null {
  for (let current = dir; ; current = path.dirname(current)) {
    let info: fs.Stats | undefined;
    try {
      info = fs.statSync(current, { throwIfNoEntry: false });
    } catch (error) {
      // ENOTDIR: a parent is not a folder; the loop reaches it. Anything else: let the write say.
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') return null;
    }
    if (info) return info.isDirectory() ? null : { path: current, isFile: info.isFile() };
    if (path.dirname(current) === current) return null;
  }
}

// Not mkdirSync({recursive}): on Node 20 it spins forever when mkdir answers ENOENT under an
// existing parent (seen with /proc), as settings.ts notes. 0700: nobody else's business.
function makeDirs(dir: string): void {
  if (fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeDirs(parent);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
