import type { Server } from 'node:http';
import express, { type RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { DocumentNotFoundError } from '../library/read.ts';
import type { LibraryDocument } from '../library/types.ts';
import { inlineDisposition, mountViewer, PDF_CSP, VIEW_CSP, type ViewerOptions } from './routes.ts';

const SECRET = 'TOP-SECRET-CONTENT';

const docs: Record<string, LibraryDocument> = {
  md: doc('md', 'markdown', '# Heading\n\n- item\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))'),
  txt: doc('txt', 'text', `${SECRET} <img src=x onerror=alert(1)>`),
  html: doc('html', 'html', 'extracted text only'),
  pdf: doc('pdf', 'pdf', 'pdf extracted text'),
};

function doc(id: string, kind: LibraryDocument['kind'], text: string): LibraryDocument {
  return {
    id,
    title: `<script>t()</script>${id}`,
    text,
    folderId: 'f',
    folderName: 'Folder',
    path: `dir/<b>${id}</b>`,
    kind,
    size: 10,
    modifiedAt: '2025-01-02T03:04:05.000Z',
    truncated: false,
  };
}

const read = async (id: string) => {
  if (id === 'boom') throw new Error('disk on fire');
  const found = docs[id];
  if (!found) throw new DocumentNotFoundError('This document is not shared.');
  return found;
};
const allow: RequestHandler = (_req, _res, next) => next();
const refuse: RequestHandler = (req, res) => {
  res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}`);
};

let server: Server | null = null;

async function stop() {
  const s = server;
  server = null;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
}

afterEach(stop);

async function start(over: Partial<ViewerOptions> = {}): Promise<string> {
  const app = express();
  const log: string[] = [];
  mountViewer(app, { read, authorizeViewer: allow, log: (l) => log.push(l), ...over });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

function expectCommonHeaders(res: Response) {
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('GET /view/:id', () => {
  it('renders Markdown safely with the strict headers', async () => {
    const base = await start();
    const res = await fetch(`${base}/view/md`);
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers.get('content-security-policy')).toBe(VIEW_CSP);
    expectCommonHeaders(res);
    expect(body).toContain('<h1>Heading</h1>');
    expect(body).toContain('<li>item</li>');
    expect(body).not.toMatch(/<script|href="javascript|<b>/i);
    expect(body).toContain('&lt;script&gt;t()&lt;/script&gt;md');
    expect(body).toContain('Folder / dir/&lt;b&gt;md&lt;/b&gt;');
  });

  it('escapes plain text and shows only the extracted text of HTML documents', async () => {
    const base = await start();
    const txt = await (await fetch(`${base}/view/txt`)).text();
    expect(txt).toContain(`${SECRET} &lt;img src=x onerror=alert(1)&gt;`);
    expect(txt).not.toMatch(/<img/i);
    const html = await (await fetch(`${base}/view/html`)).text();
    expect(html).toContain('<pre class="doc">extracted text only</pre>');
  });

  it('answers an unknown id with a 404 page carrying the same headers', async () => {
    const base = await start();
    for (const path of ['/view/nope', `/view/${'x'.repeat(300)}`]) {
      const res = await fetch(base + path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(VIEW_CSP);
      expectCommonHeaders(res);
      expect(await res.text()).toContain('Document not found');
    }
  });

  it('answers other read failures with a 500 page that hides the details', async () => {
    const base = await start();
    const res = await fetch(`${base}/view/boom`);
    expect(res.status).toBe(500);
    expectCommonHeaders(res);
    expect(await res.text()).not.toContain('disk on fire');
  });

  it('respects the authorizer: redirect to sign-in, nothing read, no content', async () => {
    let reads = 0;
    const base = await start({
      authorizeViewer: refuse,
      read: async (id) => {
        reads++;
        return read(id);
      },
    });
    const res = await fetch(`${base}/view/txt`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Fview%2Ftxt');
    expect(res.headers.get('content-security-policy')).toBe(VIEW_CSP);
    expectCommonHeaders(res);
    expect(await res.text()).not.toContain(SECRET);
    expect(reads).toBe(0);
  });

  it('serves PDF bytes inline in a sandbox when readPdf is given', async () => {
    const bytes = Buffer.from('%PDF-1.4\n% fake\n');
    const base = await start({
      readPdf: async (id) => (id === 'pdf' ? { bytes, title: 'Résumé "final".pdf' } : null),
    });
    const res = await fetch(`${base}/view/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `inline; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
    expect(res.headers.get('content-security-policy')).toBe(PDF_CSP);
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expectCommonHeaders(res);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it('falls back to the extracted text page for PDFs without readPdf or without bytes', async () => {
    for (const over of [{}, { readPdf: async () => null }]) {
      const base = await start(over);
      const res = await fetch(`${base}/view/pdf`);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('pdf extracted text');
      await stop();
    }
  });

  it('does not serve PDF bytes for an id that is no longer shared', async () => {
    let pdfReads = 0;
    const base = await start({
      readPdf: async () => {
        pdfReads++;
        return { bytes: Buffer.from('%PDF'), title: 'x.pdf' };
      },
    });
    expect((await fetch(`${base}/view/gone`)).status).toBe(404);
    expect(pdfReads).toBe(0);
  });
});

describe('inlineDisposition', () => {
  it('keeps the header well formed whatever the title', () => {
    expect(inlineDisposition('a\r\nb;c\\d', 'document.pdf')).toBe(
      `inline; filename="ab;c_d.pdf"; filename*=UTF-8''ab%3Bc%5Cd.pdf`,
    );
    expect(inlineDisposition('  ', 'document.pdf')).toBe(
      `inline; filename="document.pdf"; filename*=UTF-8''document.pdf`,
    );
    expect(inlineDisposition("it's (1)*", 'd.pdf')).toContain(`filename*=UTF-8''it%27s%20%281%29%2A.pdf`);
  });
});
