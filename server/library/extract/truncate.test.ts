import { describe, expect, it } from 'vitest';
import { truncateUtf8 } from './truncate.ts';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('truncateUtf8', () => {
  it('leaves short text alone', () => {
    expect(truncateUtf8('héllo', 6)).toEqual({ text: 'héllo', truncated: false });
  });

  it('never splits a multi-byte character', () => {
    // 'é' is 2 bytes: a 2-byte budget after 'a' fits only 'a'.
    expect(truncateUtf8('aé', 2)).toEqual({ text: 'a', truncated: true });
    const euro = '€€€'; // 3 bytes each
    const cut = truncateUtf8(euro, 8);
    expect(cut.text).toBe('€€');
    expect(bytes(cut.text)).toBeLessThanOrEqual(8);
  });

  it('never splits a surrogate pair', () => {
    const text = 'ab😀cd'; // the emoji is two UTF-16 units, four UTF-8 bytes
    for (let max = 0; max <= bytes(text); max++) {
      const cut = truncateUtf8(text, max);
      expect(bytes(cut.text)).toBeLessThanOrEqual(max);
      expect(cut.text).not.toMatch(/[\uD800-\uDBFF]$/);
    }
    expect(truncateUtf8(text, 5).text).toBe('ab');
    expect(truncateUtf8(text, 6).text).toBe('ab😀');
  });

  it('handles a zero budget', () => {
    expect(truncateUtf8('x', 0)).toEqual({ text: '', truncated: true });
  });
});
