import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFile, titleFromFileName } from './index.ts';

let dir: string;
const file = async (name: string, data: Buffer | string) => {
  const p = path.join(dir, name);
  await writeFile(p, data);
  return p;
};
const big = { maxTextBytes: 1e6 };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'porthole-extract-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('extractFile: text kinds', () => {
  it('markdown: front matter gives the title and is stripped', async () => {
    const p = await file('post.md', '---\ntitle: Trip to Oslo\n---\n# Day one\n\nWe walked.\n');
    expect(await extractFile(p, big)).toEqual({
      ok: true,
      kind: 'markdown',
      title: 'Trip to Oslo',
      text: '# Day one\n\nWe walked.\n',
      truncated: false,
    });
  });

  it('markdown: heading, else the file name', async () => {
    const withHeading = await extractFile(await file('a.markdown', 'Intro\n\n# Setup guide\n'), big);
    expect(withHeading).toMatchObject({ kind: 'markdown', title: 'Setup guide' });
    const plain = await extractFile(await file('notes.mdx', 'no headings here\n'), big);
    expect(plain).toMatchObject({ kind: 'markdown', title: 'notes.mdx' });
  });

  it('html: visible text and <title>', async () => {
    const p = await file(
      'page.htm',
      '<html><head><title>Home</title><script>x()</script></head><body><p>Hi &amp; bye</p></body></html>',
    );
    expect(await extractFile(p, big)).toEqual({
      ok: true,
      kind: 'html',
      title: 'Home',
      text: 'Hi & bye',
      truncated: false,
    });
  });

  it('html: honours <meta charset> for legacy encodings', async () => {
    const head = Buffer.from('<meta charset="windows-1251"><h1>');
    const privet = Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]);
    const p = await file('ru.html', Buffer.concat([head, privet, Buffer.from('</h1>')]));
    expect(await extractFile(p, big)).toMatchObject({ kind: 'html', title: 'Привет', text: 'Привет' });
  });

  it('code and text keep the file name, extension included, as title', async () => {
    const src = 'export const x = 1;\n';
    expect(await extractFile(await file('x.ts', src), big)).toEqual({
      ok: true,
      kind: 'code',
      title: 'x.ts',
      text: src,
      truncated: false,
    });
    expect(await extractFile(await file('Makefile', 'all:\n\ttrue\n'), big)).toMatchObject({
      kind: 'code',
      title: 'Makefile',
    });
    expect(await extractFile(await file('server.log', 'line\n'), big)).toMatchObject({
      kind: 'text',
      title: 'server.log',
    });
    expect(await extractFile(await file('LICENSE', 'MIT\n'), big)).toMatchObject({
      kind: 'text',
      text: 'MIT\n',
    });
    expect(await extractFile(await file('empty.txt', ''), big)).toMatchObject({
      ok: true,
      kind: 'text',
      text: '',
    });
  });

  it('unknown extension: text is indexed as text', async () => {
    expect(await extractFile(await file('notes.weird', 'hello there\n'), big)).toMatchObject({
      ok: true,
      kind: 'text',
      title: 'notes.weird',
    });
  });
});

describe('extractFile: encodings', () => {
  it('decodes a Latin-1 file', async () => {
    const p = await file(
      'latin1.txt',
      Buffer.from('Größe: 5 €? Non, ça coûte très cher à Zürich.\n'.replace('€', 'EUR'), 'latin1'),
    );
    const result = await extractFile(p, big);
    expect(result.ok && result.text).toBe('Größe: 5 EUR? Non, ça coûte très cher à Zürich.\n');
  });

  it('decodes a UTF-16 LE file with a BOM', async () => {
    const p = await file(
      'utf16.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Hallo Welt, 日本語\n', 'utf16le')]),
    );
    const result = await extractFile(p, big);
    expect(result).toMatchObject({ ok: true, kind: 'text', text: 'Hallo Welt, 日本語\n' });
  });

  it('strips a UTF-8 BOM', async () => {
    const p = await file(
      'bom.md',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Título\n')]),
    );
    expect(await extractFile(p, big)).toMatchObject({ title: 'Título', text: '# Título\n' });
  });
});

