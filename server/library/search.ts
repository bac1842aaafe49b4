import type { Matcher } from './matcher.ts';
import { type ParsedQuery, parseQuery, planMatch } from './query.ts';
import type { RawHit, SearchResult } from './types.ts';

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 50;

/**
 * Documents that match every term come first, ranked by BM25. When they are fewer than
 * `limit`, the rest is filled with documents matching any term (long questions from a
 * model rarely match in full), ranked below every full match.
 */
export function searchIndex(
  db: Matcher,
  query: string,
  limit = DEFAULT_SEARCH_LIMIT,
  snippets = true,
): SearchResult[] {
  const wanted = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.floor(limit)));
  return runPlan(db, parseQuery(query), wanted, snippets);
}

function runPlan(db: Matcher, parsed: ParsedQuery, limit: number, snippets: boolean): SearchResult[] {
  const plan = planMatch(parsed);
  if (!plan.all) return [];
  const full = db.match(plan.all, limit, [], snippets);
  const partial =
    plan.any && full.length < limit
      ? db.match(
          plan.any,
          limit - full.length,
          full.map((h) => h.id),
          snippets,
        )
      : [];
  return mergeTiers(full, partial);
}

/** Scores are positive, higher is better, and every full match scores above every partial one. */
export function mergeTiers(full: RawHit[], partial: RawHit[]): SearchResult[] {
  const fullScores = full.map((h) => -h.rank);
  const floor = fullScores.length > 0 ? Math.min(...fullScores) : Number.POSITIVE_INFINITY;
  const partialScores = partial.map((h) => -h.rank);
  const partialTop = partialScores.length > 0 ? Math.max(...partialScores) : 0;
  // Partial matches are squeezed under the weakest full match, keeping their own order.
  const squeeze = Number.isFinite(floor) && partialTop >= floor ? (floor * 0.9) / partialTop : 1;
  return [
    ...full.map((h, i) => toResult(h, fullScores[i] ?? 0)),
    ...partial.map((h, i) => toResult(h, (partialScores[i] ?? 0) * squeeze)),
  ];
}

function toResult(hit: RawHit, score: number): SearchResult {
  return {
    id: hit.id,
    title: hit.title,
    path: hit.relPath,
    folderId: hit.folderId,
    snippet: hit.snippet.replace(/\s+/g, ' ').trim(),
    score: Number(score.toPrecision(6)),
  };
}
