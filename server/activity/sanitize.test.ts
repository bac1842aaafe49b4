import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REDACTED, sanitizeSummary, sanitizeText } from './sanitize.ts';

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIxMjMiLCJhdWQiOiJodHRwczovL3gvbWNwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';

describe('sanitizeSummary', () => {
  it('keeps ordinary query text and titles as they are', () => {
    for (const s of [
      'quarterly report 2024',
      'Quarterly_Financial_Statements_2023_Q4_Revised.pdf',
      'Screenshot_2024-05-12_at_18-30-45_PM.png',
      'src/components/UserProfileSettingsPanel2.tsx',
      'AbstractSingletonProxyFactoryBeanImplementation',
      'password reset procedure',
      'Ünïcødé — 日本語のドキュメント 🚀',
    ]) {
      expect(sanitizeSummary(s)).toBe(s);
    }
  });

  it('redacts JWTs, whole', () => {
    expect(sanitizeSummary(`token was ${JWT} today`)).toBe(`token was ${REDACTED} today`);
    expect(sanitizeSummary(JWT)).not.toContain('eyJ');
  });

  it('redacts bearer credentials and keeps the scheme', () => {
    expect(sanitizeSummary('Authorization: Bearer abc123def456ghi789')).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
    expect(sanitizeSummary('bearer  AbC.dEf-123_456~+/==')).toBe(`bearer ${REDACTED}`);
    expect(sanitizeSummary('bearer bonds')).toBe('bearer bonds');
  });

  it('redacts GitHub tokens', () => {
    const ghp = `ghp_${'A1b2C3d4E5'.repeat(3)}xyz123`;
    expect(sanitizeSummary(`find ${ghp} please`)).toBe(`find ${REDACTED} please`);
    expect(sanitizeSummary(`gho_${'z'.repeat(36)}`)).toBe(REDACTED);
    expect(sanitizeSummary(`github_pat_11ABCDEFG0${'x'.repeat(60)}`)).toBe(REDACTED);
  });

  it('redacts the values of password=, secret=, token= and friends, keeping the key', () => {
    expect(sanitizeSummary('login password=hunter2 now')).toBe(`login password=${REDACTED} now`);
    expect(sanitizeSummary('?client_secret=abc&x=1')).toBe(`?client_secret=${REDACTED}&x=1`);
    expect(sanitizeSummary('access_token: "a b c"')).toBe(`access_token: ${REDACTED}`);
    expect(sanitizeSummary('{"refresh_token":"r1"}')).toBe(`{"refresh_token":${REDACTED}}`);
    expect(sanitizeSummary('X-API-Key=k123')).toBe(`X-API-Key=${REDACTED}`);
  });

  it('redacts long hex and base64 blobs', () => {
    const hex = randomBytes(20).toString('hex');
    expect(sanitizeSummary(`sha ${hex}`)).toBe(`sha ${REDACTED}`);
    expect(sanitizeSummary('key Zm9vYmFyMTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A9')).toBe(`key ${REDACTED}`);
    expect(sanitizeSummary('short a1B2c3D4e5F6')).toBe('short a1B2c3D4e5F6');
    expect(sanitizeSummary('z'.repeat(40))).toBe('z'.repeat(40));
  });

  it('makes one line: newlines and tabs become spaces, control and invisible characters go', () => {
    expect(sanitizeSummary('line one\nline two\r\n\tthree')).toBe('line one line two three');
    expect(sanitizeSummary('a\u0000b\u001b[31mc\u007f\u0085d')).toBe('ab[31mcd');
    // Bidi overrides and zero-width characters could make the UI show something else.
    expect(sanitizeSummary('invoice\u202Efdp.exe\u200B')).toBe('invoicefdp.exe');
    expect(sanitizeSummary('  spaced   out  \u2028 ')).toBe('spaced out');
  });

  it('cuts long text to 200 characters with an ellipsis', () => {
    const out = sanitizeSummary('word '.repeat(100));
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.endsWith('…')).toBe(true);
    expect(sanitizeSummary('x'.repeat(200))).toBe('x'.repeat(200));
  });

  it('never leaves half a surrogate pair behind', () => {
    const out = sanitizeText(`${'a'.repeat(8)}🚀🚀`, 10);
    expect(out).toBe(`${'a'.repeat(8)}…`);
  });

  it('redacts a secret that straddles the cut, and stays fast on huge input', () => {
    const out = sanitizeSummary(`${'q '.repeat(95)}${JWT}`);
    expect(out).not.toMatch(/eyJ/);
    const started = performance.now();
    sanitizeSummary(`${'a.b-'.repeat(250_000)}`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('accepts non-strings without throwing', () => {
    expect(sanitizeText(undefined, 10)).toBe('');
    expect(sanitizeText(42, 10)).toBe('42');
  });
});
