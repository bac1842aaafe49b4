import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { extractFile } from './extract/index.ts';
import { isWellFormedDocId, parsePartId } from './ids.ts';
import type { IgnoreRules } from './ignore-rules.ts';
import type { IndexDb } from './index-db.ts';
import { splitPassages } from './passages.ts';
import { isStrictlyInside } from './paths.ts';
import type { DocRow, FolderConfig, LibraryDocument } from './types.ts';

/** The id names no readable document. The message is written for the model that asked. */
export class DocumentNotFoundError extends Error {
  override name = 'DocumentNotFoundError';
}

export interface ReadContext {
  db: IndexDb;
  /** The key of document and part ids (ids.ts). */
  idKey: string;
  folder(id: string): { config: FolderConfig; rules: IgnoreRules } | undefined;
  maxFileBytes: number;
  maxTextBytes: number;
}

export interface ReadOutcome {
  document: LibraryDocument;
  /** The file changed since it was indexed: the caller should re-index it. */
  stale: boolean;
}

const UNKNOWN_ID =
  'No document has this id. Ids come from the search tool: search again and use an id it returns.';
const PART_GONE =
  'This part of the document no longer exists: the file changed since it was found. Search again for a current id.';
const VANISHED =
  'This document was deleted or moved since it was indexed. Search again to find its current id.';

/**
 * Reads a document by id. The id is only ever looked up in the index; the path found
 * there is resolved to its real location and must still lie strictly inside its shared
 * folder (whole path segments) and not be excluded, so a symlink swapped in after
 * indexing, or a folder that stopped being shared, reads nothing.
 */
export async function readDocument(context: ReadContext, id: unknown): Promise<ReadOutcome> {
  const { row, folder, real, info, passage } = await locate(context, id);
  const extracted = await extractFile(real, { maxTextBytes: context.maxTextBytes }).catch((error: Error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DocumentNotFoundError(VANISHED);
    throw error;
  });
  if (!extracted.ok) throw new DocumentNotFoundError('This file is no longer a readable document.');
  // The path is checked again after reading: a swap during the read is refused too.
  if ((await resolveInside(row, folder.config, folder.rules)) !== real)
    throw new DocumentNotFoundError(VANISHED);
  let anchor: LibraryDocument['anchor'];
  if (passage !== null) {
    // The passages are computed from the text just read, as the indexer did from the same text.
    const part = splitPassages(extracted.text, extracted.pages)[passage];
    if (!part) throw new DocumentNotFoundError(PART_GONE);
    anchor = { passage, char: part.start, ...(part.firstPage ? { page: part.firstPage } : {}) };
  }
  return {
    document: {
      id: row.id,
      title: extracted.title,
      text: extracted.text,
      folderId: row.folderId,
      folderName: folder.config.name,
      path: row.relPath,
      kind: extracted.kind,
      size: info.size,
      modifiedAt: new Date(info.mtimeMs).toISOString(),
      truncated: extracted.truncated,
      ...(extracted.pages ? { pages: extracted.pages } : {}),
      ...(anchor ? { anchor } : {}),
    },
    stale: info.size !== row.size || info.mtimeMs !== row.mtimeMs,
  };
}

/** The original bytes of a document (a PDF for the viewer), under the same checks as readDocument. */
export async function readOriginalBytes(context: ReadContext, id: unknown): Promise<Buffer> {
  const { row, folder, real } = await locate(context, id);
  const bytes = await readFile(real).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new DocumentNotFoundError(VANISHED);
    throw error;
  });
  if (bytes.length > context.maxFileBytes)
    throw new DocumentNotFoundError(
      'This file has grown past the size limit for shared files and is no longer shared.',
    );
  if ((await resolveInside(row, folder.config, folder.rules)) !== real)
    throw new DocumentNotFoundError(VANISHED);
  return bytes;
}

/**
 * Id (a document's, or a part's: ids.ts) → index row → real path strictly inside its
 * shared folder, not excluded, a file within the size limit.
 */
async function locate(context: ReadContext, id: unknown) {
  const part = parsePartId(context.idKey, id);
  const documentId = part ? part.docId : id;
  if (!isWellFormedDocId(documentId)) throw new DocumentNotFoundError(UNKNOWN_ID);
  const row = context.db.getDoc(documentId);
  const folder = row ? context.folder(row.folderId) : undefined;
  if (!row || !folder) throw new DocumentNotFoundError(UNKNOWN_ID);
  const real = await resolveInside(row, folder.config, folder.rules);
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) throw new DocumentNotFoundError(VANISHED);
  if (info.size > context.maxFileBytes) {
    throw new DocumentNotFoundError(
      'This file has grown past the size limit for shared files and is no longer shared.',
    );
  }
  return { row, folder, real, info, passage: part ? part.passage : null };
}

async function resolveInside(row: DocRow, folder: FolderConfig, rules: IgnoreRules): Promise<string> {
  const candidate = path.join(folder.path, ...row.relPath.split('/'));
  if (!isStrictlyInside(folder.path, candidate)) throw new DocumentNotFoundError(UNKNOWN_ID);
  const real = await realpath(candidate).catch(() => null);
  if (!real) throw new DocumentNotFoundError(VANISHED);
  const realFolder = await realpath(folder.path).catch(() => null);
  if (!realFolder || !isStrictlyInside(realFolder, real)) throw new DocumentNotFoundError(VANISHED);
  const realRel = path.relative(realFolder, real).split(path.sep).join('/');
  if (rules.isIgnored(realRel, false) || rules.isIgnored(row.relPath, false))
    throw new DocumentNotFoundError(VANISHED);
  return real;
}
