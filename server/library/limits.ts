// Default size limits of shared files, the one source for the library and the settings
// schema (settings.json may set others). Kept in a module of their own so settings.ts can
// import them without loading the library.

/** Files larger than this are not indexed or read (settings.maxFileBytes). */
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;
/**
 * Extracted text is cut at this many bytes (settings.maxTextBytes): long documents are
 * indexed and read in passages to this length. A cut document is marked `truncated`.
 */
export const DEFAULT_MAX_TEXT_BYTES = 32 * 1024 * 1024;
/** `fetch` returns a document whole up to this many characters; a longer one part by part. */
export const WHOLE_FETCH_MAX_CHARS = 200_000;
