import { describe, expect, it } from 'vitest';
import {
  errorReasonText,
  folderCounts,
  folderDisplayNames,
  folderProgress,
  folderStateLabel,
  formatRemaining,
  IndexingClock,
  indexingSummary,
  isBusy,
  splitPathForDisplay,
} from './folders.ts';
import { makeFolder } from './testing.ts';

describe('folder status', () => {
  it('has no fraction while scanning, a fraction while indexing, nothing after', () => {
    expect(folderProgress(makeFolder({ state: 'scanning' }))).toEqual({ kind: 'indeterminate' });
    expect(folderProgress(makeFolder({ state: 'indexing', filesSeen: 0, indexed: 0 }))).toEqual({
      kind: 'indeterminate',
    });
    expect(folderProgress(makeFolder({ state: 'indexing', filesSeen: 200, indexed: 50 }))).toEqual({
      kind: 'determinate',
      value: 0.25,
    });
    expect(folderProgress(makeFolder({ state: 'indexing', filesSeen: 10, indexed: 12 }))).toEqual({
      kind: 'determinate',
      value: 1,
    });
    expect(folderProgress(makeFolder({ state: 'watching' }))).toEqual({ kind: 'none' });
    expect(folderProgress(makeFolder({ state: 'error' }))).toEqual({ kind: 'none' });
  });

  it('labels states and busy ones', () => {
    expect(folderStateLabel(makeFolder({ state: 'watching' }))).toBe('Up to date');
    expect(folderStateLabel(makeFolder({ state: 'error' }))).toBe('Problem');
    expect(isBusy(makeFolder({ state: 'indexing' }))).toBe(true);
    expect(isBusy(makeFolder({ state: 'watching' }))).toBe(false);
  });

  it('summarizes counts, leaving out the zeros', () => {
    expect(folderCounts(makeFolder({ indexed: 1234, skipped: 0, errors: [], bytes: 0 }))).toBe(
      '1,234 files indexed',
    );
    expect(
      folderCounts(
        makeFolder({ indexed: 1, skipped: 5, errors: [{ path: 'a.pdf', reason: 'broken' }], bytes: 2048 }),
      ),
    ).toBe('1 file indexed · 5 skipped · 1 error · 2.0 KB');
  });
});

describe('telling folders apart', () => {
  it('adds the parent only to names that several folders share', () => {
    const names = folderDisplayNames([
      { id: 'a', path: '/home/mona/work/notes', name: 'notes' },
      { id: 'b', path: '/home/mona/personal/notes', name: 'notes' },
      { id: 'c', path: '/home/mona/Documents', name: 'Documents' },
    ]);
    expect(names.get('a')).toBe('notes · work');
    expect(names.get('b')).toBe('notes · personal');
    expect(names.get('c')).toBe('Documents');
  });

  it('splits a long path so the last two segments always show', () => {
    expect(splitPathForDisplay('/home/mona/a/very/long/way/work/notes')).toEqual({
      head: '/home/mona/a/very/long/way/',
      tail: 'work/notes',
    });
    expect(splitPathForDisplay('/srv/docs')).toEqual({ head: '', tail: '/srv/docs' });
    expect(splitPathForDisplay('C:\\Users\\mona\\work\\notes')).toEqual({
      head: 'C:\\Users\\mona\\',
      tail: 'work\\notes',
    });
  });

  it('says what a broken link is, and what unreadable means', () => {
    expect(errorReasonText('broken-link')).toMatch(/^broken link/);
    expect(errorReasonText('unreadable')).toMatch(/permission/);
    expect(errorReasonText('PDF is encrypted')).toBe('PDF is encrypted');
  });
});

describe('indexing progress', () => {
  const indexing = (indexed: number, filesSeen = 51_885) =>
    makeFolder({ id: 'f', state: 'indexing', indexed, filesSeen, lastIndexedAt: null });

  it('one line: percentage and counts, then a time estimate once the rate is known', () => {
    const t0 = 1_000_000;
    const clock = new IndexingClock();
    const since = clock.sample(indexing(1_000), t0);
    expect(indexingSummary(indexing(1_000), since, t0).text).toBe(
      'Indexing 1% · 1,000 of 51,885 files · estimating time left…',
    );
    // 2,820 files in 10 s: 48,065 left take about 170 s.
    const later = indexing(3_820);
    const summary = indexingSummary(later, clock.sample(later, t0 + 10_000), t0 + 10_000);
    expect(summary.percent).toBe(7);
    expect(summary.remainingMs).toBeCloseTo((48_065 / 2_820) * 10_000, 0);
    expect(summary.text).toBe('Indexing 7% · 3,820 of 51,885 files · about 3 minutes left');
  });

  it('starts over when a new run begins, and says scanning while the count is unknown', () => {
    const clock = new IndexingClock();
    clock.sample(indexing(5_000), 0);
    expect(clock.sample(indexing(10), 60_000)).toEqual({ at: 60_000, indexed: 10 });
    expect(clock.sample(makeFolder({ id: 'f', state: 'watching' }), 61_000)).toBeNull();
    expect(indexingSummary(makeFolder({ state: 'scanning', filesSeen: 1200 }), null, 0).text).toBe(
      'Scanning… 1,200 files found',
    );
  });

  it('words the time left', () => {
    expect(formatRemaining(20_000)).toBe('less than a minute left');
    expect(formatRemaining(150_000)).toBe('about 3 minutes left');
    expect(formatRemaining(3 * 3_600_000 + 5 * 60_000)).toBe('about 3 hours 5 minutes left');
  });
});
