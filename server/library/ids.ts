import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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

// A part of a long document (what a search result for a long document points at, and the
// previous/next links of `fetch`) has an id of its own: the document id, the passage the
// part starts at, and a tag, an HMAC of both under the same key. A part id is only
// accepted with its tag, so nobody can make one up or point one at another passage, and
// the document id inside it is looked up in the index like any other.
const PART_TAG_LENGTH = 12; // 72 bits of the HMAC, base64url
const PART_ID_PATTERN = /^([A-Za-z0-9_-]{22})\.(0|[1-9][0-9]{0,6})\.([A-Za-z0-9_-]{12})$/;

export function partId(idKey: string, documentId: string, passage: number): string {
  return `${documentId}.${passage}.${partTag(idKey, documentId, passage)}`;
}

/** The document and passage a part id names, or null when it is not a genuine part id. */
export function parsePartId(idKey: string, value: unknown): { docId: string; passage: number } | null {
  if (typeof value !== 'string') return null;
  const match = PART_ID_PATTERN.exec(value);
  if (!match) return null;
  const [, documentId = '', digits = '', tag = ''] = match;
  const passage = Number(digits);
  const expected = Buffer.from(partTag(idKey, documentId, passage));
  const given = Buffer.from(tag);
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { docId: documentId, passage }
    : null;
}

function partTag(idKey: string, documentId: string, passage: number): string {
  return createHmac('sha256', idKey)
    .update(`part\0${documentId}\0${passage}`)
    .digest('base64url')
    .slice(0, PART_TAG_LENGTH);
}

export function newFolderId(): string {
  return `f${randomBytes(8).toString('hex')}`;
}
