import type { NewDoc } from './types.ts';

// Every change to the index, as plain data: the indexer plans what to write, and the
// writer (index-writer-thread.ts, or inline in some tests) applies batches of these in
// order, each batch in one transaction (write-sql.ts). Plain data, so a batch can be
// posted to the writer thread as it is.
export type WriteOp =
  | { op: 'upsert'; doc: NewDoc }
  | { op: 'remove'; folderId: string; relPath: string }
  | { op: 'removeTree'; folderId: string; relPath: string }
  | { op: 'removeFolder'; folderId: string }
  | {
      op: 'unindexed';
      folderId: string;
      relPath: string;
      size: number;
      mtimeMs: number;
      reason: string;
      isError: boolean;
    };
