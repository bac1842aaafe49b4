import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { configure } from './index-connection.ts';
import { type IndexWriter, inlineWriter } from './index-writer.ts';
import { threadWriter } from './index-writer-thread.ts';
import { createMatcher, type Matcher } from './matcher.ts';
import { createPassageTexts, type PassageTexts } from './passage-texts.ts';
import { createTermStats, type TermStats } from './term-stats.ts';
import type { DocKind, DocRow, RawHit, StoredFileState } from './types.ts';
import type { WriteOp } from './write-plan.ts';

// The search index: one SQLite file, WAL, every write in a transaction. It is a cache
// of the shared folders (files are the truth), so a file we cannot trust is moved
// aside and rebuilt rather than repaired.
// Bumping it rebuilds every index on its next start (createSchema); say why in SCHEMA_CHANGE.
export const SCHEMA_VERSION = '3';
const SCHEMA_CHANGE = 'long documents in passages, English stemming';
// The tokenizer and ranking of docs_fts (the choice is the ranking's: see query.ts / search.ts).
const FTS_TOKENIZE = 'porter unicode61 remove_diacritics 2';
const FTS_RANK = 'bm25(8.0, 4.0, 1.0)';

export type IndexLog = (line: string) => void;

/** Matches ranked at most per query (see `match`): about 10 ms of BM25 on this kind of machine. */
export const DEFAULT_BROAD_MATCH_CAP = 5000;

/** 'worker': writes on their own thread (the app); 'inline': on this thread (tools, some tests). */
export type WriterKind = 'worker' | 'inline';

export interface IndexDbOptions {
  log?: IndexLog;
  /** Default 'worker'. */
  writer?: WriterKind;
  /** Default DEFAULT_BROAD_MATCH_CAP. */
  broadMatchCap?: number;
}

export class IndexDb {
  readonly file: string;
  private db: Database.Database;
  private statements!: ReturnType<typeof prepare>;
  private readonly writer: IndexWriter;
  private readonly matcher: Matcher;
  /** Passage texts and snippets for re-ranking (see search.ts). */
  readonly texts: PassageTexts;
  readonly stats: TermStats;
  private readonly log: IndexLog;
  private merging = false;
  private closing = false;

  constructor(dataDir: string, options: IndexDbOptions = {}) {
    this.log = options.log ?? (() => {});
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'index.sqlite');
    this.db = openOrRebuild(this.file, this.log);
    this.statements = prepare(this.db);
    this.matcher = createMatcher(this.db, options.broadMatchCap ?? DEFAULT_BROAD_MATCH_CAP);
    this.texts = createPassageTexts(this.db);
    this.stats = createTermStats(this.db);
    this.writer = (options.writer ?? 'worker') === 'worker' ? threadWriter(this.file) : inlineWriter(this.db);
  }

  /** Moves the current file aside and starts an empty index (files are the truth). */
  static rebuild(dataDir: string, options: IndexDbOptions = {}): IndexDb {
    const file = path.join(dataDir, 'index.sqlite');
    if (existsSync(file)) moveAside(file, options.log ?? (() => {}), 'damaged');
    return new IndexDb(dataDir, options);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.writer.close();
    if (this.db.open) this.db.close();
  }

  /**
   * Merges FTS5 segments step by step on the writer until none are left, each step a
   * separate message so other writes are not held up for long. One loop at a time.
   */
  mergeInBackground(): void {
    if (this.merging) return;
    this.merging = true;
    const step = (): Promise<void> =>
      this.closing ? Promise.resolve() : this.writer.merge().then((worked) => (worked ? step() : undefined));
    void step()
      .catch((error: Error) => this.log(`index: merging segments failed: ${error.message}`))
      .finally(() => {
        this.merging = false;
      });
  }

  /** Hands `ops` to the writer now, to be written with the next `write()`. */
  stage(ops: readonly WriteOp[]): void {
    this.writer.stage(ops);
  }

  /** Applies the staged ops and `ops` in order, in one transaction: all of it lands, or none of it. */
  write(ops: readonly WriteOp[]): Promise<void> {
    return this.writer.write(ops);
  }

  folderIds(): string[] {
    return this.db
      .prepare('SELECT folder_id FROM docs UNION SELECT folder_id FROM failures')
      .pluck()
      .all() as string[];
  }

  /** What the index believes about each file of a folder, for the reconcile pass. */
  storedStates(folderId: string): Map<string, StoredFileState> {
    const map = new Map<string, StoredFileState>();
    for (const row of this.statements.statesOf.all(folderId) as {
      rel_path: string;
      size: number;
      mtime_ms: number;
    }[]) {
      map.set(row.rel_path, { size: row.size, mtimeMs: row.mtime_ms, outcome: 'indexed' });
    }
    const unindexed = this.statements.failuresOf.all(folderId) as {
      rel_path: string;
      size: number;
      mtime_ms: number;
      is_error: number;
    }[];
    for (const row of unindexed) {
      map.set(row.rel_path, {
        size: row.size,
        mtimeMs: row.mtime_ms,
        outcome: row.is_error ? 'error' : 'skipped',
      });
    }
    return map;
  }

  failures(folderId: string): { path: string; reason: string }[] {
    return this.statements.failureReasons.all(folderId) as { path: string; reason: string }[];
  }

  counts(folderId: string): { docs: number; bytes: number } {
    return this.statements.countsOf.get(folderId) as { docs: number; bytes: number };
  }

  getDoc(id: string): DocRow | undefined {
    const row = this.statements.docById.get(id) as Record<string, unknown> | undefined;
    return row ? toDocRow(row) : undefined;
  }

  /** One FTS5 MATCH, best first (see matcher.ts). */
  match(expressions: string | readonly string[], limit: number): RawHit[] {
    return this.matcher.match(expressions, limit);
  }

  /** A search's statements in one read transaction (see SearchSource.snapshot). */
  snapshot<T>(read: () => T): T {
    return this.db.transaction(read)();
  }
}

