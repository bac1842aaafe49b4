import type { PageMap, Passage } from './types.ts';

// Long documents are indexed, ranked and read in passages, so a match deep inside a long
// log or on page 300 of a PDF ranks that place and can be read. The split is a pure
// function of the text (and a PDF's page offsets): the indexer and `fetch` compute the same
// passages from the same text, so the index needs to keep no text ranges to serve a read.
// Hand-written: no registry package splits at paragraph/page boundaries under a length cap
// with stable offsets (text splitters for embeddings re-join or trim the text).

/** A passage is at most this many characters, and at least half of it unless it is the last. */
export const PASSAGE_CHARS = 8000;
/**
 * Documents up to this many characters stay one passage: nearly all files, so the index
 * keeps about one row per file (search cost) and a query's words still only need to
 * meet in the same document, not the same passage, for all but long ones.
 */
export const SINGLE_PASSAGE_MAX_CHARS = 16_000;
/** `fetch` of a part returns consecutive passages up to this many characters. */
export const PART_WINDOW_CHARS = 20_000;

/** The passages of a document, in order, covering `text` exactly. Always at least one. */
export function splitPassages(text: string, pages?: PageMap): Passage[] {
  if (text.length <= SINGLE_PASSAGE_MAX_CHARS) return [withPages({ start: 0, end: text.length }, pages)];
  if (!pages || pages.starts.length === 0) return splitRange(text, 0, text.length);
  return splitPages(text, pages);
}

/** PDFs: whole pages grouped up to PASSAGE_CHARS; a longer page is split on its own. */
function splitPages(text: string, pages: PageMap): Passage[] {
  const out: Passage[] = [];
  let group: Passage | null = null;
  // Text before the first page with text (there is none today) belongs to the first page.
  const starts = pages.starts.map((s, i) => (i === 0 ? 0 : s));
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as number;
    const end = i + 1 < starts.length ? (starts[i + 1] as number) : text.length;
    const page = pages.numbers[i] as number;
    if (end - start > PASSAGE_CHARS) {
      if (group) out.push(group);
      group = null;
      for (const p of splitRange(text, start, end)) out.push({ ...p, firstPage: page, lastPage: page });
    } else if (group && end - group.start <= PASSAGE_CHARS) {
      group.end = end;
      group.lastPage = page;
    } else {
      if (group) out.push(group);
      group = { start, end, firstPage: page, lastPage: page };
    }
  }
  if (group) out.push(group);
  return out;
}

/** [from, to) in passages of at most PASSAGE_CHARS, cut at a blank line, a line end or a space when there is one. */
function splitRange(text: string, from: number, to: number): Passage[] {
  const out: Passage[] = [];
  let start = from;
  while (to - start > PASSAGE_CHARS) {
    const end = boundary(text, start + PASSAGE_CHARS / 2, start + PASSAGE_CHARS);
    out.push({ start, end });
    start = end;
  }
  out.push({ start, end: to });
  return out;
}

/** The best place in (lo, hi] to end a passage. Scans back from `hi` only as far as `lo`. */
function boundary(text: string, lo: number, hi: number): number {
  let line = -1;
  let space = -1;
  for (let i = hi - 1; i >= lo; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (text.charCodeAt(i - 1) === 10 && i - 1 >= lo) return i + 1;
      if (line === -1) line = i + 1;
    } else if ((c === 32 || c === 9) && space === -1) space = i + 1;
  }
  if (line !== -1) return line;
  if (space !== -1) return space;
  // No space at all (minified code, base64): cut, but never between the halves of a surrogate pair.
  const before = text.charCodeAt(hi - 1);
  return before >= 0xd800 && before <= 0xdbff ? hi - 1 : hi;
}

function withPages(passage: Passage, pages?: PageMap): Passage {
  if (!pages || pages.numbers.length === 0) return passage;
  return {
    ...passage,
    firstPage: pages.numbers[0] as number,
    lastPage: pages.numbers[pages.numbers.length - 1] as number,
  };
}

/** The part `fetch` returns from passage `first` on: consecutive passages up to PART_WINDOW_CHARS (at least one). */
export function partFrom(passages: readonly Passage[], first: number): { first: number; last: number } {
  let last = first;
  while (
    last + 1 < passages.length &&
    (passages[last + 1] as Passage).end - (passages[first] as Passage).start <= PART_WINDOW_CHARS
  )
    last++;
  return { first, last };
}

/** Where the part before the one starting at `first` begins (null when `first` is the beginning). */
export function partBefore(passages: readonly Passage[], first: number): number | null {
  if (first <= 0) return null;
  const end = (passages[first - 1] as Passage).end;
  let start = first - 1;
  while (start > 0 && end - (passages[start - 1] as Passage).start <= PART_WINDOW_CHARS) start--;
  return start;
}

/** The passage a search result's part should start from: the match with one passage of context before it. */
export function partStartFor(matchedPassage: number): number {
  return Math.max(0, matchedPassage - 1);
}
