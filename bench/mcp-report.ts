import type { LoadSummary } from './load.ts';
import { formatColumns, type Row } from './report.ts';
import { round } from './stats.ts';

// What `npm run bench:mcp` prints: a load table for both targets, then Porthole's
// targets (throughput relative to the floor, tail latency, no errors), marked ✓ or ✗.

export const MIN_RATIO = 0.5;
export const MAX_P99_MS = 25;

export interface McpBenchResult {
  porthole: LoadSummary;
  floor: LoadSummary;
  /** porthole rps / floor rps. */
  ratio: number;
  clients: number;
  seconds: number;
  files: number;
  /** Porthole's library.search() alone on the same queries, one at a time, no HTTP: null for an external target. */
  searchAlone: SearchAlone | null;
}

export interface SearchAlone {
  queries: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

export function ratioOf(porthole: LoadSummary, floor: LoadSummary): number {
  return floor.rps > 0 ? porthole.rps / floor.rps : Number.NaN;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');

export function loadTable(targets: readonly { name: string; what: string; summary: LoadSummary }[]): string {
  const headers = ['target', 'requests', 'rps', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'what'];
  const cells = targets.map(({ name, what, summary: s }) => [
    name,
    int(s.requests),
    int(s.rps),
    ms(s.p50Ms),
    ms(s.p95Ms),
    ms(s.p99Ms),
    int(s.errors),
    what,
  ]);
  return formatColumns(headers, cells, new Set([1, 2, 3, 4, 5, 6]));
}

export function targetRows(r: McpBenchResult): Row[] {
  const alone = r.searchAlone;
  return [
    ...(alone
      ? [
          {
            metric: 'search alone',
            value:
              `mean ${ms(alone.meanMs)}, p50 ${ms(alone.p50Ms)}, p99 ${ms(alone.p99Ms)} ms ` +
              `(${int(alone.queries)} queries, no HTTP): ≤ ${int(1000 / alone.meanMs)} rps on one thread`,
          },
        ]
      : []),
    {
      metric: 'throughput ratio',
      value: `${Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : 'n/a'} (porthole rps / floor rps)`,
      target: `≥ ${MIN_RATIO}`,
      ok: r.ratio >= MIN_RATIO,
    },
    {
      metric: 'porthole p99',
      value: `${ms(r.porthole.p99Ms)} ms`,
      target: `≤ ${MAX_P99_MS} ms`,
      ok: r.porthole.p99Ms <= MAX_P99_MS,
    },
    {
      metric: 'errors',
      value: `${int(r.porthole.errors)} porthole, ${int(r.floor.errors)} floor`,
      target: '0',
      ok: r.porthole.errors === 0 && r.floor.errors === 0,
    },
  ];
}

/** The --json object: the result with numbers rounded (ms to µs, rps to 0.1, ratio to 0.001), then extras. */
export function resultJson(r: McpBenchResult, extra: Record<string, unknown> = {}): string {
  const load = (s: LoadSummary) => ({
    rps: round(s.rps, 1),
    p50Ms: round(s.p50Ms, 3),
    p95Ms: round(s.p95Ms, 3),
    p99Ms: round(s.p99Ms, 3),
    errors: s.errors,
    requests: s.requests,
  });
  return JSON.stringify({
    porthole: load(r.porthole),
    floor: load(r.floor),
    ratio: round(r.ratio, 3),
    clients: r.clients,
    seconds: r.seconds,
    files: r.files,
    searchAlone: r.searchAlone && {
      queries: r.searchAlone.queries,
      meanMs: round(r.searchAlone.meanMs, 3),
      p50Ms: round(r.searchAlone.p50Ms, 3),
      p99Ms: round(r.searchAlone.p99Ms, 3),
    },
    ...extra,
  });
}
