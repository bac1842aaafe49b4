import type Database from 'better-sqlite3';
import type { NewDoc } from './types.ts';
import type { WriteOp } from './write-plan.ts';

// Every statement that changes the index's content, in one place: what a batch of
// WriteOps does to the tables, and the FTS5 segment merge. Run by whichever connection
// writes (the writer thread's, or the main one with the inline writer); the schema
// itself is created in index-db.ts.

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

/**
 * Merges some FTS5 segments (about 64 pages of output). FTS5 reports no more work to do
 * when the step changes fewer than two rows.
 */
export function mergeStep(db: Database.Database): boolean {
  const before = db.prepare('SELECT total_changes()').pluck().get() as number;
  db.prepare("INSERT INTO docs_fts (docs_fts, rank) VALUES ('merge', 64)").run();
  const after = db.prepare('SELECT total_changes()').pluck().get() as number;
  return after - before >= 2;
}
