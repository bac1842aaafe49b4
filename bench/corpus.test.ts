import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureCorpus, FILES_PER_DIR, MARKER_FILE, markIncomplete, SyntheticCorpus } from './corpus.ts';
import { listTextFiles } from './sample.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Relative path → sha256 of every file, the marker left out. */
function fingerprint(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of listTextFiles(root)) {
    out.set(
      rel,
      createHash('sha256')
        .update(readFileSync(path.join(root, rel)))
        .digest('hex'),
    );
  }
  return out;
}

describe('synthetic corpus', () => {
  const corpus = new SyntheticCorpus({ files: 450, seed: 1 });

  it('generates the same files, byte for byte, from the same seed', () => {
    const a = tempDir();
    const b = tempDir();
    const infoA = ensureCorpus(corpus, a);
    ensureCorpus(new SyntheticCorpus({ files: 450, seed: 1 }), b);
    expect(infoA).toMatchObject({ files: 450, generated: true });
    const fa = fingerprint(a);
    expect(fa.size).toBe(450);
    expect(fingerprint(b)).toEqual(fa);
    const other = tempDir();
    ensureCorpus(new SyntheticCorpus({ files: 450, seed: 2 }), other);
    expect(fingerprint(other)).not.toEqual(fa);
  });

  it('puts each file where its spec says, ~100 per folder, with the promised kinds and sizes', () => {
    const root = tempDir();
    const info = ensureCorpus(corpus, root);
    const perDir = new Map<string, number>();
    const kinds = new Set<string>();
    let total = 0;
    for (let i = 0; i < 450; i++) {
      const spec = corpus.spec(i);
      const file = path.join(root, spec.relPath);
      const size = statSync(file).size;
      total += size;
      expect(size).toBeGreaterThanOrEqual(spec.targetBytes);
      expect(size).toBeLessThan(spec.targetBytes + 4096);
      kinds.add(spec.kind);
      const dir = path.posix.dirname(spec.relPath);
      perDir.set(dir, (perDir.get(dir) ?? 0) + 1);
      const head = readFileSync(file, 'utf8').slice(0, 200);
      if (spec.kind === 'md') expect(head).toMatch(/^# \S/);
      if (spec.kind === 'html') expect(head).toContain(`<title>${spec.title}</title>`);
    }
    expect(info.bytes).toBe(total);
    expect([...kinds].sort()).toEqual(['go', 'html', 'md', 'py', 'ts', 'txt']);
    expect(Math.max(...perDir.values())).toBe(FILES_PER_DIR);
    expect(perDir.size).toBe(5);
    // Nested: the 5 leaf folders sit one level below the root.
    expect(readdirSync(root).filter((n) => !n.startsWith('.'))).toHaveLength(5);
  });

  it('has mostly 1–8 KB files and a long tail of big ones', () => {
    const big = new SyntheticCorpus({ files: 5000, seed: 1 });
    const sizes = Array.from({ length: 5000 }, (_, i) => big.spec(i).targetBytes);
    const inCore = sizes.filter((s) => s >= 1024 && s <= 8192).length / sizes.length;
    expect(inCore).toBeGreaterThan(0.65);
    expect(Math.max(...sizes)).toBeGreaterThan(100 * 1024);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(200 * 1024);
  });

  it('re-uses a complete copy and regenerates an incomplete one', () => {
    const root = tempDir();
    ensureCorpus(corpus, root);
    expect(ensureCorpus(corpus, root).generated).toBe(false);
    expect(markIncomplete(root)).toMatchObject({ files: 450, seed: 1 });
    expect(readdirSync(root)).not.toContain(MARKER_FILE);
    expect(ensureCorpus(corpus, root).generated).toBe(true);
    expect(readdirSync(root)).toContain(MARKER_FILE);
  });
});
