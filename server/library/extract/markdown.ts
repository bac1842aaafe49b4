// Markdown is already readable text: we only drop the front matter and find a title.

const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const MAX_TITLE = 200;

export interface MarkdownDoc {
  title: string | null;
  text: string;
}

export function parseMarkdown(source: string): MarkdownDoc {
  const fm = FRONT_MATTER.exec(source);
  const body = fm ? source.slice(fm[0].length) : source;
  const title = (fm && frontMatterTitle(fm[1] ?? '')) || firstHeading(body);
  return { title, text: body };
}

/** `title:` from a YAML block, read line by line: enough for the one key we want. */
function frontMatterTitle(yaml: string): string | null {
  for (const line of yaml.split(/\r?\n/)) {
    const m = /^title[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m) continue;
    let value = (m[1] ?? '').trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
    } else {
      value = value.replace(/[ \t]+#.*$/, '');
    }
    // Block scalars (`title: >`) are rare in front matter; not worth a YAML parser.
    if (value === '>' || value === '|') return null;
    return clean(value);
  }
  return null;
}

/** The first level-1 heading, else the first heading of any level; code fences are skipped. */
function firstHeading(body: string): string | null {
  const lines = body.split(/\r?\n/, 2000);
  let fence: string | null = null;
  let fallback: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1]?.[0] === fence[0] && (f[1]?.length ?? 0) >= fence.length) fence = null;
      continue;
    }
    if (f) {
      fence = f[1] ?? null;
      continue;
    }
    let level = 0;
    let text = '';
    const atx = ATX.exec(line);
    const next = lines[i + 1];
    const setext = next === undefined ? null : SETEXT.exec(next);
    if (atx) {
      level = atx[1]?.length ?? 0;
      text = atx[2] ?? '';
    } else if (setext && isParagraphLine(line)) {
      level = setext[1]?.[0] === '=' ? 1 : 2;
      text = line;
    }
    const title = level ? clean(text) : null;
    if (!title) continue;
    if (level === 1) return title;
    fallback ??= title;
  }
  return fallback;
}

function isParagraphLine(line: string): boolean {
  return line.trim() !== '' && !/^ {0,3}([>#|]|[-*+][ \t]|\d+[.)][ \t]|<)/.test(line) && !/^ {4}/.test(line);
}

/** Inline markup out of a heading: links keep their text, emphasis and code marks go. */
function clean(s: string): string | null {
  const text = s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|\*)(.+?)\1/g, '$2')
    // Only word-bounded underscores are emphasis; snake_case names stay intact.
    .replace(/(?<!\w)(__|_)(.+?)\1(?!\w)/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
  return text ? text.slice(0, MAX_TITLE) : null;
}
