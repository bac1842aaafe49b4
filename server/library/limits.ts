// Default size limits of shared files, the one source for the library and the settings
// schema (settings.json may set others). Kept in a module of their own so settings.ts can
// import them without loading the library.

/** Files larger than this are not indexed or read (settings.maxFileBytes). */
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Extracted text is cut at this many bytes (settings.maxTextBytes). */
export const DEFAULT_MAX_TEXT_BYTES = 2 * 1024 * 1024;
