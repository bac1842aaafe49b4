const encoder = new TextEncoder();

/**
 * Cuts `text` so its UTF-8 encoding fits in `maxBytes`. encodeInto never writes half a
 * character, and a surrogate pair is one 4-byte sequence, so the cut lands between characters.
 */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // Every UTF-16 unit costs at least one byte, and at most three.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) {
    return { text, truncated: false };
  }
  const limit = Math.max(0, Math.floor(maxBytes));
  const { read } = encoder.encodeInto(text, new Uint8Array(limit));
  return { text: text.slice(0, read), truncated: true };
}
