import type Database from 'better-sqlite3';

/**
 * How common a term is in the index, for weighing feedback terms: a word in most
 * documents says little about any of them. Reads FTS5's own statistics through an
 * fts5vocab table in the connection's temp schema (it works on a read-only connection
 * too, and writes nothing to index.sqlite). Terms are the index's stems.
 */
const IDF_MEMORY_MS = 60_000;
const MAX_REMEMBERED = 50_000;

export interface TermStats {
  /** Inverse document frequency, log(N / df), or undefined when the index has no such term. */
  idf(stem: string): number | undefined;
}

export function createTermStats(db: Database.Database): TermStats {
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.docs_vocab USING fts5vocab(main, docs_fts, 'row')");
  const df = db.prepare('SELECT doc FROM temp.docs_vocab WHERE term = ?').pluck();
  // Rows of docs_fts, cheaply (an aggregate over docs_fts would read all of it): passages
  // take rowids right after their document's, so the largest document rowid is close to
  // the row count, and IDF only needs its magnitude.
  const rows = db.prepare('SELECT coalesce(max(rowid), 0) FROM docs').pluck();
  // An fts5vocab lookup costs about a quarter of a millisecond, and the same words come
  // back query after query: IDFs are remembered for a minute (they move slowly as files
  // are indexed), and forgotten all at once.
  const remembered = new Map<string, number | undefined>();
  let since = Date.now();
  return {
    idf(stem) {
      if (Date.now() - since > IDF_MEMORY_MS || remembered.size > MAX_REMEMBERED) {
        remembered.clear();
        since = Date.now();
      }
      if (remembered.has(stem)) return remembered.get(stem);
      const n = df.get(stem) as number | undefined;
      const idf = n ? Math.log(Math.max(n, Number(rows.get())) / n) : undefined;
      remembered.set(stem, idf);
      return idf;
    },
  };
}
