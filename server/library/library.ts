import { EventEmitter } from 'node:events';
import { checkNewFolder, type FolderCheckContext } from './folders.ts';
import {
  DEFAULT_BROAD_MATCH_CAP,
  IndexDb,
  type IndexDbOptions,
  isCorruptionError,
  type WriterKind,
} from './index-db.ts';
import { FolderIndexer } from './indexer.ts';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TEXT_BYTES } from './limits.ts';
import { documentForFetch, withPartId } from './parts.ts';
import { DocumentNotFoundError, type ReadContext, readDocument, readOriginalBytes } from './read.ts';
import { DEFAULT_SEARCH_LIMIT, searchIndex } from './search.ts';
import { type SearchThread, startSearchThread } from './search-thread.ts';
import type { FolderConfig, FolderStatus, FolderStore, LibraryDocument, SearchResult } from './types.ts';
import { type FolderWatch, watchFolder } from './watcher.ts';

const STATUS_INTERVAL_MS = 100;

export interface LibraryOptions {
  /** Where `index.sqlite` lives. */
  dataDir: string;
  /** Per-install secret that makes document ids opaque (settings.idKey). */
  idKey: string;
  folders: FolderStore;
  maxFileBytes?: number;
  maxTextBytes?: number;
  /** Keep the index current with a file watcher (default true). */
  watch?: boolean;
  log?: (line: string) => void;
  /** For tests: the home folder that may not be shared. */
  homeDir?: string;
  /** A query matching more documents than this is ranked among its newest matches this many (default 5000). */
  broadMatchCap?: number;
  /**
   * Where index writes run: 'worker' (the default, and what the app uses) on a thread of
   * their own; 'inline' on this thread, for tests that do not test the writer thread.
   */
  writer?: WriterKind;
}

interface Share {
  indexer: FolderIndexer;
  watch: FolderWatch | null;
  /** Jobs of one folder run one after another: a reconcile and watcher updates never interleave. */
  queue: Promise<void>;
  abort: AbortController;
  needsReconcile: boolean;
}

export interface LibraryEvents {
  status: [FolderStatus];
}

/**
 * The shared folders: their index, kept current, and the only way to search and read
 * them. Everything the MCP tools and the UI do with files goes through here.
 */
export class Library extends EventEmitter<LibraryEvents> {
  private db: IndexDb;
  private readonly shares = new Map<string, Share>();
  private readonly options: Required<Omit<LibraryOptions, 'homeDir' | 'broadMatchCap'>> &
    Pick<LibraryOptions, 'homeDir' | 'broadMatchCap'>;
  private closed = false;
  private recovering = false;
  private searchThread: SearchThread | null = null;
  private readonly throttles = new Map<
    string,
    { at: number; state: string | null; timer: NodeJS.Timeout | null }
  >();

  private constructor(options: LibraryOptions) {
    super();
    this.options = {
      maxFileBytes: DEFAULT_MAX_FILE_BYTES,
      maxTextBytes: DEFAULT_MAX_TEXT_BYTES,
      watch: true,
      log: () => {},
      writer: 'worker',
      ...options,
    };
    this.db = new IndexDb(options.dataDir, this.indexOptions());
  }

  /** Opens the index and starts bringing every shared folder up to date (in the background). */
  static async open(options: LibraryOptions): Promise<Library> {
    const library = new Library(options);
    const folders = options.folders.load();
    const known = new Set(folders.map((f) => f.id));
    const stale = library.db.folderIds().filter((id) => !known.has(id));
    await library.db.write(stale.map((folderId) => ({ op: 'removeFolder' as const, folderId })));
    for (const folder of folders) await library.startShare(folder);
    return library;
  }

  listFolders(): FolderStatus[] {
    return [...this.shares.values()].map((s) => ({
      ...s.indexer.status,
      errors: [...s.indexer.status.errors],
    }));
  }

