import { describe, expect, it } from 'vitest';
import { summarizeByKind, timeQueries } from './search-timing.ts';

describe('search timing', () => {
  it('runs the warm-up untimed, then times every query and counts its results', () => {
    const seen: string[] = [];
    const searcher = {
      search: (q: string) => {
        seen.push(q);
        return q === 'none' ? [] : [{ id: '1', title: '', path: 'a', folderId: 'f', snippet: '', score: 1 }];
      },
    };
    const timings = timeQueries(
      searcher,
      [{ kind: 'word', text: 'warm' }],
      [
        { kind: 'word', text: 'one' },
        { kind: 'prefix', text: 'none' },
      ],
    );
    expect(seen).toEqual(['warm', 'one', 'none']);
    expect(timings.map((t) => [t.kind, t.results])).toEqual([
      ['word', 1],
      ['prefix', 0],
    ]);
    for (const t of timings) expect(t.ms).toBeGreaterThanOrEqual(0);
  });

  it('summarizes per kind', () => {
    const summary = summarizeByKind([
      { kind: 'word', ms: 1, results: 10 },
      { kind: 'word', ms: 3, results: 0 },
      { kind: 'phrase', ms: 5, results: 2 },
    ]);
    expect(summary).toEqual({
      word: { count: 2, p50Ms: 2, p95Ms: 2.9, avgResults: 5 },
      phrase: { count: 1, p50Ms: 5, p95Ms: 5, avgResults: 2 },
    });
  });
});
