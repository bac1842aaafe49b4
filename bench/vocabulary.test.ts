import { describe, expect, it } from 'vitest';
import { Rng } from './prng.ts';
import { buildVocabulary, FUNCTION_WORDS, searchCumulative, zipfCumulative } from './vocabulary.ts';

describe('vocabulary', () => {
  const vocab = buildVocabulary(50_000, 1);

  it('is deterministic, unique, and starts with the function words', () => {
    expect(vocab.words).toHaveLength(50_000);
    expect(new Set(vocab.words).size).toBe(50_000);
    expect(vocab.words.slice(0, FUNCTION_WORDS.length)).toEqual(FUNCTION_WORDS);
    expect(buildVocabulary(50_000, 1).words).toEqual(vocab.words);
    expect(buildVocabulary(50_000, 2).words).not.toEqual(vocab.words);
    expect(vocab.words.every((w) => /^[a-z]+$/.test(w))).toBe(true);
  });

  it('draws words with a Zipf-like falloff', () => {
    const rng = new Rng(9);
    const counts = new Map<number, number>();
    for (let i = 0; i < 200_000; i++) {
      const rank = vocab.sampleRank(rng);
      counts.set(rank, (counts.get(rank) ?? 0) + 1);
    }
    const at = (r: number) => counts.get(r) ?? 0;
    // Weight ∝ 1 / (r + 2.7): rank 0 is ~ (10.7 / 2.7) ≈ 4× as common as rank 8.
    expect(at(0) / at(8)).toBeGreaterThan(3.3);
    expect(at(0) / at(8)).toBeLessThan(4.7);
    // The long tail is reached, but rarely.
    expect([...counts.keys()].some((r) => r > 40_000)).toBe(true);
    const head = [...counts.entries()].filter(([r]) => r < 100).reduce((s, [, c]) => s + c, 0);
    expect(head / 200_000).toBeGreaterThan(0.35);
  });

  it('finds the bucket of a cumulative weight', () => {
    const cumulative = Float64Array.from([1, 3, 6]);
    expect(searchCumulative(cumulative, 0)).toBe(0);
    expect(searchCumulative(cumulative, 0.99)).toBe(0);
    expect(searchCumulative(cumulative, 1)).toBe(1);
    expect(searchCumulative(cumulative, 5.99)).toBe(2);
    expect(zipfCumulative(3, 1)[0]).toBeCloseTo(1 / 2.7, 12);
  });
});
