// A search thread: its own read-only connection to index.sqlite (WAL lets it read while
// the writer writes), so ranking runs on the second core and never blocks the event
// loop that serves HTTP.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { configureReader } from './index-connection.ts';
import { createMatcher } from './matcher.ts';
import { searchIndex } from './search.ts';

const { file, broadMatchCap } = workerData as { file: string; broadMatchCap: number };
const matcher = createMatcher(configureReader(new Database(file, { readonly: true })), broadMatchCap);

parentPort?.on('message', (m: { id: number; query: string; limit: number; snippets: boolean }) => {
  try {
    parentPort?.postMessage({ id: m.id, results: searchIndex(matcher, m.query, m.limit, m.snippets) });
  } catch (error) {
    const e = error as Error & { code?: string };
    parentPort?.postMessage({ id: m.id, error: { message: e.message, code: e.code } });
  }
});
