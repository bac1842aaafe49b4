import type { Matcher } from './matcher.ts';
import type { PassageTexts } from './passage-texts.ts';
import { allTermsExpression, anyTermExpression, parseQuery, type QueryTerm, rankingTerms } from './query.ts';
import { RERANK_CHARS, rerank, type Scored, scored } from './rerank.ts';
import { openingOf, snippetOf, termTest } from './snippet.ts';
import type { TermStats } from './term-stats.ts';
import type { RawHit, SearchResult } from './types.ts';

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 50;
/** Candidates each ranking pass fetches; the results are the best of them after re-ranking. */
export const CANDIDATE_POOL = 30;

/** The index as search sees it: ranked matches, and what re-ranking reads back. */
export interface SearchSource extends Matcher {
  texts: PassageTexts;
  stats: TermStats;
  /**
   * Runs `read` in one read transaction: ranking, re-ranking and snippets then see the same
   * index (passages are named by rowid between the statements), whatever the writer commits.
   */
  snapshot<T>(read: () => T): T;
}

/**
 * Ranking in two stages. BM25 (FTS5, stemmed, title and path weighted above the body)
 * ranks every passage matching any meaningful term of the query (and, so that a common word
 * cannot hide them, those matching all of them: query.ts); the best CANDIDATE_POOL
 * are then re-scored by term coverage and RM3 feedback, from their own text (rerank.ts).
 */
export function searchIndex(
  db: SearchSource,
  query: string,
  limit = DEFAULT_SEARCH_LIMIT,
  snippets = true,
): SearchResult[] {
  return db.snapshot(() => rankAndShow(db, query, limit, snippets));
}

function rankAndShow(db: SearchSource, query: string, limit: number, snippets: boolean): SearchResult[] {
  const wanted = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.floor(limit)));
  const parsed = parseQuery(query);
  const terms = rankingTerms(parsed);
  const any = anyTermExpression(parsed);
  if (any === null) return [];
  const pool = Math.max(wanted, CANDIDATE_POOL);
  const all = allTermsExpression(parsed);
  const first = scored(db.match(all ? [any, all] : any, pool));
  if (first.length === 0) return [];
  const read = db.texts.texts(
    first.map((r) => r.hit.rowid),
    RERANK_CHARS,
  );
  // A phrase, prefix or exclusion asks for exactly that: feedback is for plain words.
  const exact = parsed.exclude.length > 0 || terms.some((t) => t.phrase || t.prefix);
  const ranked = rerank(first, terms, read, db.stats, !exact);
  const best = ranked.slice(0, wanted);
  const shown = snippets ? snippetsOf(best, terms, read, db.texts) : new Map<number, string>();
  return best.map((r) => toResult(r.hit, r.score, shown.get(r.hit.rowid) ?? ''));
}

/**
 * Each result's snippet, from the text re-ranking read; a passage whose terms are not in
 * that much of it is read in full, and one without them at all (a match in its title or
 * path) shows its first words.
 */
function snippetsOf(
  best: readonly Scored[],
  terms: readonly QueryTerm[],
  read: ReadonlyMap<number, string>,
  texts: PassageTexts,
): Map<number, string> {
  const test = termTest(terms);
  const shown = new Map<number, string>();
  const further: number[] = [];
  for (const { hit } of best) {
    const start = read.get(hit.rowid) ?? '';
    const snippet = snippetOf(start, terms, test);
    if (snippet !== null) shown.set(hit.rowid, snippet);
    else if (start.length >= RERANK_CHARS) further.push(hit.rowid);
    else shown.set(hit.rowid, openingOf(start));
  }
  for (const [rowid, text] of texts.texts(further, Number.MAX_SAFE_INTEGER))
    shown.set(rowid, snippetOf(text, terms, test) ?? openingOf(text));
  return shown;
}

function toResult(hit: RawHit, score: number, snippet: string): SearchResult {
  return {
    id: hit.id,
    title: hit.title,
    path: hit.relPath,
    folderId: hit.folderId,
    snippet: snippet.replace(/\s+/g, ' ').trim(),
    score: Number(score.toPrecision(6)),
    ...(hit.part ? { part: hit.part } : {}),
  };
}
