import { describe, expect, it } from 'vitest';
import {
  exportFileName,
  formatBytes,
  formatClock,
  formatCount,
  formatDateTime,
  formatLatency,
  formatOutcome,
  formatRelative,
  initials,
  plural,
} from './format.ts';

describe('formatLatency', () => {
  it.each([
    [null, '—'],
    [undefined, '—'],
    [-1, '—'],
    [Number.NaN, '—'],
    [0, '<1 ms'],
    [0.4, '<1 ms'],
    [1, '1 ms'],
    [12.6, '13 ms'],
    [999.4, '999 ms'],
    [1000, '1.00 s'],
    [1234, '1.23 s'],
    [12_345, '12.3 s'],
    [60_000, '1 min'],
    [61_000, '1 min 1 s'],
    [125_400, '2 min 5 s'],
  ])('%s → %s', (ms, text) => {
    expect(formatLatency(ms)).toBe(text);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [10 * 1024, '10 KB'],
    [1024 * 1024 - 1, '1.0 MB'],
    [5.5 * 1024 * 1024, '5.5 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
    [2 * 1024 ** 4, '2.0 TB'],
    [-5, '—'],
    [null, '—'],
  ])('%s → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatRelative', () => {
  const now = Date.UTC(2025, 2, 10, 12, 0, 0);
  const ago = (ms: number) => new Date(now - ms).toISOString();
  it.each([
    [ago(0), 'just now'],
    [ago(30_000), 'just now'],
    [ago(-20_000), 'just now'],
    [ago(60_000), '1 min ago'],
    [ago(5 * 60_000), '5 min ago'],
    [ago(59 * 60_000), '59 min ago'],
    [ago(3 * 3600_000), '3 h ago'],
    [ago(30 * 3600_000), 'yesterday'],
    [ago(4 * 86400_000), '4 days ago'],
  ])('%s → %s', (iso, text) => {
    expect(formatRelative(iso, now)).toBe(text);
  });

  it('shows a date for older times, with the year when it differs', () => {
    expect(formatRelative(new Date(2025, 1, 14, 12).toISOString(), new Date(2025, 2, 10, 12).getTime())).toBe(
      'Feb 14',
    );
    expect(
      formatRelative(new Date(2024, 11, 24, 12).toISOString(), new Date(2025, 2, 10, 12).getTime()),
    ).toBe('Dec 24, 2024');
  });

  it('says never for no time and — for garbage', () => {
    expect(formatRelative(null, now)).toBe('never');
    expect(formatRelative('not a date', now)).toBe('—');
  });
});

describe('clock and date', () => {
  it('formats local wall-clock time with zero padding', () => {
    const iso = new Date(2025, 0, 2, 3, 4, 5).toISOString();
    expect(formatClock(iso)).toBe('03:04:05');
    expect(formatDateTime(iso)).toBe('2025-01-02 03:04:05');
    expect(formatClock('nope')).toBe('--:--:--');
    expect(formatDateTime(null)).toBe('');
  });

  it('names the export file after the local time', () => {
    expect(exportFileName(new Date(2025, 2, 4, 14, 3, 27))).toBe('porthole-activity-20250304-140327.jsonl');
  });
});

describe('counts and outcomes', () => {
  it('groups thousands and pluralizes', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(plural(1, 'result')).toBe('1 result');
    expect(plural(0, 'result')).toBe('0 results');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });

  it('describes an outcome', () => {
    expect(formatOutcome({ ok: true })).toBe('OK');
    expect(formatOutcome({ ok: true, results: 1 })).toBe('1 result');
    expect(formatOutcome({ ok: true, results: 10, bytes: 2048 })).toBe('10 results · 2.0 KB');
    expect(formatOutcome({ ok: true, bytes: 512 })).toBe('512 B');
    expect(formatOutcome({ ok: false, error: 'Document not found' })).toBe('Document not found');
    expect(formatOutcome({ ok: false, error: '' })).toBe('Failed');
  });

  it('makes initials from a name or a login', () => {
    expect(initials('Mona Lisa', 'monalisa')).toBe('ML');
    expect(initials(null, 'octocat')).toBe('OC');
    expect(initials('  ', 'some-user')).toBe('SU');
  });
});
