// PDF text through pdf.js. In Node pdf.js has no real worker: its "fake worker" parses on
// this thread, yielding between messages, so the timeout can fire between pages.

import { createRequire } from 'node:module';
import path from 'node:path';
import type { PageMap } from '../types.ts';
import { withTimeout } from './timeout.ts';

export const PDF_TIMEOUT_MS = 30_000;
// Past this many pages a PDF is a book or a scan; the first pages are enough to find it by.
export const PDF_MAX_PAGES = 2000;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;
// Loading pdf.js costs ~100 ms and pulls in a native canvas module: only pay it when a PDF turns up.
const loadPdfJs = (): Promise<PdfJs> => {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
};

let assetDirs: { fonts: string; cmaps: string } | undefined;
function pdfAssets(): { fonts: string; cmaps: string } {
  if (!assetDirs) {
    const root = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    // pdf.js reads these with fs.readFile, so plain paths with a trailing separator do.
    assetDirs = {
      fonts: path.join(root, 'standard_fonts') + path.sep,
      cmaps: path.join(root, 'cmaps') + path.sep,
    };
  }
  return assetDirs;
}

export interface PdfText {
  title: string | null;
  text: string;
  /** Pages were left unread because of the page or text limit. */
  truncated: boolean;
  /** Where each page with text begins in `text`. */
  pages: PageMap;
}

export async function extractPdf(
  data: Uint8Array,
  opts: { maxTextBytes: number; timeoutMs?: number; maxPages?: number },
): Promise<PdfText> {
  const { getDocument } = await loadPdfJs();
  const assets = pdfAssets();
  const params: Parameters<PdfJs['getDocument']>[0] = {
    data,
    // Errors only: damaged-but-readable PDFs otherwise print "Warning: ..." lines to stdout.
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    standardFontDataUrl: assets.fonts,
    cMapUrl: assets.cmaps,
    cMapPacked: true,
  };
  const task = getDocument(params);
  const ms = opts.timeoutMs ?? PDF_TIMEOUT_MS;
  const budget = { stopped: false, pagesUntil: Date.now() + ms * PAGE_BUDGET_SHARE };
  try {
    return await withTimeout(
      readAll(task.promise, opts.maxTextBytes, opts.maxPages ?? PDF_MAX_PAGES, budget),
      ms,
      `PDF took longer than ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`} to read; it was skipped.`,
      () => {
        budget.stopped = true;
        void task.destroy();
      },
    );
  } catch (error) {
    throw pdfError(error);
  } finally {
    await task.destroy().catch(() => {});
  }
}

// A long document keeps the pages read so far once this share of the timeout is spent,
// rather than losing them all to the hard timeout.
const PAGE_BUDGET_SHARE = 0.75;

type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

async function readAll(
  loading: Promise<PdfDocument>,
  maxTextBytes: number,
  maxPages: number,
  budget: { stopped: boolean; pagesUntil: number },
): Promise<PdfText> {
  const doc = await loading;
  const meta = await doc.getMetadata().catch(() => null);
  const info = meta?.info as { Title?: unknown } | undefined;
  const title = typeof info?.Title === 'string' ? info.Title.replace(/\s+/g, ' ').trim() : '';
  const pages: string[] = [];
  const map: PageMap = { starts: [], numbers: [], total: doc.numPages };
  let length = 0;
  const last = Math.min(doc.numPages, maxPages);
  let page = 1;
  // A UTF-16 unit is at least one UTF-8 byte, so `length` past the limit means bytes past it too.
  for (; page <= last && length <= maxTextBytes && Date.now() < budget.pagesUntil; page++) {
    const text = await pageText(doc, page);
    if (budget.stopped) break;
    if (text) {
      map.starts.push(length);
      map.numbers.push(page);
      pages.push(text);
      length += text.length + 2;
    }
  }
  return { title: title || null, text: pages.join('\n\n'), truncated: page <= doc.numPages, pages: map };
}

async function pageText(doc: PdfDocument, n: number): Promise<string> {
  try {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    let text = '';
    for (const item of content.items) {
      if ('str' in item) text += item.hasEOL ? `${item.str}\n` : item.str;
    }
    page.cleanup();
    return text.trim();
  } catch {
    // One damaged page should not cost the rest of the document its text.
    return '';
  }
}

function pdfError(error: unknown): Error {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('PDF took longer')) return new Error(message);
  if (name === 'PasswordException') return new Error('PDF is password-protected; it cannot be indexed.');
  return new Error(`PDF could not be parsed: ${message || name || 'unknown error'}`);
}
