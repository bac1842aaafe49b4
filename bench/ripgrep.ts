import { spawnSync } from 'node:child_process';
import { mean, nsToMs, percentile } from './stats.ts';

// The baseline: what finding a word costs without an index. `rg -l -i -F` lists the
// files containing the term, case-insensitively, as a fixed string. ripgrep keeps its
// default filters (skips hidden files and folders, honours ignore files), which is
// close to what Porthole indexes.

export interface RipgrepRun {
  ms: number;
  files: number;
}

const RG = process.env.RG_PATH ?? 'rg';

export function ripgrepArgs(term: string, dir: string): string[] {
  // `--` so a term starting with '-' is never read as an option.
  return ['-l', '-i', '-F', '--', term, dir];
}

/** Runs one search and times it, process start included (that is what a user would pay). */
export function runRipgrep(term: string, dir: string): RipgrepRun {
  const started = process.hrtime.bigint();
  const result = spawnSync(RG, ripgrepArgs(term, dir), { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = nsToMs(process.hrtime.bigint() - started);
  if (result.error) throw new Error(`Could not run ripgrep (${RG}): ${result.error.message}`);
  // Exit 1 means "no match", which is an answer, not a failure.
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`ripgrep exited with ${result.status}: ${result.stderr.trim().slice(0, 500)}`);
  }
  return { ms, files: countLines(result.stdout) };
}

export function countLines(output: string): number {
  let count = 0;
  for (const line of output.split('\n')) if (line.length > 0) count++;
  return count;
}

export function ripgrepVersion(): string | null {
  const result = spawnSync(RG, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? (result.stdout.split('\n')[0] ?? null) : null;
}

export interface RipgrepBaseline {
  runs: RipgrepRun[];
  p50Ms: number;
  avgFiles: number;
}

/** Times `rg` for each term, after one untimed run so the OS file cache is as warm as for the index. */
export function ripgrepBaseline(terms: readonly string[], dir: string): RipgrepBaseline {
  if (terms[0]) runRipgrep(terms[0], dir);
  const runs = terms.map((term) => runRipgrep(term, dir));
  return {
    runs,
    p50Ms: percentile(
      runs.map((r) => r.ms),
      50,
    ),
    avgFiles: mean(runs.map((r) => r.files)),
  };
}