function toDocRow(row: Record<string, unknown>): DocRow {
  return {
    rowid: row.rowid as number,
    id: row.id as string,
    folderId: row.folder_id as string,
    relPath: row.rel_path as string,
    title: row.title as string,
    kind: row.kind as DocKind,
    size: row.size as number,
    mtimeMs: row.mtime_ms as number,
    truncated: row.truncated === 1,
    parts: row.parts as number,
  };
}

const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB']);

export function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return CORRUPT_CODES.has(code) || code.startsWith('SQLITE_CORRUPT');
}

function openOrRebuild(file: string, log: IndexLog): Database.Database {
  try {
    return openAndMigrate(file, log);
  } catch (error) {
    if (!isCorruptionError(error) && !(error instanceof MigrationError)) throw error;
    moveAside(file, log, `damaged (${(error as Error).message})`);
    return openAndMigrate(file, log);
  }
}

/** The schema could not be replaced (the old one is left as it was: see createSchema). */
class MigrationError extends Error {}

function moveAside(file: string, log: IndexLog, why: string): void {
  const aside = `${file}.corrupt-${Date.now()}`;
  renameSync(file, aside);
  for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  log(
    `index: ${path.basename(file)} is ${why}; moved to ${path.basename(aside)}, rebuilding from your files`,
  );
}

