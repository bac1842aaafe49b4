import type { Express, RequestHandler, Response } from 'express';
import { DocumentNotFoundError } from '../library/read.ts';
import type { LibraryDocument } from '../library/types.ts';
import { renderDocumentPage, renderErrorPage, renderNotFoundPage } from './render.ts';

// `GET /view/:id`: the page behind a search result's `url`. The link travels through
// ChatGPT, so anyone might open it; `authorizeViewer` (the owner's browser session) runs
// before anything is read. The document's content is hostile by assumption, so every
// answer forbids scripts, framing, remote loads, caching and sniffing.

export const VIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// A PDF is shown by the browser's own viewer. `sandbox` gives the document an opaque
// origin with no scripts, so script actions inside the PDF cannot reach this origin.
// `plugin-types` is obsolete in current browsers but harmless, and limits older ones.
export const PDF_CSP =
  "sandbox; default-src 'none'; object-src 'self'; plugin-types application/pdf; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Ids are short opaque tokens; anything longer is refused before it reaches the index. */
const MAX_ID_LENGTH = 256;

export interface ViewerOptions {
  read: (id: string) => Promise<LibraryDocument>;
  /** Raw bytes of a PDF document, or null when there are none to serve (then the text page is shown). */
  readPdf?: (id: string) => Promise<{ bytes: Buffer; title: string } | null>;
  /** The owner-session check: calls next() for the owner, otherwise answers (redirect to sign-in, 403). */
  authorizeViewer: RequestHandler;
  log?: (line: string) => void;
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  setCommonHeaders(res, VIEW_CSP);
  next();
};

function setCommonHeaders(res: Response, csp: string): void {
  res.set({
    'Content-Security-Policy': csp,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
}

export function mountViewer(app: Express, options: ViewerOptions): void {
  const log = options.log ?? (() => {});

  // Headers first, so the sign-in redirect and any refusal carry them too.
  app.get('/view/:id', securityHeaders, options.authorizeViewer, async (req, res) => {
    const id = String(req.params.id ?? '');
    const sendHtml = (status: number, html: string) => {
      res.status(status).type('html').send(html);
    };
    if (id.length === 0 || id.length > MAX_ID_LENGTH) {
      log('viewer: 404 malformed id');
      sendHtml(404, renderNotFoundPage());
      return;
    }
    try {
      const doc = await options.read(id);
      // A part of a long document (a search result's link) opens the document at that part:
      // the browser's PDF viewer reads #page=N, the text page has an anchor per passage.
      if (doc.anchor && doc.id !== id) {
        const at =
          doc.kind === 'pdf' && doc.anchor.page ? `page=${doc.anchor.page}` : `part-${doc.anchor.passage}`;
        res.redirect(302, `/view/${encodeURIComponent(doc.id)}#${at}`);
        log(`viewer: 302 ${id.slice(0, 64)} part`);
        return;
      }
      // read() runs first even for PDFs: it is the check that the id is still shared.
      if (doc.kind === 'pdf' && options.readPdf) {
        const pdf = await options.readPdf(id);
        if (pdf) {
          setCommonHeaders(res, PDF_CSP);
          res.status(200).set({
            'Content-Type': 'application/pdf',
            'Content-Disposition': inlineDisposition(pdf.title, 'document.pdf'),
          });
          res.send(pdf.bytes);
          log(`viewer: 200 ${id} pdf`);
          return;
        }
      }
      sendHtml(200, renderDocumentPage(doc));
      log(`viewer: 200 ${id} ${doc.kind}`);
    } catch (error) {
      if (error instanceof DocumentNotFoundError) {
        log(`viewer: 404 ${id.slice(0, 64)}`);
        sendHtml(404, renderNotFoundPage(error.message));
        return;
      }
      log(`viewer: 500 ${id.slice(0, 64)}: ${(error as Error)?.message ?? error}`);
      sendHtml(500, renderErrorPage());
    }
  });
}

/**
 * `inline` with an RFC 6266 / RFC 8187 filename: an ASCII fallback for old clients and the
 * exact UTF-8 name. Quotes, backslashes and control characters can never break the header.
 */
export function inlineDisposition(title: string, fallback: string): string {
  let name = title.replace(/\p{Cc}/gu, '').trim() || fallback;
  if (!/\.pdf$/i.test(name)) name += '.pdf';
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
