import { partId } from './ids.ts';
import { WHOLE_FETCH_MAX_CHARS } from './limits.ts';
import { partBefore, partFrom, partStartFor, splitPassages } from './passages.ts';
import type { LibraryDocument, Passage, SearchResult } from './types.ts';

// What `fetch` returns of a document: a short one whole (as always), a long one, or any
// document asked for by a part id, one part at a time, with the ids of the parts around it.

/** The document as `fetch` returns it: whole, or the part its id names (`part` says which). */
export function documentForFetch(doc: LibraryDocument, idKey: string): LibraryDocument {
  if (!doc.anchor && doc.text.length <= WHOLE_FETCH_MAX_CHARS) return doc;
  const passages = splitPassages(doc.text, doc.pages);
  const first = Math.min(doc.anchor?.passage ?? 0, passages.length - 1);
  const { last } = partFrom(passages, first);
  const from = passages[first] as Passage;
  const to = passages[last] as Passage;
  const before = partBefore(passages, first);
  return {
    ...doc,
    text: doc.text.slice(from.start, to.end),
    part: {
      start: from.start,
      end: to.end,
      totalChars: doc.text.length,
      firstPassage: first,
      lastPassage: last,
      passages: passages.length,
      ...(doc.pages && from.firstPage !== undefined && to.lastPage !== undefined
        ? { pages: { first: from.firstPage, last: to.lastPage, total: doc.pages.total } }
        : {}),
      previousId: before === null ? null : partId(idKey, doc.id, before),
      nextId: last + 1 < passages.length ? partId(idKey, doc.id, last + 1) : null,
    },
  };
}

/** A search result for a long document points at the part around its best passage. */
export function withPartId(result: SearchResult, idKey: string): SearchResult {
  if (!result.part) return result;
  return { ...result, id: partId(idKey, result.id, partStartFor(result.part.index)) };
}
