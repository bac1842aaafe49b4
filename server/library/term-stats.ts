import type Database from 'better-sqlite3';
import { stemOf } from './feedback.ts';

/**
 * How common a word is in the index, for weighing query and feedback terms: a word in most
 * documents says little about any of them. Counts come from FTS5 itself (a MATCH, and an
 * fts5vocab table in the connection's temp schema: it works on a read-only connection too,
 * and writes nothing to index.sqlite).
 *
 * Counting a common word's documents means reading its whole doclist: for the 20 feedback
 * terms of a search over 100,000 files that was 6.5 ms at the p95. IDF only needs the
 * magnitude, so where the index is large a word is counted among the newest WINDOW_ROWS
 * passages (a rowid range is a seek into the doclist, as in matcher.ts) and the count scaled
 * to the whole; a word rare in that window (fewer than EXACT_BELOW) is counted exactly,
 * which is cheap for a rare word.
 */
const IDF_MEMORY_MS = 60_000;
const MAX_REMEMBERED = 50_000;
export const WINDOW_ROWS = 5_000;
export const EXACT_BELOW = 20;

export interface TermStats {
  /** Inverse document frequency of a word (as written; the index stems it), log(N / df), or undefined when the index has no such word. */
  idf(word: string): number | undefined;
}

export function createTermStats(db: Database.Database, options: { windowRows?: number } = {}): TermStats {
  const windowRows = options.windowRows ?? WINDOW_ROWS;
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.docs_vocab USING fts5vocab(main, docs_fts, 'row')");
  const exact = db.prepare('SELECT doc FROM temp.docs_vocab WHERE term = ?').pluck();
  // CAST: better-sqlite3 binds JS numbers as REAL, and FTS5 ignores a REAL rowid constraint.
  const inWindow = db
    .prepare('SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ? AND rowid > CAST(? AS INTEGER)')
    .pluck();
  // Rows of docs_fts, cheaply (an aggregate over docs_fts would read all of it): passages
  // take rowids right after their document's, so the largest document rowid is close to
  // the row count, and IDF only needs its magnitude.
  const rows = db.prepare('SELECT coalesce(max(rowid), 0) FROM docs').pluck();
  const documentsWith = (word: string, total: number): number => {
    if (total > 2 * windowRows && /^[\p{L}\p{N}_]+$/u.test(word)) {
      const seen = inWindow.get(`"${word}"`, total - windowRows) as number;
      if (seen >= EXACT_BELOW) return Math.round((seen * total) / windowRows);
    }
    return (exact.get(stemOf(word)) as number | undefined) ?? 0;
  };
  // The same words come back query after query: IDFs are remembered for a minute (they move
  // slowly as files are indexed), and forgotten all at once.
  const remembered = new Map<string, number | undefined>();
  let since = Date.now();
  return {
    idf(word) {
      if (Date.now() - since > IDF_MEMORY_MS || remembered.size > MAX_REMEMBERED) {
        remembered.clear();
        since = Date.now();
      }
      if (remembered.has(word)) return remembered.get(word);
      const total = Number(rows.get());
      const n = documentsWith(word, total);
      const idf = n ? Math.log(Math.max(n, total) / n) : undefined;
      remembered.set(word, idf);
      return idf;
    },
  };
}
