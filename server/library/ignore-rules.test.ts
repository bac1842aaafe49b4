import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUDES, IgnoreRules, isDefaultExcludedName } from './ignore-rules.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'porthole-ignore-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Creates files ('a/b.md') and folders ('a/c/'). */
function tree(base: string, entries: Record<string, string>): void {
  for (const [rel, content] of Object.entries(entries)) {
    const abs = path.join(base, ...rel.split('/'));
    if (rel.endsWith('/')) mkdirSync(abs, { recursive: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
}

const NESTED = {
  '.gitignore': '*.log\n!keep.log\nsecret/\n',
  'a/.gitignore': '!important.log\n/local.md\n',
  'a/b/.gitignore': '*.md\n!readme.md\n',
  'x.log': '',
  'keep.log': '',
  'notes.md': '',
  'a/important.log': '',
  'a/other.log': '',
  'a/local.md': '',
  'a/c/local.md': '',
  'a/b/local.md': '',
  'a/b/readme.md': '',
  'a/b/deep/readme.md': '',
  'a/b/deep/other.md': '',
  'secret/x.txt': '',
  'a/secret/y.txt': '',
  'file-not-dir/secret': '',
};

describe('default excludes', () => {
  const rules = () => new IgnoreRules(root);
  it.each([
    ['.env', false],
    ['.env.local', false],
    ['id_rsa', false],
    ['id_ed25519.pub', false],
    ['server.pem', false],
    ['SERVER.PEM', false],
    ['tls/private.key', false],
    ['.git/config', false],
    ['.git', true],
    ['node_modules', true],
    ['node_modules/pkg/index.js', false],
    ['.hidden/x.md', false],
    ['docs/.DS_Store', false],
    ['vault.kdbx', false],
    ['gcp/credentials.json', false],
    ['deploy/secrets.yaml', false],
    ['login.keychain-db', false],
    ['work.ovpn', false],
    ['src/__pycache__/m.pyc', false],
    ['venv', true],
  ])('%s is excluded', (relPath, isDir) => {
    expect(rules().isIgnored(relPath, isDir)).toBe('excluded');
  });

  it.each([
    ['notes.md', false],
    ['dist/readme.md', false],
    ['build/guide.md', false],
    ['target/plan.md', false],
    ['keys.md', false],
    ['environment.md', false],
    ['pem-notes.txt', false],
    // Folder-only patterns leave a file of that name alone.
    ['node_modules', false],
    ['venv', false],
    ['', true],
  ])('%s is not excluded', (relPath, isDir) => {
    expect(rules().isIgnored(relPath, isDir)).toBeNull();
  });

  it('lists every pattern with a reason, for the UI', () => {
    expect(DEFAULT_EXCLUDES.length).toBeGreaterThan(10);
    for (const e of DEFAULT_EXCLUDES) expect(e.why.length).toBeGreaterThan(5);
    expect(DEFAULT_EXCLUDES.map((e) => e.pattern)).toEqual(
      expect.arrayContaining(['.*', 'node_modules/', 'id_*']),
    );
  });

  it('matches names literally apart from * and ?', () => {
    expect(isDefaultExcludedName('aXpem', false)).toBe(false);
    expect(isDefaultExcludedName('my-service_account-key.json', false)).toBe(true);
  });

  it('cannot be undone by a .gitignore negation', () => {
    tree(root, { '.gitignore': '!.env\n!id_rsa\n' });
    expect(new IgnoreRules(root).isIgnored('.env', false)).toBe('excluded');
    expect(new IgnoreRules(root).isIgnored('id_rsa', false)).toBe('excluded');
  });
});

describe('.gitignore', () => {
  it('applies nested files relative to their folder, deeper ones winning, with negation', () => {
    tree(root, NESTED);
    const rules = new IgnoreRules(root);
    const expected: Record<string, 'gitignored' | null> = {
      'x.log': 'gitignored',
      'keep.log': null,
      'notes.md': null,
      'a/important.log': null, // re-included by a/.gitignore
      'a/other.log': 'gitignored', // root *.log reaches into a/
      'a/local.md': 'gitignored', // anchored to a/
      'a/c/local.md': null, // ...so not deeper down
      'a/b/local.md': 'gitignored',
      'a/b/readme.md': null,
      'a/b/deep/readme.md': null,
      'a/b/deep/other.md': 'gitignored',
      'secret/x.txt': 'gitignored', // inside an ignored folder
      'a/secret/y.txt': 'gitignored',
      'file-not-dir/secret': null, // `secret/` matches folders only
    };
    for (const [rel, verdict] of Object.entries(expected))
      expect([rel, rules.isIgnored(rel, false)]).toEqual([rel, verdict]);
    expect(rules.isIgnored('secret', true)).toBe('gitignored');
    expect(rules.isIgnored('secret', false)).toBeNull();
  });

  it('cannot re-include a file inside an ignored folder', () => {
    tree(root, { '.gitignore': 'drafts/\n!drafts/keep.md\n', 'drafts/keep.md': '' });
    expect(new IgnoreRules(root).isIgnored('drafts/keep.md', false)).toBe('gitignored');
  });

  it('errs toward hiding when a deeper .gitignore re-includes a folder a shallower one ignores', () => {
    // git would share docs/build/f.md; the shallower `build/` still hides it here (see the class comment).
    tree(root, { '.gitignore': 'build/\n', 'docs/.gitignore': '!build/\n', 'docs/build/f.md': '' });
    const rules = new IgnoreRules(root);
    expect(rules.isIgnored('docs/build', true)).toBeNull();
    expect(rules.isIgnored('docs/build/f.md', false)).toBe('gitignored');
  });

  it('re-reads a .gitignore after invalidate()', () => {
    tree(root, { 'a/.gitignore': 'one.md\n' });
    const rules = new IgnoreRules(root);
    expect(rules.isIgnored('a/one.md', false)).toBe('gitignored');
    expect(rules.isIgnored('a/two', true)).toBeNull();
    writeFileSync(path.join(root, 'a', '.gitignore'), 'two/\n');
    expect(rules.isIgnored('a/one.md', false)).toBe('gitignored'); // cached until told
    rules.invalidate('a');
    expect(rules.isIgnored('a/one.md', false)).toBeNull();
    expect(rules.isIgnored('a/two/x.md', false)).toBe('gitignored');
    rmSync(path.join(root, 'a', '.gitignore'));
    rules.invalidate();
    expect(rules.isIgnored('a/two/x.md', false)).toBeNull();
  });

  it('does not follow a .gitignore that is a symlink (as git)', () => {
    tree(root, { 'elsewhere.txt': '*.md\n' });
    symlinkSync('elsewhere.txt', path.join(root, '.gitignore'));
    expect(new IgnoreRules(root).isIgnored('a.md', false)).toBeNull();
  });

  it('refuses paths that leave the folder', () => {
    const rules = new IgnoreRules(root);
    expect(() => rules.isIgnored('../x', false)).toThrow(/\.\./);
    expect(() => rules.isIgnored('a/../../x', false)).toThrow(/\.\./);
    expect(() => rules.isIgnored('/etc/passwd', false)).toThrow(/relative/);
  });

  it.skipIf(!hasGit())('agrees with git on which files are ignored', () => {
    tree(root, {
      ...NESTED,
      'logs/.gitignore': '*\n!.gitignore\n!*/\n!keep/**\n',
      'logs/a.txt': '',
      'logs/keep/b.txt': '',
      'logs/sub/c.txt': '',
      'm/.gitignore': '**/tmp\nfoo/**/bar.md\n*.[oa]\n\\#literal.md\n',
      'm/tmp/x.md': '',
      'm/q/tmp/x.md': '',
      'm/foo/bar.md': '',
      'm/foo/z/y/bar.md': '',
      'm/lib.a': '',
      'm/lib.o': '',
      'm/lib.c': '',
      'm/#literal.md': '',
      'm/Trailing.md': '',
    });
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8', env: GIT_ENV })
        .split('\n')
        .filter(Boolean)
        .sort();
    git('init', '-q', '.');
    const ignoredByGit = git('ls-files', '--others', '--ignored', '--exclude-standard');
    const all = [...ignoredByGit, ...git('ls-files', '--others', '--exclude-standard')];
    const rules = new IgnoreRules(root);
    const ours = all.filter((rel) => rules.isIgnored(rel, false) === 'gitignored').sort();
    const comparable = (list: string[]) =>
      list.filter((rel) => !rel.split('/').some((s) => s.startsWith('.')));
    expect(comparable(ignoredByGit).length).toBeGreaterThan(15);
    expect(comparable(ours)).toEqual(comparable(ignoredByGit));
  });
});

// The user's global excludes file must not leak into the comparison.
const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1' };

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
