import { readdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './index-db.ts';
import type { Library } from './library.ts';
import { eventually, memoryFolderStore, openTestLibrary, removeDirs, tempDir, writeTree } from './testing.ts';
import type { FolderConfig, FolderStatus } from './types.ts';

// index.sqlite is a cache: an index written by an older version is replaced on start, in
// one transaction, and the folders are indexed again with the usual progress.

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

// The schema of version 2 (before passages), as it shipped.
const SCHEMA_2 = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE docs (
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, folder_id TEXT NOT NULL, rel_path TEXT NOT NULL,
    title TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL,
    truncated INTEGER NOT NULL, indexed_at INTEGER NOT NULL, UNIQUE (folder_id, rel_path)
  );
  CREATE TABLE failures (
    folder_id TEXT NOT NULL, rel_path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL,
    reason TEXT NOT NULL, is_error INTEGER NOT NULL, PRIMARY KEY (folder_id, rel_path)
  );
  CREATE VIRTUAL TABLE docs_fts USING fts5(title, path, body, tokenize = 'unicode61 remove_diacritics 2');
  INSERT INTO docs_fts (docs_fts, rank) VALUES ('rank', 'bm25(8.0, 4.0, 1.0)');
  INSERT INTO meta (key, value) VALUES ('schema', '2');
`;

const folder = (): FolderConfig => ({
  id: 'fold',
  path: root,
  name: 'old',
  addedAt: new Date().toISOString(),
});

/** An index as version 2 left it: one document of the shared folder, indexed. */
function writeOldIndex(extra = ''): string {
  const file = path.join(dataDir, 'index.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_2);
  db.prepare(
    "INSERT INTO docs VALUES (1, 'AAAAAAAAAAAAAAAAAAAAAA', 'fold', 'gone.txt', 'gone.txt', 'text', 5, 1, 0, 1)",
  ).run();
  db.prepare(
    "INSERT INTO docs_fts (rowid, title, path, body) VALUES (1, 'gone.txt', 'gone.txt', 'oldword')",
  ).run();
  if (extra) db.exec(extra);
  db.close();
  return file;
}

async function manyFiles(count: number): Promise<void> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++)
    files[`d${i % 10}/f${i}.txt`] = `file number${i} about kettles ${'tea '.repeat(50)}`;
  await writeTree(root, files);
}

function schemaOf(file: string): string | undefined {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined)
      ?.value;
  } finally {
    db.close();
  }
}

describe('an index of an older schema', () => {
  it('is rebuilt on start: logged once with the reason, indexing progress shown, search works after', async () => {
    const file = writeOldIndex();
    await manyFiles(300);
    const logs: string[] = [];
    const events: FolderStatus[] = [];
    library = await openTestLibrary(dataDir, memoryFolderStore([folder()]), { log: (l) => logs.push(l) });
    library.on('status', (s) => events.push(s));
    await library.whenIdle();

    expect(logs.filter((l) => /schema 2, now 3: long documents in passages/.test(l))).toHaveLength(1);
    expect(events.some((e) => e.state === 'indexing')).toBe(true);
    expect(events.at(-1)).toMatchObject({ state: 'watching', indexed: 300 });
    expect(library.search('number7')[0]).toMatchObject({ path: 'd7/f7.txt' });
    expect(library.search('oldword')).toEqual([]);
    // Stemming came with the new schema: "kettle" finds "kettles".
    expect(library.search('kettle', { limit: 50 }).length).toBeGreaterThan(0);
    expect(schemaOf(file)).toBe(SCHEMA_VERSION);
  });

  it('is never left half-converted: a failure half-way keeps the old index whole, set aside, and a new one is built', async () => {
    // A view with the name of a new table makes the replacement fail after its first drops.
    writeOldIndex('CREATE VIEW passages AS SELECT 1;');
    await writeTree(root, { 'a.txt': 'apricot jam' });
    const logs: string[] = [];
    library = await openTestLibrary(dataDir, memoryFolderStore([folder()]), { log: (l) => logs.push(l) });
    await library.whenIdle();
    expect(library.search('apricot')[0]).toMatchObject({ path: 'a.txt' });
    expect(logs.some((l) => /schema could not be replaced.*moved to index\.sqlite\.corrupt-/.test(l))).toBe(
      true,
    );

    const aside = (await readdir(dataDir)).filter((f) => /^index\.sqlite\.corrupt-\d+$/.test(f));
    expect(aside).toHaveLength(1);
    const old = new Database(path.join(dataDir, aside[0] as string), { readonly: true });
    try {
      // Every table of the old index is still there with its rows: the transaction rolled back.
      expect(old.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get()).toBe('2');
      expect(old.prepare('SELECT count(*) FROM docs').pluck().get()).toBe(1);
      expect(old.prepare("SELECT rowid FROM docs_fts WHERE docs_fts MATCH 'oldword'").pluck().all()).toEqual([
        1,
      ]);
    } finally {
      old.close();
    }
  });

  it('closed in the middle of its rebuild, the next start goes on from where it was', async () => {
    writeOldIndex();
    await manyFiles(3000);
    const logs: string[] = [];
    const log = (l: string) => logs.push(l);
    library = await openTestLibrary(dataDir, memoryFolderStore([folder()]), { log, writer: 'worker' });
    let progress = 0;
    library.on('status', (s) => {
      progress = s.indexed;
    });
    await eventually(() => progress > 0);
    await library.close();
    library = undefined;
    expect(schemaOf(path.join(dataDir, 'index.sqlite'))).toBe(SCHEMA_VERSION);

    library = await openTestLibrary(dataDir, memoryFolderStore([folder()]), { log, writer: 'worker' });
    await library.whenIdle();
    expect(library.listFolders()[0]).toMatchObject({ state: 'watching', indexed: 3000 });
    expect(library.search('number2999')[0]).toMatchObject({ path: 'd9/f2999.txt' });
    expect(logs.filter((l) => /schema 2, now 3/.test(l))).toHaveLength(1);
  });
});
