import { Rng } from './prng.ts';

// A made-up language with a realistic shape: a few very common function words, then
// tens of thousands of pseudo-words whose frequencies fall off like natural language
// (Zipf–Mandelbrot: weight of rank r ∝ 1 / (r + 2.7)^s). Real English function words
// sit at the top so long "natural-language" queries contain real stopwords.

export const FUNCTION_WORDS = (
  'the of and to a in is that for it as was with be by on not he this are or his from at which but have ' +
  'an they you were her she there been one all we their has would when if so what can will more no out do ' +
  'about up said into them some could time these two may then first any my now such like our over'
).split(' ');

const ONSETS = [
  '',
  'b',
  'c',
  'd',
  'f',
  'g',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'w',
  'z',
].concat(['br', 'cr', 'dr', 'fl', 'gr', 'pl', 'st', 'tr', 'ch', 'sh', 'th']);
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'io'];
const CODAS = ['', '', '', '', '', 'n', 'r', 's', 'l', 't', 'm', 'nd', 'st', 'x'];

export interface Vocabulary {
  /** Words by rank: index 0 is the most frequent. */
  words: readonly string[];
  /** Draws a word index with Zipf-like probabilities. */
  sampleRank(rng: Rng): number;
  sample(rng: Rng): string;
}

export function buildVocabulary(size = 50_000, seed = 1, exponent = 1.0): Vocabulary {
  const rng = new Rng(seed ^ 0x5eed);
  const words: string[] = [...FUNCTION_WORDS];
  const seen = new Set(words);
  while (words.length < size) {
    const rank = words.length;
    // Frequent words are short, rare ones long, as in real languages.
    const syllables = rank < 500 ? rng.int(1, 2) : rank < 5_000 ? 2 : rng.chance(0.7) ? 2 : 3;
    let word = '';
    for (let s = 0; s < syllables; s++) word += rng.pick(ONSETS) + rng.pick(VOWELS) + rng.pick(CODAS);
    if (word.length < 3 || seen.has(word)) continue;
    seen.add(word);
    words.push(word);
  }
  const cumulative = zipfCumulative(size, exponent);
  const total = cumulative[size - 1] as number;
  const sampleRank = (r: Rng) => searchCumulative(cumulative, r.float() * total);
  return { words, sampleRank, sample: (r) => words[sampleRank(r)] as string };
}

export function zipfCumulative(size: number, exponent: number): Float64Array {
  const cumulative = new Float64Array(size);
  let sum = 0;
  for (let r = 0; r < size; r++) {
    sum += 1 / (r + 2.7) ** exponent;
    cumulative[r] = sum;
  }
  return cumulative;
}

/** First index whose cumulative weight exceeds `target`. */
export function searchCumulative(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
