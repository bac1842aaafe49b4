import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { initialFolderStatus } from '../api.ts';
import { extractFile } from './extract/index.ts';
import { docId } from './ids.ts';
import { IgnoreRules } from './ignore-rules.ts';
import type { IndexDb } from './index-db.ts';
import { splitPassages } from './passages.ts';
import { isStrictlyInside } from './paths.ts';
import type { FolderConfig, FolderError, FolderStatus, NewDoc, SkipReason, WalkEntry } from './types.ts';
import { walkFolder } from './walk.ts';
import type { WriteOp } from './write-plan.ts';

export interface IndexerOptions {
  idKey: string;
  maxFileBytes: number;
  maxTextBytes: number;
}

type FileOutcome =
  | { kind: 'indexed'; doc: NewDoc }
  | { kind: 'unindexed'; reason: string; isError: boolean }
  | { kind: 'gone' };

// Files extracted at once: enough to keep the disk and libuv's pool busy, few enough
// that a batch of large PDFs cannot balloon memory.
const EXTRACT_CONCURRENCY = 16;
// ...and at most this many bytes of files at once (at least one file), now that a long
// document's text is kept to its end (tens of MB).
const EXTRACT_BATCH_BYTES = 64 * 1024 * 1024;
const MAX_ERRORS_SHOWN = 500;
const COMMIT_FILES = 512;
const COMMIT_TEXT_CHARS = 8 * 1024 * 1024;
const COMMIT_INTERVAL_MS = 500;
const MERGE_AFTER_FILES = 1000;

// Only what the person can act on is listed as an error. A `symlink-loop` skip is also
// given for a second link to a folder already walked (its files are indexed once): not an error.
const SKIP_REASONS_SHOWN: ReadonlySet<SkipReason> = new Set(['unreadable', 'broken-link']);

/**
 * Keeps one shared folder's part of the index equal to the files on disk. `reconcile()`
 * walks the folder and indexes what changed since the index last saw it (which is also
 * how an interrupted run resumes); `update()` applies the paths a watcher reported.
 */
export class FolderIndexer {
  readonly status: FolderStatus;
  readonly rules: IgnoreRules;
  private walkErrors: FolderError[] = [];

  constructor(
    private readonly db: IndexDb,
    readonly folder: FolderConfig,
    private readonly options: IndexerOptions,
    private readonly onProgress: (status: FolderStatus) => void,
  ) {
    this.rules = new IgnoreRules(folder.path);
    this.status = initialFolderStatus(folder);
  }

  async reconcile(signal?: AbortSignal): Promise<void> {
    const s = this.status;
    Object.assign(s, { state: 'scanning', filesSeen: 0, indexed: 0, skipped: 0, bytes: 0, message: null });
    this.walkErrors = [];
    this.onProgress(s);
    const stored = this.db.storedStates(this.folder.id);
    const seen = new Set<string>();
    const work: Extract<WalkEntry, { type: 'file' }>[] = [];
    try {
      for await (const entry of walkFolder(this.folder.path, {
        maxFileBytes: this.options.maxFileBytes,
        rules: this.rules,
        signal,
      })) {
        if (entry.type === 'skip') {
          s.skipped++;
          if (SKIP_REASONS_SHOWN.has(entry.reason))
            this.walkErrors.push({ path: entry.relPath, reason: entry.reason });
          continue;
        }
        s.filesSeen++;
        seen.add(entry.relPath);
        const before = stored.get(entry.relPath);
        if (before && before.size === entry.size && before.mtimeMs === entry.mtimeMs) {
          if (before.outcome === 'indexed') {
            s.indexed++;
            s.bytes += entry.size;
          } else if (before.outcome === 'skipped') s.skipped++;
        } else {
          work.push(entry);
        }
      }
    } catch (error) {
      if (signal?.aborted) return;
      this.fail(`This folder can no longer be read: ${(error as Error).message}`);
      return;
    }
    // Deletions first, so a file the watcher adds meanwhile is never removed by this pass.
    await this.db.write(
      [...stored.keys()]
        .filter((relPath) => !seen.has(relPath))
        .map((relPath) => ({ op: 'remove' as const, folderId: this.folder.id, relPath })),
    );
    s.state = 'indexing';
    this.refreshErrors();
    this.onProgress(s);
    let pendingFiles = 0;
    let pendingChars = 0;
    let lastCommit = performance.now();
    let inFlight: Promise<void> = Promise.resolve();
    let writeError: unknown = null;
    const settle = async () => {
      await inFlight;
      if (writeError) throw writeError;
    };
    // Few, large transactions, written on the writer thread while this one extracts the
    // next files. At most one batch waits: memory stays bounded. What a crash loses is
    // at most the batches not yet committed, which the next start indexes again.
    const commit = async () => {
      await settle();
      pendingFiles = 0;
      pendingChars = 0;
      lastCommit = performance.now();
      inFlight = this.db.write([]).then(
        () => this.onProgress(s),
        (error: unknown) => {
          writeError = error;
        },
      );
    };
    for (let i = 0; i < work.length; ) {
      if (signal?.aborted) break;
      const batch = nextBatch(work, i);
      i += batch.length;
      // The walk is not atomic: check containment again right before each file is opened.
      const outcomes = await Promise.all(
        batch.map((entry) => this.checkAndExtract(entry.relPath, entry.absPath, entry)),
      );
      let batchChars = 0;
      const ops = batch.map((entry, j) => {
        const outcome = outcomes[j] as FileOutcome;
        if (outcome.kind === 'indexed') batchChars += outcome.doc.body.length;
        return this.account(entry.relPath, entry, outcome);
      });
      // A batch of long documents goes to the writer alone, once the writer has finished
      // what it holds: its memory stays within one large batch.
      if (batchChars >= COMMIT_TEXT_CHARS) {
        if (pendingFiles > 0) await commit();
        await settle();
      }
      pendingChars += batchChars;
      this.db.stage(ops);
      pendingFiles += ops.length;
      if (
        pendingFiles >= COMMIT_FILES ||
        pendingChars >= COMMIT_TEXT_CHARS ||
        performance.now() - lastCommit >= COMMIT_INTERVAL_MS
      ) {
        await commit();
      }
    }
    if (!signal?.aborted) await commit();
    await settle();
    if (signal?.aborted) return;
    // A large build leaves many small FTS5 segments; merging them (in the background,
    // between other writes) makes queries about a third faster.
    if (work.length >= MERGE_AFTER_FILES) this.db.mergeInBackground();
    s.state = 'watching';
    s.lastIndexedAt = new Date().toISOString();
    this.refreshErrors();
    this.onProgress(s);
  }

