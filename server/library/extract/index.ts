// Text extraction for the search index: one file in, its title and plain text out.
// Called for every file during indexing, so the common case (a small UTF-8 text or
// source file) is one open, one read and one decode.

import { open, readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { DocKind, ExtractResult, PageMap } from '../types.ts';
import { decodeText, looksBinary, unknownLooksBinary } from './decode.ts';
import { extractDocx } from './docx.ts';
import { charsetFromMeta, htmlToText } from './html.ts';
import { type Route, routeFor, titleFromFileName } from './kinds.ts';
import { parseMarkdown } from './markdown.ts';
import { extractPdf } from './pdf.ts';
import { truncateUtf8 } from './truncate.ts';

export { titleFromFileName };

export interface ExtractOptions {
  /** Upper bound on the UTF-8 byte length of the returned text. */
  maxTextBytes: number;
}

// Room for front matter and for the decoder's last, possibly incomplete, character.
const READ_SLACK = 64 * 1024;
// Markup outweighs visible text on most pages, so HTML gets a longer prefix.
const HTML_READ_FACTOR = 8;

const SKIP_UNSUPPORTED: ExtractResult = { ok: false, skip: 'unsupported' };
const SKIP_BINARY: ExtractResult = { ok: false, skip: 'binary' };

/**
 * Extracts title and text. Returns a skip for files that are not documents; throws a short,
 * human-readable Error for documents that are damaged or cannot be read.
 */
export async function extractFile(absPath: string, opts: ExtractOptions): Promise<ExtractResult> {
  const maxTextBytes = Math.max(0, opts.maxTextBytes);
  const gzipped = gzippedTextRoute(absPath);
  if (gzipped) return extractTextLike(absPath, gzipped, maxTextBytes, true);
  const route = routeFor(absPath);
  switch (route) {
    case 'unsupported':
      return SKIP_UNSUPPORTED;
    case 'pdf': {
      const data = await readFile(absPath);
      const pdf = await extractPdf(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), {
        maxTextBytes,
      });
      const result = finish(
        'pdf',
        pdf.title ?? titleFromFileName(absPath),
        pdf.text,
        maxTextBytes,
        pdf.truncated,
      );
      return result.ok ? { ...result, pages: pagesWithin(pdf.pages, result.text.length) } : result;
    }
    case 'docx': {
      const text = await extractDocx(await readFile(absPath));
      return finish('docx', titleFromFileName(absPath), text, maxTextBytes, false);
    }
    default:
      return extractTextLike(absPath, route, maxTextBytes);
  }
}

/**
 * `notes.md.gz`, `changelog.txt.gz`: compressed text (Debian ships its documentation that
 * way) is read through gunzip; the route is the inner file's. Other .gz files stay skipped.
 */
function gzippedTextRoute(absPath: string): Route | null {
  if (!absPath.toLowerCase().endsWith('.gz')) return null;
  const inner = routeFor(absPath.slice(0, -3));
  return inner === 'markdown' || inner === 'html' || inner === 'code' || inner === 'text' ? inner : null;
}

async function extractTextLike(
  absPath: string,
  route: Route,
  maxTextBytes: number,
  gzipped = false,
): Promise<ExtractResult> {
  const factor = route === 'html' ? HTML_READ_FACTOR : 2;
  // Two source bytes always decode to at least one UTF-8 byte (UTF-16 is the worst case),
  // so a prefix of this size still fills maxTextBytes.
  const limit = maxTextBytes * factor + READ_SLACK;
  const { buf, cut } = gzipped ? await gunzipHead(absPath, limit) : await readHead(absPath, limit);
  if (route === 'unknown' ? unknownLooksBinary(buf) : looksBinary(buf)) return SKIP_BINARY;
  const charsetHint = route === 'html' ? charsetFromMeta(buf) : null;
  const source = decodeText(buf, { partial: cut, charsetHint });
  const fileTitle = titleFromFileName(absPath);
  switch (route) {
    case 'markdown': {
      const md = parseMarkdown(source);
      return finish('markdown', md.title ?? fileTitle, md.text, maxTextBytes, cut);
    }
    case 'html': {
      const html = htmlToText(source);
      return finish('html', html.title ?? fileTitle, html.text, maxTextBytes, cut);
    }
    case 'code':
      return finish('code', fileTitle, source, maxTextBytes, cut);
    default:
      return finish('text', fileTitle, source, maxTextBytes, cut);
  }
}

function finish(
  kind: DocKind,
  title: string,
  text: string,
  maxTextBytes: number,
  cut: boolean,
): ExtractResult {
  const limited = truncateUtf8(text, maxTextBytes);
  return { ok: true, kind, title, text: limited.text, truncated: cut || limited.truncated };
}

/** The pages that begin inside the (possibly cut) text. */
function pagesWithin(pages: PageMap, length: number): PageMap {
  const kept = pages.starts.findIndex((start) => start >= length);
  if (kept === -1) return pages;
  return { starts: pages.starts.slice(0, kept), numbers: pages.numbers.slice(0, kept), total: pages.total };
}

/** The first `limit` bytes of the file, and whether there was more. */
async function readHead(absPath: string, limit: number): Promise<{ buf: Buffer; cut: boolean }> {
  const handle = await open(absPath, 'r');
  try {
    const { size } = await handle.stat();
    const want = Math.min(size, limit);
    const buf = Buffer.allocUnsafe(want);
    let filled = 0;
    while (filled < want) {
      const { bytesRead } = await handle.read(buf, filled, want - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { buf: buf.subarray(0, filled), cut: size > limit };
  } finally {
    await handle.close();
  }
}

/** The first `limit` bytes of a gzip file's content; a zip bomb stops at the limit. */
async function gunzipHead(absPath: string, limit: number): Promise<{ buf: Buffer; cut: boolean }> {
  const compressed = await readFile(absPath);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const gunzip = createGunzip();
    const finish = (cut: boolean) => {
      if (done) return;
      done = true;
      gunzip.destroy();
      resolve({ buf: Buffer.concat(chunks).subarray(0, limit), cut });
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > limit) finish(true);
    });
    gunzip.on('end', () => finish(false));
    gunzip.on('error', (error) => {
      if (!done) reject(new Error(`Compressed file could not be read: ${error.message}`));
      done = true;
    });
    gunzip.end(compressed);
  });
}
