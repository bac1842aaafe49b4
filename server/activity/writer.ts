// Appends JSON lines to `activity.jsonl` in batches and rotates it by size. Recording is on the MCP
// hot path, so a record only queues a string; one async write at a time drains the queue, and
// whatever arrives while a write is in flight goes out together in the next one.
import * as fs from 'node:fs';
import { generationFile, generationsIn } from './history.ts';

export interface JsonlWriterOptions {
  dir: string;
  /** A file is rotated before it would grow past this (a single longer line still gets a file). */
  maxFileBytes: number;
  /** Files kept in total, `activity.jsonl` included: disk use stays under maxFiles × maxFileBytes. */
  maxFiles: number;
  onError: (e: Error) => void;
}

export class JsonlWriter {
  private pending: string[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  /** Bytes in the current file; null until known, and again after a failure (re-check the disk). */
  private size: number | null = null;
  /** The file ends in a torn line (crash mid-write): start the next write on a fresh line. */
  private needsNewline = false;
  private failing = false;

  constructor(private readonly options: JsonlWriterOptions) {}

  /** Queue one line (without its newline). Never throws, never waits. */
  append(line: string): void {
    this.pending.push(line);
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // setImmediate, not a microtask: lets a burst of synchronous records coalesce into one write.
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  /** Resolves when every line queued so far has been written (or has failed and been reported). */
  flush(): Promise<void> {
    return this.pending.length > 0 || this.running ? this.drain() : Promise.resolve();
  }

  private drain(): Promise<void> {
    this.running ??= (async () => {
      try {
        while (this.pending.length > 0) {
          const batch = this.pending;
          this.pending = [];
          await this.write(batch);
        }
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async write(lines: string[]): Promise<void> {
    const { dir, maxFileBytes } = this.options;
    const file = generationFile(dir, 0);
    try {
      if (this.size === null) await this.open(file);
      let i = 0;
      while (i < lines.length) {
        let chunk = this.needsNewline ? '\n' : '';
        let bytes = chunk.length;
        const first = i;
        for (; i < lines.length; i++) {
          const line = `${lines[i]}\n`;
          const lineBytes = Buffer.byteLength(line);
          const empty = (this.size ?? 0) + bytes === 0;
          if (!empty && (this.size ?? 0) + bytes + lineBytes > maxFileBytes) break;
          chunk += line;
          bytes += lineBytes;
        }
        if (i === first) {
          await this.rotate();
          continue;
        }
        await fs.promises.appendFile(file, chunk, { mode: 0o600 });
        this.size = (this.size ?? 0) + bytes;
        this.needsNewline = false;
      }
      this.failing = false;
    } catch (err) {
      // The failed lines are dropped (they stay in the in-memory ring); the next write starts over
      // from the disk's real state, so a restored dir or freed space is picked up by itself.
      this.size = null;
      if (this.failing) return;
      this.failing = true;
      const cause = err as Error;
      const error = new Error(
        `Could not write the activity log in ${dir} (${cause.message}). Activity still shows in the window but is not saved until this is fixed (free disk space, check the folder's permissions).`,
        { cause },
      );
      try {
        this.options.onError(error);
      } catch {
        // A broken reporter must not turn into an unhandled rejection.
      }
    }
  }

  private async open(file: string): Promise<void> {
    await fs.promises.mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.size = 0;
      this.needsNewline = false;
      return;
    }
    try {
      const { size } = await handle.stat();
      const last = Buffer.alloc(1);
      if (size > 0) await handle.read(last, 0, 1, size - 1);
      this.needsNewline = size > 0 && last[0] !== 0x0a;
      this.size = size;
    } finally {
      await handle.close();
    }
  }

  /** activity.jsonl → activity.1.jsonl → … ; generations at or past maxFiles - 1 are deleted. */
  private async rotate(): Promise<void> {
    const { dir, maxFiles } = this.options;
    // Oldest first, so every rename targets a name already moved out of the way.
    for (const n of generationsIn(await fs.promises.readdir(dir)).reverse()) {
      if (n >= maxFiles - 1) await fs.promises.rm(generationFile(dir, n), { force: true });
      else await fs.promises.rename(generationFile(dir, n), generationFile(dir, n + 1));
    }
    this.size = 0;
    this.needsNewline = false;
  }
}
