import type { Server } from 'node:http';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../library/extract/pdf-testing.ts';
import type { Library } from '../library/library.ts';
import { PASSAGE_CHARS } from '../library/passages.ts';
import { memoryFolderStore, openTestLibrary, removeDirs, tempDir, writeTree } from '../library/testing.ts';
import { mountViewer } from './routes.ts';

// A search result for a long document links to the part that matched: the viewer opens
// the document at that part (an anchor per passage in the text page, #page=N for a PDF).

let root: string;
let dataDir: string;
let library: Library;
let server: Server;
let base: string;

beforeAll(async () => {
  root = await tempDir();
  dataDir = await tempDir('porthole-data-');
  const lines = Array.from({ length: 4000 }, (_, i) => `line ${i} of an ordinary log`);
  lines[3900] = 'the gobbledygook line';
  const pages = Array.from({ length: 10 }, (_, p) =>
    Array.from({ length: 45 }, (_, i) => `Page ${p + 1} line ${i} with some ordinary words in it.`),
  );
  pages[9]!.push('only here: hullabaloo');
  await writeTree(root, { 'long.log': lines.join('\n'), 'book.pdf': makePdf(pages) });
  library = await openTestLibrary(dataDir, memoryFolderStore());
  await library.addFolder(root);
  await library.whenIdle();
  const app = express();
  const allow: RequestHandler = (_req, _res, next) => next();
  mountViewer(app, {
    read: (id) => library.read(id),
    readPdf: async (id) => ({ bytes: await library.readOriginal(id), title: 'book' }),
    authorizeViewer: allow,
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await library.close();
  await removeDirs(root, dataDir);
});

describe('GET /view/:id of a part', () => {
  it('opens a text document at the anchor of the part', async () => {
    const [hit] = library.search('gobbledygook');
    const res = await fetch(`${base}/view/${encodeURIComponent(hit!.id)}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = res.headers.get('location') ?? '';
    const match = /^\/view\/([A-Za-z0-9_-]{22})#(part-\d+)$/.exec(location);
    expect(match).not.toBeNull();
    const page = await (await fetch(`${base}/view/${match![1]}`)).text();
    const at = page.indexOf(`<span id="${match![2]}"></span>`);
    expect(at).toBeGreaterThan(0);
    // The part begins before the match and close to it (one passage of context).
    const matchAt = page.indexOf('gobbledygook');
    expect(matchAt).toBeGreaterThan(at);
    expect(matchAt - at).toBeLessThan(2 * PASSAGE_CHARS);
  });

  it('opens a PDF at the page of the part', async () => {
    const [hit] = library.search('hullabaloo');
    const res = await fetch(`${base}/view/${encodeURIComponent(hit!.id)}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/view\/[A-Za-z0-9_-]{22}#page=([2-9]|10)$/);
  });
});