describe('extractFile: limits', () => {
  it('cuts at maxTextBytes without splitting a character', async () => {
    const p = await file('accents.txt', 'é'.repeat(10));
    expect(await extractFile(p, { maxTextBytes: 5 })).toMatchObject({ text: 'éé', truncated: true });
    expect(await extractFile(p, { maxTextBytes: 20 })).toMatchObject({
      text: 'é'.repeat(10),
      truncated: false,
    });
  });

  it('reads only a prefix of a large file, even when it ends mid-character', async () => {
    // maxTextBytes 10 reads 2 × 10 + 64 KiB = 65556 bytes: 'a' then '€'s puts that end inside a '€'.
    const p = await file('huge.txt', `a${'€'.repeat(100_000)}`);
    expect(await extractFile(p, { maxTextBytes: 10 })).toMatchObject({
      ok: true,
      text: 'a€€€',
      truncated: true,
    });
  });
});

describe('extractFile: skips', () => {
  it('skips known binary formats without touching the disk', async () => {
    const missing = path.join(dir, 'does-not-exist');
    for (const name of [
      'photo.png',
      'music.MP3',
      'archive.zip',
      'old.doc',
      'sheet.xlsx',
      'talk.pptx',
      'app.sqlite',
    ]) {
      expect(await extractFile(path.join(missing, name), big)).toEqual({ ok: false, skip: 'unsupported' });
    }
  });

  it('skips binary content behind a text extension', async () => {
    expect(await extractFile(await file('nul.txt', Buffer.alloc(4096)), big)).toEqual({
      ok: false,
      skip: 'binary',
    });
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64, 1)]);
    expect(await extractFile(await file('tool.sh', elf), big)).toEqual({ ok: false, skip: 'binary' });
  });

  it('sniffs files with an unknown extension', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    expect(await extractFile(await file('image.blob', png), big)).toEqual({ ok: false, skip: 'binary' });
  });

  it('lets a missing file fail loudly', async () => {
    await expect(extractFile(path.join(dir, 'gone.txt'), big)).rejects.toThrow(/ENOENT/);
  });
});

describe('titleFromFileName', () => {
  it('is exported from the entry point', () => {
    expect(titleFromFileName('a/b/c.rs')).toBe('c.rs');
  });
});

describe('gzipped text', () => {
  it('reads compressed Markdown and text through gunzip, and skips other .gz files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'porthole-gz-'));
    await writeFile(
      path.join(dir, 'guide.rst.gz'),
      gzipSync('Kernel locking guide\n\nSpinlocks and mutexes.'),
    );
    await writeFile(path.join(dir, 'notes.md.gz'), gzipSync('# Release notes\n\nFixed the bug.'));
    await writeFile(path.join(dir, 'archive.tar.gz'), gzipSync('not text we index'));
    await writeFile(path.join(dir, 'broken.txt.gz'), 'this is not gzip data');
    await writeFile(path.join(dir, 'big.txt.gz'), gzipSync('x'.repeat(5_000_000)));
    const rst = await extractFile(path.join(dir, 'guide.rst.gz'), { maxTextBytes: 1024 });
    expect(rst).toMatchObject({ ok: true, text: expect.stringContaining('Spinlocks') });
    const md = await extractFile(path.join(dir, 'notes.md.gz'), { maxTextBytes: 1024 });
    expect(md).toMatchObject({ ok: true, kind: 'markdown', title: 'Release notes' });
    expect(await extractFile(path.join(dir, 'archive.tar.gz'), { maxTextBytes: 1024 })).toEqual({
      ok: false,
      skip: 'unsupported',
    });
    await expect(extractFile(path.join(dir, 'broken.txt.gz'), { maxTextBytes: 1024 })).rejects.toThrow(
      /Compressed file could not be read/,
    );
    const big = await extractFile(path.join(dir, 'big.txt.gz'), { maxTextBytes: 1000 });
    expect(big).toMatchObject({ ok: true, truncated: true });
    if (big.ok) expect(big.text.length).toBe(1000);
    await rm(dir, { recursive: true, force: true });
  });
});
