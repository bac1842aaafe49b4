import { describe, expect, it } from 'vitest';
import type { LoadSummary } from './load.ts';
import { loadTable, type McpBenchResult, ratioOf, resultJson, targetRows } from './mcp-report.ts';

const summary = (over: Partial<LoadSummary> = {}): LoadSummary => ({
  rps: 1000,
  p50Ms: 10,
  p95Ms: 18,
  p99Ms: 22,
  errors: 0,
  requests: 10_000,
  ...over,
});

const result = (porthole: LoadSummary, floor: LoadSummary): McpBenchResult => ({
  porthole,
  floor,
  ratio: ratioOf(porthole, floor),
  clients: 16,
  seconds: 10,
  files: 10_000,
  searchAlone: null,
});

describe('bench:mcp report', () => {
  it('computes the ratio, and NaN when the floor did nothing', () => {
    expect(ratioOf(summary({ rps: 600 }), summary({ rps: 1200 }))).toBe(0.5);
    expect(ratioOf(summary(), summary({ rps: 0 }))).toBeNaN();
  });

  it('marks each target met or missed, at the boundaries too', () => {
    const met = targetRows(result(summary({ rps: 500, p99Ms: 25 }), summary({ rps: 1000 })));
    expect(met.map((r) => r.ok)).toEqual([true, true, true]);
    const missed = targetRows(
      result(summary({ rps: 499, p99Ms: 25.01, errors: 1 }), summary({ rps: 1000, errors: 0 })),
    );
    expect(missed.map((r) => r.ok)).toEqual([false, false, false]);
    expect(targetRows(result(summary(), summary({ errors: 2 })))[2]).toMatchObject({
      value: '0 porthole, 2 floor',
      ok: false,
    });
    expect(targetRows(result(summary(), summary({ rps: 0 })))[0]).toMatchObject({ ok: false });
  });

  it('puts the library search alone first, as context without a target', () => {
    const rows = targetRows({
      ...result(summary(), summary()),
      searchAlone: { queries: 500, meanMs: 8, p50Ms: 3.2, p99Ms: 96.5 },
    });
    expect(rows[0]).toEqual({
      metric: 'search alone',
      value: 'mean 8.00, p50 3.20, p99 96.50 ms (500 queries, no HTTP): ≤ 125 rps on one thread',
    });
    expect(rows.slice(1).map((r) => r.metric)).toEqual(['throughput ratio', 'porthole p99', 'errors']);
  });

  it('prints one line per target with numbers right-aligned', () => {
    const lines = loadTable([
      { name: 'porthole', what: 'search', summary: summary({ rps: 812.4, requests: 8124 }) },
      { name: 'floor', what: 'echo', summary: summary({ rps: 2250.6, p99Ms: 4.5 }) },
    ]).split('\n');
    expect(lines[0]).toMatch(/^target\s+requests\s+rps\s+p50 ms\s+p95 ms\s+p99 ms\s+errors\s+what$/);
    expect(lines[2]).toMatch(/^porthole\s+8,124\s+812\s+10\.00\s+18\.00\s+22\.00\s+0\s+search$/);
    expect(lines[3]).toMatch(/^floor\s+10,000\s+2,251\s+10\.00\s+18\.00\s+4\.50\s+0\s+echo$/);
    // The rps column ends at the same offset on both lines.
    const end = (line: string | undefined, cell: string) => (line ?? '').indexOf(` ${cell} `) + cell.length;
    expect(end(lines[2], '812')).toBe(end(lines[3], '2,251'));
  });

  it('gives one JSON object with the agreed fields, rounded, extras last', () => {
    const json = JSON.parse(
      resultJson(result(summary({ rps: 812.44, p50Ms: 9.87654 }), summary({ rps: 1624.88 })), {
        node: 'v20',
      }),
    );
    expect(Object.keys(json)).toEqual([
      'porthole',
      'floor',
      'ratio',
      'clients',
      'seconds',
      'files',
      'searchAlone',
      'node',
    ]);
    expect(json.searchAlone).toBeNull();
    expect(json.porthole).toEqual({
      rps: 812.4,
      p50Ms: 9.877,
      p95Ms: 18,
      p99Ms: 22,
      errors: 0,
      requests: 10_000,
    });
    expect(json.ratio).toBe(0.5);
    expect(json).toMatchObject({ clients: 16, seconds: 10, files: 10_000, node: 'v20' });
  });
});
