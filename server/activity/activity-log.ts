// The activity log: every MCP request and auth event, kept as the last N entries in memory for the
// UI (with live subscribers) and appended to rotating JSONL files in the data dir for audit.
import type { ActivityEntry } from '../api.ts';
import { type ActivityInput, buildEntry } from './entry.ts';
import { readRetainedJsonl } from './export.ts';
import { loadRecent } from './history.ts';
import { JsonlWriter } from './writer.ts';

export interface ActivityLogOptions {
  /** Directory of the JSONL files (created 0700 on first write); null keeps the log in memory only. */
  dir: string | null;
  /** Entries kept in memory for the UI. Default ACTIVITY_MEMORY (what the dashboard keeps too). */
  capacity?: number;
  /** Size at which `activity.jsonl` is rotated. Default 5 MiB. */
  maxFileBytes?: number;
  /** Files kept in total, the current one included. Default 10. */
  maxFiles?: number;
  now?: () => Date;
  /** Called once when writing starts failing (again after a recovery); recording goes on regardless. */
  onWriteError?: (e: Error) => void;
}

export type ActivityListener = (entry: ActivityEntry) => void;

/**
 * Entries kept in memory and handed to a window that opens (or reloads): as many as the dashboard
 * keeps (its ACTIVITY_CAP, and listActivity's limit), so a reload shows what the live view showed.
 * About 5 MB of memory.
 */
export const ACTIVITY_MEMORY = 10_000;

export class ActivityLog {
  private readonly capacity: number;
  private readonly now: () => Date;
  /** Circular buffer: `ring[(start + i) % capacity]` is the i-th oldest of `count` entries. */
  private readonly ring: ActivityEntry[] = [];
  private start = 0;
  private count = 0;
  private nextSeq = 1;
  private readonly listeners = new Set<ActivityListener>();
  private writer: JsonlWriter | null = null;
  private readonly dir: string | null;

  constructor(options: ActivityLogOptions) {
    this.capacity = Math.max(1, Math.floor(options.capacity ?? ACTIVITY_MEMORY));
    this.now = options.now ?? (() => new Date());
    this.dir = options.dir;
    if (options.dir === null) return;
    // History first: it seeds the ring for the UI, and its newest seq is where this run continues,
    // so seq stays unique across restarts. Only the files' tails are read.
    const history = loadRecent(options.dir, this.capacity);
    for (let i = history.length - 1; i >= 0; i--) this.push(history[i] as ActivityEntry);
    for (const entry of history) this.nextSeq = Math.max(this.nextSeq, entry.seq + 1);
    this.writer = new JsonlWriter({
      dir: options.dir,
      maxFileBytes: Math.max(1, options.maxFileBytes ?? 5 * 1024 * 1024),
      maxFiles: Math.max(1, Math.floor(options.maxFiles ?? 10)),
      onError:
        options.onWriteError ?? ((e) => process.emitWarning(e.message, { code: 'PORTHOLE_ACTIVITY_WRITE' })),
    });
  }

  /** Sanitizes, numbers and stores one entry, tells subscribers, queues it for disk. Never throws on I/O. */
  record(input: ActivityInput): ActivityEntry {
    const entry = buildEntry(input, this.nextSeq++, this.now());
    this.push(entry);
    this.writer?.append(JSON.stringify(entry));
    for (const listener of [...this.listeners]) {
      try {
        listener(entry);
      } catch {
        // A broken UI listener must not cost the request its log entry or other listeners theirs.
      }
    }
    return entry;
  }

  /** The newest `limit` entries (all kept, by default), newest first. */
  recent(limit = this.capacity): ActivityEntry[] {
    // A UI may pass anything here; what is not a finite number means "all".
    const n = Number.isFinite(limit) ? Math.min(this.count, Math.max(0, Math.floor(limit))) : this.count;
    const out: ActivityEntry[] = [];
    for (let i = 1; i <= n; i++)
      out.push(this.ring[(this.start + this.count - i) % this.capacity] as ActivityEntry);
    return out;
  }

  /**
   * Every entry still on disk (all rotated files), as JSON Lines, oldest first; without a dir,
   * what memory holds. Waits for pending writes first, so the newest entries are in it.
   */
  async exportRetained(): Promise<string> {
    if (!this.dir)
      return this.recent()
        .reverse()
        .map((entry) => `${JSON.stringify(entry)}\n`)
        .join('');
    await this.flush();
    return readRetainedJsonl(this.dir);
  }

  /** Live entries from now on. Returns the unsubscribe function. */
  subscribe(listener: ActivityListener): () => void {
    // Wrapped so subscribing the same function twice yields two independent subscriptions.
    const wrapped: ActivityListener = (entry) => listener(entry);
    this.listeners.add(wrapped);
    return () => {
      this.listeners.delete(wrapped);
    };
  }

  /** Resolves when everything recorded so far is on disk (or its write failure was reported). */
  flush(): Promise<void> {
    return this.writer?.flush() ?? Promise.resolve();
  }

  /** Flushes and drops subscribers. Later records stay in memory only. */
  async close(): Promise<void> {
    const writer = this.writer;
    this.writer = null;
    this.listeners.clear();
    await writer?.flush();
  }

  private push(entry: ActivityEntry): void {
    if (this.count < this.capacity) {
      this.ring[(this.start + this.count) % this.capacity] = entry;
      this.count++;
    } else {
      this.ring[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
    }
  }
}
