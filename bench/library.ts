// Benchmark of the search index (`npm run bench:library -- --help`): indexing speed and
// size, search latency against a ripgrep baseline, and how fast a change becomes
// searchable. It prints numbers next to Porthole's targets and never fails on them.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../server/library/library.ts';
import type { FolderConfig, FolderStatus, FolderStore } from '../server/library/types.ts';
import { type BenchArgs, parseBenchArgs, USAGE } from './args.ts';
import { defaultCorpusDir, ensureCorpus, SyntheticCorpus } from './corpus.ts';
import { mixSeed, Rng } from './prng.ts';
import { inPlaceProbes, newFileProbes, type ProbeSet } from './probes.ts';
import { makeQueries, ripgrepTerm } from './queries.ts';
import { type BenchResult, formatTable, resultNotes, resultRows } from './report.ts';
import { ripgrepBaseline, ripgrepVersion } from './ripgrep.ts';
import { sampleCorpus } from './sample.ts';
import { summarizeByKind, timeQueries } from './search-timing.ts';
import { mean, percentile, round, summarize } from './stats.ts';
import { measureUpdates } from './updates.ts';

const WARMUP_QUERIES = 20;
const RIPGREP_QUERIES = 20;
const UPDATE_PROBES = 30;

const log = (line: string) => process.stderr.write(`${line}\n`);
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

function memoryFolderStore(): FolderStore {
  let folders: FolderConfig[] = [];
  return { load: () => [...folders], save: (next) => (folders = [...next]) };
}

