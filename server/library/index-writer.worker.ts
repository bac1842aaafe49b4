// The index writer thread: owns the only writing connection to index.sqlite and
// applies batches of WriteOps in order. FTS5 inserts are the most expensive part of
// indexing; here they run on their own core while the main thread walks and extracts,
// and searches and HTTP stay responsive.
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openWriteConnection } from './index-connection.ts';
import { mergeStep } from './index-writer.ts';
import { prepareWrites, type WriteOp } from './index-writes.ts';

const db: Database.Database = openWriteConnection(workerData.file as string);
const apply = prepareWrites(db);
// Ops staged by the main thread, written with the next write: the main thread hands its
// extracted text over as soon as it has it, so it never keeps a batch of it alive.
let staged: WriteOp[] = [];

parentPort?.on(
  'message',
  (message: { id?: number; stage?: WriteOp[]; ops?: WriteOp[]; merge?: true; close?: true }) => {
    if (message.stage) {
      staged.push(...message.stage);
      return;
    }
    if (message.close) {
      db.close();
      parentPort?.postMessage({ id: message.id });
      return;
    }
    try {
      if (message.merge) {
        parentPort?.postMessage({ id: message.id, worked: mergeStep(db) });
        return;
      }
      const ops = staged.concat(message.ops ?? []);
      staged = [];
      apply(ops);
      parentPort?.postMessage({ id: message.id });
    } catch (error) {
      staged = [];
      const e = error as Error & { code?: string };
      parentPort?.postMessage({ id: message.id, error: { message: e.message, code: e.code } });
    }
  },
);
