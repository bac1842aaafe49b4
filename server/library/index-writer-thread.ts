import type { Worker } from 'node:worker_threads';
import {
  type IndexWriter,
  resultOf,
  WriteError,
  type WriterCall,
  type WriterMessage,
  type WriterReply,
} from './index-writer.ts';
import { spawnLibraryThread } from './threads.ts';

// The writer leaves the main thread: FTS5 inserts are the most expensive part of
// indexing, and here they run on their own core while the main thread walks and
// extracts, and searches and HTTP stay responsive.

// The writer only holds one batch of text at a time (at most a few tens of MB); a small
// heap makes V8 collect each batch promptly instead of growing towards its default limit.
const WRITER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

/**
 * Writes on a worker thread (index-writer.worker.ts) with its own connection. A worker
 * that dies (it should not) fails the writes in flight and is started again on the next write.
 */
export function threadWriter(file: string): IndexWriter {
  let worker: Worker | null = null;
  let nextId = 1;
  let stagedCount = 0;
  const pending = new Map<number, { resolve: (reply: WriterReply) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const w = spawnLibraryThread('index-writer', { file }, WRITER_LIMITS);
    w.on('message', (reply: WriterReply) => pending.get(reply.id)?.resolve(reply));
    w.on('error', (error) => failAll(new WriteError(`The index writer failed: ${error.message}`)));
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new WriteError('The index writer stopped.'));
    });
    return w;
  };

  const post = (message: WriterMessage): void => {
    worker ??= start();
    worker.postMessage(message);
  };

  /** Posts a call and waits for the reply with its id. */
  const call = async (message: WriterCall): Promise<boolean> => {
    const reply = await new Promise<WriterReply>((resolve, reject) => {
      pending.set(message.id, { resolve, reject });
      post(message);
    }).finally(() => pending.delete(message.id));
    return resultOf(reply);
  };

  return {
    stage: (ops) => {
      if (ops.length > 0) post({ kind: 'stage', ops });
      stagedCount += ops.length;
    },
    write: async (ops) => {
      if (ops.length === 0 && stagedCount === 0) return;
      stagedCount = 0;
      await call({ kind: 'write', id: nextId++, ops });
    },
    merge: () => call({ kind: 'merge', id: nextId++ }),
    async close() {
      if (!worker) return;
      const w = worker;
      await call({ kind: 'close', id: nextId++ }).catch(() => {});
      worker = null;
      await w.terminate();
    },
  };
}
