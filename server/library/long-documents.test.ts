import { rm } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePdf } from './extract/pdf-testing.ts';
import { partId } from './ids.ts';
import type { Library } from './library.ts';
import { PART_WINDOW_CHARS } from './passages.ts';
import { memoryFolderStore, openTestLibrary, removeDirs, tempDir, writeTree } from './testing.ts';
import type { LibraryDocument } from './types.ts';

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

async function share(files: Record<string, string | Buffer>): Promise<Library> {
  await writeTree(root, files);
  library = await openTestLibrary(dataDir, memoryFolderStore());
  await library.addFolder(root);
  await library.whenIdle();
  return library;
}

/** About `chars` characters of numbered log lines, with `insert` lines placed where the text reaches given lengths. */
function logText(chars: number, insert: Record<number, string> = {}): string {
  const lines: string[] = [];
  const pending = Object.entries(insert).map(([at, line]) => ({ at: Number(at), line }));
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const due = pending.find((p) => p.at <= length);
    const line = due
      ? due.line
      : `2026-01-01 12:00:${String(i % 60).padStart(2, '0')} worker ${i} handled request ${i * 7}`;
    if (due) pending.splice(pending.indexOf(due), 1);
    lines.push(line);
    length += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

describe('long documents', () => {
  it('indexes a 3 MB file to its end, ranks the place of the match, and reads on to the end', async () => {
    const text = logText(3_000_000, { 2950000: 'ERROR zanzibarquux exploded near the end' });
    expect(text.indexOf('zanzibarquux')).toBeGreaterThan(2_500_000);
    const lib = await share({ 'server.log': text, 'short.txt': 'A short note about a worker.' });

    const [hit] = lib.search('zanzibarquux');
    expect(hit).toMatchObject({ path: 'server.log' });
    expect(hit!.part!.start).toBeLessThanOrEqual(text.indexOf('zanzibarquux'));
    expect(hit!.part!.end).toBeGreaterThan(text.indexOf('zanzibarquux'));
    expect(hit!.id).toMatch(/^[A-Za-z0-9_-]{22}\.\d+\.[A-Za-z0-9_-]{12}$/);

    const part = await lib.fetch(hit!.id);
    expect(part.text).toContain('zanzibarquux');
    expect(part.text.length).toBeLessThanOrEqual(PART_WINDOW_CHARS);
    expect(part.part).toMatchObject({ totalChars: text.length });
    expect(text.slice(part.part!.start, part.part!.end)).toBe(part.text);
    expect(part.part!.previousId).toEqual(expect.any(String));

    // Following `next` reaches the end; `previous` goes back to the part before.
    let current: LibraryDocument = part;
    let steps = 0;
    while (current.part!.nextId) {
      const next = await lib.fetch(current.part!.nextId);
      expect(next.part!.start).toBe(current.part!.end);
      current = next;
      steps++;
    }
    expect(current.part!.end).toBe(text.length);
    expect(current.text.endsWith('request')).toBe(false);
    expect(text.endsWith(current.text)).toBe(true);
    expect(steps).toBeGreaterThan(0);
    const back = await lib.fetch(part.part!.previousId!);
    expect(back.part!.end).toBeGreaterThanOrEqual(part.part!.start);
    expect(back.part!.start).toBeLessThan(part.part!.start);

    // The document's own id gives its first part.
    const first = await lib.fetch(part.id);
    expect(first.part).toMatchObject({ start: 0, previousId: null });
    expect(text.startsWith(first.text)).toBe(true);
  });

  it('returns each document once, at its best passage, even when its passages crowd the ranking', async () => {
    // Every passage of the log outranks the two notes (the word on every line, against once in
    // a longer text), so the first rows FTS5 returns are all passages of one document.
    const everywhere = logText(1_000_000).replaceAll('handled', 'handled marmalade');
    const lib = await share({
      'crowded.log': everywhere,
      'a.txt': `marmalade once ${'and other things '.repeat(300)}`,
      'b.txt': `${'plain words here '.repeat(300)} marmalade`,
    });
    const results = lib.search('marmalade', { limit: 10 });
    expect(results.map((r) => r.path).sort()).toEqual(['a.txt', 'b.txt', 'crowded.log']);
  });

  it('reads a PDF by page: a word on its last page gives that page, with page metadata', async () => {
    const filler = (page: number) =>
      Array.from(
        { length: 45 },
        (_, i) => `Page ${page} line ${i} of the annual report with enough words in it.`,
      );
    const pages = Array.from({ length: 8 }, (_, i) => filler(i + 1));
    pages[7]!.push('The appendix mentions the quokkaberry ledger.');
    const lib = await share({ 'report.pdf': makePdf(pages) });
    const [hit] = lib.search('quokkaberry');
    expect(hit).toMatchObject({ path: 'report.pdf' });
    const part = await lib.fetch(hit!.id);
    expect(part.text).toContain('quokkaberry');
    expect(part.part!.pages).toMatchObject({ last: 8, total: 8 });
    expect(part.part!.pages!.first).toBeGreaterThan(1);
    expect(part.part!.nextId).toBeNull();
    expect(part.text).not.toContain('Page 1 line');
  });

  it('keeps short documents whole: plain ids, whole text, no part', async () => {
    const lib = await share({ 'note.md': '# Plan\n\nPlant basil by the fence.' });
    const [hit] = lib.search('basil');
    expect(hit!.part).toBeUndefined();
    expect(hit!.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const doc = await lib.fetch(hit!.id);
    expect(doc.part).toBeUndefined();
    expect(doc.text).toContain('Plant basil by the fence.');
  });

  it('indexes to the text limit and says the document was cut', async () => {
    await writeTree(root, {
      'huge.log': logText(200_000, { 30000: 'early marker', 150000: 'beyondthecut marker' }),
    });
    library = await openTestLibrary(dataDir, memoryFolderStore(), { maxTextBytes: 100_000 });
    await library.addFolder(root);
    await library.whenIdle();
    expect(library.search('beyondthecut')).toEqual([]);
    const [hit] = library.search('early');
    const part = await library.fetch(hit!.id);
    expect(part).toMatchObject({ truncated: true, part: { totalChars: 100_000 } });
  });

  it('a changed, removed or unshared long document leaves none of its passages behind', async () => {
    const lib = await share({
      'a.log': logText(100_000, { 50000: 'wombatish here' }),
      'b.txt': 'wombatish too',
    });
    const ftsRows = () => {
      const db = new Database(path.join(dataDir, 'index.sqlite'), { readonly: true });
      const count = (sql: string) => db.prepare(sql).pluck().get() as number;
      try {
        return {
          fts: count('SELECT count(*) FROM docs_fts'),
          parts: count('SELECT coalesce(sum(parts), 0) FROM docs'),
          passages: count('SELECT count(*) FROM passages'),
          matching: count("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH 'wombatish'"),
        };
      } finally {
        db.close();
      }
    };
    const folderId = lib.listFolders()[0]!.id;
    expect(ftsRows()).toMatchObject({ matching: 2 });
    expect(ftsRows().fts).toBeGreaterThan(10);
    await writeTree(root, { 'a.log': logText(60_000) });
    await lib.reindex(folderId);
    const changed = ftsRows();
    expect(changed).toEqual({
      fts: changed.parts,
      parts: changed.parts,
      passages: changed.parts - 1,
      matching: 1,
    });
    await rm(path.join(root, 'a.log'));
    await lib.reindex(folderId);
    expect(ftsRows()).toEqual({ fts: 1, parts: 1, passages: 0, matching: 1 });
    await writeTree(root, { 'a.log': logText(100_000) });
    await lib.reindex(folderId);
    await lib.removeFolder(folderId);
    expect(ftsRows()).toEqual({ fts: 0, parts: 0, passages: 0, matching: 0 });
  });

  it('refuses forged and altered part ids like unknown ids', async () => {
    const lib = await share({ 'server.log': logText(100_000, { 60000: 'needle-word here' }) });
    const [hit] = lib.search('needle');
    const good = hit!.id;
    await expect(lib.fetch(good)).resolves.toMatchObject({ path: 'server.log' });
    const [doc, passage, tag] = good.split('.') as [string, string, string];
    const otherPassage = `${doc}.${Number(passage) + 1}.${tag}`;
    const otherTag = `${doc}.${passage}.${tag.slice(0, -1)}${tag.endsWith('A') ? 'B' : 'A'}`;
    const otherKey = partId('another-key', doc, Number(passage));
    const outOfRange = partId('test-key', doc, 9999);
    for (const bad of [otherPassage, otherTag, otherKey, `${good}x`, `${doc}.${passage}`, outOfRange]) {
      await expect(lib.fetch(bad), bad).rejects.toMatchObject({ name: 'DocumentNotFoundError' });
    }
  });
});
