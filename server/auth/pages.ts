// The few pages a person sees during authorization. Everything shown is escaped; no
// scripts; the CSP set by the routes allows inline styles only.

import { escapeHtml } from '../html-escape.ts';
import { BRAND_MARK, BRAND_TOKENS } from '../page-brand.ts';

const STYLE = `${BRAND_TOKENS}
  main { max-width: 34rem; margin: 0 auto; padding: 8vh 1.25rem 3rem; }
  .card { margin-top: 1.25rem; padding: 1.5rem 1.6rem; background: var(--surface); border: 1px solid var(--border);
    border-radius: var(--radius); box-shadow: var(--shadow); overflow-wrap: anywhere; }
  h1 { font-size: 1.35rem; line-height: 1.3; margin: 0 0 .75rem; letter-spacing: -0.01em; }
  p { margin: .75rem 0; } .who { color: var(--accent); } .muted { color: var(--muted); font-size: .9rem; }
  ul { margin: .5rem 0; padding-left: 1.2rem; }
  .notice { background: var(--warning-soft); border: 1px solid var(--warning-border); color: var(--text);
    border-radius: 10px; padding: .7rem .9rem; font-size: .93rem; }
  form { display: flex; flex-wrap: wrap; gap: .6rem; margin-top: 1.4rem; }
  button { font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: 8px; cursor: pointer;
    border: 1px solid var(--border-strong); background: var(--surface); color: var(--text); }
  button.primary { background: var(--primary); border-color: var(--primary); color: var(--on-accent); }
  button.primary:hover:not(:disabled) { background: var(--primary-hover); }
  button:disabled { opacity: .55; cursor: not-allowed; }
  .footer { margin-top: 1rem; text-align: center; color: var(--muted); font-size: .8rem; }`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${escapeHtml(title)} · Porthole</title><style>${STYLE}</style></head><body><main>${BRAND_MARK}<section class="card">${body}</section><p class="footer">Porthole shares folders on its owner’s computer, for the owner’s GitHub account only.</p></main></body></html>`;
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
  /** GitHub returns to this public host (a stable URL registered with the GitHub App): any browser works. */
  anyBrowser?: boolean;
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
${
  v.anyBrowser
    ? '<p>To approve, sign in with GitHub as the owner of this Porthole. GitHub then sends you back here, in this browser.</p>'
    : '<p class="notice" data-testid="this-computer-only"><strong>Do this on the computer where Porthole runs.</strong> After you sign in with GitHub as the owner of this Porthole, GitHub sends your browser to 127.0.0.1, which is that computer itself: from a phone or another computer the approval cannot finish.</p>'
}
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
