import type { Worker } from 'node:worker_threads';
import { spawnLibraryThread } from './threads.ts';
import type { SearchResult } from './types.ts';

/** Runs searches on a worker thread, one at a time in arrival order. */
export interface SearchThread {
  search(query: string, limit: number, snippets: boolean): Promise<SearchResult[]>;
  close(): Promise<void>;
}

class SearchError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function startSearchThread(file: string, broadMatchCap: number): SearchThread {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: SearchResult[]) => void; reject: (e: Error) => void }>();
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const start = (): Worker => {
    const w = spawnLibraryThread('search', { file, broadMatchCap });
    w.on(
      'message',
      (m: { id: number; results?: SearchResult[]; error?: { message: string; code?: string } }) => {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) p?.reject(new SearchError(m.error.message, m.error.code));
        else p?.resolve(m.results ?? []);
      },
    );
    w.on('error', (error) => failAll(new SearchError(`The search thread failed: ${error.message}`)));
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new SearchError('The search thread stopped.'));
    });
    return w;
  };
  return {
    search(query, limit, snippets) {
      worker ??= start();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker?.postMessage({ id, query, limit, snippets });
      });
    },
    async close() {
      const w = worker;
      worker = null;
      await w?.terminate();
    },
  };
}
