import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { docId } from './ids.ts';
import type { Library } from './library.ts';
import { DocumentNotFoundError } from './read.ts';
import { memoryFolderStore, openTestLibrary, removeDirs, tempDir, writeTree } from './testing.ts';

// Every case here is a way to read something that is not shared. Each must be refused,
// and each test fails if the check guarding it is removed.

let parent: string;
let notes: string;
let evil: string;
let outside: string;
let dataDir: string;
let library: Library;
let folderId: string;

const SECRET = 'TOPSECRETCONTENT';

/** A shared folder `notes` beside two unshared ones, one of them a look-alike name. */
async function shareNotes(): Promise<void> {
  parent = await tempDir('porthole-sec-');
  notes = path.join(parent, 'notes');
  evil = path.join(parent, 'notes-evil');
  outside = path.join(parent, 'outside');
  dataDir = await tempDir('porthole-data-');
  await writeTree(parent, {
    'notes/public.txt': 'public shared words',
    'notes-evil/secret.txt': `${SECRET} sibling`,
    'outside/secret.txt': `${SECRET} outside`,
  });
  library = await openTestLibrary(dataDir, memoryFolderStore());
  folderId = (await library.addFolder(notes)).id;
  await library.whenIdle();
}

async function unshare(): Promise<void> {
  await library.close();
  await removeDirs(parent, dataDir);
}

async function reindexed(): Promise<void> {
  await library.reindex(folderId);
}

const found = (q: string) => library.search(q).map((r) => r.path);

// These cases only read: one shared folder serves them all.
describe('ids from the network', () => {
  beforeAll(shareNotes);
  afterAll(unshare);

  it.each([
    ['../outside/secret.txt'],
    ['../../etc/passwd'],
    ['/etc/passwd'],
    ['%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
    ['public.txt'],
    ['abcdefghijklmnopqrstu\0'],
    ['AAAAAAAAAAAAAAAAAAAAAA'],
    [''],
    [null],
    [42],
    [{ id: 'x' }],
  ])('refuses %j', async (id) => {
    await expect(library.read(id)).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it('refuses the id a path would have under another key (ids are not computable)', async () => {
    await expect(library.read(docId('guess', folderId, 'public.txt'))).rejects.toBeInstanceOf(
      DocumentNotFoundError,
    );
    const [hit] = library.search('public');
    expect((await library.read(hit!.id)).text).toContain('public shared words');
  });
});

describe('files outside the shared folder', () => {
  // These change the folder: each starts from a fresh one.
  beforeEach(shareNotes);
  afterEach(unshare);

  it('never indexes a sibling folder whose name starts with the shared one', async () => {
    await reindexed();
    expect(found(SECRET)).toEqual([]);
  });

  it('skips a symlink inside the folder pointing outside, including to the look-alike sibling', async () => {
    await symlink(path.join(outside, 'secret.txt'), path.join(notes, 'link-out.txt'));
    await symlink(path.join(evil, 'secret.txt'), path.join(notes, 'link-evil.txt'));
    await symlink(outside, path.join(notes, 'dir-out'));
    await reindexed();
    expect(found(SECRET)).toEqual([]);
    expect(library.listFolders()[0]!.skipped).toBeGreaterThanOrEqual(3);
  });

  it('refuses to read a file replaced by a symlink to outside after indexing', async () => {
    await writeFile(path.join(notes, 'swap.txt'), 'harmless swapcandidate');
    await reindexed();
    const [hit] = library.search('swapcandidate');
    await rm(path.join(notes, 'swap.txt'));
    await symlink(path.join(outside, 'secret.txt'), path.join(notes, 'swap.txt'));
    await expect(library.read(hit!.id)).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it('refuses to read a file replaced by a symlink to an excluded file inside the folder', async () => {
    await writeFile(path.join(notes, '.env'), `API_KEY=${SECRET}`);
    await writeFile(path.join(notes, 'swap.txt'), 'harmless swapcandidate');
    await reindexed();
    const [hit] = library.search('swapcandidate');
    await rm(path.join(notes, 'swap.txt'));
    await symlink(path.join(notes, '.env'), path.join(notes, 'swap.txt'));
    await expect(library.read(hit!.id)).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it('refuses to read through a parent folder swapped for a symlink after indexing', async () => {
    await writeTree(notes, { 'sub/inner.txt': 'innercandidate' });
    await reindexed();
    const [hit] = library.search('innercandidate');
    await rm(path.join(notes, 'sub'), { recursive: true });
    await mkdir(path.join(outside, 'sub'), { recursive: true });
    await writeFile(path.join(outside, 'sub', 'inner.txt'), SECRET);
    await symlink(path.join(outside, 'sub'), path.join(notes, 'sub'));
    await expect(library.read(hit!.id)).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it('survives a dangling symlink', async () => {
    await symlink(path.join(parent, 'nowhere.txt'), path.join(notes, 'dangling.txt'));
    await reindexed();
    expect(library.listFolders()[0]!.state).toBe('watching');
    expect(found('public')).toEqual(['public.txt']);
  });
});

describe('files inside the shared folder that are never shared', () => {
  // These change the folder: each starts from a fresh one.
  beforeEach(shareNotes);
  afterEach(unshare);

  it('skips hidden files, credential files and keys', async () => {
    await writeTree(notes, {
      '.env': SECRET,
      '.env.production': SECRET,
      '.hidden/doc.md': SECRET,
      id_rsa: SECRET,
      id_ed25519: SECRET,
      'server.pem': SECRET,
      'vault.kdbx': SECRET,
      'node_modules/pkg/readme.md': SECRET,
      '.git/config': SECRET,
    });
    await reindexed();
    expect(found(SECRET)).toEqual([]);
  });

  it('skips gitignored files, nested .gitignore included', async () => {
    await writeTree(notes, {
      '.gitignore': 'private-notes.txt\n',
      'private-notes.txt': SECRET,
      'project/.gitignore': '*.log\n',
      'project/debug.log': SECRET,
      'project/kept.txt': 'kept file',
    });
    await reindexed();
    expect(found(SECRET)).toEqual([]);
    expect(found('kept')).toEqual(['project/kept.txt']);
  });
});
