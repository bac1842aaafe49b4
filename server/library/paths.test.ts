import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInsideOrEqual, isStrictlyInside, toRelPath } from './paths.ts';

describe('isInsideOrEqual / isStrictlyInside (POSIX)', () => {
  const p = path.posix;
  const cases: [parent: string, child: string, orEqual: boolean, strictly: boolean][] = [
    ['/data/notes', '/data/notes', true, false],
    ['/data/notes', '/data/notes/', true, false],
    ['/data/notes/', '/data/notes', true, false],
    ['/data/notes', '/data/notes/a.md', true, true],
    ['/data/notes/', '/data/notes/deep/er/a.md', true, true],
    // A sibling that shares the prefix is outside: the reason these helpers exist.
    ['/data/notes', '/data/notes-evil', false, false],
    ['/data/notes', '/data/notes-evil/a.md', false, false],
    ['/data/notes', '/data/notesa.md', false, false],
    ['/data/notes', '/data', false, false],
    ['/data/notes', '/', false, false],
    ['/data/notes', '/etc/passwd', false, false],
    // '..' is resolved, not trusted.
    ['/data/notes', '/data/notes/../secret', false, false],
    ['/data/notes', '/data/notes/a/../../notes/b.md', true, true],
    ['/data/notes', '/data/notes/a/..', true, false],
    // A name that merely starts with two dots is still inside.
    ['/data/notes', '/data/notes/..hidden', true, true],
    ['/data/notes', '/data/notes/...', true, true],
    ['/', '/anything', true, true],
  ];
  it.each(cases)('%s contains %s: %s / %s', (parent, child, orEqual, strictly) => {
    expect(isInsideOrEqual(parent, child, p)).toBe(orEqual);
    expect(isStrictlyInside(parent, child, p)).toBe(strictly);
  });
});

describe('isInsideOrEqual / isStrictlyInside (Windows paths)', () => {
  const w = path.win32;
  const cases: [parent: string, child: string, orEqual: boolean, strictly: boolean][] = [
    ['C:\\data\\notes', 'C:\\data\\notes', true, false],
    ['C:\\data\\notes\\', 'C:\\data\\notes', true, false],
    ['C:\\data\\notes', 'C:\\data\\notes\\a.md', true, true],
    ['C:\\data\\notes', 'C:/data/notes/a.md', true, true],
    ['C:\\data\\notes', 'C:\\data\\notes-evil\\a.md', false, false],
    ['C:\\data\\notes', 'C:\\data\\notes\\..\\x', false, false],
    // Another drive: path.relative returns an absolute path, which is outside.
    ['C:\\data\\notes', 'D:\\data\\notes\\a.md', false, false],
    ['\\\\server\\share\\notes', '\\\\server\\share\\notes\\a.md', true, true],
    ['\\\\server\\share\\notes', '\\\\other\\share\\notes\\a.md', false, false],
  ];
  it.each(cases)('%s contains %s: %s / %s', (parent, child, orEqual, strictly) => {
    expect(isInsideOrEqual(parent, child, w)).toBe(orEqual);
    expect(isStrictlyInside(parent, child, w)).toBe(strictly);
  });
});

describe('toRelPath', () => {
  it("uses '/' on every OS", () => {
    expect(toRelPath('/data/notes', '/data/notes/a/b.md', path.posix)).toBe('a/b.md');
    expect(toRelPath('C:\\data\\notes', 'C:\\data\\notes\\a\\b.md', path.win32)).toBe('a/b.md');
    expect(toRelPath('/data/notes', '/data/notes', path.posix)).toBe('');
  });
});
