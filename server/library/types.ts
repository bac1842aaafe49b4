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
  /** A symbolic link whose target does not exist. */
  | 'broken-link'
  | 'binary'
  | 'unsupported';

export type DocKind = 'text' | 'code' | 'markdown' | 'html' | 'pdf' | 'docx';

/**
 * Where a PDF's pages begin in its extracted text: `starts[i]` is the character offset of
 * page `numbers[i]` (1-based; pages without text are left out). `total` is the PDF's page count.
 */
export interface PageMap {
  starts: number[];
  numbers: number[];
  total: number;
}

export type ExtractResult =
  | { ok: true; kind: DocKind; title: string; text: string; truncated: boolean; pages?: PageMap }
  | { ok: false; skip: 'binary' | 'unsupported' };

/**
 * A passage of a document: characters [start, end) of its extracted text, and for a PDF the
 * pages it covers. Long documents are indexed and read in passages (passages.ts).
 */
export interface Passage {
  start: number;
  end: number;
  firstPage?: number;
  lastPage?: number;
}

/** Where in its document a hit's best passage lies (only for documents of several passages). */
export interface HitPart {
  /** 0-based passage index. */
  index: number;
  /** Passages in the document. */
  count: number;
  /** Characters [start, end) of the extracted text. */
  start: number;
  end: number;
}

export interface SearchResult {
  id: string;
  title: string;
  /** Path relative to the folder root. */
  path: string;
  folderId: string;
  snippet: string;
  /** Higher is better. */
  score: number;
  /** The best-matching passage, for a document indexed in several passages. */
  part?: HitPart;
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
  /** A PDF's page offsets in `text`. */
  pages?: PageMap;
  /** Set when the id named a part of the document (a passage id): where that part begins. */
  anchor?: { passage: number; char: number; page?: number };
  /** Set by `Library.fetch` when `text` is only a part of the document. */
  part?: DocumentPart;
}

/** Which part of a long document `Library.fetch` returned, and how to read the rest. */
export interface DocumentPart {
  /** Characters [start, end) of the document's extracted text; `totalChars` in all. */
  start: number;
  end: number;
  totalChars: number;
  /** 0-based passage indices of the part, and the number of passages. */
  firstPassage: number;
  lastPassage: number;
  passages: number;
  /** For a PDF: the pages of the part, and the PDF's page count. */
  pages?: { first: number; last: number; total: number };
  /** Ids of the parts before and after this one (null at either end). */
  previousId: string | null;
  nextId: string | null;
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
  /** Passages the document is indexed in (1 for all but long documents). */
  parts: number;
}

/** A document to write: its row and the extracted text that goes to the full-text table. */
export interface NewDoc extends Omit<DocRow, 'rowid' | 'parts'> {
  body: string;
  /** Present for a document indexed in several passages: their ranges in `body`. */
  passages?: Passage[];
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
  /** bm25(): lower is better. */
  rank: number;
  /** The docs_fts rowid of the passage that matched (re-ranking reads its text by it). */
  rowid: number;
  /** The best-ranked passage, for a document indexed in several passages. */
  part?: HitPart;
}
