import type Database from 'better-sqlite3';
import type { HitPart, RawHit } from './types.ts';

/**
 * Runs FTS5 MATCH expressions against the index, best first: one, or several with the same
 * terms (so BM25 scores a passage alike in each), whose matches are ranked together: a broad
 * expression, ranked among its newest `broadMatchCap` matches, beside a narrower one, ranked
 * among its own newest matches, so those are not crowded out by the broad one's.
 */
export interface Matcher {
  match(expressions: string | readonly string[], limit: number): RawHit[];
}

/**
 * The ranking queries, on any connection to the index (the main one, or a search
 * thread's read-only one). Snippets are cut later, for the results only (snippet.ts).
 *
 * docs_fts ranks passages; a hit is a document, at its best-ranked passage (`part` says
 * which, for a document of several passages). Nearly every document is one passage, so
 * the first `wanted` rows nearly always hold `wanted` documents; when passages of the same
 * documents crowd them out, the query is run again for more rows.
 */
export function createMatcher(db: Database.Database, broadMatchCap: number): Matcher {
  const s = {
    // BM25 must score every match before it can sort. A query matching a large share of the
    // index (a very common word, a short prefix) is ranked among its newest `broadMatchCap`
    // matches only, which bounds its cost. FTS5 walks a doclist by rowid, newest first here,
    // and scores (`rank`) only the rows it walks: one pass, where finding the cap's rowid
    // first and then ranking the rows above it walked the matches twice.
    top: db.prepare(
      'SELECT rowid, rank FROM (SELECT rowid, rank FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY rank LIMIT ?',
    ),
    // A passage's document: the one with the largest rowid not above the passage's.
    docOfPassage: db.prepare(
      'SELECT rowid, id, folder_id, rel_path, title, parts FROM docs WHERE rowid <= CAST(? AS INTEGER) ORDER BY rowid DESC LIMIT 1',
    ),
    passage: db.prepare('SELECT start_char, end_char FROM passages WHERE doc_rowid = ? AND idx = ?'),
  };
  const partOf = (doc: DocOfPassage, index: number): HitPart | undefined => {
    if (doc.parts <= 1) return undefined;
    const range = s.passage.get(doc.rowid, index) as { start_char: number; end_char: number } | undefined;
    return { index, count: doc.parts, start: range?.start_char ?? 0, end: range?.end_char ?? 0 };
  };
  return {
    match(expressions, limit) {
      const all = typeof expressions === 'string' ? [expressions] : expressions;
      // Scoring is the cost and the LIMIT hardly changes it, so a few spare rows cover
      // passages of the same documents without a second query in nearly every case.
      for (let rows = limit * 2 + 10; ; rows *= 4) {
        const lists = all.map((e) => s.top.all(e, broadMatchCap, rows) as Ranked[]);
        // Every list shorter than asked: the union is whole. Otherwise only its best `rows`
        // are surely in order (a list cut at `rows` may hold better ones further on).
        const complete = lists.every((list) => list.length < rows);
        const top = complete ? bestOf(lists) : bestOf(lists).slice(0, rows);
        const seen = new Set<number>();
        const hits: RawHit[] = [];
        for (const { rowid, rank } of top) {
          const doc = s.docOfPassage.get(rowid) as DocOfPassage | undefined;
          if (!doc || seen.has(doc.rowid) || rowid - doc.rowid >= doc.parts) continue;
          seen.add(doc.rowid);
          const part = partOf(doc, rowid - doc.rowid);
          hits.push({
            id: doc.id,
            folderId: doc.folder_id,
            relPath: doc.rel_path,
            title: doc.title,
            rank,
            rowid,
            ...(part ? { part } : {}),
          });
          if (hits.length === limit) return hits;
        }
        if (complete) return hits;
      }
    },
  };
}

interface Ranked {
  rowid: number;
  rank: number;
}

/** Several ranked lists as one, best first, each passage once (its rank is the same in each). */
function bestOf(lists: readonly Ranked[][]): Ranked[] {
  if (lists.length === 1) return lists[0] ?? [];
  const byRowid = new Map<number, Ranked>();
  for (const row of lists.flat()) byRowid.set(row.rowid, row);
  return [...byRowid.values()].sort((a, b) => a.rank - b.rank);
}

interface DocOfPassage {
  rowid: number;
  id: string;
  folder_id: string;
  rel_path: string;
  title: string;
  parts: number;
}
