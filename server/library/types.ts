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

export type FolderState = 'scanning' | 'indexing' | 'watching' | 'error';

export interface FolderError {
  /** Path relative to the folder root, '/'-separated. */
  path: string;
  reason: string;
}

export interface FolderStatus {
  id: string;
  path: string;
  name: string;
  state: FolderState;
  filesSeen: number;
  indexed: number;
  skipped: number;
  errors: FolderError[];
  /** Bytes of the files indexed (on disk size). */
  bytes: number;
  lastIndexedAt: string | null;
  /** A folder-level problem (folder vanished, watcher failed), else null. */
  message: string | null;
}

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
