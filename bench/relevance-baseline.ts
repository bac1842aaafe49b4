// The plain baseline every ranking change is measured against: one SQLite FTS5 table
// (title, body) with the Porter stemmer, bm25(2.0, 1.0), the query's words each quoted
// and OR-ed together, top 10. Nothing Porthole-specific.
import Database from 'better-sqlite3';
import type { TestDoc } from './relevance-collections.ts';

export interface BaselineIndex {
  search(query: string, limit: number): string[];
  close(): void;
}

/** The words of a query as the baseline sees them: runs of letters and digits, each once. */
export function baselineExpression(query: string): string | null {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
  return words.length === 0 ? null : words.map((w) => `"${w}"`).join(' OR ');
}

export function buildBaseline(docs: readonly TestDoc[]): BaselineIndex {
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')");
  // The collections' document ids are numbers: they are the rowids, so the table is exactly (title, body).
  const insert = db.prepare('INSERT INTO docs (rowid, title, body) VALUES (CAST(? AS INTEGER), ?, ?)');
  db.transaction(() => {
    for (const d of docs) insert.run(d.id, d.title, d.body);
  })();
  const top = db
    .prepare('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 2.0, 1.0) LIMIT ?')
    .pluck();
  return {
    search(query, limit) {
      const expression = baselineExpression(query);
      return expression ? (top.all(expression, limit) as number[]).map(String) : [];
    },
    close: () => db.close(),
  };
}
