import type { BenchQuery } from './queries.ts';
import { mean, nsToMs, percentile, round } from './stats.ts';
import type { Searcher } from './updates.ts';

// Times each search on its own with a monotonic clock. The first queries only warm
// SQLite's page cache and the prepared statements, and are not counted.

export interface QueryTiming {
  kind: BenchQuery['kind'];
  ms: number;
  results: number;
}

export interface KindSummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  avgResults: number;
}

export function timeQueries(
  searcher: Searcher,
  warmup: readonly BenchQuery[],
  queries: readonly BenchQuery[],
  options: { snippets?: boolean } = {},
): QueryTiming[] {
  const search = { limit: 10, snippets: options.snippets ?? true };
  for (const q of warmup) searcher.search(q.text, search);
  return queries.map((q) => {
    const started = process.hrtime.bigint();
    const results = searcher.search(q.text, search);
    return { kind: q.kind, ms: nsToMs(process.hrtime.bigint() - started), results: results.length };
  });
}

/** Latency per query kind, so a slow kind (say, prefixes) is not hidden in the overall p95. */
export function summarizeByKind(timings: readonly QueryTiming[]): Record<string, KindSummary> {
  const out: Record<string, KindSummary> = {};
  for (const kind of new Set(timings.map((t) => t.kind))) {
    const mine = timings.filter((t) => t.kind === kind);
    const ms = mine.map((t) => t.ms);
    out[kind] = {
      count: mine.length,
      p50Ms: round(percentile(ms, 50), 3),
      p95Ms: round(percentile(ms, 95), 3),
      avgResults: round(mean(mine.map((t) => t.results)), 2),
    };
  }
  return out;
}
