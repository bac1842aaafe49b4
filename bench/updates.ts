import { setTimeout as sleep } from 'node:timers/promises';
import type { SearchResult } from '../server/library/types.ts';
import type { Rng } from './prng.ts';
import { nsToMs } from './stats.ts';

// Update visibility: how long after a file changes on disk does search find the change.
// Each probe writes a token that exists nowhere else, then polls search until the
// file comes back for it.

export interface Searcher {
  search(query: string, options?: { limit?: number }): SearchResult[];
}

export interface UpdateProbe {
  /** Path (relative to its shared folder) that search must return for the token. */
  relPath: string;
  /** Writes `token` into the file: an append, or a new file. */
  write(token: string): void;
}

export interface UpdateResults {
  latenciesMs: number[];
  failures: number;
  /** Probes that timed out, for the report. */
  failed: string[];
}

export interface UpdateOptions {
  timeoutMs?: number;
  pollMs?: number;
  onProgress?: (done: number, total: number) => void;
}

/** A word the corpus cannot contain already: `zqx` + counter + random letters. */
export function uniqueToken(counter: number, rng: Rng): string {
  return `zqx${counter}${rng.letters(6)}`;
}

export async function measureUpdates(
  library: Searcher,
  probes: readonly UpdateProbe[],
  rng: Rng,
  options: UpdateOptions = {},
): Promise<UpdateResults> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pollMs = options.pollMs ?? 10;
  const results: UpdateResults = { latenciesMs: [], failures: 0, failed: [] };
  for (const [i, probe] of probes.entries()) {
    const token = uniqueToken(i, rng);
    const started = process.hrtime.bigint();
    probe.write(token);
    let seen = false;
    while (nsToMs(process.hrtime.bigint() - started) < timeoutMs) {
      await sleep(pollMs);
      if (library.search(token, { limit: 10 }).some((r) => r.path === probe.relPath)) {
        seen = true;
        break;
      }
    }
    if (seen) results.latenciesMs.push(nsToMs(process.hrtime.bigint() - started));
    else {
      results.failures++;
      results.failed.push(probe.relPath);
    }
    options.onProgress?.(i + 1, probes.length);
  }
  return results;
}
