import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { prepareWrites, type WriteOp } from './index-writes.ts';
import { spawnLibraryThread } from './threads.ts';

/** Applies batches of index writes in order, each batch atomically. */
export interface IndexWriter {
  /** Hands ops to the writer now; they are written, in order, with the next `write`. */
  stage(ops: readonly WriteOp[]): void;
  /** Writes the staged ops and then `ops`, in one transaction. */
  write(ops: readonly WriteOp[]): Promise<void>;
  /** One step of FTS5's incremental segment merge; false when there is nothing left to merge. */
  merge(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Merges some FTS5 segments (about 64 pages of output). FTS5 reports no more work to do
 * when the step changes fewer than two rows.
 */
export function mergeStep(db: Database.Database): boolean {
  const before = db.prepare('SELECT total_changes()').pluck().get() as number;
  db.prepare("INSERT INTO docs_fts (docs_fts, rank) VALUES ('merge', 64)").run();
  const after = db.prepare('SELECT total_changes()').pluck().get() as number;
  return after - before >= 2;
}

/** An error from the writer, carrying SQLite's code so corruption is recognised upstream. */
class WriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Writes on the calling thread. For tools and tests that want no thread. */
export function inlineWriter(db: Database.Database): IndexWriter {
  const apply = prepareWrites(db);
  let staged: WriteOp[] = [];
  return {
    stage: (ops) => {
      staged.push(...ops);
    },
    write: async (ops) => {
      const all = staged.concat(ops);
      staged = [];
      apply(all);
    },
    merge: async () => mergeStep(db),
    close: async () => {},
  };
}

/**
 * Writes on a worker thread with its own connection. A worker that dies (it should not)
 * fails the writes in flight and is started again on the next write.
 */
export function workerWriter(file: string): IndexWriter {
  let worker: Worker | null = null;
  let nextId = 1;
  let stagedCount = 0;
  const pending = new Map<number, { resolve: (worked: boolean) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const w = spawnWriterThread(file);
    w.on(
      'message',
      (message: { id: number; worked?: boolean; error?: { message: string; code?: string } }) => {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) p?.reject(new WriteError(message.error.message, message.error.code));
        else p?.resolve(message.worked ?? false);
      },
    );
    w.on('error', (error) => failAll(new WriteError(`The index writer failed: ${error.message}`)));
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new WriteError('The index writer stopped.'));
    });
    return w;
  };

  const send = (message: { ops?: readonly WriteOp[]; merge?: true; close?: true }): Promise<boolean> => {
    worker ??= start();
    const id = nextId++;
    return new Promise<boolean>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker?.postMessage({ id, ...message });
    });
  };

  return {
    stage: (ops) => {
      worker ??= start();
      if (ops.length > 0) worker.postMessage({ stage: ops });
      stagedCount += ops.length;
    },
    write: async (ops) => {
      if (ops.length === 0 && stagedCount === 0) return;
      stagedCount = 0;
      await send({ ops });
    },
    merge: () => send({ merge: true }),
    async close() {
      if (!worker) return;
      const w = worker;
      await send({ close: true }).catch(() => {});
      worker = null;
      await w.terminate();
    },
  };
}

// The writer only holds one batch of text at a time (at most a few tens of MB); a small
// heap makes V8 collect each batch promptly instead of growing towards its default limit.
const WRITER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

function spawnWriterThread(file: string): Worker {
  return spawnLibraryThread('index-writer', { file }, WRITER_LIMITS);
}
