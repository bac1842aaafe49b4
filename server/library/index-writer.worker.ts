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

parentPort?.on('message', (message: { id: number; ops?: WriteOp[]; merge?: true; close?: true }) => {
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
    apply(message.ops ?? []);
    parentPort?.postMessage({ id: message.id });
  } catch (error) {
    const e = error as Error & { code?: string };
    parentPort?.postMessage({ id: message.id, error: { message: e.message, code: e.code } });
  }
});
