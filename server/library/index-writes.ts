import type Database from 'better-sqlite3';
import type { NewDoc } from './index-db.ts';

// Every change to the index, as plain data: the indexer describes what to write, and
// one writer (a worker thread, see index-writer.ts) applies batches of these in order,
// each batch in one transaction.
export type WriteOp =
  | { op: 'upsert'; doc: NewDoc }
  | { op: 'remove'; folderId: string; relPath: string }
  | { op: 'removeTree'; folderId: string; relPath: string }
  | { op: 'removeFolder'; folderId: string }
  | {
      op: 'unindexed';
      folderId: string;
      relPath: string;
      size: number;
      mtimeMs: number;
      reason: string;
      isError: boolean;
    };

/** Prepares the write statements once; the returned function applies one batch atomically. */
export function prepareWrites(db: Database.Database): (ops: readonly WriteOp[]) => void {
  const s = {
    rowidOf: db.prepare('SELECT rowid FROM docs WHERE folder_id = ? AND rel_path = ?'),
    insertDoc: db.prepare(
      'INSERT INTO docs (id, folder_id, rel_path, title, kind, size, mtime_ms, truncated, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertFts: db.prepare('INSERT INTO docs_fts (rowid, title, path, body) VALUES (?, ?, ?, ?)'),
    deleteDoc: db.prepare('DELETE FROM docs WHERE rowid = ?'),
    deleteFts: db.prepare('DELETE FROM docs_fts WHERE rowid = ?'),
    pathsUnder: db
      .prepare('SELECT rel_path FROM docs WHERE folder_id = ? AND rel_path >= ? AND rel_path < ?')
      .pluck(),
    insertFailure: db.prepare(
      'INSERT OR REPLACE INTO failures (folder_id, rel_path, size, mtime_ms, reason, is_error) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    clearFailure: db.prepare('DELETE FROM failures WHERE folder_id = ? AND rel_path = ?'),
    clearFailuresUnder: db.prepare(
      'DELETE FROM failures WHERE folder_id = ? AND rel_path >= ? AND rel_path < ?',
    ),
    deleteFolderFts: db.prepare(
      'DELETE FROM docs_fts WHERE rowid IN (SELECT rowid FROM docs WHERE folder_id = ?)',
    ),
    deleteFolderDocs: db.prepare('DELETE FROM docs WHERE folder_id = ?'),
    deleteFolderFailures: db.prepare('DELETE FROM failures WHERE folder_id = ?'),
  };

  const remove = (folderId: string, relPath: string) => {
    const existing = s.rowidOf.get(folderId, relPath) as { rowid: number } | undefined;
    if (existing) {
      s.deleteFts.run(existing.rowid);
      s.deleteDoc.run(existing.rowid);
    }
    s.clearFailure.run(folderId, relPath);
  };

  const upsert = (doc: NewDoc) => {
    remove(doc.folderId, doc.relPath);
    const { lastInsertRowid } = s.insertDoc.run(
      doc.id,
      doc.folderId,
      doc.relPath,
      doc.title,
      doc.kind,
      doc.size,
      doc.mtimeMs,
      doc.truncated ? 1 : 0,
      Date.now(),
    );
    s.insertFts.run(lastInsertRowid, doc.title, doc.relPath, doc.body);
  };

  const apply = (op: WriteOp) => {
    switch (op.op) {
      case 'upsert':
        return upsert(op.doc);
      case 'remove':
        return remove(op.folderId, op.relPath);
      case 'removeTree': {
        // A path that was a directory: everything under it goes, and the path itself.
        const prefix = `${op.relPath}/`;
        for (const relPath of s.pathsUnder.all(op.folderId, prefix, `${prefix}\uffff`) as string[]) {
          remove(op.folderId, relPath);
        }
        s.clearFailuresUnder.run(op.folderId, prefix, `${prefix}\uffff`);
        return remove(op.folderId, op.relPath);
      }
      case 'removeFolder':
        s.deleteFolderFts.run(op.folderId);
        s.deleteFolderDocs.run(op.folderId);
        s.deleteFolderFailures.run(op.folderId);
        return;
      case 'unindexed':
        remove(op.folderId, op.relPath);
        s.insertFailure.run(op.folderId, op.relPath, op.size, op.mtimeMs, op.reason, op.isError ? 1 : 0);
        return;
    }
  };

  return db.transaction((ops: readonly WriteOp[]) => {
    for (const op of ops) apply(op);
  });
}
