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

export interface MatchPlan {
  /** Every include term must match. Null when the query has nothing to look for. */
  all: string | null;
  /** Any include term may match: used to fill up when `all` finds too few. */
  any: string | null;
}

// Words too common to narrow anything down. Dropped from natural-language questions
// ("what did we decide about the budget") unless the query is made of nothing else.
const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our so than that the their them then there these they this to was we were what when where ' +
    'which who whom why will with would you your about any all also'
  ).split(' '),
);

const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
const MAX_TERMS = 32;

export function parseQuery(input: string): ParsedQuery {
  const include: QueryTerm[] = [];
  const exclude: QueryTerm[] = [];
  // A phrase in double quotes (closed or running to the end), or a run of non-space.
  const tokenPattern = /(-?)"([^"]*)"?(\*?)|(\S+)/g;
  for (const match of input.normalize('NFC').matchAll(tokenPattern)) {
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
    if (include.length + exclude.length >= MAX_TERMS) break;
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

export function planMatch(query: ParsedQuery): MatchPlan {
  const meaningful = query.include.filter((t) => !isStopword(t));
  const terms = meaningful.length > 0 ? meaningful : query.include;
  if (terms.length === 0) return { all: null, any: null };
  const not = query.exclude.length > 0 ? ` NOT (${query.exclude.map(quote).join(' OR ')})` : '';
  const quoted = terms.map(quote);
  const all = `(${quoted.join(' AND ')})${not}`;
  const any = terms.length > 1 ? `(${quoted.join(' OR ')})${not}` : null;
  return { all, any };
}
