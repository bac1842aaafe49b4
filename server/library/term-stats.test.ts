import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from './library.ts';
import { createTermStats, EXACT_BELOW } from './term-stats.ts';
import { memoryFolderStore, openTestLibrary, removeDirs, tempDir, writeTree } from './testing.ts';

// 400 files: "harbour" in every one, "lantern" in every other one, "quince" in three.
const FILES = 400;
let root: string;
let dataDir: string;
let library: Library;
let db: Database.Database;

beforeAll(async () => {
  root = await tempDir();
  dataDir = await tempDir('porthole-data-');
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) {
    const words = ['harbour', 'note', String(i)];
    if (i % 2 === 0) words.push('lanterns');
    if (i < 3) words.push('quince');
    files[`f${i}.txt`] = words.join(' ');
  }
  await writeTree(root, files);
  library = await openTestLibrary(dataDir, memoryFolderStore());
  await library.addFolder(root);
  await library.whenIdle();
  db = new Database(path.join(dataDir, 'index.sqlite'), { readonly: true });
});

afterAll(async () => {
  db.close();
  await library.close();
  await removeDirs(root, dataDir);
});

describe('term statistics', () => {
  it('counts exactly where the index is small', () => {
    const stats = createTermStats(db);
    expect(stats.idf('quince')).toBeCloseTo(Math.log(FILES / 3), 1);
    expect(stats.idf('lantern')).toBeCloseTo(Math.log(2), 1);
    expect(stats.idf('harbour')).toBeCloseTo(0, 1);
    expect(stats.idf('zeppelin')).toBeUndefined();
  });

  it('estimates a common word from the newest rows of a large index, and counts a rare one exactly', () => {
    // A window of 100 rows out of ~400: "lantern" is seen ~50 times there, enough to scale up.
    const stats = createTermStats(db, { windowRows: 100 });
    expect(EXACT_BELOW).toBeLessThan(50);
    expect(stats.idf('lanterns')).toBeGreaterThan(Math.log(2) - 0.25);
    expect(stats.idf('lanterns')).toBeLessThan(Math.log(2) + 0.25);
    expect(stats.idf('harbour')).toBeCloseTo(0, 1);
    // Rare in the window (the three files are the oldest): counted exactly, not scaled from zero.
    expect(stats.idf('quince')).toBeCloseTo(Math.log(FILES / 3), 1);
  });
});
