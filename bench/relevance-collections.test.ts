import { describe, expect, it } from 'vitest';
import { baselineExpression } from './relevance-baseline.ts';
import { parseQrelLines, parseSlashQrels, parseSlashRecords, parseSmart } from './relevance-collections.ts';
import { contentWords, styleQuery } from './relevance-queries.ts';

describe('collection parsers', () => {
  it('reads SMART records (.I/.T/.W/...), joining a field over its lines', () => {
    const text = [
      '.I 1',
      '.T',
      'Preliminary Report',
      '.B',
      'CACM December, 1958',
      '.W',
      ' A first line',
      'and a second.',
      '.I 002',
      '.W',
      'only text',
    ].join('\n');
    const records = parseSmart(text);
    expect(records.map((r) => r.id)).toEqual(['1', '2']);
    expect(records[0]?.fields.get('T')).toBe('Preliminary Report');
    expect(records[0]?.fields.get('W')).toBe('A first line and a second.');
    expect(records[1]?.fields.get('T')).toBeUndefined();
  });

  it('reads judgments as "query doc ..." and as TREC "query 0 doc grade"', () => {
    const cacm = parseQrelLines('01 1410  0 0\n01 1572  0 0\n02 2434 0 0\n', 'query-doc');
    expect([...(cacm.get('1')?.keys() ?? [])]).toEqual(['1410', '1572']);
    expect(cacm.get('2')?.get('2434')).toBe(1);
    const trec = parseQrelLines('1 0 13 2\n1 0 14 0\n', 'trec');
    expect(trec.get('1')?.get('13')).toBe(2);
    expect(trec.get('1')?.get('14')).toBe(0);
  });

  it('reads NPL records and judgments separated by "/" lines', () => {
    const docs = parseSlashRecords(
      '1\ncompact memories have\nflexible capacities\n   /\n2\nan electronic analogue\n   /\n',
    );
    expect(docs).toEqual([
      { id: '1', lines: ['compact memories have', 'flexible capacities'] },
      { id: '2', lines: ['an electronic analogue'] },
    ]);
    const qrels = parseSlashQrels('1\n 1239  1502\n 7923\n   /\n2\n  414\n   /\n');
    expect([...(qrels.get('1')?.keys() ?? [])]).toEqual(['1239', '1502', '7923']);
    expect(qrels.get('2')?.get('414')).toBe(1);
  });
});

describe('query styles', () => {
  const question = {
    id: '1',
    text: 'What articles exist which deal with TSS (Time Sharing System), an operating system?',
  };

  it('keeps the question as written, whitespace collapsed', () => {
    expect(styleQuery({ id: '2', text: ' the crystalline lens\nin  vertebrates ' }, 'full')).toBe(
      'the crystalline lens in vertebrates',
    );
  });

  it('takes the first 3 or 5 content words (standard English stopwords out)', () => {
    expect(contentWords('What is the budget of the 2 teams?')).toEqual(['budget', 'teams']);
    expect(styleQuery(question, 'kw3')).toBe('articles exist deal');
    expect(styleQuery(question, 'kw5')).toBe('articles exist deal tss time');
  });

  it('gives the baseline each word once, quoted, OR-ed', () => {
    expect(baselineExpression('Time-sharing (TSS) time')).toBe('"time" OR "sharing" OR "tss"');
    expect(baselineExpression('?!')).toBeNull();
  });
});
