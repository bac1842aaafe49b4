import { describe, expect, it } from 'vitest';
import { formatColumns, formatTable } from './report.ts';

describe('report table', () => {
  it('aligns columns and marks targets met or missed', () => {
    const table = formatTable([
      { metric: 'search p95', value: '3.10 ms', target: '≤ 20 ms', ok: true },
      { metric: 'indexing rate', value: '500 files/s', target: '≥ 2,000 files/s', ok: false },
      { metric: 'corpus', value: 'synthetic' },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^metric\s+value\s+target$/);
    // Every column starts at the same offset on every line.
    expect(lines[2]?.indexOf('3.10 ms')).toBe(lines[0]?.indexOf('value'));
    expect(lines[3]?.indexOf('500 files/s')).toBe(lines[0]?.indexOf('value'));
    expect(lines[2]?.indexOf('≤ 20 ms')).toBe(lines[0]?.indexOf('target'));
    expect(lines[2]?.endsWith('✓')).toBe(true);
    expect(lines[3]?.endsWith('✗')).toBe(true);
    expect(lines[4]).toBe('corpus         synthetic');
  });
});

describe('columns', () => {
  it('pads every column to its widest cell and right-aligns the numeric ones', () => {
    const table = formatColumns(
      ['target', 'rps', 'errors'],
      [
        ['porthole', '1,234', '0'],
        ['floor', '56', '12'],
      ],
      new Set([1, 2]),
    );
    expect(table.split('\n')).toEqual([
      'target      rps  errors',
      '────────  ─────  ──────',
      'porthole  1,234       0',
      'floor        56      12',
    ]);
  });

  it('treats missing cells as empty and trims trailing blanks', () => {
    expect(formatColumns(['a', 'b'], [['x']]).split('\n')[2]).toBe('x');
  });
});
