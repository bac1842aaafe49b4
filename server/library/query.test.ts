import { describe, expect, it } from 'vitest';
import {
  allTermsExpression,
  anyTermExpression,
  MAX_QUERY_CHARS,
  MAX_TERMS,
  parseQuery,
  termExpression,
} from './query.ts';

const expression = (q: string) => anyTermExpression(parseQuery(q));

describe('parseQuery', () => {
  it('quotes every word, so FTS5 operators and syntax are plain words', () => {
    expect(expression('budget AND NEAR(x y) title:secret')).toBe(
      '("budget" OR "NEAR(x" OR "y)" OR "title:secret")',
    );
  });

  it('keeps "exact phrases" together and supports prefixes and exclusions', () => {
    const parsed = parseQuery('"quarterly report" budg* -draft -"old plan"');
    expect(parsed.include).toEqual([
      { text: 'quarterly report', phrase: true, prefix: false },
      { text: 'budg', phrase: false, prefix: true },
    ]);
    expect(parsed.exclude.map((t) => t.text)).toEqual(['draft', 'old plan']);
    expect(expression('"quarterly report" budg* -draft')).toBe(
      '("quarterly report" OR "budg"*) NOT ("draft")',
    );
  });

  it('also gives every term joined, for a query of two terms or more', () => {
    expect(allTermsExpression(parseQuery('what did we decide about the budget -draft'))).toBe(
      '("decide" AND "budget") NOT ("draft")',
    );
    expect(allTermsExpression(parseQuery('the budget'))).toBeNull();
  });

  it('drops stopwords from natural-language questions but keeps a query made only of them', () => {
    expect(expression('what did we decide about the budget')).toBe('("decide" OR "budget")');
    expect(expression('the who')).toBe('("the" OR "who")');
    expect(expression('what is the budget about?')).toBe('("budget")');
  });

  it('never produces an empty or broken expression', () => {
    for (const q of [
      '',
      '   ',
      '"',
      '""',
      '-',
      '***',
      '- -"',
      '?!',
      '-onlyexcluded',
      'a"b',
      '"unclosed phrase',
    ]) {
      const p = expression(q);
      if (p !== null) expect(p).toMatch(/^\(".+"\*?( OR ".+"\*?)*\)/);
    }
    expect(expression('-onlyexcluded')).toBeNull();
    expect(expression('"unclosed phrase')).toBe('("unclosed phrase")');
    expect(expression('a"b')).toBe('("a b")');
  });

  it('escapes embedded quotes and de-duplicates terms', () => {
    expect(expression('Report report REPORT')).toBe('("Report")');
  });

  it('counts only meaningful terms: a long question keeps its last words', () => {
    const glue = 'what is the that we can do it and how would you do this for me '.repeat(4);
    const words = Array.from({ length: MAX_TERMS - 1 }, (_, i) => `topic${i}`).join(' ');
    const parsed = parseQuery(`${glue}${words} lastword`);
    expect(parsed.include.map((t) => t.text)).toContain('lastword');
  });

  it('cuts a very long query at MAX_QUERY_CHARS instead of failing', () => {
    const parsed = parseQuery(`budget ${'x'.repeat(MAX_QUERY_CHARS)} tail`);
    expect(parsed.include.map((t) => t.text)).toContain('budget');
    expect(parsed.include.map((t) => t.text)).not.toContain('tail');
  });

  it('lets a long word prefix also match the shorter stems the index stores', () => {
    expect(termExpression({ text: 'configurat', phrase: false, prefix: true })).toBe(
      '("configurat"* OR "configura" OR "configur" OR "configu")',
    );
    expect(termExpression({ text: 'budg', phrase: false, prefix: true })).toBe('"budg"*');
    expect(termExpression({ text: 'budget', phrase: false, prefix: false })).toBe('"budget"');
  });
});
