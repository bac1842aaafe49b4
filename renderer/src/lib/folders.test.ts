import { describe, expect, it } from 'vitest';
import { folderCounts, folderProgress, folderStateLabel, isBusy } from './folders.ts';
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