async function main(args: BenchArgs): Promise<void> {
  const synthetic = args.corpus ? null : new SyntheticCorpus({ files: args.files, seed: args.seed });
  let corpusDir: string;
  let corpusBytes: number | null = null;
  if (synthetic) {
    corpusDir = defaultCorpusDir(synthetic.config);
    const info = ensureCorpus(synthetic, corpusDir, log);
    corpusBytes = info.bytes;
    log(
      info.generated
        ? `corpus: generated ${info.files} files (${(info.bytes / 1e6).toFixed(0)} MB) in ${info.seconds.toFixed(1)} s at ${corpusDir}`
        : `corpus: re-using ${corpusDir}`,
    );
  } else {
    corpusDir = path.resolve(args.corpus as string);
    if (!statSync(corpusDir, { throwIfNoEntry: false })?.isDirectory())
      throw new Error(`--corpus: "${corpusDir}" is not a folder.`);
  }

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-data-'));
  const library = await Library.open({
    dataDir,
    idKey: 'bench',
    folders: memoryFolderStore(),
    watch: true,
    log: (l) => log(`  ${l}`),
  });
  let probeSet: (ProbeSet & { dir?: string }) | null = null;
  const onSigint = () => {
    probeSet?.restore();
    if (!args.keep) rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  try {
    // (1) Indexing, from an empty index to idle.
    const indexStarted = performance.now();
    const progress = progressPrinter(indexStarted);
    library.on('status', progress);
    const added = await library.addFolder(corpusDir);
    await library.whenIdle();
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    library.off('status', progress);
    const status = library.listFolders().find((f) => f.id === added.id) as FolderStatus;
    const indexWalBytes = fileSize(path.join(dataDir, 'index.sqlite-wal'));
    const indexBytes = fileSize(path.join(dataDir, 'index.sqlite')) + indexWalBytes;
    const rssAfterIndex = peakRssMb();
    log(
      `index: ${status.indexed} files in ${indexSeconds.toFixed(1)} s (state ${status.state}${status.message ? `: ${status.message}` : ''})`,
    );

    // (2) Search latency over a fixed query mix.
    const sample = sampleCorpus(corpusDir, new Rng(mixSeed(args.seed, 0x5a)));
    const vocabularyWords = synthetic ? synthetic.vocab.words.slice(100, 5000) : [];
    const all = makeQueries(
      { sample, vocabularyWords },
      new Rng(mixSeed(args.seed, 0x9e)),
      WARMUP_QUERIES + args.queries,
    );
    const queries = all.slice(WARMUP_QUERIES);
    const timings = timeQueries(library, all.slice(0, WARMUP_QUERIES), queries);
    const latency = summarize(timings.map((t) => t.ms));
    log(
      `search: ${queries.length} queries, p50 ${latency.p50.toFixed(2)} ms, p95 ${latency.p95.toFixed(2)} ms`,
    );

    // (3) The ripgrep baseline, on the same (warm) files.
    const terms = queries
      .map((q) => ripgrepTerm(q.text))
      .filter((t): t is string => t !== null)
      .slice(0, RIPGREP_QUERIES);
    const rg = ripgrepBaseline(terms, corpusDir);
    log(
      `ripgrep: ${rg.runs.length} queries, p50 ${rg.p50Ms.toFixed(1)} ms (${ripgrepVersion() ?? 'version unknown'})`,
    );

    // (4) Update visibility.
    if (synthetic) {
      probeSet = inPlaceProbes(synthetic, corpusDir, UPDATE_PROBES, new Rng(mixSeed(args.seed, 0x0d)));
    } else {
      probeSet = newFileProbes(corpusDir, sample.files, UPDATE_PROBES);
      await library.addFolder(probeSet.dir as string);
      await library.whenIdle();
    }
    let updates: Awaited<ReturnType<typeof measureUpdates>>;
    try {
      updates = await measureUpdates(library, probeSet.probes, new Rng(mixSeed(args.seed, 0x70)), {
        onProgress: (done, total) => done % 10 === 0 && log(`updates: ${done}/${total}`),
      });
    } finally {
      probeSet.restore();
    }
    if (updates.failed.length) log(`updates: not visible within 10 s: ${updates.failed.join(', ')}`);
    await library.whenIdle();

    const result: BenchResult = {
      corpusMode: synthetic ? 'synthetic' : 'directory',
      corpusDir,
      corpusBytes: corpusBytes ?? status.bytes,
      files: status.indexed,
      skipped: status.skipped,
      errors: status.errors.length,
      indexSeconds,
      filesPerSecond: status.indexed / indexSeconds,
      indexBytes,
      indexWalBytes,
      peakRssMb: peakRssMb(),
      peakRssAfterIndexMb: rssAfterIndex,
      queries: queries.length,
      searchMeanMs: latency.mean,
      p50Ms: latency.p50,
      p95Ms: latency.p95,
      p99Ms: latency.p99,
      maxMs: latency.max,
      avgResults: mean(timings.map((t) => t.results)),
      zeroResultQueries: timings.filter((t) => t.results === 0).length,
      byKind: summarizeByKind(timings),
      ripgrepQueries: rg.runs.length,
      ripgrepP50Ms: rg.p50Ms,
      ripgrepAvgFiles: rg.avgFiles,
      speedupP50: rg.p50Ms / latency.p50,
      updateMode: synthetic ? 'append-in-place' : 'new-file-in-second-folder',
      updateProbes: probeSet.probes.length,
      updateVisibleP50Ms: percentile(updates.latenciesMs, 50),
      updateVisibleP95Ms: percentile(updates.latenciesMs, 95),
      updateFailures: updates.failures,
    };
    print(result, args, dataDir);
  } finally {
    await library.close();
    process.off('SIGINT', onSigint);
    if (args.keep)
      log(`kept: index data in ${dataDir}${probeSet?.dir ? `, update probes in ${probeSet.dir}` : ''}`);
    else {
      rmSync(dataDir, { recursive: true, force: true });
      if (probeSet?.dir) rmSync(probeSet.dir, { recursive: true, force: true });
    }
  }
}

/** At most one line a second, so a human sees indexing is alive. */
function progressPrinter(startedAt: number): (status: FolderStatus) => void {
  let last = 0;
  return (s) => {
    const now = performance.now();
    if (now - last < 1000 && s.state !== 'watching') return;
    last = now;
    const rate = s.indexed / Math.max(0.001, (now - startedAt) / 1000);
    log(
      `index: ${s.state}, ${s.indexed} indexed, ${s.skipped} skipped, ${s.filesSeen} seen, ${Math.round(rate)} files/s`,
    );
  };
}

function fileSize(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

function print(result: BenchResult, args: BenchArgs, dataDir: string): void {
  if (args.json) {
    const rounded = Object.fromEntries(
      Object.entries(result).map(([k, v]) => [
        k,
        typeof v === 'number' ? round(v, k.endsWith('Ms') ? 3 : 2) : v,
      ]),
    );
    const extra = {
      seed: args.seed,
      node: process.version,
      ripgrep: ripgrepVersion(),
      dataDir: args.keep ? dataDir : null,
    };
    process.stdout.write(`${JSON.stringify({ ...rounded, ...extra })}\n`);
    return;
  }
  process.stdout.write(`\nPorthole library benchmark\n\n${formatTable(resultRows(result))}\n\n`);
  for (const note of resultNotes(result)) process.stdout.write(`${note}\n`);
}

let parsed: BenchArgs | 'help';
try {
  parsed = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  log(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed === 'help') {
  process.stdout.write(`${USAGE}\n`);
} else {
  await main(parsed);
}
