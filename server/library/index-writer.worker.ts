// The index writer thread: owns the only writing connection to index.sqlite and serves
// the writer's messages (index-writer.ts) in the order they arrive.
import { parentPort, workerData } from 'node:worker_threads';
import { openWriteConnection } from './index-connection.ts';
import { serveWrites, type WriterMessage } from './index-writer.ts';

const served = serveWrites(openWriteConnection(workerData.file as string));

parentPort?.on('message', (message: WriterMessage) => {
  if (message.kind === 'stage') served.stage(message);
  else parentPort?.postMessage(served.answer(message));
});
