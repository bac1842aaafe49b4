import { describe, expect, it } from 'vitest';
import { charsetFromMeta, htmlToText } from './html.ts';

describe('htmlToText', () => {
  it('keeps visible text and the title, drops scripts, styles and the rest of head', () => {
    const doc = htmlToText(`<!doctype html><html><head><title> My  Page </title>
      <style>body{color:red}</style><script>var x = "<p>no</p>";</script><meta name="x" content="y"></head>
      <body><noscript>enable js</noscript><template><p>tpl</p></template>
      <svg><title>icon</title><text>svg text</text></svg>
      <h1>Heading</h1><p>First   paragraph
      with <b>bold</b> and <a href="#">a link</a>.</p><p>Second&nbsp;one &amp; more &lt;3</p></body></html>`);
    expect(doc.title).toBe('My Page');
    expect(doc.text).toBe('Heading\n\nFirst paragraph with bold and a link.\n\nSecond\u00a0one & more <3');
  });

  it('falls back to the first h1 for the title', () => {
    expect(htmlToText('<body><h1>Only <i>heading</i></h1><h1>Second</h1></body>').title).toBe('Only heading');
    expect(htmlToText('<p>no headings</p>').title).toBeNull();
  });

  it('breaks lines at blocks, list items, rows and <br>', () => {
    const doc = htmlToText(
      '<div>one</div><div>two</div><ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr><tr><td>z</td></tr></table>line<br>next<br><br>gap',
    );
    expect(doc.text).toBe('one\ntwo\n\na\nb\n\nx y\nz\n\nline\nnext\n\ngap');
  });

  it('keeps whitespace inside <pre>', () => {
    expect(htmlToText('<p>code:</p><pre>  a = 1\n  b = 2</pre>').text).toBe('code:\n\n  a = 1\n  b = 2');
  });

  it('copes with an unclosed <head>', () => {
    expect(htmlToText('<head><title>T</title><p>body text').text).toBe('body text');
  });
});

describe('charsetFromMeta', () => {
  it('finds both meta forms', () => {
    expect(charsetFromMeta(Buffer.from('<meta charset="windows-1251">'))).toBe('windows-1251');
    expect(
      charsetFromMeta(
        Buffer.from('<META http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'),
      ),
    ).toBe('ISO-8859-1');
    expect(charsetFromMeta(Buffer.from('<p>none</p>'))).toBeNull();
  });
});
