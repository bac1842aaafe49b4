import { describe, expect, it } from 'vitest';
import { parseMarkdown } from './markdown.ts';

describe('parseMarkdown', () => {
  it('takes the title from front matter and strips the block', () => {
    const doc = parseMarkdown('---\nlayout: post\ntitle: "Hello: World"\ntags: [a]\n---\n# Other\n\nBody.\n');
    expect(doc.title).toBe('Hello: World');
    expect(doc.text).toBe('# Other\n\nBody.\n');
  });

  it('handles single quotes, CRLF and an empty block', () => {
    expect(parseMarkdown("---\r\ntitle: 'Quoted'\r\n---\r\ntext").title).toBe('Quoted');
    expect(parseMarkdown('---\n---\n# Head\n')).toEqual({ title: 'Head', text: '# Head\n' });
  });

  it('falls back to the first level-1 heading', () => {
    const doc = parseMarkdown('---\ndate: 2024\n---\nintro\n\n## Minor\n\n# Main *title* #\n');
    expect(doc.title).toBe('Main title');
  });

  it('reads setext headings', () => {
    expect(parseMarkdown('Big Title\n=========\n\ntext').title).toBe('Big Title');
    expect(parseMarkdown('Small Title\n---\n\ntext').title).toBe('Small Title');
  });

  it('uses a lower-level heading when there is no level 1', () => {
    expect(parseMarkdown('text\n\n### Third [link](http://x) `code`\n\n## Second\n').title).toBe(
      'Third link code',
    );
  });

  it('ignores headings inside code fences', () => {
    const doc = parseMarkdown('```sh\n# not a heading\n```\n\n~~~\n# nor this\n~~~\n# Real\n');
    expect(doc.title).toBe('Real');
  });

  it('keeps snake_case names in headings', () => {
    expect(parseMarkdown('# The my_func_name helper\n').title).toBe('The my_func_name helper');
  });

  it('returns null when there is no heading, and leaves text without front matter as is', () => {
    expect(parseMarkdown('just a paragraph\n- list\n')).toEqual({
      title: null,
      text: 'just a paragraph\n- list\n',
    });
    expect(parseMarkdown('#hashtag is not a heading').title).toBeNull();
  });
});
