import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { extractFile } from './extract/index.ts';
import { docId } from './ids.ts';
import { IgnoreRules } from './ignore-rules.ts';
import type { IndexDb, NewDoc } from './index-db.ts';
import { isStrictlyInside } from './paths.ts';
import type { FolderConfig, FolderError, FolderStatus, SkipReason, WalkEntry } from './types.ts';
import { walkFolder } from './walk.ts';

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
const MAX_ERRORS_SHOWN = 500;
const COMMIT_FILES = 512;
const COMMIT_TEXT_CHARS = 32 * 1024 * 1024;
const COMMIT_INTERVAL_MS = 500;

const SKIP_REASONS_SHOWN: ReadonlySet<SkipReason> = new Set(['unreadable', 'symlink-loop']);

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
    this.status = {
      id: folder.id,
      path: folder.path,
      name: folder.name,
      state: 'scanning',
      filesSeen: 0,
      indexed: 0,
      skipped: 0,
      errors: [],
      bytes: 0,
      lastIndexedAt: null,
      message: null,
    };
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
    this.db.transaction(() => {
      for (const relPath of stored.keys()) if (!seen.has(relPath)) this.db.remove(this.folder.id, relPath);
    });
    s.state = 'indexing';
    this.refreshErrors();
    this.onProgress(s);
    let pending: { entry: (typeof work)[number]; outcome: FileOutcome }[] = [];
    let pendingBytes = 0;
    let lastCommit = performance.now();
    // Few, large transactions: FTS5 inserts cost much less in bulk. What a crash loses
    // is at most one uncommitted batch, which the next start simply indexes again.
    const commit = () => {
      const batch = pending;
      this.db.transaction(() => {
        for (const { entry, outcome } of batch) this.apply(entry.relPath, entry, outcome);
      });
      pending = [];
      pendingBytes = 0;
      lastCommit = performance.now();
      this.onProgress(s);
    };
    for (let i = 0; i < work.length; i += EXTRACT_CONCURRENCY) {
      if (signal?.aborted) return;
      const batch = work.slice(i, i + EXTRACT_CONCURRENCY);
      // The walk is not atomic: check containment again right before each file is opened.
      const outcomes = await Promise.all(
        batch.map((entry) => this.checkAndExtract(entry.relPath, entry.absPath, entry)),
      );
      batch.forEach((entry, j) => {
        const outcome = outcomes[j] as FileOutcome;
        pending.push({ entry, outcome });
        if (outcome.kind === 'indexed') pendingBytes += outcome.doc.body.length;
      });
      if (
        pending.length >= COMMIT_FILES ||
        pendingBytes >= COMMIT_TEXT_CHARS ||
        performance.now() - lastCommit >= COMMIT_INTERVAL_MS
      ) {
        commit();
      }
    }
    if (signal?.aborted) return;
    commit();
    s.state = 'watching';
    s.lastIndexedAt = new Date().toISOString();
    this.refreshErrors();
    this.onProgress(s);
  }

  /** Re-examines paths reported by the watcher. Returns true when a full reconcile is needed instead. */
  async update(relPaths: readonly string[]): Promise<boolean> {
    for (const relPath of relPaths) {
      if (path.posix.basename(relPath) === '.gitignore') return true;
      if (this.rules.isIgnored(relPath, false)) {
        this.db.transaction(() => this.db.removeTree(this.folder.id, relPath));
        continue;
      }
      const absPath = path.join(this.folder.path, ...relPath.split('/'));
      const info = await stat(absPath).catch(() => null);
      if (info?.isDirectory()) return true;
      if (!info?.isFile()) {
        this.db.transaction(() => this.db.removeTree(this.folder.id, relPath));
        continue;
      }
      const state = { size: info.size, mtimeMs: info.mtimeMs };
      const outcome = await this.checkAndExtract(relPath, absPath, state);
      this.db.transaction(() => this.apply(relPath, state, outcome));
    }
    const { docs, bytes } = this.db.counts(this.folder.id);
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
      return {
        kind: 'indexed',
        doc: {
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

  /** Writes one outcome; call inside a transaction. */
  private apply(relPath: string, state: { size: number; mtimeMs: number }, outcome: FileOutcome): void {
    const s = this.status;
    if (outcome.kind === 'gone') {
      this.db.remove(this.folder.id, relPath);
    } else if (outcome.kind === 'indexed') {
      this.db.upsert({ ...outcome.doc, size: state.size, mtimeMs: state.mtimeMs });
      s.indexed++;
      s.bytes += state.size;
    } else {
      this.db.recordUnindexed(this.folder.id, relPath, state, outcome.reason, outcome.isError);
      if (!outcome.isError) s.skipped++;
    }
  }

  private refreshErrors(): void {
    this.status.errors = [...this.walkErrors, ...this.db.failures(this.folder.id)].slice(0, MAX_ERRORS_SHOWN);
  }
}
