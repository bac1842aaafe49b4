// Turns a free-form query (usually written by a language model) into SQLite FTS5
// MATCH expressions. It never throws and never lets FTS5 syntax through: every term
// is quoted, so `AND`, `NEAR(`, `col:` or a stray quote are just words.

export interface QueryTerm {
  /** The words of the term, as typed; quoted for FTS5 by `quote()`. */
  text: string;
  phrase: boolean;
  prefix: boolean;
}

export interface ParsedQuery {
  include: QueryTerm[];
  exclude: QueryTerm[];
}

// Words too common to narrow anything down. Dropped from natural-language questions
// ("what did we decide about the budget") unless the query is made of nothing else.
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our so than that the their them then there these they this to was we were what when where ' +
    'which who whom why will with would you your about any all also'
  ).split(' '),
);

const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
/**
 * Longer input is cut here, never refused: a model sometimes pastes a whole paragraph.
 * 64 meaningful terms fit in far fewer characters, so nothing that counts is lost.
 */
export const MAX_QUERY_CHARS = 4000;
/** Terms that are not stopwords: a long question keeps all of its words up to here. */
export const MAX_TERMS = 64;

export function parseQuery(input: string): ParsedQuery {
  const include: QueryTerm[] = [];
  const exclude: QueryTerm[] = [];
  let meaningful = 0;
  // A phrase in double quotes (closed or running to the end), or a run of non-space.
  const tokenPattern = /(-?)"([^"]*)"?(\*?)|(\S+)/g;
  for (const match of input.slice(0, MAX_QUERY_CHARS).normalize('NFC').matchAll(tokenPattern)) {
    let negated = match[1] === '-';
    let phrase = match[2] !== undefined;
    let text = phrase ? (match[2] ?? '') : (match[4] ?? '');
    let prefix = phrase ? match[3] === '*' : false;
    if (!phrase) {
      if (text.startsWith('-') && text.length > 1) {
        negated = true;
        text = text.slice(1);
      }
      if (text.endsWith('*')) {
        prefix = true;
        text = text.replace(/\*+$/, '');
      }
      text = text.replaceAll('"', ' ');
      phrase = /\s/.test(text.trim());
    }
    text = text.replace(/\s+/g, ' ').trim();
    if (!HAS_WORD_CHAR.test(text)) continue;
    const term = { text, phrase, prefix };
    (negated ? exclude : include).push(term);
    // Stopwords do not count: "what is the ..." must not push a question's last words out.
    if (!isStopword(term) && ++meaningful >= MAX_TERMS) break;
  }
  return { include: dedupe(include), exclude: dedupe(exclude) };
}

function dedupe(terms: QueryTerm[]): QueryTerm[] {
  const seen = new Set<string>();
  return terms.filter((t) => {
    const key = `${t.text.toLowerCase()}|${t.prefix}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function isStopword(term: QueryTerm): boolean {
  // "about?" is the word "about" to the tokenizer, so it is judged without punctuation.
  return (
    !term.phrase && !term.prefix && STOPWORDS.has(term.text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''))
  );
}

export function quote(term: QueryTerm): string {
  return `"${term.text.replaceAll('"', '""')}"${term.prefix ? '*' : ''}`;
}

// The index stems words (Porter): "configuration" is stored as "configur", so the prefix
// "configurat*" would find nothing. A word prefix of this length or more therefore also
// matches the words it shortens to by up to PREFIX_STEM_SLACK letters, as whole words
// ("configura", "configur", "configu"): the stem of the word the user was typing is one
// of them. Shorter prefixes are left alone: their stems are rarely shorter than they are.
const PREFIX_STEMMING_FROM = 5;
const PREFIX_STEM_SLACK = 3;

/** One include term as an FTS5 expression: quoted, and for a long word prefix its shortened forms too. */
export function termExpression(term: QueryTerm): string {
  const quoted = quote(term);
  const shorter = shortenedForms(term).map((text) => quote({ text, phrase: false, prefix: false }));
  return shorter.length === 0 ? quoted : `(${[quoted, ...shorter].join(' OR ')})`;
}

/** The whole words a long word prefix also matches (see PREFIX_STEMMING_FROM); none for other terms. */
export function shortenedForms(term: QueryTerm): string[] {
  if (!term.prefix || term.phrase || [...term.text].length < PREFIX_STEMMING_FROM) return [];
  const letters = [...term.text];
  const shorter: string[] = [];
  for (let cut = 1; cut <= PREFIX_STEM_SLACK && letters.length - cut >= 3; cut++)
    shorter.push(letters.slice(0, letters.length - cut).join(''));
  return shorter;
}

/** The terms a query is ranked by: its meaningful ones, or all of them when it has only stopwords. */
export function rankingTerms(query: ParsedQuery): QueryTerm[] {
  const meaningful = query.include.filter((t) => !isStopword(t));
  return meaningful.length > 0 ? meaningful : query.include;
}

/** ` NOT (...)` for the query's excluded terms, or '' when it has none. */
export function exclusion(query: ParsedQuery): string {
  return query.exclude.length > 0 ? ` NOT (${query.exclude.map(quote).join(' OR ')})` : '';
}

/**
 * The FTS5 expression search ranks by: any of the query's ranking terms, without its excluded
 * ones (re-ranking then favours the passages with more of them). Null when the query has
 * nothing to look for.
 */
export function anyTermExpression(query: ParsedQuery): string | null {
  return joinedTerms(query, ' OR ', 1);
}

/**
 * Every ranking term of a query of two or more, without the excluded ones. A broad query is
 * ranked among its newest 5,000 matches only (matcher.ts), so one common word would hide an
 * older passage holding every word of the query; ranked beside the any-term expression, this
 * finds it (unless even those passages are more than 5,000). Both have the same terms, so
 * BM25 scores a passage alike in either.
 */
export function allTermsExpression(query: ParsedQuery): string | null {
  return joinedTerms(query, ' AND ', 2);
}

function joinedTerms(query: ParsedQuery, operator: string, fewest: number): string | null {
  const terms = rankingTerms(query);
  if (terms.length < fewest) return null;
  return `(${terms.map(termExpression).join(operator)})${exclusion(query)}`;
}
