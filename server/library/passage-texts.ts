import type Database from 'better-sqlite3';

/**
 * What re-ranking reads back from the index, on any connection to it (the main one or a
 * search thread's read-only one): the candidate passages' text, from which it re-scores them
 * and cuts the results' snippets (snippet.ts). Passages are docs_fts rows, named by rowid
 * (RawHit.rowid); each call is one statement for all of them.
 */
export interface PassageTexts {
  /** The first `maxChars` characters of each passage still in the index, by rowid. */
  texts(rowids: readonly number[], maxChars: number): Map<number, string>;
}

export function createPassageTexts(db: Database.Database): PassageTexts {
  // A rowid IN list is a seek per rowid (in the table, or in the terms' doclists), not a scan.
  const s = {
    texts: db.prepare(
      'SELECT rowid, substr(body, 1, CAST(? AS INTEGER)) AS text FROM docs_fts WHERE rowid IN (SELECT value FROM json_each(?))',
    ),
  };
  const byRowid = (rows: unknown[]) =>
    new Map((rows as { rowid: number; text: string | null }[]).map((r) => [r.rowid, r.text ?? '']));
  return {
    texts(rowids, maxChars) {
      return rowids.length === 0 ? new Map() : byRowid(s.texts.all(maxChars, JSON.stringify(rowids)));
    },
  };
}
