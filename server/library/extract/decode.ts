// Bytes to string for text-like files. Most files are UTF-8, so that path is a single
// validating decode; the detector only runs for the rest.

import chardet from 'chardet';
import { isBinaryFileSync } from 'isbinaryfile';

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });
const SNIFF_BYTES = 8192;
const DETECT_BYTES = 64 * 1024;
// chardet's guesses on short or ambiguous samples are mostly noise (one 'é' comes back as
// KOI8-R, a few curly quotes as EUC-JP); windows-1252 is the better bet there.
const MIN_CONFIDENCE = 30;
const MIN_HIGH_BYTES = 8;

type Bom = { encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be'; length: number };

export function detectBom(buf: Uint8Array): Bom | null {
  const [a, b, c, d] = buf;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (a === 0xff && b === 0xfe) {
    return c === 0 && d === 0 ? { encoding: 'utf-32le', length: 4 } : { encoding: 'utf-16le', length: 2 };
  }
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', length: 4 };
  return null;
}

/**
 * True when the start of the buffer is not text in any 8-bit or UTF-8 encoding: NUL bytes,
 * or many control characters. High bytes alone are fine (Latin-1, windows-1251, Shift_JIS).
 */
export function looksBinary(buf: Uint8Array): boolean {
  if (detectBom(buf)) return false;
  const n = Math.min(buf.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const byte = buf[i] as number;
    if (byte === 0) return true;
    // Tab, LF, VT, FF, CR and ESC (ANSI colours in logs) are normal in text.
    if (byte < 0x20 && (byte < 0x09 || byte > 0x0d) && byte !== 0x1b) control++;
  }
  return n > 0 && control / n > 0.1;
}

/** The stricter sniff for files whose extension told us nothing. */
export function unknownLooksBinary(buf: Uint8Array): boolean {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, SNIFF_BYTES));
  return looksBinary(head) || isBinaryFileSync(head, head.length);
}

export interface DecodeOptions {
  /** The buffer is a prefix of the file, so its last character may be cut in half. */
  partial?: boolean;
  /** A charset the document declares about itself (HTML `<meta charset>`), tried before guessing. */
  charsetHint?: string | null;
}

export function decodeText(buf: Uint8Array, opts: DecodeOptions = {}): string {
  const bom = detectBom(buf);
  if (bom) {
    const body = buf.subarray(bom.length);
    if (bom.encoding === 'utf-32le' || bom.encoding === 'utf-32be') {
      return decodeUtf32(body, bom.encoding === 'utf-32le');
    }
    return new TextDecoder(bom.encoding).decode(body);
  }
  try {
    // A fresh decoder in stream mode holds back a trailing half character instead of failing on it.
    return opts.partial
      ? new TextDecoder('utf-8', { fatal: true }).decode(buf, { stream: true })
      : utf8Fatal.decode(buf);
  } catch {
    // Not UTF-8: fall through to a legacy encoding.
  }
  const label = usableLabel(opts.charsetHint) ?? guessLabel(buf);
  if (label === 'utf-32le' || label === 'utf-32be') return decodeUtf32(buf, label === 'utf-32le');
  if (label === 'windows-1252') return decodeWindows1252(buf);
  return new TextDecoder(label).decode(buf);
}

function guessLabel(buf: Uint8Array): string {
  const sample = buf.subarray(0, DETECT_BYTES);
  let high = 0;
  for (let i = 0; i < sample.length && high < MIN_HIGH_BYTES; i++) if ((sample[i] as number) >= 0x80) high++;
  if (high < MIN_HIGH_BYTES) return 'windows-1252';
  const top = chardet.analyse(sample)[0];
  if (!top || top.confidence < MIN_CONFIDENCE) return 'windows-1252';
  const name = top.name.toLowerCase();
  if (name === 'utf-32le' || name === 'utf-32be') return name;
  // UTF-8 and ASCII are impossible answers here (the bytes failed UTF-8 validation).
  if (name === 'utf-8' || name === 'ascii') return 'windows-1252';
  return usableLabel(name) ?? 'windows-1252';
}

/** The label if TextDecoder knows it (Node's full ICU knows most), else null. */
function usableLabel(label: string | null | undefined): string | null {
  if (!label) return null;
  try {
    const encoding = new TextDecoder(label).encoding;
    // A document claiming UTF-8 that failed validation is lying; let the detector decide.
    return encoding === 'utf-8' ? null : encoding;
  } catch {
    return null;
  }
}

// TextDecoder has no UTF-32; it is rare enough that a plain loop is fine.
function decodeUtf32(buf: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    chunk.push(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? cp : 0xfffd);
    if (chunk.length === 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}

// WHATWG windows-1252 for 0x80-0x9F; the rest of the table is Latin-1. Node 20.18.3+ and
// 22.13+ decode windows-1252 as plain Latin-1 (nodejs/node#60888), turning curly quotes and
// the euro sign into C1 controls, so we do this part ourselves.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
].map((cp) => String.fromCharCode(cp));

export function decodeWindows1252(buf: Uint8Array): string {
  const latin1 = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] as string);
}
