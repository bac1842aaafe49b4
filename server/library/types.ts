// Shared shapes of the library: what the walker yields, what extraction returns,
// what search and read give back. Kept in one place so the parts agree.

/** A shared folder as persisted in settings. `id` is stable for the life of the share. */
export interface FolderConfig {
  id: string;
  /** Absolute, resolved (realpath) path of the folder. */
  path: string;
  /** Display name, the folder's base name unless the user renamed it. */
  name: string;
  addedAt: string;
}

/** Where the list of shared folders is persisted (settings.json in the app; memory in tests). */
export interface FolderStore {
  load(): FolderConfig[];
  save(folders: FolderConfig[]): void;
}

// The contract (api.ts) owns how a folder's status looks: every UI shows it.
export type { FolderError, FolderState, FolderStatus } from '../api.ts';

/** One thing the walker found. Paths are '/'-separated and relative to the folder root. */
export type WalkEntry =
  | { type: 'file'; relPath: string; absPath: string; size: number; mtimeMs: number }
  | { type: 'skip'; relPath: string; reason: SkipReason };

export type SkipReason =
  | 'excluded'
  | 'gitignored'
  | 'too-large'
  | 'symlink-outside'
  | 'symlink-loop'
  | 'unreadable'
  | 'binary'
  | 'unsupported';

export type DocKind = 'text' | 'code' | 'markdown' | 'html' | 'pdf' | 'docx';

export type ExtractResult =
  | { ok: true; kind: DocKind; title: string; text: string; truncated: boolean }
  | { ok: false; skip: 'binary' | 'unsupported' };

export interface SearchResult {
  id: string;
  title: string;
  /** Path relative to the folder root. */
  path: string;
  folderId: string;
  snippet: string;
  /** Higher is better. */
  score: number;
}

export interface LibraryDocument {
  id: string;
  title: string;
  text: string;
  folderId: string;
  folderName: string;
  /** Path relative to the folder root. */
  path: string;
  kind: DocKind;
  size: number;
  modifiedAt: string;
  /** True when the extracted text was cut at `maxTextBytes`. */
  truncated: boolean;
}

// Rows of the index (index.sqlite), as the modules that read and write it see them.

/** A document's row in `docs`. */
export interface DocRow {
  rowid: number;
  id: string;
  folderId: string;
  relPath: string;
  title: string;
  kind: DocKind;
  size: number;
  mtimeMs: number;
  truncated: boolean;
}

/** A document to write: its row and the extracted text that goes to the full-text table. */
export interface NewDoc extends Omit<DocRow, 'rowid'> {
  body: string;
}

/** What the index last saw of a file, compared with the disk to find what changed. */
export interface StoredFileState {
  size: number;
  mtimeMs: number;
  outcome: 'indexed' | 'skipped' | 'error';
}

/** One match of an FTS5 query, before it is scored into a SearchResult. */
export interface RawHit {
  id: string;
  folderId: string;
  relPath: string;
  title: string;
  snippet: string;
  /** bm25(): lower is better. */
  rank: number;
}
