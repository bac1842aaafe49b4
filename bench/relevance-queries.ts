// The query styles of the relevance bench: each collection's full questions, and the
// keyword queries a model tends to send instead (the first 3 or 5 content words).
import stopword from 'stopword';
import type { TestQuery } from './relevance-collections.ts';

/** A fixed, standard English list (the `stopword` package's), not Porthole's own. */
const ENGLISH_STOPWORDS = new Set(stopword.eng);

export type QueryStyle = 'full' | 'kw3' | 'kw5';
export const QUERY_STYLES: readonly QueryStyle[] = ['full', 'kw3', 'kw5'];

/** The words of `text` that are not stopwords, in order, lower case. */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (w) => !ENGLISH_STOPWORDS.has(w) && !/^\d$/.test(w),
  );
}

export function styleQuery(query: TestQuery, style: QueryStyle): string {
  if (style === 'full') return query.text.replace(/\s+/g, ' ').trim();
  return contentWords(query.text)
    .slice(0, style === 'kw3' ? 3 : 5)
    .join(' ');
}
