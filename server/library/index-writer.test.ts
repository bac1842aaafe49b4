import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWriteConnection } from './index-connection.ts';
import { IndexDb } from './index-db.ts';
import { type IndexWriter, inlineWriter } from './index-writer.ts';
import { threadWriter } from './index-writer-thread.ts';
import { removeDirs, tempDir } from './testing.ts';
import type { NewDoc } from './types.ts';
import type { WriteOp } from './write-plan.ts';

// The app writes on the writer thread; most library tests write inline to stay fast.
// Both must leave the same index, and the thread must report errors as inline writes do.

const doc = (relPath: string, body: string, id = `id-${relPath}`): NewDoc => ({
  id,
  folderId: 'f1',
  relPath,
  title: relPath,
  kind: 'text',
  size: body.length,
  mtimeMs: 1,
  truncated: false,
  body,
});

const upsert = (d: NewDoc): WriteOp => ({ op: 'upsert', doc: d });

/** Stages, writes, removes and merges, the way the indexer and the library do. */
async function exercise(db: IndexWriter): Promise<void> {
  db.stage([upsert(doc('a.txt', 'alpha')), upsert(doc('dir/b.txt', 'bravo'))]);
  db.stage([upsert(doc('dir/sub/c.txt', 'charlie'))]);
  await db.write([
    upsert(doc('d.txt', 'delta')),
    {
      op: 'unindexed',
      folderId: 'f1',
      relPath: 'e.bin',
      size: 3,
      mtimeMs: 1,
      reason: 'binary',
      isError: false,
    },
    {
      op: 'unindexed',
      folderId: 'f1',
      relPath: 'dir/f.pdf',
      size: 3,
      mtimeMs: 1,
      reason: 'bad',
      isError: true,
    },
  ]);
  await db.write([upsert(doc('a.txt', 'alpha again')), { op: 'removeTree', folderId: 'f1', relPath: 'dir' }]);
  await db.write([upsert({ ...doc('g.txt', 'golf'), folderId: 'f2', id: 'id-g' })]);
  await db.write([{ op: 'removeFolder', folderId: 'f2' }]);
  while (await db.merge()) {}
}

/** What the index holds, without the write times. */
function contents(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      docs: db.prepare('SELECT id, folder_id, rel_path, title, size FROM docs ORDER BY id').all(),
      text: db.prepare('SELECT title, path, body FROM docs_fts ORDER BY path').all(),
      failures: db.prepare('SELECT * FROM failures ORDER BY rel_path').all(),
    };
  } finally {
    db.close();
  }
}

/** A writer of each kind on `file`; closing it also closes the inline writer's connection. */
function openWriter(
  kind: 'thread' | 'inline',
  file: string,
): { writer: IndexWriter; close(): Promise<void> } {
  if (kind === 'thread') {
    const writer = threadWriter(file);
    return { writer, close: () => writer.close() };
  }
  const connection = openWriteConnection(file);
  const close = async () => {
    connection.close();
  };
  return { writer: inlineWriter(connection), close };
}

describe.each(['thread', 'inline'] as const)('the %s writer', (kind) => {
  let dataDir: string;
  let file: string;
  let opened: ReturnType<typeof openWriter>;
  let db: IndexWriter;
  beforeAll(async () => {
    dataDir = await tempDir('porthole-writer-');
    const schema = new IndexDb(dataDir, { writer: 'inline' });
    file = schema.file;
    await schema.close();
    opened = openWriter(kind, file);
    db = opened.writer;
    await exercise(db);
  });
  afterAll(async () => {
    await opened.close();
    await removeDirs(dataDir);
  });

  it('applies staged ops with the next write, in order', () => {
    expect(contents(file)).toEqual({
      docs: [
        { id: 'id-a.txt', folder_id: 'f1', rel_path: 'a.txt', title: 'a.txt', size: 11 },
        { id: 'id-d.txt', folder_id: 'f1', rel_path: 'd.txt', title: 'd.txt', size: 5 },
      ],
      text: [
        { title: 'a.txt', path: 'a.txt', body: 'alpha again' },
        { title: 'd.txt', path: 'd.txt', body: 'delta' },
      ],
      failures: [{ folder_id: 'f1', rel_path: 'e.bin', size: 3, mtime_ms: 1, reason: 'binary', is_error: 0 }],
    });
  });

  it("fails a batch as a whole with SQLite's code, drops what was staged for it, and goes on", async () => {
    db.stage([upsert(doc('staged.txt', 'lost with the batch'))]);
    const duplicateId = upsert(doc('h.txt', 'hotel', 'id-a.txt'));
    await expect(db.write([duplicateId])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await db.write([upsert(doc('i.txt', 'india'))]);
    const paths = contents(file).docs.map((d) => (d as { rel_path: string }).rel_path);
    expect(paths).toEqual(['a.txt', 'd.txt', 'i.txt']);
  });
});
