import { describe, expect, it } from 'vitest';
import { averagePrecisionAt, ndcgAt, recallAt, scoreQuery, summarizeRun } from './relevance-metrics.ts';

// Hand-computed: ranking a b c d; relevant a, c and e (e never retrieved).
const judged = new Map([
  ['a', 1],
  ['c', 1],
  ['e', 1],
  ['x', 0],
]);
const ranked = ['a', 'b', 'c', 'd'];

describe('relevance metrics', () => {
  it('nDCG@k: DCG 1 + 1/log2(4) = 1.5 over ideal 1 + 1/log2(3) + 1/log2(4) = 2.13093', () => {
    expect(ndcgAt(ranked, judged, 10)).toBeCloseTo(1.5 / 2.13093, 5);
    // Cut at 2: DCG 1 over the ideal 1 + 1/log2(3).
    expect(ndcgAt(ranked, judged, 2)).toBeCloseTo(1 / 1.63093, 5);
  });

  it('nDCG@k uses the grades as gains', () => {
    const graded = new Map([
      ['a', 2],
      ['b', 1],
    ]);
    // b then a: 1 + 2/log2(3) = 2.26186, ideal 2 + 1/log2(3) = 2.63093.
    expect(ndcgAt(['b', 'a'], graded, 10)).toBeCloseTo(2.26186 / 2.63093, 5);
    expect(ndcgAt(['a', 'b'], graded, 10)).toBeCloseTo(1, 10);
  });

  it('AP@k divides by every relevant document, retrieved or not (trec_eval map_cut)', () => {
    expect(averagePrecisionAt(ranked, judged, 10)).toBeCloseTo((1 + 2 / 3) / 3, 10);
    expect(averagePrecisionAt(ranked, judged, 2)).toBeCloseTo(1 / 3, 10);
  });

  it('recall@k is the share of relevant documents in the first k', () => {
    expect(recallAt(ranked, judged, 10)).toBeCloseTo(2 / 3, 10);
    expect(recallAt(ranked, judged, 1)).toBeCloseTo(1 / 3, 10);
  });

  it('an empty ranking scores 0 and counts as a zero-result query', () => {
    expect(scoreQuery([], judged)).toEqual({ ndcg: 0, map: 0, recall: 0, empty: true });
    expect(ndcgAt(ranked, new Map(), 10)).toBe(0);
  });

  it('summarizes a run as means over its queries', () => {
    const run = summarizeRun([scoreQuery(ranked, judged), scoreQuery([], judged)]);
    expect(run.queries).toBe(2);
    expect(run.ndcg).toBeCloseTo(1.5 / 2.13093 / 2, 5);
    expect(run.recall).toBeCloseTo(1 / 3, 10);
    expect(run.zeroResults).toBe(1);
  });
});
