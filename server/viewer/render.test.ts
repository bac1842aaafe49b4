import { describe, expect, it } from 'vitest';
import type { LibraryDocument } from '../library/types.ts';
import { renderMarkdown, safeHref } from './markdown.ts';
import { formatSize, formatTime, renderDocumentPage, renderNotFoundPage } from './render.ts';

function doc(over: Partial<LibraryDocument> = {}): LibraryDocument {
  return {
    id: 'd1',
    title: 'Notes',
    text: 'hello',
    folderId: 'f1',
    folderName: 'Docs',
    path: 'a/notes.txt',
    kind: 'text',
    size: 2048,
    modifiedAt: '2025-03-04T05:06:07.000Z',
    truncated: false,
    ...over,
  };
}

/** A real tag (not escaped text) that could run or load something, an event handler inside a tag, a script URL. */
const DANGEROUS =
  /<(script|img|iframe|svg|object|embed|form|div|b)[\s>/]|<[a-z][^>]*\son\w+\s*=|(href|src)="?\s*(javascript|data):/i;

describe('renderMarkdown', () => {
  it('renders headings, lists, emphasis, code and tables', () => {
    const html = renderMarkdown('# Title\n\n- one\n- two\n\n1. first\n\n*em* `x<y`\n\n| a |\n|---|\n| b |\n');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toContain('<ol>');
    expect(html).toContain('<em>em</em>');
    expect(html).toContain('<code>x&lt;y</code>');
    expect(html).toContain('<td>b</td>');
  });

  it('shows raw HTML blocks and inline tags as text', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<div onclick="x()">hi <img src=x onerror=alert(1)></div>\n\ntext <b onmouseover="y()">bold</b>\n',
    );
    expect(html).not.toMatch(DANGEROUS);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b onmouseover=&quot;y()&quot;&gt;');
  });

  it('keeps http(s) and mailto links and drops the rest', () => {
    const html = renderMarkdown(
      '[ok](https://example.com/a?b=1&c=2) [mail](mailto:a@b.c) [js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [data](data:text/html,<script>1</script>) [rel](../secret.txt) [ent](java&#x73;cript:alert(1)) <javascript:alert(1)>',
    );
    expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">ok</a>');
    expect(html).toContain('<a href="mailto:a@b.c" rel="noopener noreferrer">mail</a>');
    expect(html).not.toMatch(/href="(?!https:|mailto:)/);
    expect(html).not.toMatch(DANGEROUS);
    expect(html).toContain('rel');
  });

  it('never loads images: alt text and URL as text', () => {
    const html = renderMarkdown('![a <b>cat</b>](https://x.test/cat.png "t") ![](javascript:alert(1))');
    expect(html).not.toContain('<img');
    expect(html).toContain('[image: a &lt;b&gt;cat&lt;/b&gt;] <code>https://x.test/cat.png</code>');
    expect(html).toContain('<code>javascript:alert(1)</code>');
  });

  it('escapes link titles and text', () => {
    const html = renderMarkdown('[<img src=x onerror=alert(1)>](https://a.test "\\"><script>")');
    expect(html).not.toMatch(DANGEROUS);
  });

  it('safeHref normalizes and filters', () => {
    expect(safeHref(' https://a.test/x y')).toBe('https://a.test/x%20y');
    expect(safeHref('vbscript:x')).toBeNull();
    expect(safeHref('/abs')).toBeNull();
  });
});

describe('renderDocumentPage', () => {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'';

  it('escapes title, folder, path and text for plain, code and HTML documents', () => {
    for (const kind of ['text', 'code', 'html', 'docx', 'pdf'] as const) {
      const html = renderDocumentPage(doc({ kind, title: evil, folderName: evil, path: evil, text: evil }));
      expect(html).not.toMatch(DANGEROUS);
      expect(html).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;',
      );
    }
  });

  it('shows breadcrumb, modified time, size and type', () => {
    const html = renderDocumentPage(doc({ kind: 'code', text: 'const a = 1 < 2;' }));
    expect(html).toContain('Docs / a/notes.txt');
    expect(html).toContain('<time datetime="2025-03-04T05:06:07.000Z">2025-03-04 05:06 UTC</time>');
    expect(html).toContain('2.0 KB');
    expect(html).toContain('Code');
    expect(html).toContain('<pre class="doc">const a = 1 &lt; 2;</pre>');
    expect(html).not.toContain('only its beginning');
  });

  it('renders Markdown documents and says when the text was truncated', () => {
    const html = renderDocumentPage(doc({ kind: 'markdown', text: '## Part\n\n- x\n', truncated: true }));
    expect(html).toContain('<h2>Part</h2>');
    expect(html).toContain('<li>x</li>');
    expect(html).toContain('only its beginning is shown');
  });

  it('is self-contained: no scripts, no external resources', () => {
    const html = renderDocumentPage(doc({ kind: 'markdown', text: '[a](https://a.test)' }));
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html).toContain('prefers-color-scheme: dark');
  });

  it('not-found page escapes its reason', () => {
    const html = renderNotFoundPage('<script>x</script>');
    expect(html).toContain('Document not found');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('formats sizes and times', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatSize(300 * 1024)).toBe('300 KB');
    expect(formatTime('not a date')).toBe('not a date');
  });
});
