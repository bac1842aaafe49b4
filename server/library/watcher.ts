import path from 'node:path';
import watcher from '@parcel/watcher';

export interface FolderWatch {
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Quiet time before a batch is delivered; editors write a file in several steps. */
  debounceMs?: number;
  /** A batch is delivered at the latest this long after its first event, even under a stream of writes. */
  maxDelayMs?: number;
}

/**
 * Watches a folder tree and delivers changed paths ('/'-separated, relative to `root`)
 * in debounced batches. Which paths matter is the indexer's decision; the watcher only
 * skips the two trees that are never indexed and are noisy: `.git` and `node_modules`.
 */
export async function watchFolder(
  root: string,
  onBatch: (relPaths: string[]) => void,
  onError: (error: Error) => void,
  options: WatchOptions = {},
): Promise<FolderWatch> {
  const debounceMs = options.debounceMs ?? 60;
  const maxDelayMs = options.maxDelayMs ?? 300;
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let firstAt = 0;
  const flush = () => {
    timer = null;
    const batch = [...pending];
    pending = new Set();
    if (batch.length > 0) onBatch(batch);
  };
  const subscription = await watcher.subscribe(
    root,
    (error, events) => {
      if (error) {
        onError(error);
        return;
      }
      if (pending.size === 0) firstAt = Date.now();
      for (const event of events) {
        const rel = path.relative(root, event.path);
        if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
        pending.add(rel.split(path.sep).join('/'));
      }
      if (timer) clearTimeout(timer);
      const wait = Math.max(0, Math.min(debounceMs, firstAt + maxDelayMs - Date.now()));
      timer = setTimeout(flush, wait);
    },
    { ignore: ['.git', 'node_modules', '**/.git', '**/node_modules'] },
  );
  return {
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending.clear();
      await subscription.unsubscribe();
    },
  };
}
