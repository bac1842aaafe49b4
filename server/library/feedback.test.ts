import { describe, expect, it } from 'vitest';
import { countWords, expansionTerms, stemKey, stemOf, wordsOf } from './feedback.ts';

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

describe('words of a text', () => {
  it('splits ASCII and other scripts alike: letters, digits and underscores, lower case', () => {
    expect(wordsOf('Deploy_v2: the API-key (2026)!')).toEqual(['deploy_v2', 'the', 'api', 'key', '2026']);
    expect(wordsOf('Réunion au café, Ünïcode 東京 x_1')).toEqual([
      'réunion',
      'au',
      'café',
      'ünïcode',
      '東京',
      'x_1',
    ]);
  });

  it('keys a word and its stem alike by their first two letters', () => {
    for (const word of ['configuration', 'running', 'studies', 'a'])
      expect(stemKey(stemOf(word))).toBe(stemKey(word));
    expect(stemKey('budget')).not.toBe(stemKey('bridge'));
  });
});