  /** Re-examines paths reported by the watcher. Returns true when a full reconcile is needed instead. */
  async update(relPaths: readonly string[]): Promise<boolean> {
    const ops: WriteOp[] = [];
    const folderId = this.folder.id;
    for (const relPath of relPaths) {
      if (path.posix.basename(relPath) === '.gitignore') return true;
      if (this.rules.isIgnored(relPath, false)) {
        ops.push({ op: 'removeTree', folderId, relPath });
        continue;
      }
      const absPath = path.join(this.folder.path, ...relPath.split('/'));
      const info = await stat(absPath).catch(() => null);
      if (info?.isDirectory()) return true;
      if (!info?.isFile()) {
        ops.push({ op: 'removeTree', folderId, relPath });
        continue;
      }
      const state = { size: info.size, mtimeMs: info.mtimeMs };
      ops.push(this.account(relPath, state, await this.checkAndExtract(relPath, absPath, state)));
    }
    await this.db.write(ops);
    const { docs, bytes } = this.db.counts(folderId);
    Object.assign(this.status, { indexed: docs, bytes, lastIndexedAt: new Date().toISOString() });
    this.refreshErrors();
    this.onProgress(this.status);
    return false;
  }

  fail(message: string): void {
    Object.assign(this.status, { state: 'error', message });
    this.onProgress(this.status);
  }

  private async checkAndExtract(
    relPath: string,
    absPath: string,
    state: { size: number },
  ): Promise<FileOutcome> {
    if (state.size > this.options.maxFileBytes)
      return { kind: 'unindexed', reason: 'too-large', isError: false };
    const real = await realpath(absPath).catch(() => null);
    if (!real) return { kind: 'gone' };
    if (!isStrictlyInside(this.folder.path, real))
      return { kind: 'unindexed', reason: 'symlink-outside', isError: false };
    const realRel = path.relative(this.folder.path, real).split(path.sep).join('/');
    if (realRel !== relPath && this.rules.isIgnored(realRel, false)) {
      return { kind: 'unindexed', reason: 'excluded', isError: false };
    }
    return this.extract(relPath, absPath, state);
  }

  private async extract(relPath: string, absPath: string, state: { size: number }): Promise<FileOutcome> {
    try {
      const result = await extractFile(absPath, { maxTextBytes: this.options.maxTextBytes });
      if (!result.ok) return { kind: 'unindexed', reason: result.skip, isError: false };
      const passages = splitPassages(result.text, result.pages);
      return {
        kind: 'indexed',
        doc: {
          ...(passages.length > 1 ? { passages } : {}),
          id: docId(this.options.idKey, this.folder.id, relPath),
          folderId: this.folder.id,
          relPath,
          title: result.title,
          kind: result.kind,
          size: state.size,
          mtimeMs: 0,
          truncated: result.truncated,
          body: result.text,
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { kind: 'gone' };
      return { kind: 'unindexed', reason: (error as Error).message || String(error), isError: true };
    }
  }

  /** Counts one outcome in the status and returns the write that records it. */
  private account(relPath: string, state: { size: number; mtimeMs: number }, outcome: FileOutcome): WriteOp {
    const s = this.status;
    const folderId = this.folder.id;
    if (outcome.kind === 'gone') return { op: 'remove', folderId, relPath };
    if (outcome.kind === 'indexed') {
      s.indexed++;
      s.bytes += state.size;
      return { op: 'upsert', doc: { ...outcome.doc, size: state.size, mtimeMs: state.mtimeMs } };
    }
    if (!outcome.isError) s.skipped++;
    return { op: 'unindexed', folderId, relPath, ...state, reason: outcome.reason, isError: outcome.isError };
  }

  private refreshErrors(): void {
    this.status.errors = [...this.walkErrors, ...this.db.failures(this.folder.id)].slice(0, MAX_ERRORS_SHOWN);
  }
}

/** The files extracted together from `work[from]` on: up to EXTRACT_CONCURRENCY of them and EXTRACT_BATCH_BYTES. */
function nextBatch<T extends { size: number }>(work: readonly T[], from: number): T[] {
  const batch: T[] = [];
  let bytes = 0;
  for (let i = from; i < work.length && batch.length < EXTRACT_CONCURRENCY; i++) {
    const entry = work[i] as T;
    if (batch.length > 0 && bytes + entry.size > EXTRACT_BATCH_BYTES) break;
    batch.push(entry);
    bytes += entry.size;
  }
  return batch;
}
