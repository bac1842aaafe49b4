import { describe, expect, it } from 'vitest';
import { extensionOf, routeFor, titleFromFileName } from './kinds.ts';

describe('routeFor', () => {
  it.each([
    ['notes/README.md', 'markdown'],
    ['page.MDX', 'markdown'],
    ['site/index.HTML', 'html'],
    ['a.xhtml', 'html'],
    ['paper.pdf', 'pdf'],
    ['Letter.DOCX', 'docx'],
    ['src/app.ts', 'code'],
    ['lib/x.d.ts', 'code'],
    ['main.py', 'code'],
    ['config.yml', 'code'],
    ['Makefile', 'code'],
    ['Dockerfile', 'code'],
    ['Dockerfile.dev', 'code'],
    ['CMakeLists.txt', 'code'],
    ['.gitignore', 'code'],
    ['README', 'text'],
    ['LICENSE', 'text'],
    ['server.log', 'text'],
    ['data.csv', 'text'],
    ['thesis.tex', 'text'],
    ['photo.JPG', 'unsupported'],
    ['backup.tar.gz', 'unsupported'],
    ['old.doc', 'unsupported'],
    ['sheet.xlsx', 'unsupported'],
    ['slides.pptx', 'unsupported'],
    ['app.db', 'unsupported'],
    ['mystery.xyz', 'unknown'],
    ['noextension', 'unknown'],
    ['.hidden', 'unknown'],
  ])('%s → %s', (name, route) => {
    expect(routeFor(name)).toBe(route);
  });

  it('looks only at the last path segment', () => {
    expect(routeFor('/home/me/site.md/notes')).toBe('unknown');
    expect(routeFor('C:\\Users\\me\\doc.pdf')).toBe('pdf');
  });
});

describe('extensionOf', () => {
  it('treats a leading dot as part of the name', () => {
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('a.B')).toBe('b');
    expect(extensionOf('plain')).toBe('');
  });
});

describe('titleFromFileName', () => {
  it('keeps the base name with its extension', () => {
    expect(titleFromFileName('docs/guide/intro.txt')).toBe('intro.txt');
    expect(titleFromFileName('/abs/path/Makefile')).toBe('Makefile');
    expect(titleFromFileName('C:\\x\\Report 2024.pdf')).toBe('Report 2024.pdf');
    expect(titleFromFileName('single.md')).toBe('single.md');
  });
});
