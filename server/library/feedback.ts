// Pseudo-relevance feedback, RM3 style (Lavrenko & Croft's relevance model, as Anserini
// and Pyserini run it): the best-ranked documents of a first pass are taken as relevant,
// and the words they share, weighted by how well each document ranked, become extra
// query terms. It finds documents that use other words for the same thing (a question
// about "heart attacks" finding "myocardial infarction"). No library offers this for a
// SQLite FTS5 index, so the few lines are here.
import { stemmer } from 'stemmer';
import stopword from 'stopword';
import { STOPWORDS } from './query.ts';

/** A first-pass document: its words with their counts (`countWords`), and its first-pass score (higher is better, > 0). */
export interface FeedbackDoc {
  words: ReadonlyMap<string, number>;
  score: number;
}

export interface ExpansionTerm {
  /** The form to search for: the most frequent spelling of the stem in the feedback documents. */
  word: string;
  stem: string;
  /** P(word | relevance model), the terms' weights sum to 1. */
  weight: number;
}

// A standard English list (the `stopword` package's) and the query parser's own: expansion
// terms must carry meaning, and a question's glue must not come back as "feedback".
const FEEDBACK_STOPWORDS = new Set([...stopword.eng, ...STOPWORDS]);
/** A word as FTS5's unicode61 tokenizer sees one: letters, digits and underscores. */
export const WORD = /[\p{L}\p{N}_]+/gu;
const MIN_LENGTH = 3;
const MAX_LENGTH = 40;

function usable(word: string): boolean {
  return (
    word.length >= MIN_LENGTH &&
    word.length <= MAX_LENGTH &&
    !/^\d+$/.test(word) &&
    !FEEDBACK_STOPWORDS.has(word)
  );
}

// Most text is ASCII, and an ASCII character class is several times faster to match than
// Unicode's letter and number classes; on ASCII text both find the same words.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[a-z0-9_]+/g;

export function isAscii(text: string): boolean {
  return ASCII.test(text);
}

/** The words of a text as the index sees them, lower case. */
export function wordsOf(text: string): string[] {
  const lower = text.toLowerCase();
  return lower.match(isAscii(lower) ? ASCII_WORD : WORD) ?? [];
}

/**
 * Each distinct word of a text (as `wordsOf` splits it, or already split) with its count. Re-ranking works
 * on these: a passage has far fewer distinct words than words, so each is stemmed and
 * looked up once.
 */
export function countWords(text: string | readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of typeof text === 'string' ? wordsOf(text) : text)
    counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

// Stemming is most of re-ranking's cost, and a few thousand words make up most text:
// stems are remembered, and the memory starts over when it gets large.
const stems = new Map<string, string>();
const MAX_REMEMBERED_STEMS = 100_000;

/**
 * The first two letters of a word, as a number. Porter's stemmer only rewrites a word's
 * ending, so a word and its stem share them: a word whose key is not that of any stem
 * wanted cannot have one of those stems, and need not be stemmed (most words, typically).
 * A number, not a two-letter string: this runs for every word of every candidate passage.
 */
export function stemKey(word: string): number {
  return word.charCodeAt(0) * 0x10000 + (word.charCodeAt(1) || 0);
}

/** The stem FTS5's Porter tokenizer files a word under (close enough to group a word's forms). */
export function stemOf(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    stem = /^[a-z]+$/.test(word) ? stemmer(word) : word;
    if (stems.size >= MAX_REMEMBERED_STEMS) stems.clear();
    stems.set(word, stem);
  }
  return stem;
}

/**
 * The `count` terms of highest P(w|R) = sum over documents of P(w|D) * P(D|q), with P(D|q)
 * the documents' first-pass scores normalised to sum to 1.
 */
export function expansionTerms(docs: readonly FeedbackDoc[], count: number): ExpansionTerm[] {
  const total = docs.reduce((sum, d) => sum + Math.max(0, d.score), 0);
  if (total <= 0 || count <= 0) return [];
  const model = new Map<string, number>();
  const spellings = new Map<string, Map<string, number>>();
  for (const doc of docs) {
    const tf = new Map<string, number>();
    let length = 0;
    for (const [word, n] of doc.words) {
      if (!usable(word)) continue;
      length += n;
      const stem = stemOf(word);
      tf.set(stem, (tf.get(stem) ?? 0) + n);
      const forms = spellings.get(stem) ?? new Map<string, number>();
      forms.set(word, (forms.get(word) ?? 0) + n);
      spellings.set(stem, forms);
    }
    if (length === 0) continue;
    const docWeight = Math.max(0, doc.score) / total;
    for (const [stem, n] of tf) model.set(stem, (model.get(stem) ?? 0) + (n / length) * docWeight);
  }
  // Plain P(w|R): weighing it by IDF as well was measured, and lost on two collections of three.
  const best = [...model.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, count);
  const mass = best.reduce((sum, [, w]) => sum + w, 0);
  return best.map(([stem, weight]) => ({
    stem,
    word: mostFrequent(spellings.get(stem)) ?? stem,
    weight: weight / mass,
  }));
}

function mostFrequent(forms: Map<string, number> | undefined): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [form, n] of forms ?? []) {
    if (n > bestCount || (n === bestCount && best !== undefined && form < best)) {
      best = form;
      bestCount = n;
    }
  }
  return best;
}
