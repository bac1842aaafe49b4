// Visible text of an HTML page, laid out roughly the way a browser would break it into lines.

import { Parser } from 'htmlparser2';

const tags = (list: string) => new Set(list.split(' '));

// Content a reader never sees. `head` is special: its <title> is still read.
const HIDDEN = tags('script style noscript template svg math head iframe object');
// Blocks that stand apart from their neighbours by a blank line.
const PARAGRAPH = tags(
  'p h1 h2 h3 h4 h5 h6 pre blockquote table ul ol dl figure hr section article header footer nav aside main form fieldset details address',
);
// Blocks that only start a new line.
const LINE = tags('div li dt dd tr caption figcaption summary legend option');
const CELL = tags('td th');
// What may sit in <head>; anything else means the page omitted </head>, as HTML allows.
const HEAD_CONTENT = tags('title meta link base style script noscript template');
const HTML_SPACE = /[ \t\n\f\r]+/g;
const MAX_TITLE = 200;

export interface HtmlDoc {
  title: string | null;
  text: string;
}

export function htmlToText(html: string): HtmlDoc {
  const out: string[] = [];
  const hidden: string[] = [];
  let atLineStart = true;
  let pendingSpace = false;
  let pendingBreaks = 0;
  let preDepth = 0;
  let title: string | null = null;
  let titleBuf: string[] | null = null;
  let h1: string | null = null;
  let h1Buf: string[] | null = null;

  const breakLine = (n: number) => {
    pendingBreaks = Math.max(pendingBreaks, n);
    pendingSpace = false;
  };
  const emit = (s: string) => {
    if (out.length > 0 && pendingBreaks > 0) {
      out.push(pendingBreaks > 1 ? '\n\n' : '\n');
      atLineStart = true;
    } else if (pendingSpace && !atLineStart) {
      out.push(' ');
    }
    pendingBreaks = 0;
    pendingSpace = false;
    out.push(s);
    atLineStart = s.endsWith('\n');
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (hidden.length === 1 && hidden[0] === 'head' && !HEAD_CONTENT.has(name)) hidden.pop();
        if (HIDDEN.has(name)) hidden.push(name);
        if (name === 'title' && hidden.every((t) => t === 'head')) titleBuf = [];
        if (hidden.length > 0 || titleBuf) return;
        if (name === 'h1' && h1 === null) h1Buf = [];
        if (name === 'pre') preDepth++;
        if (name === 'br') {
          // Consecutive <br>s make a blank line, as they do on screen.
          if (out.length > 0) pendingBreaks = Math.min(pendingBreaks + 1, 2);
          pendingSpace = false;
        } else if (PARAGRAPH.has(name)) breakLine(2);
        else if (LINE.has(name)) breakLine(1);
        else if (CELL.has(name)) pendingSpace = true;
      },
      ontext(data) {
        if (titleBuf) {
          titleBuf.push(data);
          return;
        }
        if (hidden.length > 0) return;
        h1Buf?.push(data);
        if (preDepth > 0) {
          emit(data);
          return;
        }
        const words = data.replace(HTML_SPACE, ' ');
        if (words === ' ') {
          pendingSpace = true;
          return;
        }
        if (words.startsWith(' ')) pendingSpace = true;
        // String#trim would also eat &nbsp;, which HTML keeps.
        const trimmed = words.replace(/^ | $/g, '');
        if (trimmed) emit(trimmed);
        if (words.endsWith(' ')) pendingSpace = true;
      },
      onclosetag(name) {
        if (name === 'title' && titleBuf) {
          title ??= collapse(titleBuf.join(''));
          titleBuf = null;
          return;
        }
        if (HIDDEN.has(name)) {
          const at = hidden.lastIndexOf(name);
          if (at >= 0) hidden.splice(at);
          return;
        }
        if (hidden.length > 0) return;
        if (name === 'h1' && h1Buf) {
          h1 = collapse(h1Buf.join(''));
          h1Buf = null;
        }
        if (name === 'pre' && preDepth > 0) preDepth--;
        if (PARAGRAPH.has(name)) breakLine(2);
        else if (LINE.has(name)) breakLine(1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);

  const text = out
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { title: title || h1 || null, text };
}

/** `<meta charset>` or the http-equiv form, read from the ASCII head of undecoded bytes. */
export function charsetFromMeta(buf: Uint8Array): string | null {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 2048)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return m?.[1] ?? null;
}

function collapse(s: string): string | null {
  const t = s.replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, MAX_TITLE) : null;
}
