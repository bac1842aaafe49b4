// Porthole's side of the relevance bench: the collection written as files, shared
// through the real Library (its indexer, writer thread and index), and every query sent
// to the real MCP `search` tool over the SDK's in-memory transport: the code path a
// ChatGPT request takes after OAuth, with the search thread the connector uses.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { docId } from '../server/library/ids.ts';
import { Library } from '../server/library/library.ts';
import type { FolderConfig, FolderStore } from '../server/library/types.ts';
import { createMcpServer } from '../server/mcp/server.ts';
import type { TestCollection, TestDoc } from './relevance-collections.ts';

const ID_KEY = 'relevance-bench';

export interface PortholeRun {
  /** Collection doc ids, best first; `error` when the tool refused the query. */
  search(query: string): Promise<{ ids: string[]; error?: string }>;
  indexSeconds: number;
  close(): Promise<void>;
}

/** A document as a file the Library reads a title from: Markdown's first heading, else the file name. */
export function docFile(doc: TestDoc): { name: string; content: string } {
  return doc.title
    ? { name: `${doc.id}.md`, content: `# ${doc.title}\n\n${doc.body}\n` }
    : { name: `${doc.id}.txt`, content: `${doc.body}\n` };
}

function memoryStore(): FolderStore {
  let folders: FolderConfig[] = [];
  return { load: () => [...folders], save: (next) => (folders = [...next]) };
}

export async function startPorthole(collection: TestCollection): Promise<PortholeRun> {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'porthole-relevance-')));
  const docsDir = path.join(root, 'docs');
  await mkdir(docsDir);
  const byDocId = new Map<string, string>();
  for (const doc of collection.docs) {
    const file = docFile(doc);
    await writeFile(path.join(docsDir, file.name), file.content);
  }
  const started = performance.now();
  const library = await Library.open({
    dataDir: path.join(root, 'data'),
    idKey: ID_KEY,
    folders: memoryStore(),
    watch: false,
    homeDir: path.join(root, 'no-home'),
  });
  const folder = await library.addFolder(docsDir);
  await library.whenIdle();
  const indexSeconds = (performance.now() - started) / 1000;
  for (const doc of collection.docs) byDocId.set(docId(ID_KEY, folder.id, docFile(doc).name), doc.id);

  const server = createMcpServer({
    source: { search: (q, o) => library.searchAsync(q, o), read: (id) => library.read(id) },
    baseUrl: () => 'http://127.0.0.1:1',
    report: () => {},
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'porthole-relevance-bench', version: '1.0.0' });
  await client.connect(clientSide);

  return {
    indexSeconds,
    async search(query) {
      const result = await client.callTool({ name: 'search', arguments: { query } });
      if (result.isError) {
        const text = (result.content as { text?: string }[])[0]?.text ?? 'error';
        return { ids: [], error: text };
      }
      const payload = result.structuredContent as { results: { id: string }[] };
      return { ids: payload.results.map((r) => byDocId.get(r.id) ?? `unknown:${r.id}`) };
    },
    async close() {
      await client.close();
      await server.close();
      await library.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
