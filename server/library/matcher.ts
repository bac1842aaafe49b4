import type Database from 'better-sqlite3';
import type { RawHit } from './types.ts';

/** Runs one FTS5 MATCH expression against the index, best first. */
export interface Matcher {
  match(expression: string, limit: number, skipIds?: readonly string[], snippets?: boolean): RawHit[];
}

const SNIPPET = "snippet(docs_fts, 2, '', '', '…', 24)";

/**
 * The ranking queries, on any connection to the index (the main one, or a search
 * thread's read-only one). `skipIds` are left out (already returned by a better tier);
 * without `snippets` the snippet is empty and the query much cheaper.
 */
export function createMatcher(db: Database.Database, broadMatchCap: number): Matcher {
  const s = {
    nthNewestMatch: db
      .prepare('SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?')
      .pluck(),
    topBare: db.prepare('SELECT rowid, rank FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rank LIMIT ?'),
    // CAST: better-sqlite3 binds JS numbers as REAL, and FTS5 ignores a REAL rowid constraint.
    topBareAbove: db.prepare(
      'SELECT rowid, rank FROM docs_fts WHERE docs_fts MATCH ? AND rowid > CAST(? AS INTEGER) ORDER BY rank LIMIT ?',
    ),
    top: db.prepare(
      `SELECT rowid, rank, ${SNIPPET} AS snippet FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rank LIMIT ?`,
    ),
    topAbove: db.prepare(
      `SELECT rowid, rank, ${SNIPPET} AS snippet FROM docs_fts WHERE docs_fts MATCH ? AND rowid > CAST(? AS INTEGER) ORDER BY rank LIMIT ?`,
    ),
    docByRowid: db.prepare('SELECT id, folder_id, rel_path, title FROM docs WHERE rowid = ?'),
  };
  return {
    match(expression, limit, skipIds = [], snippets = true) {
      // BM25 must score every match before it can sort. A query matching a large share of
      // the index (a very common word, a short prefix) is ranked among its newest
      // `broadMatchCap` matches only, which bounds its cost.
      const floor = s.nthNewestMatch.get(expression, broadMatchCap) as number | undefined;
      const wanted = limit + skipIds.length;
      const bounded = floor !== undefined;
      const statement = snippets ? (bounded ? s.topAbove : s.top) : bounded ? s.topBareAbove : s.topBare;
      const params = bounded ? [expression, floor, wanted] : [expression, wanted];
      // FTS5 sorts by rank itself, so snippet() runs for the returned rows only.
      const top = statement.all(...params) as { rowid: number; rank: number; snippet?: string }[];
      const skip = new Set(skipIds);
      const hits: RawHit[] = [];
      for (const { rowid, rank, snippet } of top) {
        const doc = s.docByRowid.get(rowid) as
          | { id: string; folder_id: string; rel_path: string; title: string }
          | undefined;
        if (!doc || skip.has(doc.id)) continue;
        hits.push({
          id: doc.id,
          folderId: doc.folder_id,
          relPath: doc.rel_path,
          title: doc.title,
          snippet: snippet ?? '',
          rank,
        });
        if (hits.length === limit) break;
      }
      return hits;
    },
  };
}
