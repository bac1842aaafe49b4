import { describe, expect, it } from 'vitest';
import { decodeText, decodeWindows1252, detectBom, looksBinary, unknownLooksBinary } from './decode.ts';

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

describe('decodeText', () => {
  it('decodes UTF-8 and strips its BOM', () => {
    expect(decodeText(Buffer.from('héllo wörld'))).toBe('héllo wörld');
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ünï')]))).toBe('ünï');
  });

  it('decodes UTF-16 LE and BE by their BOMs', () => {
    const text = 'Grüße, 世界 😀';
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]))).toBe(text);
  });

  it('decodes UTF-32 LE by its BOM', () => {
    const codes = [0xfeff, ...[...'a€😀'].map((c) => c.codePointAt(0) as number)];
    const buf = Buffer.alloc(codes.length * 4);
    for (const [i, cp] of codes.entries()) buf.writeUInt32LE(cp, i * 4);
    expect(decodeText(buf)).toBe('a€😀');
  });

  it('falls back to windows-1252 for short Latin-1 text', () => {
    expect(decodeText(latin1('Café crème'))).toBe('Café crème');
    // 0x93/0x94 are curly quotes in windows-1252; chardet alone guesses EUC-JP here.
    expect(decodeText(Buffer.from([0x93, 0x48, 0x69, 0x94]))).toBe('\u201cHi\u201d');
  });

  it('detects a longer Latin-1 text', () => {
    const text = 'Le cœur de la ville est très animé en été. À bientôt, garçon! Ça va très bien.\n';
    expect(decodeText(Buffer.from(text.replace('œ', 'oe'), 'latin1'))).toBe(text.replace('œ', 'oe'));
  });

  it('detects windows-1251 Cyrillic', () => {
    const bytes = new Uint8Array([
      0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x20, 0xec, 0xe8, 0xf0, 0x2c, 0x20, 0xfd, 0xf2, 0xee, 0x20, 0xf2,
      0xe5, 0xea, 0xf1, 0xf2, 0x20, 0xed, 0xe0, 0x20, 0xf0, 0xf3, 0xf1, 0xf1, 0xea, 0xee, 0xec, 0x20, 0xff,
      0xe7, 0xfb, 0xea, 0xe5, 0x2e,
    ]);
    expect(decodeText(bytes)).toBe('Привет мир, это текст на русском языке.');
  });

  it('uses a declared charset before guessing', () => {
    expect(decodeText(latin1('Ð ð Ý'), { charsetHint: 'iso-8859-1' })).toBe('Ð ð Ý');
    expect(decodeText(latin1('abc é'), { charsetHint: 'no-such-charset' })).toBe('abc é');
  });

  it('tolerates a character cut in half at the end of a prefix', () => {
    const whole = Buffer.from('abc€');
    expect(decodeText(whole.subarray(0, 5), { partial: true })).toBe('abc');
  });
});

describe('detectBom', () => {
  it('tells UTF-32 LE from UTF-16 LE', () => {
    expect(detectBom(Buffer.from([0xff, 0xfe, 0, 0]))?.encoding).toBe('utf-32le');
    expect(detectBom(Buffer.from([0xff, 0xfe, 0x41, 0]))?.encoding).toBe('utf-16le');
    expect(detectBom(Buffer.from('plain'))).toBeNull();
  });
});

describe('looksBinary', () => {
  it('flags NUL bytes and control-character soup', () => {
    expect(looksBinary(Buffer.alloc(100))).toBe(true);
    expect(looksBinary(Buffer.from([0x01, 0x02, 0x03, 0x04, 0x41, 0x42]))).toBe(true);
  });

  it('accepts text in legacy encodings, tabs, ANSI colours and UTF-16 with a BOM', () => {
    expect(looksBinary(latin1('Größe über Äpfel, ça coûte'))).toBe(false);
    expect(looksBinary(Buffer.from('\x1b[31mred\x1b[0m\tok\r\n'))).toBe(false);
    expect(looksBinary(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le')]))).toBe(false);
    expect(looksBinary(Buffer.alloc(0))).toBe(false);
  });

  it('is stricter for unknown extensions', () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    expect(unknownLooksBinary(png)).toBe(true);
    expect(unknownLooksBinary(Buffer.from('just words\n'))).toBe(false);
  });
});

describe('decodeWindows1252', () => {
  it('maps 0x80-0x9F the WHATWG way, whatever the Node version', () => {
    expect(decodeWindows1252(Buffer.from([0x80, 0x92, 0x9f, 0x81, 0xe9]))).toBe('€’Ÿ\u0081é');
  });
});
