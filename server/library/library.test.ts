import { rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Library, LibraryOptions } from './library.ts';
import { eventually, memoryFolderStore, openTestLibrary, removeDirs, tempDir, writeTree } from './testing.ts';
import type { FolderStatus } from './types.ts';

let root: string;
let dataDir: string;
let library: Library | undefined;

beforeEach(async () => {
  root = await tempDir();
  dataDir = await tempDir('porthole-data-');
});

afterEach(async () => {
  await library?.close();
  library = undefined;
  await removeDirs(root, dataDir);
});

async function share(files: Record<string, string>, options: Partial<LibraryOptions> = {}) {
  await writeTree(root, files);
  const store = memoryFolderStore();
  library = await openTestLibrary(dataDir, store, options);
  const status = await library.addFolder(root);
  await library.whenIdle();
  return { store, folderId: status.id };
}

const titles = (lib: Library, q: string) => lib.search(q).map((r) => r.title);

describe('search', () => {
  it('finds documents, with title and path weighted above the body', async () => {
    await share({
      'notes/garden.md': '# Planting tomatoes\n\nWater them every morning.',
      'notes/misc.txt': 'A long note that mentions tomatoes once among many other words about the weather.',
      'tomatoes/list.txt': 'Seeds to buy this spring.',
      'other/one.txt': 'Cucumbers and peppers.',
      'other/two.txt': 'Beans and peas.',
      'other/three.txt': 'Onions and garlic.',
    });
    const results = library!.search('tomatoes');
    expect(results.map((r) => r.path)).toEqual(['notes/garden.md', 'tomatoes/list.txt', 'notes/misc.txt']);
    expect(results[0]).toMatchObject({ title: 'Planting tomatoes', folderId: expect.any(String) });
    expect(results[0]!.score).toBeGreaterThan(results[2]!.score);
    expect(results[2]!.snippet).toContain('tomatoes');
  });

  it('folds diacritics and case, supports phrases, prefixes and exclusions', async () => {
    await share({
      'a.txt': 'Réunion au café du coin, ordre du jour: budget annuel.',
      'b.txt': 'The annual budget draft for the cafe.',
      'c.txt': 'Budgeting tips and the budget annuel final version.',
    });
    expect(titles(library!, 'CAFE').sort()).toEqual(['a.txt', 'b.txt']);
    expect(titles(library!, 'reunion')).toEqual(['a.txt']);
    expect(titles(library!, '"budget annuel"').sort()).toEqual(['a.txt', 'c.txt']);
    expect(titles(library!, 'budg*').sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(titles(library!, 'budget -draft -final')).toEqual(['a.txt']);
  });

  it('ranks documents matching every term first, then fills with partial matches', async () => {
    await share({
      'both.txt': 'We decide on the quarterly budget in the March meeting.',
      'budget.txt': 'Budget budget budget: numbers only.',
      'meeting.txt': 'Meeting notes without numbers.',
      'neither.txt': 'Nothing relevant here.',
    });
    const results = library!.search('what did we decide about the budget in the march meeting?');
    expect(results[0]!.path).toBe('both.txt');
    expect(results.map((r) => r.path).sort()).toEqual(['both.txt', 'budget.txt', 'meeting.txt']);
    for (let i = 1; i < results.length; i++) expect(results[i - 1]!.score).toBeGreaterThan(results[i]!.score);
  });

  it('never throws on hostile or odd queries', async () => {
    await share({ 'a.txt': 'alpha beta gamma' });
    const odd = [
      '',
      '"',
      '-',
      '*',
      'NEAR(alpha beta)',
      'alpha OR',
      'AND',
      'title:alpha',
      '^alpha',
      'alpha"beta',
      "'; DROP TABLE docs; --",
      '\0',
      '🙂',
      'a'.repeat(1000),
      '((((',
      '-"',
      'alpha -alpha',
    ];
    for (const q of odd) expect(() => library!.search(q)).not.toThrow();
    // Operators are words: NEAR( is looked for as text, so only the partial match on "beta" remains.
    expect(titles(library!, 'NEAR(alpha beta)')).toEqual(['a.txt']);
    expect(titles(library!, 'NEAR(zeta eta)')).toEqual([]);
    expect(titles(library!, 'alpha -alpha')).toEqual([]);
    expect(titles(library!, 'alpha"beta')).toEqual(['a.txt']);
  });

  it('gives each result the snippet of its own document', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) files[`f${i}.txt`] = `${'padding '.repeat(i * 50)}shared marker unique${i}`;
    await share(files);
    const results = library!.search('marker');
    expect(results).toHaveLength(8);
    for (const r of results) expect(r.snippet).toContain(`unique${r.path.slice(1, 2)}`);
  });

  it('cuts a snippet around a match deep in a passage, and shows the opening of a title-only match', async () => {
    await share({
      'deep.txt': `${'padding words here. '.repeat(300)}The quarterly zeppelin report ends here.`,
      'zeppelin.txt': 'Nothing about airships in this body at all.',
    });
    const results = library!.search('zeppelin');
    const snippetOf = (file: string) => results.find((r) => r.path === file)?.snippet;
    expect(snippetOf('deep.txt')).toContain('The quarterly zeppelin report ends here');
    expect(snippetOf('zeppelin.txt')).toBe('Nothing about airships in this body at all.');
  });

  it('ranks a very broad query among its newest matches only, still best first', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++)
      files[`f${String(i).padStart(2, '0')}.txt`] = `broad ${i % 7 === 0 ? 'broad broad' : ''}`;
    await share(files, { broadMatchCap: 10 });
    const results = library!.search('broad', { limit: 5 });
    expect(results).toHaveLength(5);
    // Files are indexed in name order: the 10 newest matches are f20..f29, and the
    // ones saying "broad" three times (f21, f28) rank first among them.
    expect(
      results
        .slice(0, 2)
        .map((r) => r.path)
        .sort(),
    ).toEqual(['f21.txt', 'f28.txt']);
    for (const r of results) expect(Number(r.path.slice(1, 3))).toBeGreaterThanOrEqual(20);
  });

  it('finds a passage holding every word of a broad query, however old it is', async () => {
    // Indexed in name order: a-old.txt is the oldest, outside the 10 newest matches of "broad".
    const files: Record<string, string> = { 'a-old.txt': 'broad quokka' };
    for (let i = 0; i < 30; i++) files[`f${String(i).padStart(2, '0')}.txt`] = 'broad';
    await share(files, { broadMatchCap: 10 });
    expect(library!.search('broad quokka')[0]?.path).toBe('a-old.txt');
    expect(library!.search('broad quokka -quokka').map((r) => r.path)).not.toContain('a-old.txt');
  });

  it('answers the same from the search thread, and sees writes committed after it started', async () => {
    await share({ 'a.md': '# Alpha\n\nshared word', 'b.txt': 'shared word twice: word', 'c.txt': 'other' });
    for (const q of ['shared', 'word -twice', '"shared word"', 'shar*', 'nothing here']) {
      expect(await library!.searchAsync(q)).toEqual(library!.search(q));
    }
    await writeFile(path.join(root, 'd.txt'), 'late arrival');
    await library!.reindex(library!.listFolders()[0]!.id);
    expect((await library!.searchAsync('arrival')).map((r) => r.path)).toEqual(['d.txt']);
  });

  it('honours the limit', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`f${i}.txt`] = `common word ${i}`;
    await share(files);
    expect(library!.search('common')).toHaveLength(10);
    expect(library!.search('common', { limit: 25 })).toHaveLength(25);
  });
});

