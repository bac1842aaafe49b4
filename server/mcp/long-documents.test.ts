import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connector, createConnector } from '../connector.ts';
import { makePdf } from '../library/extract/pdf-testing.ts';
import { removeDirs, tempDir, writeTree } from '../library/testing.ts';
import { connectClient } from './testing.ts';
import { FETCH_TEXT_LIMIT } from './tools.ts';

// Long documents through the real MCP tools (the path ChatGPT takes): search points at
// the part that matched, fetch returns that part with metadata saying which part it is
// and the ids of the parts around it, and following them reads the document to its end.

let root: string;
let dataDir: string;
let connector: Connector;
let base: string;
let client: Client;
let logText: string;

interface FetchPayload {
  id: string;
  title: string;
  text: string;
  url: string;
  metadata: {
    path: string;
    part?: string;
    chars?: { start: number; end: number; total: number };
    pages?: { first: number; last: number; total: number };
    previous?: string;
    next?: string;
    truncated?: boolean;
  };
}

function bigLog(chars: number, line: string, at: number): string {
  const out: string[] = [];
  let length = 0;
  let placed = false;
  for (let i = 0; length < chars; i++) {
    const next =
      !placed && length >= at ? line : `12:00:${String(i % 60).padStart(2, '0')} job ${i} finished ok`;
    if (next === line) placed = true;
    out.push(next);
    length += next.length + 1;
  }
  return `${out.join('\n')}\n`;
}

beforeAll(async () => {
  root = await tempDir();
  dataDir = await tempDir('porthole-data-');
  logText = bigLog(3_000_000, 'FATAL the flibbertigibbet queue overflowed', 2_980_000);
  const pages = Array.from({ length: 10 }, (_, p) =>
    Array.from({ length: 45 }, (_, i) => `Chapter ${p + 1} paragraph ${i} of the handbook, in plain words.`),
  );
  pages[9]!.push('Last page: the snorkelwhistle procedure.');
  await writeTree(root, {
    'logs/app.log': logText,
    'handbook.pdf': makePdf(pages),
    'short.md': '# Short\n\nA note about the orchard.',
  });
  connector = createConnector({ dataDir, port: 0, watch: false, log: () => {} });
  const state = await connector.start();
  base = state.publicBaseUrl!;
  await connector.control.addFolder(root);
  await connector.library.whenIdle();
  client = await connectClient(base);
});

afterAll(async () => {
  await client?.close();
  await connector.stop();
  await removeDirs(root, dataDir);
});

async function search(query: string): Promise<{ id: string; title: string; url: string }[]> {
  const result = await client.callTool({ name: 'search', arguments: { query } });
  return (result.structuredContent as { results: { id: string; title: string; url: string }[] }).results;
}

async function fetchDoc(id: string): Promise<FetchPayload> {
  const result = await client.callTool({ name: 'fetch', arguments: { id } });
  expect(result.isError).toBeFalsy();
  const payload = result.structuredContent as unknown as FetchPayload;
  expect(Object.keys(payload).sort()).toEqual(['id', 'metadata', 'text', 'title', 'url']);
  return payload;
}

describe('long documents over MCP', () => {
  it('a word near the end of a 3 MB log: found, fetched in context, and the rest reachable both ways', async () => {
    const results = await search('flibbertigibbet');
    expect(results).toHaveLength(1);
    const [hit] = results;
    expect(Object.keys(hit!).sort()).toEqual(['id', 'title', 'url']);
    expect(hit!.url).toBe(`${base}/view/${encodeURIComponent(hit!.id)}`);

    const part = await fetchDoc(hit!.id);
    expect(part).toMatchObject({ id: hit!.id, title: 'app.log', url: hit!.url });
    expect(part.text).toContain('flibbertigibbet');
    expect(part.text.length).toBeLessThan(FETCH_TEXT_LIMIT / 5);
    const chars = part.metadata.chars!;
    expect(chars.total).toBe(logText.length);
    expect(logText.slice(chars.start, chars.end)).toBe(part.text);
    expect(part.metadata.part).toMatch(/^characters [\d,]+-[\d,]+ of 3,0\d\d,\d\d\d$/);
    expect(part.metadata.previous).toEqual(expect.any(String));

    // Next until there is none: the text runs on without gaps to the document's end.
    let current = part;
    while (current.metadata.next) {
      const next = await fetchDoc(current.metadata.next);
      expect(next.metadata.chars!.start).toBe(current.metadata.chars!.end);
      current = next;
    }
    expect(current.metadata.chars!.end).toBe(logText.length);
    expect(logText.endsWith(current.text)).toBe(true);

    const before = await fetchDoc(part.metadata.previous!);
    expect(before.metadata.chars!.start).toBeLessThan(chars.start);
    expect(before.metadata.next).toEqual(expect.any(String));
  });

  it('a word only on the last page of a PDF: fetch returns that page, with page metadata', async () => {
    const [hit] = await search('snorkelwhistle');
    expect(hit).toMatchObject({ title: 'handbook.pdf' });
    const part = await fetchDoc(hit!.id);
    expect(part.text).toContain('snorkelwhistle');
    expect(part.text).toContain('Chapter 10 paragraph 0');
    expect(part.text).not.toContain('Chapter 1 paragraph 0');
    expect(part.metadata.pages).toMatchObject({ last: 10, total: 10 });
    expect(part.metadata.part).toMatch(/^pages? \d+(-\d+)? of 10, characters /);
    expect(part.metadata.next).toBeUndefined();
  });

  it('a short document is unchanged: plain id, whole text, no part metadata', async () => {
    const [hit] = await search('orchard');
    const doc = await fetchDoc(hit!.id);
    expect(doc.text).toContain('A note about the orchard.');
    expect(Object.keys(doc.metadata).sort()).toEqual(['folder', 'modified', 'path', 'size', 'type']);
  });

  it('refuses forged or altered part ids with a tool error, like unknown ids', async () => {
    const [hit] = await search('flibbertigibbet');
    const [doc, passage, tag] = hit!.id.split('.') as [string, string, string];
    const forged = [
      `${doc}.${Number(passage) - 1}.${tag}`,
      `${doc}.${passage}.${'A'.repeat(12)}`,
      `${doc}.${passage}`,
      `${'A'.repeat(22)}.${passage}.${tag}`,
      `${doc}.${passage}.${tag}/../../etc/passwd`,
    ];
    for (const id of forged) {
      const result = await client.callTool({ name: 'fetch', arguments: { id } });
      expect(result.isError, id).toBe(true);
      expect((result.content as { text: string }[])[0]!.text).toMatch(/search/);
    }
  });
});
