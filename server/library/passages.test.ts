import { describe, expect, it } from 'vitest';
import {
  PART_WINDOW_CHARS,
  PASSAGE_CHARS,
  partBefore,
  partFrom,
  SINGLE_PASSAGE_MAX_CHARS,
  splitPassages,
} from './passages.ts';
import type { Passage } from './types.ts';

function expectContiguous(passages: Passage[], length: number): void {
  expect(passages[0]?.start).toBe(0);
  expect(passages.at(-1)?.end).toBe(length);
  for (let i = 1; i < passages.length; i++) expect(passages[i]?.start).toBe(passages[i - 1]?.end);
}

describe('splitPassages', () => {
  it('keeps a short document as one passage', () => {
    expect(splitPassages('hello')).toEqual([{ start: 0, end: 5 }]);
    expect(splitPassages('x'.repeat(SINGLE_PASSAGE_MAX_CHARS))).toHaveLength(1);
  });

  it('cuts a long text at paragraph ends, covering it exactly, each passage within the cap', () => {
    const paragraph = `${'word '.repeat(150).trim()}\n\n`; // 751 chars
    const text = paragraph.repeat(100);
    const passages = splitPassages(text);
    expectContiguous(passages, text.length);
    for (const p of passages) {
      expect(p.end - p.start).toBeLessThanOrEqual(PASSAGE_CHARS);
      if (p.end !== text.length) expect(text.slice(p.end - 2, p.end)).toBe('\n\n');
    }
  });

  it('falls back to line ends, then spaces, then a hard cut that never splits a surrogate pair', () => {
    const lines = 'a line of a log file\n'.repeat(1000);
    for (const p of splitPassages(lines).slice(0, -1)) expect(lines[p.end - 1]).toBe('\n');
    const words = 'word '.repeat(6000);
    for (const p of splitPassages(words).slice(0, -1)) expect(words[p.end - 1]).toBe(' ');
    const emoji = '😀'.repeat(20_000);
    const passages = splitPassages(emoji);
    expectContiguous(passages, emoji.length);
    for (const p of passages) expect(p.start % 2).toBe(0);
  });

  it('groups whole PDF pages up to the cap and splits only a page longer than it', () => {
    const pageTexts = [
      'a'.repeat(3000),
      'b'.repeat(3000),
      'c'.repeat(3000),
      `${'d '.repeat(10_000)}`,
      'e'.repeat(100),
    ];
    const starts: number[] = [];
    let text = '';
    for (const t of pageTexts) {
      starts.push(text.length);
      text += `${t}\n\n`;
    }
    const passages = splitPassages(text, { starts, numbers: [1, 2, 3, 5, 6], total: 7 });
    expectContiguous(passages, text.length);
    expect(passages[0]).toMatchObject({ start: 0, firstPage: 1, lastPage: 2 });
    expect(passages[1]).toMatchObject({ firstPage: 3, lastPage: 3 });
    const page5 = passages.filter((p) => p.firstPage === 5);
    expect(page5.length).toBeGreaterThan(1);
    for (const p of page5) expect(p.lastPage).toBe(5);
    expect(passages.at(-1)).toMatchObject({ firstPage: 6, lastPage: 6 });
  });
});

describe('parts', () => {
  const passages = splitPassages('line of text\n'.repeat(20_000));

  it('a part is consecutive passages within the window; next parts reach the end without gaps', () => {
    let first = 0;
    let covered = 0;
    for (;;) {
      const { last } = partFrom(passages, first);
      expect((passages[last] as Passage).end - (passages[first] as Passage).start).toBeLessThanOrEqual(
        PART_WINDOW_CHARS,
      );
      expect((passages[first] as Passage).start).toBe(covered);
      covered = (passages[last] as Passage).end;
      if (last + 1 >= passages.length) break;
      expect(partBefore(passages, last + 1)).toBeLessThanOrEqual(first);
      first = last + 1;
    }
    expect(covered).toBe((passages.at(-1) as Passage).end);
    expect(partBefore(passages, 0)).toBeNull();
  });
});
