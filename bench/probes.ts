import { appendFileSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SyntheticCorpus } from './corpus.ts';
import { markComplete, markIncomplete } from './corpus.ts';
import type { Rng } from './prng.ts';
import type { UpdateProbe } from './updates.ts';

// The files the update-visibility step touches. In the synthetic cache, files are
// changed in place and put back afterwards; a real corpus belongs to the user and is
// never written to, so probes there are new files in a folder of our own.

export interface ProbeSet {
  probes: UpdateProbe[];
  /** Puts everything back. Safe to call twice; synchronous so it can run on SIGINT. */
  restore(): void;
}

export function inPlaceProbes(corpus: SyntheticCorpus, dir: string, count: number, rng: Rng): ProbeSet {
  const indices = new Set<number>();
  while (indices.size < Math.min(count, corpus.config.files))
    indices.add(rng.int(0, corpus.config.files - 1));
  const originals = new Map<string, Buffer>();
  // If the run dies before restoring, the missing marker makes the next run regenerate.
  const marker = markIncomplete(dir);
  let restored = false;
  const probes = [...indices].map((index): UpdateProbe => {
    const { relPath } = corpus.spec(index);
    const file = path.join(dir, ...relPath.split('/'));
    return {
      relPath,
      write(token) {
        if (!originals.has(file)) originals.set(file, readFileSync(file));
        appendFileSync(file, `\n${token}\n`);
      },
    };
  });
  return {
    probes,
    restore() {
      if (restored) return;
      restored = true;
      for (const [file, content] of originals) writeFileSync(file, content);
      if (marker) markComplete(dir, marker);
    },
  };
}

/** Probes as new files in a fresh temp folder, each a copy of a corpus file plus the token. */
export function newFileProbes(
  corpusDir: string,
  sampleFiles: readonly string[],
  count: number,
): ProbeSet & { dir: string } {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-updates-')));
  const probes = Array.from({ length: count }, (_, i): UpdateProbe => {
    const source = sampleFiles[i % sampleFiles.length];
    const content = source
      ? readFileSync(path.join(corpusDir, ...source.split('/'))).subarray(0, 1024 * 1024)
      : Buffer.alloc(0);
    const relPath = `update-${i}-${source ? path.posix.basename(source) : 'note.txt'}`;
    return {
      relPath,
      write(token) {
        writeFileSync(path.join(dir, relPath), Buffer.concat([content, Buffer.from(`\n${token}\n`)]));
      },
    };
  });
  return { dir, probes, restore() {} };
}
