import type { Rng } from './prng.ts';
import type { CorpusSample } from './sample.ts';

// The query mix: what people and language models actually send. Each kind stresses a
// different path of the index (single term, AND of terms, phrase, prefix, NOT, and the
// long question whose AND finds little so the OR fallback has to fill up).

export type QueryKind = 'word' | 'words' | 'phrase' | 'prefix' | 'exclude' | 'question';

export interface BenchQuery {
  kind: QueryKind;
  text: string;
}

const KIND_WEIGHTS: [QueryKind, number][] = [
  ['word', 0.25],
  ['words', 0.25],
  ['phrase', 0.15],
  ['prefix', 0.1],
  ['exclude', 0.1],
  ['question', 0.15],
];

// English glue of questions; most are dropped by the query parser as stopwords.
export const QUESTION_STARTS = [
  'what',
  'how',
  'where',
  'which',
  'why',
  'who',
  'when',
  'is there',
  'do we have',
];
export const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our so than that the their them then there these they this to was we were what when where ' +
    'which who whom why will with would you your about any all also'
  ).split(' '),
);
const GLUE = [
  'the',
  'of',
  'about',
  'for',
  'in',
  'did',
  'we',
  'is',
  'are',
  'to',
  'with',
  'and',
  'a',
  'on',
  'our',
];
// Words a model adds that are not stopwords and usually are not in the documents either.
const FILLER = ['notes', 'document', 'explain', 'details', 'information', 'find', 'mention', 'describe'];

export interface QuerySource {
  sample: CorpusSample;
  /** Extra mid/high-frequency words (the synthetic vocabulary); empty for a real corpus. */
  vocabularyWords: readonly string[];
}

export function makeQueries(source: QuerySource, rng: Rng, count: number): BenchQuery[] {
  const pool = wordPool(source);
  if (pool.length === 0)
    throw new Error('The corpus sample has no words to query: is the corpus empty or binary?');
  const out: BenchQuery[] = [];
  for (let i = 0; i < count; i++) out.push(makeQuery(pickKind(rng), pool, source.sample, rng));
  return out;
}

/** Mid/high-frequency words: frequent enough to match, not so frequent they match everything. */
export function wordPool(source: QuerySource): string[] {
  const ranked = source.sample.wordsByDocFreq.filter((w) => !STOPWORDS.has(w));
  const skip = Math.min(20, Math.floor(ranked.length / 10));
  const fromCorpus = ranked.slice(skip, skip + 3000);
  return [...new Set([...fromCorpus, ...source.vocabularyWords])];
}

function pickKind(rng: Rng): QueryKind {
  let r = rng.float();
  for (const [kind, weight] of KIND_WEIGHTS) {
    r -= weight;
    if (r < 0) return kind;
  }
  return 'word';
}

function makeQuery(kind: QueryKind, pool: readonly string[], sample: CorpusSample, rng: Rng): BenchQuery {
  const words = (n: number) => Array.from({ length: n }, () => rng.pick(pool));
  switch (kind) {
    case 'word':
      return { kind, text: rng.pick(pool) };
    case 'words':
      return { kind, text: words(rng.int(2, 3)).join(' ') };
    case 'phrase': {
      if (sample.proseLines.length === 0) return { kind: 'words', text: words(2).join(' ') };
      const line = rng.pick(sample.proseLines);
      const length = Math.min(line.length, rng.int(2, 4));
      const start = rng.int(0, line.length - length);
      return { kind, text: `"${line.slice(start, start + length).join(' ')}"` };
    }
    case 'prefix': {
      // A stem, as people and models write them (`budg*`, `deploy*`): the word less its
      // last one to three letters, never shorter than four.
      const long = pool.filter((w) => w.length >= 6);
      const word = long.length > 0 ? rng.pick(long) : rng.pick(pool);
      return { kind, text: `${word.slice(0, Math.max(4, word.length - rng.int(1, 3)))}*` };
    }
    case 'exclude': {
      const [a, b, c] = words(3);
      return { kind, text: rng.chance(0.5) ? `${a} -${b}` : `${a} ${b} -${c}` };
    }
    case 'question':
      return { kind, text: question(pool, rng) };
  }
}

/** 8–15 words: a question word, glue, 2–5 corpus words, sometimes a filler word. */
function question(pool: readonly string[], rng: Rng): string {
  const length = rng.int(8, 15);
  const parts = [rng.pick(QUESTION_STARTS)];
  let content = 0;
  const contentWanted = rng.int(2, 5);
  while (parts.join(' ').split(' ').length < length) {
    const remaining = length - parts.join(' ').split(' ').length;
    if (content < contentWanted && (remaining <= contentWanted - content || rng.chance(0.45))) {
      parts.push(rng.pick(pool));
      content++;
    } else if (rng.chance(0.12)) parts.push(rng.pick(FILLER));
    else parts.push(rng.pick(GLUE));
  }
  return `${parts.join(' ')}?`;
}

/**
 * The one term ripgrep looks for: the first word or phrase of the query that is not a
 * stopword or an exclusion, with query syntax removed. Null when there is none.
 */
export function ripgrepTerm(query: string): string | null {
  const tokens = query.match(/-?"[^"]*"?\*?|\S+/g) ?? [];
  let fallback: string | null = null;
  for (const token of tokens) {
    if (token.startsWith('-')) continue;
    const text = token
      .replace(/^"|"?\*?$/g, '')
      .replace(/\*+$/, '')
      .replace(/[?!.,;:]+$/, '')
      .trim();
    if (!text) continue;
    fallback ??= text;
    if (!STOPWORDS.has(text.toLowerCase())) return text;
  }
  return fallback;
}
