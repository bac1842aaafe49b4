// A result's snippet: the few words of its passage around the query's terms. FTS5's
// snippet() did this by tokenizing each result's passage again and reading the terms'
// position lists (a prefix such as `budg*` expands to every indexed word it begins), which
// was the largest part of a search's cost after ranking. Re-ranking has already read the
// start of each candidate passage, so the snippet is cut from that text here; only a result
// whose terms lie further in is read in full (search.ts).
import { isAscii, stemKey, stemOf, WORD, wordsOf } from './feedback.ts';
import { type QueryTerm, shortenedForms } from './query.ts';

/** Words in a snippet, as FTS5's snippet(…, 24) gave. */
export const SNIPPET_WORDS = 24;
const ELLIPSIS = '…';
// Words before the first hit, so a snippet does not start on the matched word itself.
const LEAD_WORDS = 4;
// A term hit counts this much the first time in a window, 1 after: a window with more of
// the query's different terms beats one repeating a single term (as FTS5's snippet() scores).
const NEW_TERM = 1_000;

interface Token {
  start: number;
  end: number;
  /** Lower case, diacritics folded. */
  word: string;
  /** Its stem, once asked for ('' when it cannot be one the query wants). */
  stem?: string;
}

/** Decides which terms (by index) a passage's word `at` begins; a phrase looks at the words after it. */
type TermTest = (tokens: Token[], at: number) => number[];

/** The snippet of `text` for `terms`, or null when no term occurs in it (the caller decides what then). */
export function snippetOf(text: string, terms: readonly QueryTerm[], test = termTest(terms)): string | null {
  const tokens = tokenize(text);
  const hits: { at: number; term: number }[] = [];
  tokens.forEach((_, at) => {
    for (const term of test(tokens, at)) hits.push({ at, term });
  });
  if (hits.length === 0) return null;
  let best = { score: -1, start: 0 };
  for (const first of hits) {
    const start = Math.max(0, Math.min(first.at - LEAD_WORDS, tokens.length - SNIPPET_WORDS));
    const seen = new Set<number>();
    let score = 0;
    for (const hit of hits) {
      if (hit.at < start || hit.at >= start + SNIPPET_WORDS) continue;
      score += seen.has(hit.term) ? 1 : NEW_TERM;
      seen.add(hit.term);
    }
    if (score > best.score) best = { score, start };
  }
  return cut(text, tokens, best.start);
}

/** The first words of `text`, for a result whose terms are only in its title or path. */
export function openingOf(text: string): string {
  return cut(text, tokenize(text), 0);
}

function cut(text: string, tokens: readonly Token[], start: number): string {
  const last = Math.min(tokens.length, start + SNIPPET_WORDS) - 1;
  const first = tokens[start];
  const end = tokens[last];
  if (!first || !end) return '';
  // At either end of the passage, its punctuation is kept ("… at all."), as FTS5 did.
  const from = start > 0 ? first.start : 0;
  const to = last < tokens.length - 1 ? end.end : text.length;
  return `${from > 0 ? ELLIPSIS : ''}${text.slice(from, to).trim()}${to < text.length ? ELLIPSIS : ''}`;
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(WORD)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    word: fold(m[0]),
  }));
}

// FTS5's tokenizer (unicode61 remove_diacritics 2) matches "cafe" and "Café" alike.
function fold(word: string): string {
  const lower = word.toLowerCase();
  return isAscii(lower) ? lower : lower.normalize('NFD').replace(/\p{M}/gu, '');
}

/**
 * How the index matches each term, in words: a plain word or a phrase by stems (Porter, as
 * FTS5 does), word after word for a phrase; a prefix by its letters, and a long prefix also
 * by the stems of the whole words it shortens to (query.ts, shortenedForms).
 */
export function termTest(terms: readonly QueryTerm[]): TermTest {
  const wanted = new Set<number>();
  const matchers = terms.map((term) => {
    const words = wordsOf(fold(term.text));
    if (term.prefix && !term.phrase) {
      const prefix = words[0] ?? '\0';
      const shortened = new Set(shortenedForms(term).map((form) => stemOf(fold(form))));
      for (const stem of shortened) wanted.add(stemKey(stem));
      return (tokens: Token[], at: number) =>
        (tokens[at] as Token).word.startsWith(prefix) || shortened.has(stemAt(tokens, at));
    }
    const stems = words.map(stemOf);
    for (const stem of stems) wanted.add(stemKey(stem));
    return (tokens: Token[], at: number) =>
      stems.length > 0 &&
      stems.every((stem, i) =>
        term.prefix && i === stems.length - 1
          ? (tokens[at + i]?.word ?? '').startsWith(words[i] ?? '')
          : stemAt(tokens, at + i) === stem,
      );
  });
  // Stemming every word of every result was most of the snippets' cost: a word whose first
  // letters begin no wanted stem (`stemKey`) is never stemmed.
  const stemAt = (tokens: Token[], at: number): string => {
    const token = tokens[at];
    if (!token) return '';
    token.stem ??= wanted.has(stemKey(token.word)) ? stemOf(token.word) : '';
    return token.stem;
  };
  return (tokens, at) => {
    const hits: number[] = [];
    matchers.forEach((matches, term) => {
      if (matches(tokens, at)) hits.push(term);
    });
    return hits;
  };
}
