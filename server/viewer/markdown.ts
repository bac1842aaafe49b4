import { Marked, type Tokens } from 'marked';
import { escapeHtml } from '../html-escape.ts';

// Markdown from a shared folder is untrusted: a file can be written by anyone who can put
// a file there (a downloaded README, a cloned repository). So raw HTML is shown as text,
// links keep only schemes that cannot run code, and images are never fetched (the page's
// CSP forbids remote images anyway; a broken image would only hide what the file points to).

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** The href to emit, or null when the link must be dropped (relative, javascript:, data:, …). */
export function safeHref(href: string): string | null {
  let url: URL;
  try {
    // No base: a relative link has no meaning outside the folder, and cannot be followed here.
    url = new URL(href);
  } catch {
    return null;
  }
  return SAFE_SCHEMES.has(url.protocol) ? url.href : null;
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text, block }: Tokens.HTML | Tokens.Tag): string {
      // A raw block keeps its line breaks so the markup reads as the file has it.
      return block
        ? `<pre class="raw-html">${escapeHtml(text.replace(/\n+$/, ''))}</pre>\n`
        : escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      const safe = safeHref(href);
      if (safe === null) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(safe)}"${titleAttr} rel="noopener noreferrer">${inner}</a>`;
    },
    image({ href, text, tokens }: Tokens.Image): string {
      // The text renderer passes inline HTML through verbatim, so the alt text is escaped here.
      const alt = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text;
      const label = alt.trim() ? `image: ${alt}` : 'image';
      return `<span class="image">[${escapeHtml(label)}] <code>${escapeHtml(href)}</code></span>`;
    },
  },
});

/** Markdown to an HTML fragment with no raw HTML, no script-capable links, no images. */
export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}
