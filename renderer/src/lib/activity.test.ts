import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../server/api.ts';
import {
  activityKey,
  filterActivity,
  isFiltering,
  matchesFilter,
  mergeActivity,
  NO_FILTER,
  prependActivity,
  rowsAddedAbove,
  toJsonl,
} from './activity.ts';
import { makeEntry } from './testing.ts';

const entries: ActivityEntry[] = [
  makeEntry(5, { summary: 'quarterly report 2024' }),
  makeEntry(4, {
    kind: 'auth',
    method: 'consent',
    tool: null,
    summary: 'consent granted',
    client: { id: 'c', name: 'Claude' },
  }),
  makeEntry(3, {
    tool: 'fetch',
    summary: 'Tax Return.pdf',
    outcome: { ok: false, error: 'Document not found' },
  }),
  makeEntry(2, {
    kind: 'system',
    method: 'tunnel',
    tool: null,
    client: null,
    login: null,
    summary: 'Tunnel connected',
  }),
  makeEntry(1, { summary: 'budget' }),
];

describe('filtering', () => {
  it('keeps the same array when nothing filters', () => {
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(filterActivity(entries, NO_FILTER)).toBe(entries);
    expect(filterActivity(entries, { ...NO_FILTER, text: '   ' })).toBe(entries);
  });

  it('filters by kind', () => {
    expect(filterActivity(entries, { ...NO_FILTER, kind: 'auth' }).map((e) => e.seq)).toEqual([4]);
    expect(filterActivity(entries, { ...NO_FILTER, kind: 'system' }).map((e) => e.seq)).toEqual([2]);
    expect(filterActivity(entries, { ...NO_FILTER, kind: 'mcp' }).map((e) => e.seq)).toEqual([5, 3, 1]);
  });

  it('matches every word, in any case, across summary, client, tool and result', () => {
    const seqs = (text: string) => filterActivity(entries, { ...NO_FILTER, text }).map((e) => e.seq);
    expect(seqs('REPORT')).toEqual([5]);
    expect(seqs('claude')).toEqual([4]);
    expect(seqs('fetch not found')).toEqual([3]);
    expect(seqs('tunnel')).toEqual([2]);
    expect(seqs('budget chatgpt')).toEqual([1]);
    expect(seqs('budget claude')).toEqual([]);
  });

  it('shows only failures when asked', () => {
    expect(filterActivity(entries, { ...NO_FILTER, errorsOnly: true }).map((e) => e.seq)).toEqual([3]);
    expect(matchesFilter(entries[2] as ActivityEntry, { text: 'tax', kind: 'mcp', errorsOnly: true })).toBe(
      true,
    );
  });
});

describe('keeping the list', () => {
  it('puts live entries on top, newest first, and caps the list', () => {
    const list = [makeEntry(2), makeEntry(1)];
    const next = prependActivity(list, [makeEntry(3), makeEntry(4)], 3);
    expect(next.map((e) => e.seq)).toEqual([4, 3, 2]);
    expect(prependActivity(list, [])).toBe(list);
  });

  it('keeps only the newest when one burst is larger than the cap', () => {
    const burst = Array.from({ length: 10 }, (_, i) => makeEntry(i + 1));
    expect(prependActivity([makeEntry(0)], burst, 4).map((e) => e.seq)).toEqual([10, 9, 8, 7]);
  });

  it('holds 10,000 entries by default', () => {
    let list: ActivityEntry[] = [];
    for (let i = 0; i < 120; i++) {
      list = prependActivity(
        list,
        Array.from({ length: 100 }, (_, j) => makeEntry(i * 100 + j)),
      );
    }
    expect(list).toHaveLength(10_000);
    expect(list[0]?.seq).toBe(11_999);
    expect(list.at(-1)?.seq).toBe(2000);
  });

  it('merges a fetched page without duplicates, newest first', () => {
    const current = [makeEntry(5), makeEntry(4)];
    const fetched = [makeEntry(1), makeEntry(2), makeEntry(3), makeEntry(4)];
    expect(mergeActivity(current, fetched).map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(mergeActivity(current, fetched, 2).map((e) => e.seq)).toEqual([5, 4]);
  });

  it('tells runs apart: the same seq at another time is another entry', () => {
    const before = makeEntry(1, { time: '2025-03-01T00:00:00.000Z' });
    const after = makeEntry(1, { time: '2025-03-02T00:00:00.000Z' });
    expect(activityKey(before)).not.toBe(activityKey(after));
    expect(mergeActivity([before], [after])).toEqual([after, before]);
  });

  it('counts the rows that arrived above the old top row', () => {
    const list = [makeEntry(9), makeEntry(8), makeEntry(7)];
    expect(rowsAddedAbove(list, activityKey(makeEntry(7)))).toBe(2);
    expect(rowsAddedAbove(list, activityKey(makeEntry(9)))).toBe(0);
    expect(rowsAddedAbove(list, activityKey(makeEntry(1)))).toBe(-1);
    expect(rowsAddedAbove(list, null)).toBe(-1);
  });
});

describe('export', () => {
  it('writes JSON Lines oldest first', () => {
    const text = toJsonl([makeEntry(2), makeEntry(1)]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0] as string).seq).toBe(1);
    expect(JSON.parse(lines[1] as string)).toEqual(makeEntry(2));
    expect(toJsonl([])).toBe('');
  });
});
