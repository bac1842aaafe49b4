import { describe, expect, it } from 'vitest';
import { parseQuery, rankingTerms } from './query.ts';
import { openingOf, SNIPPET_WORDS, snippetOf } from './snippet.ts';

const snippet = (text: string, query: string) => snippetOf(text, rankingTerms(parseQuery(query)));
const words = (n: number, word = 'filler') => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');

describe('snippetOf', () => {
  it('shows the words around the match, with an ellipsis where the passage goes on', () => {
    const text = `${words(40)} the budget was approved ${words(40, 'tail')}`;
    const shown = snippet(text, 'budget') as string;
    expect(shown).toContain('the budget was approved');
    expect(shown.startsWith('…')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.replace(/…/g, '').split(' ')).toHaveLength(SNIPPET_WORDS);
  });

  it('prefers the window holding more of the query’s different terms over one term repeated', () => {
    const text = `alpha alpha alpha alpha ${words(40)} alpha beta gamma ${words(40, 'tail')}`;
    expect(snippet(text, 'alpha beta gamma')).toContain('alpha beta gamma');
  });

  it('matches as the index does: stems, folded diacritics and case, phrases word after word, prefixes', () => {
    expect(snippet('She RUNS every day.', 'running')).toContain('RUNS');
    expect(snippet('Réunion au café du coin.', 'cafe')).toContain('café');
    expect(snippet(`red car ${words(30)} the red apple`, '"red apple"')).toContain('the red apple');
    expect(snippet(`red car ${words(30)} apple`, '"red apple"')).toBeNull();
    expect(snippet('Quarterly budgeting notes.', 'budg*')).toContain('budgeting');
    // A long prefix also matches the stem it shortens to ("configuration" is indexed as "configur").
    expect(snippet('The configuration file.', 'configurat*')).toContain('configuration');
    // "connection" does not begin with "connecte", but its stem is that of "connect".
    expect(snippet('A network connection here.', 'connecte*')).toContain('connection');
  });

  it('is null when no term occurs, so the caller can read further or show the opening', () => {
    expect(snippet('nothing relevant here', 'budget')).toBeNull();
    expect(openingOf(`${words(30)}`)).toBe(`${words(SNIPPET_WORDS)}…`);
    expect(openingOf('short text')).toBe('short text');
  });
});
