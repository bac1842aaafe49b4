import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DocKind, DocumentWriter, type Sink } from './documents.ts';
import { mixSeed, Rng } from './prng.ts';
import { buildVocabulary, type Vocabulary } from './vocabulary.ts';

// The synthetic corpus: N files in a tree of ~100 files per folder, generated from a
// seed. File i depends only on (seed, i), so any file's original content can be known
// without reading it, and generation order does not matter.

/** Bump when the generator changes, so stale caches are regenerated. */
export const CORPUS_VERSION = 2;
export const FILES_PER_DIR = 100;
/** A dotfile: Porthole and ripgrep both skip it, so it never shows up in results. */
export const MARKER_FILE = '.porthole-bench-complete';
const MAX_FILE_BYTES = 200 * 1024;
const MIN_FILE_BYTES = 200;

export interface CorpusConfig {
  files: number;
  seed: number;
}

export interface FileSpec {
  index: number;
  relPath: string;
  kind: DocKind;
  targetBytes: number;
  title: string;
}

export interface CorpusInfo {
  dir: string;
  files: number;
  bytes: number;
  /** False when a complete cached copy was re-used. */
  generated: boolean;
  seconds: number;
}

interface Marker extends CorpusConfig {
  version: number;
  bytes: number;
}

export function defaultCorpusDir(config: CorpusConfig): string {
  return path.join(os.tmpdir(), `porthole-bench-corpus-${config.files}-${config.seed}`);
}

export class SyntheticCorpus {
  readonly vocab: Vocabulary;

  constructor(readonly config: CorpusConfig) {
    this.vocab = buildVocabulary(50_000, config.seed);
  }

  /** Where file `index` lives and what it is, without generating its text. */
  spec(index: number): FileSpec {
    return this.plan(index).spec;
  }

  /** Writes file `index` under `root` (its folders must exist). Returns its size in bytes. */
  writeFile(root: string, index: number): number {
    const { spec, writer } = this.plan(index);
    const sink = new FileSink(path.join(root, ...spec.relPath.split('/')));
    try {
      writer.write(spec.kind, sink, spec.targetBytes, spec.title);
    } finally {
      sink.close();
    }
    return sink.length;
  }

  /** The folders of the tree, parents before children. */
  directories(): string[] {
    const dirs = new Set<string>();
    const dirCount = Math.ceil(this.config.files / FILES_PER_DIR);
    for (let d = 0; d < dirCount; d++) {
      const parts = this.dirParts(d);
      for (let k = 1; k <= parts.length; k++) dirs.add(parts.slice(0, k).join('/'));
    }
    return [...dirs];
  }

  private dirParts(dirIndex: number): string[] {
    const dirCount = Math.ceil(this.config.files / FILES_PER_DIR);
    const levels = Math.max(1, Math.ceil(Math.log10(dirCount)));
    const digits = String(dirIndex).padStart(levels, '0');
    const parts: string[] = [];
    for (let k = 1; k <= levels; k++) {
      const prefix = digits.slice(0, k);
      const rng = new Rng(mixSeed(this.config.seed, 0xd1, k, Number(prefix)));
      parts.push(`${this.vocab.words[rng.int(100, 3000)]}-${prefix}`);
    }
    return parts;
  }

  private plan(index: number): { spec: FileSpec; writer: DocumentWriter } {
    const rng = new Rng(mixSeed(this.config.seed, index));
    const writer = new DocumentWriter(this.vocab, rng);
    const r = rng.float();
    const kind: DocKind =
      r < 0.35 ? 'txt' : r < 0.65 ? 'md' : r < 0.8 ? 'html' : r < 0.88 ? 'ts' : r < 0.95 ? 'py' : 'go';
    // Mostly 1–8 KB, with a long tail of big documents up to 200 KB.
    const raw = rng.chance(0.97) ? rng.logNormal(3000, 0.75) : rng.logNormal(30_000, 1.0);
    const targetBytes = Math.round(Math.min(MAX_FILE_BYTES, Math.max(MIN_FILE_BYTES, raw)));
    const title = writer.title();
    const name = `${writer.contentWord()}-${writer.contentWord()}-${index}.${kind}`;
    const relPath = [...this.dirParts(Math.floor(index / FILES_PER_DIR)), name].join('/');
    return { spec: { index, relPath, kind, targetBytes, title }, writer };
  }
}

/**
 * Returns the corpus at `dir`, generating it first unless a complete copy for the same
 * config is already there (the marker file is written last, so a crash means "incomplete").
 */
export function ensureCorpus(
  corpus: SyntheticCorpus,
  dir: string,
  log: (line: string) => void = () => {},
): CorpusInfo {
  const started = performance.now();
  const existing = readMarker(dir);
  const { files, seed } = corpus.config;
  if (existing && existing.version === CORPUS_VERSION && existing.files === files && existing.seed === seed) {
    return { dir, files, bytes: existing.bytes, generated: false, seconds: 0 };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const sub of corpus.directories()) mkdirSync(path.join(dir, sub), { recursive: true });
  let bytes = 0;
  let lastLog = performance.now();
  for (let i = 0; i < files; i++) {
    bytes += corpus.writeFile(dir, i);
    if (performance.now() - lastLog > 2000) {
      lastLog = performance.now();
      log(`corpus: ${i + 1}/${files} files, ${(bytes / 1e6).toFixed(0)} MB`);
    }
  }
  markComplete(dir, { files, seed, bytes });
  return { dir, files, bytes, generated: true, seconds: (performance.now() - started) / 1000 };
}

export function markComplete(dir: string, info: { files: number; seed: number; bytes: number }): void {
  const marker: Marker = { version: CORPUS_VERSION, ...info };
  writeFileSync(path.join(dir, MARKER_FILE), `${JSON.stringify(marker)}\n`);
}

/** Called before the benchmark edits cached files: if it dies mid-way, the next run regenerates. */
export function markIncomplete(dir: string): Marker | null {
  const marker = readMarker(dir);
  rmSync(path.join(dir, MARKER_FILE), { force: true });
  return marker;
}

function readMarker(dir: string): Marker | null {
  const file = path.join(dir, MARKER_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Marker;
  } catch {
    return null;
  }
}

/** Buffers small appends and writes them in chunks: few syscalls, bounded memory. */
class FileSink implements Sink {
  private fd: number;
  private buffer = '';
  length = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  write(text: string): void {
    this.buffer += text;
    this.length += text.length;
    if (this.buffer.length >= 64 * 1024) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}
