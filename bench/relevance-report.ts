// The relevance bench's table: one row per collection and query style, the plain
// FTS5 BM25 baseline next to Porthole, and Porthole's nDCG@10 as a ratio of the baseline's.
import type { RunSummary } from './relevance-metrics.ts';
import type { QueryStyle } from './relevance-queries.ts';

export interface RelevanceRow {
  collection: string;
  style: QueryStyle;
  baseline: RunSummary;
  porthole: RunSummary;
  /** Queries where the baseline found something and Porthole returned nothing. */
  lostQueries: number;
  /** Queries the search tool refused (an error instead of results). */
  refused: number;
}

const STYLE_LABEL: Record<QueryStyle, string> = {
  full: 'full question',
  kw3: 'first 3 words',
  kw5: 'first 5 words',
};

const f3 = (n: number) => n.toFixed(3);

export function ndcgRatio(row: RelevanceRow): number {
  return row.baseline.ndcg === 0 ? Number.POSITIVE_INFINITY : row.porthole.ndcg / row.baseline.ndcg;
}

export function formatRelevanceTable(rows: readonly RelevanceRow[]): string {
  const header = [
    'collection',
    'queries',
    'style',
    'nDCG@10 base',
    'nDCG@10 Porthole',
    'ratio',
    'MAP@10 base/P',
    'R@10 base/P',
    'zero base/P',
    'lost',
    'refused',
  ];
  const body = rows.map((r) => [
    r.collection,
    String(r.porthole.queries),
    STYLE_LABEL[r.style],
    f3(r.baseline.ndcg),
    f3(r.porthole.ndcg),
    `${ndcgRatio(r).toFixed(2)}x`,
    `${f3(r.baseline.map)} / ${f3(r.porthole.map)}`,
    `${f3(r.baseline.recall)} / ${f3(r.porthole.recall)}`,
    `${r.baseline.zeroResults} / ${r.porthole.zeroResults}`,
    String(r.lostQueries),
    String(r.refused),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
