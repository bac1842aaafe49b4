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
    rowidOf: db.prepare('SELECT rowid, parts FROM docs WHERE folder_id = ? AND rel_path = ?'),
    insertDoc: db.prepare(
      'INSERT INTO docs (rowid, id, folder_id, rel_path, title, kind, size, mtime_ms, truncated, parts, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    // CAST: better-sqlite3 binds JS numbers as REAL, and FTS5 ignores a REAL rowid constraint.
    insertFts: db.prepare(
      'INSERT INTO docs_fts (rowid, title, path, body) VALUES (CAST(? AS INTEGER), ?, ?, ?)',
    ),
    insertPassage: db.prepare(
      'INSERT INTO passages (doc_rowid, idx, start_char, end_char, first_page, last_page) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    lastFtsRowid: db.prepare('SELECT rowid FROM docs_fts ORDER BY rowid DESC LIMIT 1').pluck(),
    deleteDoc: db.prepare('DELETE FROM docs WHERE rowid = ?'),
    deleteFts: db.prepare('DELETE FROM docs_fts WHERE rowid = CAST(? AS INTEGER)'),
    deleteFtsRange: db.prepare(
      'DELETE FROM docs_fts WHERE rowid >= CAST(? AS INTEGER) AND rowid < CAST(? AS INTEGER)',
    ),
    deletePassages: db.prepare('DELETE FROM passages WHERE doc_rowid = ?'),
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
    longDocsOf: db.prepare('SELECT rowid, parts FROM docs WHERE folder_id = ? AND parts > 1'),
    deleteFolderDocs: db.prepare('DELETE FROM docs WHERE folder_id = ?'),
    deleteFolderFailures: db.prepare('DELETE FROM failures WHERE folder_id = ?'),
  };

  const removePassages = (doc: { rowid: number; parts: number }) => {
    s.deleteFtsRange.run(doc.rowid, doc.rowid + doc.parts);
    s.deletePassages.run(doc.rowid);
  };

  const remove = (folderId: string, relPath: string) => {
    const existing = s.rowidOf.get(folderId, relPath) as { rowid: number; parts: number } | undefined;
    if (existing) {
      if (existing.parts > 1) removePassages(existing);
      else s.deleteFts.run(existing.rowid);
      s.deleteDoc.run(existing.rowid);
    }
    s.clearFailure.run(folderId, relPath);
  };

  // Rowids are handed out in blocks, one per passage, above every rowid docs_fts holds
  // (see the schema in index-db.ts). This is the only writing connection, so the counter
  // is read once; a rolled-back batch only leaves a gap.
  let nextRowid: number | null = null;
  const allocate = (count: number): number => {
    nextRowid ??= ((s.lastFtsRowid.get() as number | undefined) ?? 0) + 1;
    const first = nextRowid;
    nextRowid += count;
    return first;
  };

  const upsert = (doc: NewDoc) => {
    remove(doc.folderId, doc.relPath);
    const passages = doc.passages && doc.passages.length > 1 ? doc.passages : null;
    const rowid = allocate(passages?.length ?? 1);
    s.insertDoc.run(
      rowid,
      doc.id,
      doc.folderId,
      doc.relPath,
      doc.title,
      doc.kind,
      doc.size,
      doc.mtimeMs,
      doc.truncated ? 1 : 0,
      passages?.length ?? 1,
      Date.now(),
    );
    if (!passages) {
      s.insertFts.run(rowid, doc.title, doc.relPath, doc.body);
      return;
    }
    // Title and path go with every passage: a query naming the document and a word deep
    // inside it still finds that passage.
    passages.forEach((p, i) => {
      s.insertFts.run(rowid + i, doc.title, doc.relPath, doc.body.slice(p.start, p.end));
      s.insertPassage.run(rowid, i, p.start, p.end, p.firstPage ?? null, p.lastPage ?? null);
    });
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
        for (const doc of s.longDocsOf.all(op.folderId) as { rowid: number; parts: number }[])
          removePassages(doc);
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
