import { createHmac, randomBytes } from 'node:crypto';

// Document ids are an HMAC of (folder id, relative path) under a per-install key:
// stable across restarts and index rebuilds, yet opaque: nobody can turn a path into
// an id or an id into a path without the key, and `read()` only ever looks ids up.
const DOC_ID_LENGTH = 22; // 132 bits of the HMAC, base64url
const DOC_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function docId(idKey: string, folderId: string, relPath: string): string {
  return createHmac('sha256', idKey)
    .update(`${folderId}\0${relPath}`)
    .digest('base64url')
    .slice(0, DOC_ID_LENGTH);
}

/** Cheap shape check so garbage from the network never reaches the database. */
export function isWellFormedDocId(value: unknown): value is string {
  return typeof value === 'string' && DOC_ID_PATTERN.test(value);
}

export function newFolderId(): string {
  return `f${randomBytes(8).toString('hex')}`;
}
