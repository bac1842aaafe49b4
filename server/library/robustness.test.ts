import { spawn } from 'node:child_process';
import { open, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Library } from './library.ts';
import { eventually, memoryFolderStore, openTestLibrary, removeDirs, tempDir, writeTree } from './testing.ts';
import type { FolderConfig } from './types.ts';

// These run the app's writer thread (`writer: 'worker'`): what must survive a crash or a
// damaged file is the path the app takes.
const here = path.dirname(fileURLToPath(import.meta.url));
let root: string;
let dataDir: string;
let library: Library | undefined;

beforeEach(async () => {
  root = await tempDir();
  dataDir = await tempDir('porthole-data-');
});
afterEach(async () => {
  await library?.close();
  library = undefined;
  await removeDirs(root, dataDir);
});

async function manyFiles(count: number): Promise<void> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++)
    files[`d${i % 20}/file${i}.txt`] = `document number${i} shared words ${'filler '.repeat(200)}`;
  await writeTree(root, files);
}

function ftsIntegrity(file: string): void {
  const db = new Database(file, { readonly: false });
  try {
    db.prepare("INSERT INTO docs_fts(docs_fts) VALUES('integrity-check')").run();
    // One docs_fts row per passage: a long document has several.
    const docs = db.prepare('SELECT coalesce(sum(parts), 0) AS n FROM docs').get() as { n: number };
    const fts = db.prepare('SELECT count(*) AS n FROM docs_fts').get() as { n: number };
    expect(fts.n).toBe(docs.n);
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it('killed mid-indexing, restarts and resumes without a corrupt or half-written index', async () => {
    const total = 3000;
    await manyFiles(total);
    const folder: FolderConfig = {
      id: 'fcrash',
      path: root,
      name: 'crash',
      addedAt: new Date().toISOString(),
    };
    // A child process indexes and is SIGKILLed (no cleanup at all) once some files are in.
    const script = path.join(dataDir, 'index-then-die.mts');
    await writeFile(
      script,
      `import { Library } from ${JSON.stringify(path.join(here, 'library.ts'))};
      const folder = ${JSON.stringify(folder)};
      const lib = await Library.open({ dataDir: ${JSON.stringify(dataDir)}, idKey: 'test-key', watch: false,
        folders: { load: () => [folder], save: () => {} } });
      lib.on('status', (s) => { if (s.indexed >= 600) process.kill(process.pid, 'SIGKILL'); });
      await lib.whenIdle();
      console.log('finished before the kill');`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    expect(out).not.toContain('finished');
    ftsIntegrity(path.join(dataDir, 'index.sqlite'));

    library = await openTestLibrary(dataDir, memoryFolderStore([folder]), { writer: 'worker' });
    await library.whenIdle();
    expect(library.listFolders()[0]).toMatchObject({ indexed: total, state: 'watching' });
    expect(library.search('number2999')).toHaveLength(1);
    await library.close();
    library = undefined;
    ftsIntegrity(path.join(dataDir, 'index.sqlite'));
  });

  it('detects a damaged index file, moves it aside and rebuilds from the files', async () => {
    await writeTree(root, { 'a.txt': 'persimmon' });
    const store = memoryFolderStore();
    library = await openTestLibrary(dataDir, store, { writer: 'worker' });
    await library.addFolder(root);
    await library.whenIdle();
    await library.close();
    // Overwrite everything after the header page with garbage.
    const handle = await open(path.join(dataDir, 'index.sqlite'), 'r+');
    await handle.write(Buffer.alloc(64 * 1024, 0xa5), 0, 64 * 1024, 4096);
    await handle.close();
    const lines: string[] = [];
    library = await openTestLibrary(dataDir, store, { writer: 'worker', log: (l) => lines.push(l) });
    await library.whenIdle();
    expect(lines.join('\n')).toMatch(/damaged.*rebuilding/);
    expect((await readdir(dataDir)).some((f) => f.startsWith('index.sqlite.corrupt-'))).toBe(true);
    expect(library.search('persimmon')).toHaveLength(1);
  });

  it('opens without reading the large FTS5 tables, and rebuilds when a search finds them damaged', async () => {
    await manyFiles(200);
    const store = memoryFolderStore();
    library = await openTestLibrary(dataDir, store, { writer: 'worker' });
    await library.addFolder(root);
    await library.whenIdle();
    await library.close();
    // Garbage over every leaf page of FTS5's doclists, which the check on opening skips.
    const file = path.join(dataDir, 'index.sqlite');
    const db = new Database(file, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db
      .prepare("SELECT pageno FROM dbstat WHERE name = 'docs_fts_data' AND pagetype = 'leaf'")
      .pluck()
      .all() as number[];
    db.close();
    expect(pages.length).toBeGreaterThan(1);
    const handle = await open(file, 'r+');
    for (const page of pages)
      await handle.write(Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
    await handle.close();

    const lines: string[] = [];
    library = await openTestLibrary(dataDir, store, { writer: 'worker', log: (l) => lines.push(l) });
    expect(lines.join('\n')).not.toMatch(/damaged/);
    library.search('shared');
    await eventually(() => /damaged.*rebuilding/.test(lines.join('\n')));
    await eventually(() => library?.search('number123').length === 1);
  });

  it('treats a file that is not a database at all the same way', async () => {
    await writeFile(path.join(dataDir, 'index.sqlite'), 'this is not sqlite '.repeat(500));
    await writeTree(root, { 'a.txt': 'quokka' });
    const lines: string[] = [];
    library = await openTestLibrary(dataDir, memoryFolderStore(), {
      writer: 'worker',
      log: (l) => lines.push(l),
    });
    await library.addFolder(root);
    await library.whenIdle();
    expect(lines.join('\n')).toMatch(/damaged/);
    expect(library.search('quokka')).toHaveLength(1);
  });
});
