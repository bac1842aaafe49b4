import { escapeHtml } from '../html-escape.ts';
import { splitPassages } from '../library/passages.ts';
import type { DocKind, LibraryDocument } from '../library/types.ts';
import { BRAND_MARK, BRAND_TOKENS } from '../page-brand.ts';
import { renderMarkdown } from './markdown.ts';

// Pages for `GET /view/:id`. Pure functions of the document: no I/O, so the escaping can
// be tested directly. The pages load nothing and run nothing (the CSP allows inline
// styles only), so everything they need is inline here.

const KIND_LABELS: Record<DocKind, string> = {
  text: 'Plain text',
  code: 'Code',
  markdown: 'Markdown',
  // The original markup is never served: a shared .html file could carry scripts or forms.
  html: 'HTML (text only)',
  pdf: 'PDF (extracted text)',
  docx: 'Word document (extracted text)',
};

const STYLE = `${BRAND_TOKENS}
body { font-size: 16px; line-height: 1.6; }
.topbar { margin: 0; background: var(--surface); border-bottom: 1px solid var(--border); }
.topbar .brand { max-width: 52rem; margin: 0 auto; padding: .7rem 1.25rem; }
main { max-width: 52rem; margin: 1.5rem auto 4rem; padding: 1.75rem 1.75rem 2.5rem; overflow-wrap: anywhere;
  background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); }
@media (max-width: 56rem) { main { margin: 0 0 2rem; border-radius: 0; border-inline: 0; padding: 1.25rem 1.1rem 2rem; } }
header { border-bottom: 1px solid var(--border); margin-bottom: 1.5rem; padding-bottom: 1rem; }
.crumbs { color: var(--muted); font-size: .9rem; margin: 0; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .25rem 0 .5rem; letter-spacing: -0.01em; }
.meta { color: var(--muted); font-size: .875rem; margin: 0; padding: 0; list-style: none;
  display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
.notice { background: var(--warning-soft); border: 1px solid var(--warning-border); border-radius: 8px;
  padding: .5rem .75rem; }
pre, code { font: .875rem/1.5 var(--mono); }
pre { background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; padding: 1rem;
  overflow-x: auto; }
pre.doc { white-space: pre-wrap; }
:not(pre) > code { background: var(--surface-2); border-radius: 4px; padding: .1em .3em; }
blockquote { margin: 0; padding: 0 1em; color: var(--muted); border-left: .25em solid var(--border-strong); }
table { border-collapse: collapse; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--border); padding: .3rem .75rem; }
img { max-width: 100%; }
hr { border: 0; border-top: 1px solid var(--border); }
.image { color: var(--muted); }
`;

/** "12.3 KB" style sizes; bytes below 1 KB are shown exactly. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown size';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** UTC, so the page does not depend on the server's time zone (the `datetime` attribute is exact). */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)} · Porthole</title>
<style>${STYLE}</style>
</head>
<body>
<p class="topbar">${BRAND_MARK}</p>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The document's body: Markdown rendered safely, everything else as escaped text. */
export function renderBody(doc: Pick<LibraryDocument, 'kind' | 'text' | 'pages'>): string {
  if (doc.kind === 'markdown') return `<article class="markdown">${renderMarkdown(doc.text)}</article>`;
  return `<pre class="doc">${withPassageAnchors(doc)}</pre>`;
}

/**
 * Escaped text with an empty `id="part-N"` element where each passage of a long document
 * begins, so a search result's link to a part lands there (routes.ts redirects to #part-N).
 * Rendered Markdown has no such anchors: a part link opens it at the top.
 */
function withPassageAnchors({ text, pages }: Pick<LibraryDocument, 'text' | 'pages'>): string {
  const passages = splitPassages(text, pages);
  if (passages.length === 1) return escapeHtml(text);
  return passages
    .map(
      (p, i) => `${i === 0 ? '' : `<span id="part-${i}"></span>`}${escapeHtml(text.slice(p.start, p.end))}`,
    )
    .join('');
}

/** The whole page for a document the owner opened from a search result link. */
export function renderDocumentPage(doc: LibraryDocument): string {
  const modified = escapeHtml(doc.modifiedAt);
  const truncated = doc.truncated
    ? `<p class="notice" role="note">This document is long; only its beginning is shown here.</p>\n`
    : '';
  const header = `<header>
<p class="crumbs">${escapeHtml(doc.folderName)} / ${escapeHtml(doc.path)}</p>
<h1>${escapeHtml(doc.title || doc.path)}</h1>
<ul class="meta">
<li>Modified <time datetime="${modified}">${escapeHtml(formatTime(doc.modifiedAt))}</time></li>
<li>${escapeHtml(formatSize(doc.size))}</li>
<li>${escapeHtml(KIND_LABELS[doc.kind] ?? doc.kind)}</li>
</ul>
</header>`;
  return page(doc.title || doc.path, `${header}\n${truncated}${renderBody(doc)}`);
}

/** A 404 page: no such document, or it is no longer shared. `reason` is shown as text. */
export function renderNotFoundPage(reason?: string): string {
  const detail = reason ?? 'There is no shared document with this id.';
  return page(
    'Document not found',
    `<h1>Document not found</h1>
<p>${escapeHtml(detail)}</p>
<p>The file may have been moved, deleted, or its folder may no longer be shared. Search again to get a fresh link.</p>`,
  );
}

/** A 500 page that says what happened without internals. */
export function renderErrorPage(): string {
  return page(
    'Could not open this document',
    `<h1>Could not open this document</h1>
<p>Porthole could not read this file just now. Try again; if it keeps failing, the activity log in the Porthole window has details.</p>`,
  );
}