  /** Validates and shares a folder; indexing goes on in the background (see `status` events). */
  async addFolder(requestedPath: string): Promise<FolderStatus> {
    const existing = this.options.folders.load();
    const context: FolderCheckContext = { existing, homeDir: this.options.homeDir };
    const folder = await checkNewFolder(requestedPath, context);
    this.options.folders.save([...existing, folder]);
    const share = await this.startShare(folder);
    return { ...share.indexer.status };
  }

  async removeFolder(folderId: string): Promise<void> {
    const share = this.shares.get(folderId);
    this.options.folders.save(this.options.folders.load().filter((f) => f.id !== folderId));
    if (share) {
      this.shares.delete(folderId);
      await this.stopShare(share);
    }
    await this.db.write([{ op: 'removeFolder', folderId }]);
  }

  /** Walks the folder again and indexes whatever changed. Resolves when done. */
  reindex(folderId: string): Promise<void> {
    const share = this.shares.get(folderId);
    if (!share) return Promise.reject(new Error('No shared folder has this id.'));
    return this.enqueue(share, () => share.indexer.reconcile(share.abort.signal));
  }

  /** Resolves once every folder has finished its queued indexing work. */
  async whenIdle(): Promise<void> {
    let before: Promise<void>[];
    do {
      before = [...this.shares.values()].map((s) => s.queue);
      await Promise.all(before);
    } while ([...this.shares.values()].some((s, i) => s.queue !== before[i]));
  }

  /** Best first. `snippets: false` leaves `snippet` empty and makes the search much cheaper. */
  search(query: string, options: { limit?: number; snippets?: boolean } = {}): SearchResult[] {
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    return this.guard(() => searchIndex(this.db, query, limit, options.snippets ?? true), []).map((r) =>
      withPartId(r, this.options.idKey),
    );
  }

  /**
   * The same search on the search thread: ranking runs on another core and a slow query
   * never holds up the event loop. What the MCP endpoint uses.
   */
  async searchAsync(
    query: string,
    options: { limit?: number; snippets?: boolean } = {},
  ): Promise<SearchResult[]> {
    if (this.closed) return [];
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    this.searchThread ??= startSearchThread(
      this.db.file,
      this.options.broadMatchCap ?? DEFAULT_BROAD_MATCH_CAP,
    );
    try {
      const results = await this.searchThread.search(query, limit, options.snippets ?? true);
      return results.map((r) => withPartId(r, this.options.idKey));
    } catch (error) {
      if (isCorruptionError(error)) {
        void this.recoverFromCorruption(error);
        return [];
      }
      // The thread could not answer (it failed to start, or stopped): answer here instead.
      this.options.log(
        `library: search thread unavailable (${(error as Error).message}); searching on the main thread`,
      );
      return this.search(query, options);
    }
  }

  async read(id: unknown): Promise<LibraryDocument> {
    const { document, stale } = await readDocument(this.readContext(), id);
    const share = this.shares.get(document.folderId);
    if (stale && share) void this.enqueue(share, () => share.indexer.update([document.path]).then(() => {}));
    return document;
  }

  /**
   * What the MCP `fetch` tool returns: a document whole, or for a long document or a part
   * id (what search results for long documents carry) one part, with `part` saying which
   * and the ids of the parts before and after it.
   */
  async fetch(id: unknown): Promise<LibraryDocument> {
    return documentForFetch(await this.read(id), this.options.idKey);
  }

  /** The file's own bytes (the viewer shows PDFs inline), under the same checks as read(). */
  readOriginal(id: unknown): Promise<Buffer> {
    return readOriginalBytes(this.readContext(), id);
  }

