// Ranking behaviour through the real Library and index: stemming, the query language on
// a stemmed index, long questions and term coverage. Quality as a number is
// `npm run bench:relevance`'s job; these pin the behaviours it relies on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from './library.ts';
import { memoryFolderStore, openTestLibrary, removeDirs, tempDir, writeTree } from './testing.ts';

let root: string;
let dataDir: string;
let library: Library;

beforeAll(async () => {
  root = await tempDir();
  dataDir = await tempDir('porthole-data-');
  await writeTree(root, {
    'indexer.md': '# Indexer notes\n\nEvery file is indexed once, then watched.',
    'config.md': '# Settings\n\nThe configuration of the tunnel lives in settings.json.',
    'runner.txt': 'The runner keeps running the nightly jobs.',
    'both.txt': 'Quarterly budget review: the marketing budget for the quarter.',
    'budget-only.txt': 'Budget budget budget budget, the budget again and the budget.',
    'marketing-only.txt': 'Marketing plans for the spring fair.',
    'draft.txt': 'Quarterly budget review, draft version.',
    'kiwi-1.txt': 'Kiwi orchard harvest, kiwi vines pruned, actinidia kiwi yield notes.',
    'kiwi-2.txt': 'Kiwi vines and actinidia cultivars grown in the north orchard.',
    'code.ts': 'export function getUserName(user_record) { return parse_json_file(user_record); }',
    'cafe.txt': 'Les spécialités du café: crème brûlée et pâtisseries.',
  });
  library = await openTestLibrary(dataDir, memoryFolderStore());
  await library.addFolder(root);
  await library.whenIdle();
});

afterAll(async () => {
  await library.close();
  await removeDirs(root, dataDir);
});

const titles = (q: string) => library.search(q).map((r) => r.title);

describe('ranking', () => {
  it('matches the forms of an English word (stemming): "indexing" finds "indexed"', () => {
    expect(titles('indexing')).toEqual(['Indexer notes']);
    expect(titles('runs')).toEqual(['runner.txt']);
  });

  it('keeps prefix queries working on the stemmed index, including prefixes longer than the stem', () => {
    expect(titles('configurat*')).toEqual(['Settings']);
    expect(titles('runn*')).toContain('runner.txt');
    expect(titles('index*')).toEqual(['Indexer notes']);
  });

  it('keeps phrases, exclusions, code identifiers and accented words working', () => {
    expect(titles('"quarterly budget review" -draft')).toEqual(['both.txt']);
    expect(titles('getUserName')).toEqual(['code.ts']);
    expect(titles('parse_json_file')).toEqual(['code.ts']);
    expect(titles('cafe creme')).toEqual(['cafe.txt']);
  });

  it('ranks a document with more of the query terms above one repeating a single term', () => {
    const ranked = titles('marketing budget');
    expect(ranked[0]).toBe('both.txt');
    expect(ranked).toContain('budget-only.txt');
    expect(ranked).toContain('marketing-only.txt');
  });

  it('answers a 40-word question from its last words', () => {
    const filler =
      'please could you look through all of my shared notes and files carefully and then tell me ';
    const question = `${filler.repeat(2)}what we wrote about the tunnel configuration`;
    expect(question.split(/\s+/).length).toBeGreaterThanOrEqual(40);
    expect(titles(question)[0]).toBe('Settings');
  });

  it('answers a 5,000-character query instead of failing', () => {
    const query = `kiwi orchard ${'and more words the user pasted '.repeat(170)}`;
    expect(query.length).toBeGreaterThan(5_000);
    expect(titles(query)[0]).toMatch(/^kiwi-/);
  });
});
