import { closeSync, type Dirent, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import type { Rng } from './prng.ts';

// Words and phrases taken from the corpus itself, so queries find things in any
// corpus (a real one passed with --corpus has none of the synthetic vocabulary).

export interface CorpusSample {
  /** Words by how many sampled files contain them, most common first. */
  wordsByDocFreq: string[];
  /** Runs of 5+ plain words from prose lines: phrases are cut from these. */
  proseLines: string[][];
  /** Relative paths of the sampled files. */
  files: string[];
}

// Extensions whose text a person would search; the sample reads only these.
const TEXT_EXTENSIONS = new Set(
  ['', '.txt', '.md', '.rst', '.html', '.htm', '.ts', '.js', '.py', '.go', '.c', '.h', '.sh', '.tex'].concat([
    '.org',
    '.adoc',
    '.json',
    '.yaml',
    '.yml',
    '.xml',
    '.csv',
    '.java',
    '.rs',
    '.rb',
    '.css',
  ]),
);
const MAX_READ_BYTES = 64 * 1024;
const WORD = /^[\p{L}]{3,24}$/u;

/** Every file under `root` that Porthole would plausibly index, sorted (so the sample is stable). */
export function listTextFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      // Same defaults as Porthole and ripgrep: no dotfiles, no dependency folders.
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile() && TEXT_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) out.push(child);
    }
  };
  visit('');
  return out.sort();
}

export function sampleCorpus(root: string, rng: Rng, maxFiles = 300): CorpusSample {
  const all = listTextFiles(root);
  const chosen = new Set<string>();
  const wanted = Math.min(maxFiles, all.length);
  while (chosen.size < wanted) chosen.add(rng.pick(all));
  const docFreq = new Map<string, number>();
  const proseLines: string[][] = [];
  const files = [...chosen].sort();
  for (const rel of files) {
    const text = readStart(path.join(root, ...rel.split('/')));
    if (text === null) continue;
    const plain = /\.html?$/i.test(rel) ? stripTags(text) : text;
    for (const word of new Set(tokenize(plain))) docFreq.set(word, (docFreq.get(word) ?? 0) + 1);
    for (const line of plain.split('\n')) {
      // Prose only: markup and code would make phrases that extraction changes.
      if (/[<>[\]()`|*_{}=#\\/]/.test(line)) continue;
      const words = line
        .trim()
        .split(/[\s,.;:!?]+/)
        .filter(Boolean);
      if (words.length >= 5 && words.every((w) => WORD.test(w))) proseLines.push(words);
    }
  }
  const wordsByDocFreq = [...docFreq.entries()]
    .filter(([, df]) => df >= 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
  return { wordsByDocFreq, proseLines, files };
}

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => WORD.test(w));
}

function stripTags(html: string): string {
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
}

/** The first 64 KB of a text file (a huge log should not be read whole), or null for binary. */
function readStart(file: string): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(MAX_READ_BYTES);
    const head = buffer.subarray(0, readSync(fd, buffer, 0, MAX_READ_BYTES, 0));
    if (head.includes(0)) return null;
    return head.toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
