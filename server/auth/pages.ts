// The few pages a person sees during authorization. Everything shown is escaped; no
// scripts; the CSP set by the routes allows inline styles only.

import { escapeHtml } from '../html-escape.ts';

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { max-width: 34rem; margin: 10vh auto; padding: 0 1.5rem; line-height: 1.5; }
  h1 { font-size: 1.4rem; } .who { font-weight: 600; } .muted { opacity: .7; font-size: .9rem; }
  form { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { font: inherit; padding: .55rem 1.1rem; border-radius: .5rem; border: 1px solid #8886; cursor: pointer; }
  button.primary { background: #24292f; color: #fff; border-color: #24292f; }
  ul { padding-left: 1.2rem; }`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export interface ConsentView {
  uid: string;
  csrf: string;
  clientName: string;
  clientHost: string;
  redirectHost: string;
  /** Folder names only: the visitor is not known to be the owner yet. */
  folders: string[];
  githubReady: boolean;
}

export function consentPage(v: ConsentView): string {
  const folders = v.folders.length
    ? `<ul>${v.folders.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`
    : '<p class="muted">No folder is shared yet.</p>';
  const blocked = !v.githubReady
    ? '<p><strong>GitHub sign-in is not set up on this Porthole yet.</strong> Open Porthole and finish its setup first.</p>'
    : '';
  return page(
    'Allow access to your files?',
    `<h1><span class="who">${escapeHtml(v.clientName)}</span> wants to search and read your shared folders</h1>
<p class="muted">Asked by ${escapeHtml(v.clientHost)}; it will return to ${escapeHtml(v.redirectHost)}.</p>
<p>It will be able to <strong>search and read</strong> (never change) the files in:</p>${folders}
<p>To approve, sign in with GitHub as the owner of this Porthole. GitHub will send you back here, so use a browser on the computer where Porthole runs.</p>
${blocked}<form method="post" action="/consent/${encodeURIComponent(v.uid)}">
<input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}">
<button class="primary" name="action" value="continue"${v.githubReady ? '' : ' disabled'}>Continue with GitHub</button>
<button name="action" value="cancel">Cancel</button></form>`,
  );
}

export function messagePage(title: string, message: string, link?: { href: string; text: string }): string {
  const back = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${back}`);
}
