// A search thread: its own read-only connection to index.sqlite (WAL lets it read while
// the writer writes), so ranking runs on the second core and never blocks the event
// loop that serves HTTP.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { configureReader } from './index-connection.ts';
import { createMatcher } from './matcher.ts';
import { createPassageTexts } from './passage-texts.ts';
import { type SearchSource, searchIndex } from './search.ts';
import { createTermStats } from './term-stats.ts';

const { file, broadMatchCap } = workerData as { file: string; broadMatchCap: number };
const db = configureReader(new Database(file, { readonly: true }));
const matcher = createMatcher(db, broadMatchCap);
// One search source: ranked matches and the passage texts re-ranking reads.
const source: SearchSource = {
  match: matcher.match,
  texts: createPassageTexts(db),
  stats: createTermStats(db),
  snapshot: (read) => db.transaction(read)(),
};

parentPort?.on('message', (m: { id: number; query: string; limit: number; snippets: boolean }) => {
  try {
    parentPort?.postMessage({ id: m.id, results: searchIndex(source, m.query, m.limit, m.snippets) });
  } catch (error) {
    const e = error as Error & { code?: string };
    parentPort?.postMessage({ id: m.id, error: { message: e.message, code: e.code } });
  }
});
