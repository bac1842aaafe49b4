import type { Rng } from './prng.ts';
import type { Vocabulary } from './vocabulary.ts';

// Writers for each kind of synthetic document. They append to a `Sink` until the
// file reaches its target size, so a 200 KB file never exists as one string.

export type DocKind = 'txt' | 'md' | 'html' | 'ts' | 'py' | 'go';

export interface Sink {
  write(text: string): void;
  /** Characters written so far (the corpus is ASCII, so also bytes). */
  readonly length: number;
}

/** Words that are not function words: what titles, names and identifiers are made of. */
const CONTENT_RANK_MIN = 100;

export class DocumentWriter {
  constructor(
    private readonly vocab: Vocabulary,
    private readonly rng: Rng,
  ) {}

  contentWord(): string {
    let rank = this.vocab.sampleRank(this.rng);
    while (rank < CONTENT_RANK_MIN) rank = this.vocab.sampleRank(this.rng);
    return this.vocab.words[rank] as string;
  }

  title(): string {
    const count = this.rng.int(2, 6);
    const words: string[] = [];
    for (let i = 0; i < count; i++)
      words.push(
        i === 0 || this.rng.chance(0.5) ? capitalize(this.contentWord()) : this.vocab.sample(this.rng),
      );
    return words.join(' ');
  }

  sentence(): string {
    return this.sentenceWords().join(' ');
  }

  /** A paragraph wrapped at ~76 columns, like prose written in an editor. */
  paragraph(indent = ''): string {
    const width = 76 - indent.length;
    let out = indent;
    let column = 0;
    for (let s = this.rng.int(2, 6); s > 0; s--) {
      for (const word of this.sentenceWords()) {
        if (column > 0 && column + 1 + word.length > width) {
          out += `\n${indent}`;
          column = 0;
        } else if (column > 0) {
          out += ' ';
          column++;
        }
        out += word;
        column += word.length;
      }
    }
    return `${out}\n`;
  }

  /** 4–18 words, capitalized, punctuated; the hot loop of generation, so no regex or re-splitting. */
  private sentenceWords(): string[] {
    const count = this.rng.int(4, 18);
    const words: string[] = new Array(count);
    for (let i = 0; i < count; i++) {
      let word = this.vocab.sample(this.rng);
      if (i === 0) word = capitalize(word);
      if (i === count - 1) word += this.rng.chance(0.08) ? '?' : '.';
      else if (this.rng.chance(0.06)) word += ',';
      words[i] = word;
    }
    return words;
  }

  identifier(style: 'camel' | 'snake'): string {
    const parts = [this.contentWord(), this.contentWord()];
    if (this.rng.chance(0.3)) parts.push(this.contentWord());
    return style === 'snake' ? parts.join('_') : parts[0] + parts.slice(1).map(capitalize).join('');
  }

  write(kind: DocKind, sink: Sink, target: number, title: string): void {
    if (kind === 'txt') this.writeText(sink, target, title);
    else if (kind === 'md') this.writeMarkdown(sink, target, title);
    else if (kind === 'html') this.writeHtml(sink, target, title);
    else this.writeCode(kind, sink, target, title);
  }

  private writeText(sink: Sink, target: number, title: string): void {
    sink.write(`${title}\n\n`);
    while (sink.length < target) sink.write(`${this.paragraph()}\n`);
  }

  private writeMarkdown(sink: Sink, target: number, title: string): void {
    sink.write(`# ${title}\n\n`);
    while (sink.length < target) {
      const r = this.rng.float();
      if (r < 0.12) sink.write(`## ${this.title()}\n\n`);
      else if (r < 0.2) {
        for (let i = this.rng.int(2, 5); i > 0; i--) sink.write(`- ${this.sentence()}\n`);
        sink.write('\n');
      } else if (r < 0.23)
        sink.write(`\`\`\`\n${this.identifier('camel')}(${this.identifier('camel')});\n\`\`\`\n\n`);
      else sink.write(`${this.paragraph()}\n`);
    }
  }

  private writeHtml(sink: Sink, target: number, title: string): void {
    sink.write(
      `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n`,
    );
    sink.write('<style>body { font-family: sans-serif; }</style>\n</head>\n<body>\n');
    sink.write(`<h1>${title}</h1>\n`);
    while (sink.length < target) {
      const r = this.rng.float();
      if (r < 0.12) sink.write(`<h2>${this.title()}</h2>\n`);
      else if (r < 0.2) sink.write(`<ul>\n<li>${this.sentence()}</li>\n<li>${this.sentence()}</li>\n</ul>\n`);
      else sink.write(`<p>${this.paragraph().trimEnd()}</p>\n`);
    }
    sink.write('</body>\n</html>\n');
  }

  private writeCode(kind: 'ts' | 'py' | 'go', sink: Sink, target: number, title: string): void {
    const comment = kind === 'py' ? '#' : '//';
    sink.write(`${comment} ${title}\n${comment} ${this.sentence()}\n\n`);
    if (kind === 'go') sink.write(`package ${this.contentWord()}\n\n`);
    while (sink.length < target) {
      const fn = this.identifier(kind === 'py' ? 'snake' : 'camel');
      const a = this.identifier(kind === 'py' ? 'snake' : 'camel');
      const b = this.contentWord();
      const text = this.sentence();
      if (kind === 'py') {
        sink.write(`def ${fn}(${a}, ${b}):\n    """${this.sentence()}"""\n`);
        sink.write(`    # ${this.sentence()}\n    result = ${a} + "${text}"\n    return result, ${b}\n\n\n`);
      } else if (kind === 'go') {
        sink.write(
          `${comment} ${fn} ${this.sentence().toLowerCase()}\nfunc ${fn}(${a} string, ${b} int) string {\n`,
        );
        sink.write(`\t${comment} ${this.sentence()}\n\treturn ${a} + "${text}"\n}\n\n`);
      } else {
        sink.write(
          `${comment} ${this.sentence()}\nexport function ${fn}(${a}: string, ${b}: number): string {\n`,
        );
        sink.write(
          `  ${comment} ${this.sentence()}\n  const message = \`${text}\`;\n  return ${a} + message + ${b};\n}\n\n`,
        );
      }
    }
  }
}

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
