import { parseArgs } from 'node:util';

export interface BenchArgs {
  files: number;
  corpus: string | null;
  queries: number;
  seed: number;
  json: boolean;
  keep: boolean;
}

export const USAGE = `Usage: npm run bench:library -- [options]

  --files N      synthetic corpus size (default 100000; ignored with --corpus)
  --corpus DIR   benchmark a real folder instead (never modified)
  --queries Q    timed queries (default 200)
  --seed S       seed of the synthetic corpus and the queries (default 1)
  --json         print one JSON object on stdout instead of the table
  --keep         keep the temporary index data dir
  --help         this text

Examples:
  npm run bench:library -- --files 2000            quick sanity check (~20 s)
  npm run bench:library                            100,000 files (generated once, then cached in the temp dir)
  npm run -s bench:library -- --corpus DIR --json  -s keeps npm's banner off stdout, so stdout is only the JSON`;

export function parseBenchArgs(argv: readonly string[]): BenchArgs | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      files: { type: 'string' },
      corpus: { type: 'string' },
      queries: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  return {
    files: positiveInt('--files', values.files, 100_000),
    corpus: values.corpus ?? null,
    queries: positiveInt('--queries', values.queries, 200),
    seed: positiveInt('--seed', values.seed, 1),
    json: values.json ?? false,
    keep: values.keep ?? false,
  };
}

/** A whole number ≥ 1 from a command-line value (underscores allowed: 10_000), or `fallback` when absent. */
export function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a positive whole number, got "${raw}".`);
  return n;
}
