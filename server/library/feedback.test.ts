import { describe, expect, it } from 'vitest';
import { countWords, expansionTerms, stemOf } from './feedback.ts';

describe('RM3 expansion terms', () => {
  it('weighs each document by its first-pass score and groups the forms of a word', () => {
    const terms = expansionTerms(
      [
        { words: countWords('myocardial infarction infarctions and the heart'), score: 3 },
        { words: countWords('infarction of the myocardium'), score: 1 },
        { words: countWords('unrelated gardening tomatoes'), score: 0 },
      ],
      3,
    );
    expect(terms[0]).toMatchObject({ stem: stemOf('infarction'), word: 'infarction' });
    expect(terms.map((t) => t.word)).not.toContain('tomatoes');
    expect(terms.map((t) => t.word)).not.toContain('the');
    expect(terms.reduce((sum, t) => sum + t.weight, 0)).toBeCloseTo(1, 10);
  });

  it('leaves out stopwords, numbers and very short words, and gives nothing without scores', () => {
    const terms = expansionTerms([{ words: countWords('the of 2024 42 ab would budget'), score: 1 }], 10);
    expect(terms.map((t) => t.word)).toEqual(['budget']);
    expect(expansionTerms([{ words: countWords('budget'), score: 0 }], 10)).toEqual([]);
  });
});
