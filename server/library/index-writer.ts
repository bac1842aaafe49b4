import type Database from 'better-sqlite3';
import type { WriteOp } from './write-plan.ts';
import { mergeStep, prepareWrites } from './write-sql.ts';

// The index writer: what IndexDb asks of it, the messages that carry those requests, and
// the code that serves them on the writing connection. The app serves them on a worker
// thread (index-writer-thread.ts posts them to index-writer.worker.ts); the inline writer
// below serves the same messages on the calling thread, so both run the same code.

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

/** Ops handed over ahead of their write; no answer. */
export interface StageMessage {
  kind: 'stage';
  ops: readonly WriteOp[];
}

/** A request the writer answers with a `WriterReply` of the same id. */
export type WriterCall =
  | { kind: 'write'; id: number; ops: readonly WriteOp[] }
  | { kind: 'merge'; id: number }
  | { kind: 'close'; id: number };

export type WriterMessage = StageMessage | WriterCall;

export type WriterReply =
  | { id: number; ok: true; worked: boolean }
  | { id: number; ok: false; error: { message: string; code?: string } };

/** An error from the writer, carrying SQLite's code so corruption is recognised upstream. */
export class WriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The writer's answer as a result: `worked` (did a merge step merge anything), or the error it reported. */
export function resultOf(reply: WriterReply): boolean {
  if (!reply.ok) throw new WriteError(reply.error.message, reply.error.code);
  return reply.worked;
}

/** Serves writer messages on `db`, the only connection that writes to the index. */
export function serveWrites(db: Database.Database): {
  stage(message: StageMessage): void;
  answer(call: WriterCall): WriterReply;
} {
  const apply = prepareWrites(db);
  // Staged ops are written with the next write: the main thread hands its extracted text
  // over as soon as it has it, so it never keeps a batch of it alive.
  let staged: WriteOp[] = [];
  return {
    stage(message) {
      staged.push(...message.ops);
    },
    answer(call) {
      if (call.kind === 'close') {
        db.close();
        return { id: call.id, ok: true, worked: false };
      }
      try {
        if (call.kind === 'merge') return { id: call.id, ok: true, worked: mergeStep(db) };
        const ops = staged.concat(call.ops);
        staged = [];
        apply(ops);
        return { id: call.id, ok: true, worked: true };
      } catch (error) {
        staged = [];
        const e = error as Error & { code?: string };
        return { id: call.id, ok: false, error: { message: e.message, code: e.code } };
      }
    },
  };
}

/**
 * Writes on the calling thread, through the main connection (which IndexDb closes).
 * For tools and tests that do not need the thread; the app writes on its own thread.
 */
export function inlineWriter(db: Database.Database): IndexWriter {
  const served = serveWrites(db);
  return {
    stage: (ops) => served.stage({ kind: 'stage', ops }),
    write: async (ops) => {
      resultOf(served.answer({ kind: 'write', id: 0, ops }));
    },
    merge: async () => resultOf(served.answer({ kind: 'merge', id: 0 })),
    close: async () => {},
  };
}