describe('ids and reading', () => {
  it('gives opaque ids that are stable across restarts and index rebuilds', async () => {
    const { store } = await share({ 'deep/secret plan.txt': 'zebra crossing' });
    const [hit] = library!.search('zebra');
    expect(hit!.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(hit!.id).not.toContain('plan');
    await library!.close();
    library = await openTestLibrary(dataDir, store);
    await library.whenIdle();
    expect(library.search('zebra')[0]!.id).toBe(hit!.id);
    await library.close();
    await rm(path.join(dataDir, 'index.sqlite'));
    library = await openTestLibrary(dataDir, store);
    await library.whenIdle();
    expect(library.search('zebra')[0]!.id).toBe(hit!.id);
  });

  it('reads a document fresh, with metadata, and refuses one that vanished', async () => {
    await share({ 'doc.md': '---\ntitle: "Trip plan"\n---\nPack the tent.' });
    const [hit] = library!.search('tent');
    const doc = await library!.read(hit!.id);
    expect(doc).toMatchObject({ title: 'Trip plan', path: 'doc.md', kind: 'markdown', truncated: false });
    expect(doc.text).toContain('Pack the tent.');
    await writeFile(path.join(root, 'doc.md'), '---\ntitle: "Trip plan"\n---\nPack the tent and the stove.');
    expect((await library!.read(hit!.id)).text).toContain('stove');
    // Reading a changed file re-indexes it in the background.
    await library!.whenIdle();
    expect(titles(library!, 'stove')).toEqual(['Trip plan']);
    await unlink(path.join(root, 'doc.md'));
    await expect(library!.read(hit!.id)).rejects.toThrow(/deleted or moved/);
  });
});

describe('keeping the index current', () => {
  // Through the app's writer thread, from the first write to a restart.
  it('catches up on start with changes made while closed', async () => {
    const appWriter = { writer: 'worker' } as const;
    const { store } = await share(
      { 'keep.txt': 'kiwi', 'change.txt': 'lemon', 'gone.txt': 'mango' },
      appWriter,
    );
    await library!.close();
    await writeFile(path.join(root, 'change.txt'), 'papaya');
    await unlink(path.join(root, 'gone.txt'));
    await writeFile(path.join(root, 'new.txt'), 'quince');
    library = await openTestLibrary(dataDir, store, appWriter);
    await library.whenIdle();
    expect(titles(library, 'kiwi')).toEqual(['keep.txt']);
    expect(titles(library, 'lemon')).toEqual([]);
    expect(titles(library, 'papaya')).toEqual(['change.txt']);
    expect(titles(library, 'mango')).toEqual([]);
    expect(titles(library, 'quince')).toEqual(['new.txt']);
  });

  it('follows saves, renames, deletions and .gitignore edits through the watcher', async () => {
    await share({ 'a.txt': 'apricot' }, { watch: true });
    const lib = library!;
    await writeFile(path.join(root, 'b.txt'), 'blueberry');
    await eventually(() => titles(lib, 'blueberry').length === 1);
    await writeFile(path.join(root, 'a.txt'), 'avocado');
    await eventually(() => titles(lib, 'avocado').length === 1 && titles(lib, 'apricot').length === 0);
    await rename(path.join(root, 'b.txt'), path.join(root, 'c.txt'));
    await eventually(() => titles(lib, 'blueberry').join() === 'c.txt');
    await writeTree(root, { 'sub/dir/d.txt': 'date' });
    await eventually(() => titles(lib, 'date').length === 1);
    await rm(path.join(root, 'sub'), { recursive: true });
    await eventually(() => titles(lib, 'date').length === 0);
    await writeFile(path.join(root, '.gitignore'), 'c.txt\n');
    await eventually(() => titles(lib, 'blueberry').length === 0);
  });

  it('reports progress per folder: scanning, indexing, then watching with counts', async () => {
    await writeTree(root, {
      'a.txt': 'one',
      'b.md': '# two',
      'c.bin': Buffer.from([0, 1, 2, 0, 0, 3]),
      '.env': 'X=1',
    });
    const store = memoryFolderStore();
    library = await openTestLibrary(dataDir, store);
    const states: FolderStatus['state'][] = [];
    library.on('status', (s) => {
      if (states.at(-1) !== s.state) states.push(s.state);
    });
    await library.addFolder(root);
    await library.whenIdle();
    expect(states).toEqual(['scanning', 'indexing', 'watching']);
    const [status] = library.listFolders();
    expect(status).toMatchObject({ state: 'watching', filesSeen: 3, indexed: 2, skipped: 2, errors: [] });
    expect(status!.lastIndexedAt).not.toBeNull();
  });

  it('records a file that fails to extract as an error on its folder and goes on', async () => {
    await share({ 'broken.pdf': 'this is not a pdf', 'fine.txt': 'fine content' });
    const [status] = library!.listFolders();
    expect(status!.errors).toEqual([{ path: 'broken.pdf', reason: expect.stringMatching(/PDF/i) }]);
    expect(status!.indexed).toBe(1);
    expect(titles(library!, 'fine')).toEqual(['fine.txt']);
  });
});

describe('shared folders', () => {
  it('refuses missing paths, files, the home folder, the disk root and nested shares', async () => {
    await writeTree(root, { 'inner/x.txt': 'x', 'file.txt': 'f' });
    const store = memoryFolderStore();
    library = await openTestLibrary(dataDir, store, { homeDir: path.join(root, 'inner') });
    await expect(library.addFolder(path.join(root, 'missing'))).rejects.toThrow(/does not exist/);
    await expect(library.addFolder(path.join(root, 'file.txt'))).rejects.toThrow(/is a file/);
    await expect(library.addFolder(path.join(root, 'inner'))).rejects.toThrow(/home folder/);
    await expect(library.addFolder('/')).rejects.toThrow(/whole disk/);
    await library.addFolder(root);
    await expect(library.addFolder(root)).rejects.toThrow(/already shared/);
    await expect(library.addFolder(path.join(root, 'inner'))).rejects.toThrow(/inside/);
    expect(store.folders).toHaveLength(1);
    expect(store.folders[0]).toMatchObject({
      path: root,
      name: path.basename(root),
      id: expect.stringMatching(/^f[0-9a-f]{16}$/),
    });
  });

  it('forgets a removed folder: not searchable, ids no longer readable', async () => {
    const { store, folderId } = await share({ 'a.txt': 'walnut' });
    const [hit] = library!.search('walnut');
    await library!.removeFolder(folderId);
    expect(store.folders).toEqual([]);
    expect(library!.search('walnut')).toEqual([]);
    await expect(library!.read(hit!.id)).rejects.toThrow(/No document has this id/);
  });
});
