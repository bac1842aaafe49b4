// The standard ranked-retrieval measures at a cut-off, as trec_eval computes them
// (ndcg_cut, map_cut, recall): small enough to write here, and the bench must not depend
// on a Python toolchain. Unit-tested against hand-computed values in relevance-metrics.test.ts.

/** Relevance grade of each judged document of one query (grade > 0 means relevant). */
export type Judgments = ReadonlyMap<string, number>;

function relevantCount(judged: Judgments): number {
  let n = 0;
  for (const grade of judged.values()) if (grade > 0) n++;
  return n;
}

/** nDCG@k with linear gains (trec_eval's ndcg_cut): DCG of the ranking over DCG of the ideal one. */
export function ndcgAt(ranked: readonly string[], judged: Judgments, k: number): number {
  const dcg = ranked.slice(0, k).reduce((sum, id, i) => sum + (judged.get(id) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...judged.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Average precision cut at k, divided by all relevant documents (trec_eval's map_cut). */
export function averagePrecisionAt(ranked: readonly string[], judged: Judgments, k: number): number {
  const total = relevantCount(judged);
  if (total === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if ((judged.get(id) ?? 0) > 0) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return sum / total;
}

/** Share of the relevant documents found in the first k. */
export function recallAt(ranked: readonly string[], judged: Judgments, k: number): number {
  const total = relevantCount(judged);
  if (total === 0) return 0;
  const found = ranked.slice(0, k).filter((id) => (judged.get(id) ?? 0) > 0).length;
  return found / total;
}

export interface QueryScores {
  ndcg: number;
  map: number;
  recall: number;
  /** The ranking returned nothing at all. */
  empty: boolean;
}

export function scoreQuery(ranked: readonly string[], judged: Judgments, k = 10): QueryScores {
  return {
    ndcg: ndcgAt(ranked, judged, k),
    map: averagePrecisionAt(ranked, judged, k),
    recall: recallAt(ranked, judged, k),
    empty: ranked.length === 0,
  };
}

export interface RunSummary {
  queries: number;
  ndcg: number;
  map: number;
  recall: number;
  zeroResults: number;
}

/** Means over the queries; queries without relevant documents must be left out before. */
export function summarizeRun(scores: readonly QueryScores[]): RunSummary {
  const mean = (pick: (s: QueryScores) => number) =>
    scores.length === 0 ? 0 : scores.reduce((sum, s) => sum + pick(s), 0) / scores.length;
  return {
    queries: scores.length,
    ndcg: mean((s) => s.ndcg),
    map: mean((s) => s.map),
    recall: mean((s) => s.recall),
    zeroResults: scores.filter((s) => s.empty).length,
  };
}
