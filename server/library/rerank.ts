// The second stage of ranking: a pool of BM25 candidates re-scored with what BM25 alone
// does not see, from the first characters of each candidate passage, read once. Each step
// was kept because `npm run bench:relevance` showed it helping on the test collections
// (see docs/architecture.md, "Search"). All of it runs on the pool only: no second pass
// over the index, so its cost does not grow with the index.
import { countWords, expansionTerms, stemKey, stemOf, wordsOf } from './feedback.ts';
import type { QueryTerm } from './query.ts';
import type { TermStats } from './term-stats.ts';
import type { RawHit } from './types.ts';

export interface Scored {
  hit: RawHit;
  /** Higher is better. */
  score: number;
}

/** A coverage of 1 (every query term in the passage) multiplies the BM25 score by 1 + COVERAGE_BOOST. */
export const COVERAGE_BOOST = 2;
/**
 * RM3's settings (fbDocs, fbTerms, origWeight), measured with bench:relevance (2026-12-02): the
 * common 10/10/0.5 left MEDLINE's full questions at 1.03× the baseline. Fewer, better feedback
 * passages with more terms each did best on all three collections, and the neighbours (2 to 4
 * passages, 20 to 25 terms, weight 0.4 to 0.5, coverage boost 1.5 to 2.5) stay within a point or
 * two of it, so it is not a lucky corner. Three passages is also a third of the tokenizing.
 */
export const FEEDBACK_DOCS = 3;
export const FEEDBACK_TERMS = 20;
export const ORIGINAL_WEIGHT = 0.45;
/** Re-ranking reads this much of each candidate passage: enough to judge it, little to tokenize. */
export const RERANK_CHARS = 2_000;
// BM25's usual constants, for scoring the feedback terms in the pool.
const K1 = 1.2;
const B = 0.75;

interface Candidate extends Scored {
  /** The passage's own words, for feedback: a title is often only a file name ("notes.txt"). */
  body: string[];
  /** Title and body words, for coverage and for scoring the feedback terms. */
  words: string[];
  /** How often each stem asked about so far (`countStems`) occurs in `words`. */
  stems: Map<string, number>;
}

export function scored(hits: readonly RawHit[]): Scored[] {
  return hits.map((hit) => ({ hit, score: -hit.rank }));
}

function readCandidates(ranked: readonly Scored[], texts: ReadonlyMap<number, string>): Candidate[] {
  return ranked.map((r) => {
    const body = wordsOf(texts.get(r.hit.rowid) ?? '');
    return { ...r, body, words: [...wordsOf(r.hit.title), ...body], stems: new Map() };
  });
}

// Stemming every word of every candidate was most of re-ranking's cost, and only a few stems
// matter: the query's, then the feedback terms'. A word is stemmed only when its first two
// letters begin one of them (`stemKey`).
/** Counts the occurrences of `wanted` stems in each candidate's words, into `stems` (once per stem). */
function countStems(pool: readonly Candidate[], wanted: ReadonlySet<string>): void {
  // Every candidate has been counted for the same stems so far.
  const fresh = new Set([...wanted].filter((stem) => !pool[0]?.stems.has(stem)));
  if (fresh.size === 0) return;
  const keys = new Set([...fresh].map(stemKey));
  for (const c of pool) {
    for (const stem of fresh) c.stems.set(stem, 0);
    for (const word of c.words) {
      if (!keys.has(stemKey(word))) continue;
      const stem = stemOf(word);
      if (fresh.has(stem)) c.stems.set(stem, (c.stems.get(stem) ?? 0) + 1);
    }
  }
}

function contains(c: Candidate, term: QueryTerm): boolean {
  const words = wordsOf(term.text);
  if (term.prefix && !term.phrase) {
    const prefix = words[0] ?? '\0';
    return c.words.some((word) => word.startsWith(prefix));
  }
  return words.length > 0 && words.every((w) => (c.stems.get(stemOf(w)) ?? 0) > 0);
}

