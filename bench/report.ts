import type { KindSummary } from './search-timing.ts';

// The printed result: a table of metric, value, target and whether the target is met.
// Targets are what Porthole aims for; the benchmark reports them, it never fails on them.

export interface BenchResult {
  corpusMode: 'synthetic' | 'directory';
  corpusDir: string;
  corpusBytes: number | null;
  files: number;
  skipped: number;
  errors: number;
  indexSeconds: number;
  filesPerSecond: number;
  indexBytes: number;
  indexWalBytes: number;
  peakRssMb: number;
  peakRssAfterIndexMb: number;
  queries: number;
  searchMeanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  avgResults: number;
  zeroResultQueries: number;
  byKind: Record<string, KindSummary>;
  ripgrepQueries: number;
  ripgrepP50Ms: number;
  ripgrepAvgFiles: number;
  speedupP50: number;
  updateMode: 'append-in-place' | 'new-file-in-second-folder';
  updateProbes: number;
  updateVisibleP50Ms: number;
  updateVisibleP95Ms: number;
  updateFailures: number;
}

export interface Row {
  metric: string;
  value: string;
  target?: string;
  ok?: boolean;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 1) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';
const mb = (bytes: number) => `${fixed(bytes / 1024 / 1024)} MB`;

export function resultRows(r: BenchResult): Row[] {
  const rows: Row[] = [
    { metric: 'corpus', value: `${r.corpusMode}: ${r.corpusDir}` },
    {
      metric: 'files indexed',
      value: `${int(r.files)} (skipped ${int(r.skipped)}, errors ${int(r.errors)})${r.corpusBytes !== null ? `, ${mb(r.corpusBytes)}` : ''}`,
    },
    { metric: 'index time', value: `${fixed(r.indexSeconds, 2)} s` },
    {
      metric: 'indexing rate',
      value: `${int(r.filesPerSecond)} files/s`,
      target: '≥ 2,000 files/s',
      ok: r.filesPerSecond >= 2000,
    },
    { metric: 'index size', value: `${mb(r.indexBytes)} (index.sqlite + ${mb(r.indexWalBytes)} -wal)` },
    {
      metric: 'peak RSS',
      value: `${fixed(r.peakRssMb)} MB (${fixed(r.peakRssAfterIndexMb)} MB after indexing)`,
      target: '≤ 400 MB',
      ok: r.peakRssMb <= 400,
    },
    { metric: 'queries timed', value: `${int(r.queries)} (after 20 warm-up), limit 10` },
    {
      metric: 'results per query',
      value: `${fixed(r.avgResults)} avg, ${int(r.zeroResultQueries)} with none`,
    },
    { metric: 'search mean', value: `${fixed(r.searchMeanMs, 2)} ms` },
    { metric: 'search p50', value: `${fixed(r.p50Ms, 2)} ms` },
    { metric: 'search p95', value: `${fixed(r.p95Ms, 2)} ms`, target: '≤ 20 ms', ok: r.p95Ms <= 20 },
    { metric: 'search p99 / max', value: `${fixed(r.p99Ms, 2)} / ${fixed(r.maxMs, 2)} ms` },
  ];
  for (const [kind, k] of Object.entries(r.byKind)) {
    rows.push({
      metric: `  ${kind} (${k.count})`,
      value: `p50 ${fixed(k.p50Ms, 2)} ms, p95 ${fixed(k.p95Ms, 2)} ms, ${fixed(k.avgResults)} results`,
    });
  }
  rows.push(
    {
      metric: 'ripgrep p50',
      value: `${fixed(r.ripgrepP50Ms, 1)} ms (${r.ripgrepQueries} queries, ${fixed(r.ripgrepAvgFiles)} files listed avg)`,
    },
    {
      metric: 'speedup p50',
      value: `${fixed(r.speedupP50, 0)}× (ripgrep p50 / search p50)`,
      target: '≥ 100×',
      ok: r.speedupP50 >= 100,
    },
    {
      metric: 'update visible p50',
      value: `${fixed(r.updateVisibleP50Ms, 0)} ms (${r.updateProbes} probes)`,
    },
    {
      metric: 'update visible p95',
      value: `${fixed(r.updateVisibleP95Ms, 0)} ms`,
      target: '≤ 1,000 ms',
      ok: r.updateVisibleP95Ms <= 1000 && r.updateFailures === 0,
    },
    { metric: 'update failures', value: `${r.updateFailures} (not visible within 10 s)` },
  );
  return rows;
}

export function resultNotes(r: BenchResult): string[] {
  return [
    `ripgrep: \`rg -l -i -F <term>\` on the first ${r.ripgrepQueries} queries (term = first word or phrase that is not a stopword or an exclusion), OS cache warmed by one untimed run; rg keeps its default filters (skips hidden files and folders, honours ignore files), as Porthole does.`,
    r.updateMode === 'append-in-place'
      ? 'updates: a unique token is appended to an indexed corpus file, then search is polled every 10 ms until that file is returned; the files are restored afterwards.'
      : 'updates: the corpus is never modified; each probe creates a new file (a copy of a corpus file plus a unique token) in a temporary second shared folder, then search is polled every 10 ms until it is returned.',
  ];
}

export function formatTable(rows: readonly Row[]): string {
  return formatColumns(
    ['metric', 'value', 'target', ''],
    rows.map((row) => [
      row.metric,
      row.value,
      row.target ?? '',
      row.ok === undefined ? '' : row.ok ? '✓' : '✗',
    ]),
  );
}

/**
 * Columns under a header and a rule, two spaces apart, no trailing blanks. Left-aligned
 * unless `rightAligned` names a column (numbers read better right-aligned).
 */
export function formatColumns(
  headers: readonly string[],
  cells: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number> = new Set(),
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const pad = (v: string, i: number) =>
    rightAligned.has(i) ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number);
  const line = (c: readonly string[]) =>
    headers
      .map((_, i) => pad(c[i] ?? '', i))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