  private readContext(): ReadContext {
    return {
      db: this.db,
      idKey: this.options.idKey,
      folder: (folderId) => {
        const share = this.shares.get(folderId);
        return share ? { config: share.indexer.folder, rules: share.indexer.rules } : undefined;
      },
      maxFileBytes: this.options.maxFileBytes,
      maxTextBytes: this.options.maxTextBytes,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.shares.values()].map((s) => this.stopShare(s)));
    this.shares.clear();
    await this.searchThread?.close();
    this.searchThread = null;
    for (const throttle of this.throttles.values()) if (throttle.timer) clearTimeout(throttle.timer);
    await this.db.close();
  }

  private async startShare(folder: FolderConfig): Promise<Share> {
    const indexer = new FolderIndexer(
      this.db,
      folder,
      {
        idKey: this.options.idKey,
        maxFileBytes: this.options.maxFileBytes,
        maxTextBytes: this.options.maxTextBytes,
      },
      (status) => this.emitStatus(status),
    );
    const share: Share = {
      indexer,
      watch: null,
      queue: Promise.resolve(),
      abort: new AbortController(),
      needsReconcile: false,
    };
    this.shares.set(folder.id, share);
    // Watch before the first walk, so nothing changed during the walk goes unseen.
    if (this.options.watch) {
      share.watch = await watchFolder(
        folder.path,
        (paths) => void this.onWatchBatch(share, paths),
        (error) => this.options.log(`library: watcher error in ${folder.path}: ${error.message}`),
      ).catch((error: Error) => {
        this.options.log(
          `library: cannot watch ${folder.path} (${error.message}); changes will show after a re-index`,
        );
        return null;
      });
    }
    void this.enqueue(share, () => share.indexer.reconcile(share.abort.signal));
    return share;
  }

  private onWatchBatch(share: Share, paths: string[]): Promise<void> {
    return this.enqueue(share, async () => {
      const needsReconcile = await share.indexer.update(paths);
      if (needsReconcile) await share.indexer.reconcile(share.abort.signal);
    });
  }

  private async stopShare(share: Share): Promise<void> {
    share.abort.abort();
    await share.watch?.close().catch(() => {});
    await share.queue;
  }

  private enqueue(share: Share, job: () => Promise<void>): Promise<void> {
    const run = async () => {
      if (this.closed || share.abort.signal.aborted) return;
      try {
        await job();
      } catch (error) {
        if (isCorruptionError(error)) {
          // Not awaited: recovery stops every queue, this one included.
          setImmediate(() => void this.recoverFromCorruption(error));
          return;
        }
        this.options.log(
          `library: indexing ${share.indexer.folder.path} failed: ${(error as Error).message}`,
        );
        share.indexer.fail(`Indexing failed: ${(error as Error).message}. Try "Re-index".`);
      }
    };
    share.queue = share.queue.then(run);
    return share.queue;
  }

  private guard<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
      void this.recoverFromCorruption(error);
      return fallback;
    }
  }

  /** The index file went bad while running: start over from the files, which are the truth. */
  private async recoverFromCorruption(error: unknown): Promise<void> {
    if (this.recovering || this.closed) return;
    this.recovering = true;
    this.options.log(
      `library: the index is damaged (${(error as Error).message}); rebuilding it from your files`,
    );
    const folders = [...this.shares.values()].map((s) => s.indexer.folder);
    await Promise.all([...this.shares.values()].map((s) => this.stopShare(s)));
    this.shares.clear();
    await this.searchThread?.close();
    this.searchThread = null;
    await this.db.close().catch(() => {});
    this.db = IndexDb.rebuild(this.options.dataDir, this.indexOptions());
    for (const folder of folders) await this.startShare(folder);
    this.recovering = false;
  }

  private indexOptions(): IndexDbOptions {
    const { log, writer, broadMatchCap } = this.options;
    return { log, writer, broadMatchCap };
  }

  /** Progress comes per batch of files; the UI gets at most one update per folder every 100 ms, and every state change. */
  private emitStatus(status: FolderStatus): void {
    const throttle = this.throttles.get(status.id) ?? { at: 0, state: null, timer: null };
    this.throttles.set(status.id, throttle);
    const send = () => {
      throttle.timer = null;
      throttle.at = Date.now();
      throttle.state = status.state;
      this.emit('status', { ...status, errors: [...status.errors] });
    };
    if (throttle.state !== status.state || Date.now() - throttle.at >= STATUS_INTERVAL_MS) {
      if (throttle.timer) clearTimeout(throttle.timer);
      send();
    } else if (!throttle.timer) {
      throttle.timer = setTimeout(send, STATUS_INTERVAL_MS - (Date.now() - throttle.at));
    }
  }
}

export { DocumentNotFoundError };
