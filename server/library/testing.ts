// Helpers for the library's tests: real temp folders, an in-memory folder store.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Library, type LibraryOptions } from './library.ts';
import type { FolderConfig, FolderStore } from './types.ts';

export function memoryFolderStore(initial: FolderConfig[] = []): FolderStore & { folders: FolderConfig[] } {
  const store = {
    folders: [...initial],
    load: () => [...store.folders],
    save: (folders: FolderConfig[]) => {
      store.folders = [...folders];
    },
  };
  return store;
}

export async function tempDir(prefix = 'porthole-test-'): Promise<string> {
  return realpath(await mkdtemp(path.join(os.tmpdir(), prefix)));
}

/** Writes `files` (relative path → content) under `root`, creating folders as needed. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const target = path.join(root, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

export async function removeDirs(...dirs: string[]): Promise<void> {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}

/**
 * A Library for tests: no watcher, and index writes on the test's own thread, since
 * booting the writer thread (through tsx) costs about half a second per Library. Tests of
 * the writer thread itself, of restarts and of crash recovery pass `writer: 'worker'`,
 * which is what the app always uses.
 */
export async function openTestLibrary(
  dataDir: string,
  store: FolderStore,
  overrides: Partial<LibraryOptions> = {},
): Promise<Library> {
  return Library.open({
    dataDir,
    idKey: 'test-key',
    folders: store,
    watch: false,
    homeDir: '/nonexistent-home',
    writer: 'inline',
    ...overrides,
  });
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
