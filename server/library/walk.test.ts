import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IgnoreRules } from './ignore-rules.ts';
import { isInsideOrEqual } from './paths.ts';
import type { WalkEntry } from './types.ts';
import { walkFolder } from './walk.ts';

let base: string;
/** The shared folder, `<base>/notes`; `<base>/notes-evil` is its look-alike sibling. */
let root: string;
beforeEach(() => {
  base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'porthole-walk-')));
  root = path.join(base, 'notes');
  mkdirSync(root);
});
afterEach(() => {
  // Undo chmod 000 so the cleanup can descend.
  for (const dir of locked) chmodSync(dir, 0o755);
  locked = [];
  rmSync(base, { recursive: true, force: true });
});
let locked: string[] = [];

function tree(at: string, entries: Record<string, string>): void {
  for (const [rel, content] of Object.entries(entries)) {
    const abs = path.join(at, ...rel.split('/'));
    if (rel.endsWith('/')) mkdirSync(abs, { recursive: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
}

function link(target: string, rel: string): void {
  symlinkSync(target, path.join(root, ...rel.split('/')));
}

async function walk(opts: Partial<Parameters<typeof walkFolder>[1]> = {}, at = root): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const entry of walkFolder(at, { maxFileBytes: 1_000_000, ...opts })) out.push(entry);
  return out;
}

const files = (entries: WalkEntry[]) => entries.filter((e) => e.type === 'file').map((e) => e.relPath);
const skips = (entries: WalkEntry[]) =>
  Object.fromEntries(entries.flatMap((e) => (e.type === 'skip' ? [[e.relPath, e.reason]] : [])));

describe('walkFolder', () => {
  it('yields files with size, mtime, real absPath and / separators, in a stable order', async () => {
    tree(root, { 'b.md': 'bb', 'a.md': 'a', 'sub/deeper/c.txt': 'ccc', 'sub/a.md': '', 'z.md': '' });
    const entries = await walk();
    expect(files(entries)).toEqual(['a.md', 'b.md', 'z.md', 'sub/a.md', 'sub/deeper/c.txt']);
    const c = entries.find((e) => e.relPath === 'sub/deeper/c.txt');
    expect(c).toMatchObject({ type: 'file', absPath: path.join(root, 'sub', 'deeper', 'c.txt'), size: 3 });
    expect(c?.type === 'file' && c.mtimeMs).toBeGreaterThan(0);
    expect(await walk()).toEqual(entries);
  });

  it('skips default excludes without entering excluded folders', async () => {
    tree(root, {
      '.env': 'KEY=1',
      '.env.local': 'KEY=2',
      id_rsa: 'key',
      'server.pem': 'key',
      '.git/config': '',
      '.git/objects/ab/cd': '',
      'node_modules/pkg/index.js': '',
      '.hidden/x.md': '',
      'docs/readme.md': '',
    });
    const entries = await walk();
    expect(files(entries)).toEqual(['docs/readme.md']);
    expect(skips(entries)).toEqual({
      '.env': 'excluded',
      '.env.local': 'excluded',
      id_rsa: 'excluded',
      'server.pem': 'excluded',
    });
  });

  it('honours nested .gitignore files, negation and folder-only patterns', async () => {
    tree(root, {
      '.gitignore': '*.log\n!keep.log\nsecret/\n',
      'a/.gitignore': '!important.log\n',
      'a/b/.gitignore': '*.md\n!readme.md\n',
      'x.log': '',
      'keep.log': '',
      'a/important.log': '',
      'a/b/other.md': '',
      'a/b/readme.md': '',
      'secret/x.txt': '',
      'plain/secret': '',
    });
    const entries = await walk();
    expect(files(entries)).toEqual(['keep.log', 'a/important.log', 'a/b/readme.md', 'plain/secret']);
    expect(skips(entries)).toEqual({
      '.gitignore': 'excluded', // a dotfile like any other
      'a/.gitignore': 'excluded',
      'a/b/.gitignore': 'excluded',
      'x.log': 'gitignored',
      'a/b/other.md': 'gitignored',
    });
  });

  it('picks up a changed .gitignore on the next walk with the same rules', async () => {
    tree(root, { '.gitignore': 'a.md\n', 'a.md': '', 'b.md': '' });
    const rules = new IgnoreRules(root);
    expect(files(await walk({ rules }))).toEqual(['b.md']);
    writeFileSync(path.join(root, '.gitignore'), 'b.md\n');
    expect(files(await walk({ rules }))).toEqual(['a.md']);
  });

  it('skips files over maxFileBytes', async () => {
    tree(root, { 'big.txt': 'x'.repeat(11), 'fits.txt': 'x'.repeat(10) });
    const entries = await walk({ maxFileBytes: 10 });
    expect(files(entries)).toEqual(['fits.txt']);
    expect(skips(entries)).toEqual({ 'big.txt': 'too-large' });
  });

  it('never follows a symlink out of the folder, even to a look-alike sibling', async () => {
    const evil = `${root}-evil`;
    tree(evil, { 'secret.txt': 'stolen', 'sub/more.txt': 'stolen' });
    link(path.join(evil, 'secret.txt'), 'file-link.txt');
    link('../notes-evil', 'dir-link');
    link('/', 'slash');
    tree(root, { 'ok.md': '' });
    const entries = await walk();
    expect(files(entries)).toEqual(['ok.md']);
    expect(skips(entries)).toEqual({
      'dir-link': 'symlink-outside',
      'file-link.txt': 'symlink-outside',
      slash: 'symlink-outside',
    });
  });

  it('follows symlinks that stay inside, keeping the link path and giving the real absPath', async () => {
    tree(root, { 'docs/real.md': 'hello', 'zzz/deep/x.md': 'x' });
    link('docs/real.md', 'alias.md');
    link('zzz/deep', 'aaa'); // sorts first, so its target has not been walked yet
    const entries = await walk();
    expect(entries.find((e) => e.relPath === 'alias.md')).toMatchObject({
      type: 'file',
      absPath: path.join(root, 'docs', 'real.md'),
      size: 5,
    });
    expect(entries.find((e) => e.relPath === 'aaa/x.md')).toMatchObject({
      absPath: path.join(root, 'zzz', 'deep', 'x.md'),
    });
    expect(files(entries)).toEqual(['alias.md', 'aaa/x.md', 'docs/real.md', 'zzz/deep/x.md']);
    for (const e of entries) if (e.type === 'file') expect(isInsideOrEqual(root, e.absPath)).toBe(true);
  });

  it('does not let a symlink inside expose an ignored place', async () => {
    tree(root, {
      '.gitignore': '/docs/private.md\n',
      '.ssh/config': 'Host *',
      '.env': 'KEY=1',
      'docs/private.md': '',
      'docs/public.md': '',
    });
    link('.ssh', 'keys');
    link('.env', 'env.txt');
    link('docs', 'a-docs'); // walked before docs: the anchored rule must still apply below it
    const entries = await walk();
    expect(files(entries)).toEqual(['a-docs/public.md', 'docs/public.md']);
    expect(skips(entries)).toEqual({
      '.env': 'excluded',
      '.gitignore': 'excluded',
      'a-docs/private.md': 'gitignored',
      'docs/private.md': 'gitignored',
      'env.txt': 'excluded',
      keys: 'excluded',
    });
  });

  it('reports a dangling symlink as a broken link', async () => {
    link('nowhere.md', 'dangling.md');
    expect(await walk()).toEqual([{ type: 'skip', relPath: 'dangling.md', reason: 'broken-link' }]);
  });

  it('stops at symlink loops', async () => {
    tree(root, { 'sub/a.md': '', 'b.md': '' });
    link('..', 'sub/up'); // back to the root
    link('.', 'sub/here'); // to itself
    link('self', 'self'); // a link to itself: ELOOP
    link('sub', 'zz-again'); // to a folder walked already
    const entries = await walk();
    expect(files(entries)).toEqual(['b.md', 'sub/a.md']);
    expect(skips(entries)).toEqual({
      self: 'symlink-loop',
      'sub/here': 'symlink-loop',
      'sub/up': 'symlink-loop',
      'zz-again': 'symlink-loop',
    });
  });

  it('reports an unreadable folder and goes on', async (ctx) => {
    tree(root, { 'locked/x.md': '', 'open.md': '' });
    const dir = path.join(root, 'locked');
    chmodSync(dir, 0o000);
    locked.push(dir);
    if (canStillRead(dir)) {
      console.log(
        'skipped: chmod 000 does not block reads here (running as root or without POSIX permissions)',
      );
      ctx.skip();
    }
    const entries = await walk();
    expect(files(entries)).toEqual(['open.md']);
    expect(skips(entries)).toEqual({ locked: 'unreadable' });
  });

  it('never opens FIFOs', async (ctx) => {
    if (process.platform === 'win32') ctx.skip();
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    tree(root, { 'a.md': '' });
    expect(files(await walk())).toEqual(['a.md']);
  });

  it('throws a clear error when the folder is missing or not a folder', async () => {
    await expect(walk({}, path.join(base, 'gone'))).rejects.toThrow(/cannot be found/);
    tree(base, { 'file.txt': '' });
    await expect(walk({}, path.join(base, 'file.txt'))).rejects.toThrow(/not a folder/);
  });

  it('stops when aborted', async () => {
    tree(root, { 'a.md': '', 'b/c.md': '' });
    const controller = new AbortController();
    const seen: string[] = [];
    await expect(async () => {
      for await (const entry of walkFolder(root, { maxFileBytes: 100, signal: controller.signal })) {
        seen.push(entry.relPath);
        controller.abort();
      }
    }).rejects.toThrow(/abort/i);
    expect(seen).toEqual(['a.md']);
  });

  it('agrees with isIgnored() asked one path at a time', async () => {
    tree(root, {
      '.gitignore': '*.log\n!keep.log\nbuild/\n',
      'a/.gitignore': '/only-here.md\n!x.log\n',
      'a/only-here.md': '',
      'a/x.log': '',
      'a/y.log': '',
      'a/b/only-here.md': '',
      'build/out.md': '',
      'src/build/out.md': '',
      'keep.log': '',
      'credentials.json': '{}',
      'node_modules/p/i.js': '',
      '.hidden/h.md': '',
      'doc.md': '',
    });
    const entries = await walk();
    const rules = new IgnoreRules(root);
    const expected: string[] = [];
    const expectedSkips: Record<string, string> = {};
    // Every file on disk, judged on its own by the single-path API.
    for (const rel of listAll(root)) {
      const verdict = rules.isIgnored(rel, false);
      const parentVerdict = rel.includes('/') ? rules.isIgnored(path.posix.dirname(rel), true) : null;
      if (!verdict) expected.push(rel);
      else if (!parentVerdict) expectedSkips[rel] = verdict;
    }
    expect(files(entries).sort()).toEqual(expected.sort());
    expect(skips(entries)).toEqual(expectedSkips);
    expect(expected.length).toBeGreaterThan(3);
    expect(Object.keys(expectedSkips).length).toBeGreaterThan(3);
  });
});

function canStillRead(dir: string): boolean {
  try {
    readdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

function listAll(at: string, rel = ''): string[] {
  return readdirSync(path.join(at, rel)).flatMap((name) => {
    const child = rel ? `${rel}/${name}` : name;
    return lstatSync(path.join(at, child)).isDirectory() ? listAll(at, child) : [child];
  });
}
