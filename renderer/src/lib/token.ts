// The headless dashboard is opened as http://127.0.0.1:PORT/#token=<token>. The token moves to
// sessionStorage and leaves the address bar (and the history) at once, so it is not shared by a
// screenshot, a bookmark or a copied link. The fragment never reaches the server or a Referer.

export interface TokenPlan {
  /** The token to use, or null: the person must open the link `porthole serve` printed. */
  token: string | null;
  /** Save this token to sessionStorage (it came from the link), or null to leave storage alone. */
  save: string | null;
  /** The fragment to put in place of the current one (without the token), or null when unchanged. */
  replaceHash: string | null;
}

/** Splits `#token=abc&x=1` into the token and what else the fragment held (kept as it was). */
export function takeTokenFromHash(hash: string): { token: string | null; rest: string } {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body === '') return { token: null, rest: '' };
  let token: string | null = null;
  const kept: string[] = [];
  for (const part of body.split('&')) {
    if (part.startsWith('token=')) {
      const raw = part.slice('token='.length);
      try {
        token = decodeURIComponent(raw);
      } catch {
        token = raw;
      }
    } else if (part !== '') {
      kept.push(part);
    }
  }
  return { token: token === '' ? null : token, rest: kept.length > 0 ? `#${kept.join('&')}` : '' };
}

export function planToken(hash: string, stored: string | null): TokenPlan {
  const { token, rest } = takeTokenFromHash(hash);
  const hadTokenField = /(^#?|&)token=/.test(hash);
  if (token !== null) return { token, save: token, replaceHash: rest };
  return { token: stored || null, save: null, replaceHash: hadTokenField ? rest : null };
}