function openAndMigrate(file: string, log: IndexLog): Database.Database {
  const fresh = !existsSync(file);
  const db = new Database(file);
  try {
    configure(db);
    checkTables(db);
    const version = fresh ? null : readSchemaVersion(db);
    if (version !== SCHEMA_VERSION) {
      if (version !== null)
        log(
          `index: the index was written by another version (schema ${version}, now ${SCHEMA_VERSION}: ${SCHEMA_CHANGE}); rebuilding it from your files`,
        );
      try {
        createSchema(db);
      } catch (error) {
        if (isCorruptionError(error) || (error as { code?: string }).code === 'SQLITE_BUSY') throw error;
        throw new MigrationError(`its schema could not be replaced: ${(error as Error).message}`);
      }
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

// A full quick_check reads every page of the file: 10.6 s for the index of 100,000 files, on
// every start, before the app could answer anything. Every table is checked here except the two
// that hold nearly all the pages (FTS5's doclists and its copy of the text), in milliseconds;
// damage in those shows as SQLITE_CORRUPT when a search or a write reaches it, and the library
// then rebuilds the index the same way (Library.guard).
const CHECKED_WHEN_READ = new Set(['docs_fts_data', 'docs_fts_content']);

function checkTables(db: Database.Database): void {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")
    .pluck()
    .all() as string[];
  for (const table of tables.filter((t) => !CHECKED_WHEN_READ.has(t))) {
    const verdict = db.pragma(`quick_check("${table.replaceAll('"', '""')}")`, { simple: true });
    if (verdict !== 'ok') {
      // One log line: quick_check reports on several lines ("*** in database main ***", …).
      const why = String(verdict).replace(/\s+/g, ' ').slice(0, 200);
      throw Object.assign(new Error(`table ${table}: ${why}`), { code: 'SQLITE_CORRUPT' });
    }
  }
}

function readSchemaVersion(db: Database.Database): string | null {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!hasMeta) return null;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as
    | { value: string }
    | undefined;
  return row?.value ?? null;
}

/**
 * Replaces whatever the file holds with an empty index of this schema, in one
 * transaction: a failure or a crash half-way leaves the old index exactly as it was
 * (and the next start tries again), never a mix of the two. The folders are then
 * indexed again by their normal reconcile, which reports progress and resumes after a
 * restart like any other indexing.
 */
export function createSchema(db: Database.Database): void {
  db.transaction(() => {
    for (const table of ['docs_fts', 'passages', 'docs', 'failures', 'meta']) {
      db.exec(`DROP TABLE IF EXISTS ${table}`);
    }
    db.exec(SCHEMA_SQL);
  }).immediate();
}

// One row of docs_fts is one passage. A document of N passages owns the rowids
// docs.rowid .. docs.rowid + N - 1 (write-sql.ts hands them out in blocks), so finding
// the document of a passage is one step back along the docs primary key, and a short
// document (one passage, nearly all of them) has the same rowid in both tables.
const SCHEMA_SQL = `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE docs (
      rowid INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      folder_id TEXT NOT NULL,
      rel_path TEXT NOT NULL,
      title TEXT NOT NULL,
      kind TEXT NOT NULL,
      size INTEGER NOT NULL,
      mtime_ms REAL NOT NULL,
      truncated INTEGER NOT NULL,
      parts INTEGER NOT NULL,
      indexed_at INTEGER NOT NULL,
      UNIQUE (folder_id, rel_path)
    );
    -- The passages of documents indexed in more than one (see passages.ts).
    CREATE TABLE passages (
      doc_rowid INTEGER NOT NULL,
      idx INTEGER NOT NULL,
      start_char INTEGER NOT NULL,
      end_char INTEGER NOT NULL,
      first_page INTEGER,
      last_page INTEGER,
      PRIMARY KEY (doc_rowid, idx)
    ) WITHOUT ROWID;
    CREATE TABLE failures (
      folder_id TEXT NOT NULL,
      rel_path TEXT NOT NULL,
      size INTEGER NOT NULL,
      mtime_ms REAL NOT NULL,
      reason TEXT NOT NULL,
      is_error INTEGER NOT NULL,
      PRIMARY KEY (folder_id, rel_path)
    );
    -- Title and path are their own columns so bm25() can weigh them above the body;
    -- remove_diacritics folds "café" and "cafe" together; porter files English word forms under one stem.
    CREATE VIRTUAL TABLE docs_fts USING fts5(
      title, path, body,
      tokenize = '${FTS_TOKENIZE}'
    );
    -- The rank column (ORDER BY rank) is bm25 with title and path weighted above the body.
    INSERT INTO docs_fts (docs_fts, rank) VALUES ('rank', '${FTS_RANK}');
    INSERT INTO docs_fts (docs_fts, rank) VALUES ('automerge', 16);
    INSERT INTO meta (key, value) VALUES ('schema', '${SCHEMA_VERSION}');
`;

function prepare(db: Database.Database) {
  return {
    statesOf: db.prepare('SELECT rel_path, size, mtime_ms FROM docs WHERE folder_id = ?'),
    failuresOf: db.prepare('SELECT rel_path, size, mtime_ms, is_error FROM failures WHERE folder_id = ?'),
    failureReasons: db.prepare(
      'SELECT rel_path AS path, reason FROM failures WHERE folder_id = ? AND is_error = 1 ORDER BY rel_path LIMIT 500',
    ),
    countsOf: db.prepare(
      'SELECT count(*) AS docs, coalesce(sum(size), 0) AS bytes FROM docs WHERE folder_id = ?',
    ),
    docById: db.prepare('SELECT rowid, * FROM docs WHERE id = ?'),
  };
}
