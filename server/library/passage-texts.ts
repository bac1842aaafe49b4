import type Database from 'better-sqlite3';

/**
 * What re-ranking reads back from the index, on any connection to it (the main one or a
 * search thread's read-only one): a hit's passage text for feedback, and a snippet for
 * the few results finally returned (so the candidate pool is fetched without them).
 * A passage is a docs_fts row: the document's rowid plus the passage index (index-db.ts).
 */
export interface PassageTexts {
  /** The first `maxChars` characters of the passage's text, or undefined when gone. */
  text(docId: string, passage: number, maxChars: number): string | undefined;
  /** A snippet of the passage around the terms of `expression`, or '' when it does not match. */
  snippet(docId: string, passage: number, expression: string): string;
  /** The docs_fts rowid of a document's passage, or undefined when the document is gone. */
  rowid(docId: string, passage: number): number | undefined;
  /** Which of `rowids` match `expression`. */
  matching(expression: string, rowids: readonly number[]): Set<number>;
}

export function createPassageTexts(db: Database.Database): PassageTexts {
  const s = {
    docRowid: db.prepare('SELECT rowid FROM docs WHERE id = ?').pluck(),
    text: db
      .prepare('SELECT substr(body, 1, CAST(? AS INTEGER)) FROM docs_fts WHERE rowid = CAST(? AS INTEGER)')
      .pluck(),
    snippet: db
      .prepare(
        "SELECT snippet(docs_fts, 2, '', '', '…', 24) FROM docs_fts WHERE docs_fts MATCH ? AND rowid = CAST(? AS INTEGER)",
      )
      .pluck(),
    // A rowid IN list is a seek per rowid in the term's doclist, not a scan of it.
    matching: db
      .prepare(
        'SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))',
      )
      .pluck(),
  };
  const rowidOf = (docId: string, passage: number): number | undefined => {
    const rowid = s.docRowid.get(docId) as number | undefined;
    return rowid === undefined ? undefined : rowid + passage;
  };
  return {
    rowid: rowidOf,
    matching(expression, rowids) {
      return new Set(s.matching.all(expression, JSON.stringify(rowids)) as number[]);
    },
    text(docId, passage, maxChars) {
      const rowid = rowidOf(docId, passage);
      if (rowid === undefined) return undefined;
      return s.text.get(maxChars, rowid) as string | undefined;
    },
    snippet(docId, passage, expression) {
      const rowid = rowidOf(docId, passage);
      if (rowid === undefined) return '';
      return (s.snippet.get(expression, rowid) as string | undefined) ?? '';
    },
  };
}
