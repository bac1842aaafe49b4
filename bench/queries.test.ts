import { describe, expect, it } from 'vitest';
import { Rng } from './prng.ts';
import { makeQueries, type QuerySource, ripgrepTerm, wordPool } from './queries.ts';

const source: QuerySource = {
  sample: {
    wordsByDocFreq: ['the', 'kernel', 'driver', 'memory', 'device', 'interrupt', 'scheduler', 'buffer'],
    proseLines: [['the', 'driver', 'allocates', 'memory', 'early']],
    files: ['a.txt'],
  },
  vocabularyWords: ['brimvost', 'zeashir'],
};

describe('queries', () => {
  it('draws the same queries from the same seed, with every kind', () => {
    const a = makeQueries(source, new Rng(5), 300);
    expect(makeQueries(source, new Rng(5), 300)).toEqual(a);
    expect(new Set(a.map((q) => q.kind))).toEqual(
      new Set(['word', 'words', 'phrase', 'prefix', 'exclude', 'question']),
    );
    for (const q of a) {
      if (q.kind === 'phrase') expect(source.sample.proseLines[0]?.join(' ')).toContain(q.text.slice(1, -1));
      if (q.kind === 'prefix') expect(q.text).toMatch(/^[a-z]{4,}\*$/);
      if (q.kind === 'exclude') expect(q.text).toMatch(/ -[a-z]+$/);
      if (q.kind === 'question') {
        const words = q.text.split(' ').length;
        expect(words).toBeGreaterThanOrEqual(8);
        expect(words).toBeLessThanOrEqual(16);
        expect(q.text.endsWith('?')).toBe(true);
      }
    }
  });

  it('queries frequent corpus words and the vocabulary, never stopwords', () => {
    const pool = wordPool(source);
    expect(pool).not.toContain('the');
    expect(pool).toEqual(expect.arrayContaining(['kernel', 'buffer', 'brimvost']));
  });

  it('picks the first meaningful term for ripgrep', () => {
    expect(ripgrepTerm('kernel driver')).toBe('kernel');
    expect(ripgrepTerm('"allocates memory early"')).toBe('allocates memory early');
    expect(ripgrepTerm('sche*')).toBe('sche');
    expect(ripgrepTerm('-memory kernel')).toBe('kernel');
    expect(ripgrepTerm('what did we decide about the scheduler budget?')).toBe('decide');
    expect(ripgrepTerm('where is the buffer?')).toBe('buffer');
    expect(ripgrepTerm('the of')).toBe('the');
    expect(ripgrepTerm('')).toBeNull();
  });
});
