// The one page of the one-click setup that is not a plain message: the form that carries the
// manifest to GitHub. No script (the page's CSP allows none), so the person presses the button:
// GitHub's own page, with its "Create GitHub App" button, comes next.
import { escapeHtml } from '../html-escape.ts';
import { BRAND_MARK, BRAND_TOKENS } from '../page-brand.ts';

// The same card as the consent pages (server/auth/pages.ts), with the brand of page-brand.ts.
const STYLE = `${BRAND_TOKENS}
  main { max-width: 34rem; margin: 0 auto; padding: 8vh 1.25rem 3rem; }
  .card { margin-top: 1.25rem; padding: 1.5rem 1.6rem; background: var(--surface); border: 1px solid var(--border);
    border-radius: var(--radius); box-shadow: var(--shadow); overflow-wrap: anywhere; }
  h1 { font-size: 1.35rem; line-height: 1.3; margin: 0 0 .75rem; }
  p { margin: .75rem 0; } .muted { color: var(--muted); font-size: .9rem; }
  ul { margin: .5rem 0; padding-left: 1.2rem; } form { margin-top: 1.4rem; }
  button { font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: 8px; cursor: pointer;
    background: var(--primary); border: 1px solid var(--primary); color: var(--on-accent); }
  button:hover { background: var(--primary-hover); }`;

export function manifestFormPage(v: {
  action: string;
  manifest: string;
  appName: string;
  githubHost: string;
  callbackUrls: string[];
}): string {
  const callbacks = v.callbackUrls.map((url) => `<li><code>${escapeHtml(url)}</code></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>Create Porthole’s GitHub App · Porthole</title><style>${STYLE}</style></head><body><main>${BRAND_MARK}<section class="card">
<h1>Create Porthole’s GitHub App</h1>
<p>Porthole will ask ${escapeHtml(v.githubHost)} to create a private GitHub App named <strong>${escapeHtml(v.appName)}</strong>, owned by you. It asks for <strong>no permissions</strong> and has no webhook: it only tells Porthole which GitHub account signs in.</p>
<p class="muted">Sign-ins return to:</p><ul class="muted">${callbacks}</ul>
<form method="post" action="${escapeHtml(v.action)}">
<input type="hidden" name="manifest" value="${escapeHtml(v.manifest)}">
<button type="submit">Continue to GitHub</button>
</form>
<p class="muted">On GitHub, press “Create GitHub App”. GitHub then sends you back here.</p>
</section></main></body></html>`;
}
