// Relevance benchmark (`npm run bench:relevance -- --help`): public IR test collections
// shipped in bench/collections/, indexed through the real Library and queried through
// the real MCP `search` tool, scored against a plain FTS5 BM25 baseline built in the same
// run. Downloads nothing. Prints a table, or one JSON object with --json.
import { parseArgs } from 'node:util';
import { buildBaseline } from './relevance-baseline.ts';
import { COLLECTION_LOADERS, type TestCollection } from './relevance-collections.ts';
import { type QueryScores, scoreQuery, summarizeRun } from './relevance-metrics.ts';
import { startPorthole } from './relevance-porthole.ts';
import { QUERY_STYLES, type QueryStyle, styleQuery } from './relevance-queries.ts';
import { formatRelevanceTable, ndcgRatio, type RelevanceRow } from './relevance-report.ts';

const USAGE = `Usage: npm run bench:relevance -- [options]

  --collections LIST  comma-separated, from: ${Object.keys(COLLECTION_LOADERS).join(', ')} (default: all)
  --styles LIST       comma-separated, from: ${QUERY_STYLES.join(', ')} (default: all)
  --json              print one JSON object on stdout instead of the table
  --help              this text

Query styles: full = the collection's question as written; kw3 / kw5 = its first 3 / 5
content words (standard English stopword list). Queries without judged relevant documents
are left out. "lost" counts queries where the baseline found something and Porthole nothing.`;

const CUTOFF = 10;
const log = (line: string) => process.stderr.write(`${line}\n`);

async function evaluate(collection: TestCollection, styles: readonly QueryStyle[]): Promise<RelevanceRow[]> {
  const judgedQueries = collection.queries.filter((q) =>
    [...(collection.qrels.get(q.id)?.values() ?? [])].some((g) => g > 0),
  );
  const baseline = buildBaseline(collection.docs);
  const porthole = await startPorthole(collection);
  log(
    `${collection.name}: ${collection.docs.length} documents indexed in ${porthole.indexSeconds.toFixed(1)} s, ${judgedQueries.length} judged queries`,
  );
  const rows: RelevanceRow[] = [];
  try {
    for (const style of styles) {
      const base: QueryScores[] = [];
      const ours: QueryScores[] = [];
      let lostQueries = 0;
      let refused = 0;
      for (const query of judgedQueries) {
        const text = styleQuery(query, style);
        if (!text) continue;
        const judged = collection.qrels.get(query.id) ?? new Map();
        const baseIds = baseline.search(text, CUTOFF);
        const result = await porthole.search(text);
        if (result.error) refused++;
        if (baseIds.length > 0 && result.ids.length === 0) lostQueries++;
        base.push(scoreQuery(baseIds, judged, CUTOFF));
        ours.push(scoreQuery(result.ids, judged, CUTOFF));
      }
      rows.push({
        collection: collection.name,
        style,
        baseline: summarizeRun(base),
        porthole: summarizeRun(ours),
        lostQueries,
        refused,
      });
    }
  } finally {
    baseline.close();
    await porthole.close();
  }
  return rows;
}

function listArg<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T[] {
  if (value === undefined) return [...allowed];
  const picked = value.split(',').map((s) => s.trim().toLowerCase());
  for (const p of picked) if (!allowed.includes(p as T)) throw new Error(`${name}: unknown "${p}"`);
  return picked as T[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      collections: { type: 'string' },
      styles: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const names = listArg(values.collections, Object.keys(COLLECTION_LOADERS), '--collections');
  const styles = listArg(values.styles, QUERY_STYLES, '--styles');
  const rows: RelevanceRow[] = [];
  for (const name of names) {
    const load = COLLECTION_LOADERS[name];
    if (load) rows.push(...(await evaluate(load(), styles)));
  }
  if (values.json) {
    console.log(
      JSON.stringify({ cutoff: CUTOFF, rows: rows.map((r) => ({ ...r, ndcgRatio: ndcgRatio(r) })) }),
    );
  } else {
    console.log(formatRelevanceTable(rows));
  }
}

main().catch((error: Error) => {
  log(error.message);
  process.exitCode = 1;
});