/**
 * Term coverage instead of an "every word first" tier: each candidate's score grows with
 * the share of the query's terms its passage contains, each term weighed by its IDF, so
 * a passage with the rare words of a question beats one repeating a common word, and a
 * passage missing one word of five is not pushed below every passage that has all five.
 */
function boostCoverage(pool: Candidate[], terms: readonly QueryTerm[], stats?: TermStats): Candidate[] {
  if (terms.length < 2) return pool;
  countStems(
    pool,
    new Set(terms.filter((t) => !t.prefix || t.phrase).flatMap((t) => wordsOf(t.text).map(stemOf))),
  );
  const weights = terms.map(
    (t) => (t.phrase || t.prefix ? undefined : stats?.idf(t.text.toLowerCase())) ?? 1,
  );
  const total = weights.reduce((a, b) => a + b, 0);
  return pool
    .map((c) => {
      const covered = terms.reduce((sum, t, i) => sum + (contains(c, t) ? (weights[i] ?? 1) : 0), 0);
      return { ...c, score: c.score * (1 + (COVERAGE_BOOST * covered) / total) };
    })
    .sort((a, b) => b.score - a.score);
}

/**
 * RM3 pseudo-relevance feedback on the pool: the best terms of the top passages
 * (feedback.ts), with their weights, score every candidate by BM25, and that is mixed with
 * the first ranking: ORIGINAL_WEIGHT * first + (1 - ORIGINAL_WEIGHT) * feedback, each
 * scaled to its best score.
 */
function withFeedback(pool: Candidate[], stats?: TermStats): Scored[] {
  const top = pool.slice(0, FEEDBACK_DOCS).map((c) => ({ words: countWords(c.body), score: c.score }));
  const expansion = expansionTerms(top, FEEDBACK_TERMS);
  if (expansion.length === 0) return pool;
  countStems(pool, new Set(expansion.map((t) => t.stem)));
  const averageLength = pool.reduce((sum, c) => sum + c.words.length, 0) / pool.length || 1;
  const weights = expansion.map((t) => t.weight * (stats?.idf(t.word) ?? 1));
  const second = pool.map((c) => {
    let score = 0;
    expansion.forEach((t, i) => {
      const tf = c.stems.get(t.stem) ?? 0;
      if (tf === 0) return;
      score +=
        ((weights[i] ?? 0) * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * c.words.length) / averageLength));
    });
    return { hit: c.hit, score };
  });
  return fuse(pool, second, ORIGINAL_WEIGHT);
}

/** `texts`: the first RERANK_CHARS characters of each candidate passage, by rowid (PassageTexts.texts). */
export function rerank(
  first: readonly Scored[],
  terms: readonly QueryTerm[],
  texts: ReadonlyMap<number, string>,
  stats: TermStats | undefined,
  feedback: boolean,
): Scored[] {
  if (first.length === 0) return [];
  const pool = boostCoverage(readCandidates(first, texts), terms, stats);
  const ranked = feedback ? withFeedback(pool, stats) : pool;
  return ranked.map((r) => ({ hit: r.hit, score: r.score }));
}

/** weight * (first, scaled to its best) + (1 - weight) * (second, scaled to its best), best first. */
export function fuse(first: readonly Scored[], second: readonly Scored[], weight: number): Scored[] {
  const best = (list: readonly Scored[]) => Math.max(Number.MIN_VALUE, ...list.map((r) => r.score));
  const firstBest = best(first);
  const secondBest = best(second);
  const byId = new Map<string, Scored>();
  for (const r of first) byId.set(r.hit.id, { hit: r.hit, score: (weight * r.score) / firstBest });
  for (const r of second) {
    const add = ((1 - weight) * r.score) / secondBest;
    const known = byId.get(r.hit.id);
    byId.set(r.hit.id, known ? { hit: known.hit, score: known.score + add } : { hit: r.hit, score: add });
  }
  return [...byId.values()].sort((a, b) => b.score - a.score);
}
