// Load benchmark of the MCP endpoint (`npm run bench:mcp -- --help`): C concurrent
// clients call `search` on Porthole's real POST /mcp over a synthetic corpus, then call
// a trivial `echo` on a bare SDK server built the same way (the floor), and the two are
// compared. Everything runs on loopback, in this one process (load generator included,
// a handicap both targets share). It prints numbers next to targets and never fails on them.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Connector, createConnector } from '../server/connector.ts';
import { defaultCorpusDir, ensureCorpus, SyntheticCorpus } from './corpus.ts';
import { type Floor, startFloor } from './floor.ts';
import {
  classifyRpcResponse,
  keepAliveAgent,
  type LoadRun,
  type LoadSummary,
  MCP_HEADERS,
  runLoad,
  summarizeLoad,
} from './load.ts';
import { MCP_USAGE, type McpBenchArgs, parseMcpBenchArgs } from './mcp-args.ts';
import {
  loadTable,
  MAX_P99_MS,
  type McpBenchResult,
  ratioOf,
  resultJson,
  type SearchAlone,
  targetRows,
} from './mcp-report.ts';
import { mixSeed, Rng } from './prng.ts';
import { makeQueries } from './queries.ts';
import { formatTable } from './report.ts';
import { sampleCorpus } from './sample.ts';
import { summarizeByKind, timeQueries } from './search-timing.ts';
import { summarize } from './stats.ts';

const WARMUP_MS = 1000;
const QUERY_COUNT = 2000;
const CHECK_QUERIES = 20;
const SEARCH_ALONE_QUERIES = 500;

const log = (line: string) => process.stderr.write(`${line}\n`);
const loadAvg = () => os.loadavg().map((n) => Math.round(n * 100) / 100);

interface Target {
  name: 'porthole' | 'floor';
  what: string;
  url: string;
  /** The JSON-RPC tools/call for one query. */
  call: (query: string, id: number) => string;
}

const toolCall = (id: number, name: string, args: Record<string, string>) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

async function main(args: McpBenchArgs): Promise<void> {
  const loadBefore = loadAvg();
  log(`loadavg: ${loadBefore.join(' ')} (${os.cpus().length} cores)`);

  // The corpus is needed even for an external target: the queries are cut from it.
  const corpus = new SyntheticCorpus({ files: args.files, seed: args.seed });
  const corpusDir = defaultCorpusDir(corpus.config);
  const info = ensureCorpus(corpus, corpusDir, log);
  log(
    info.generated
      ? `corpus: generated ${info.files} files (${(info.bytes / 1e6).toFixed(0)} MB) in ${info.seconds.toFixed(1)} s at ${corpusDir}`
      : `corpus: re-using ${corpusDir}`,
  );
  const sample = sampleCorpus(corpusDir, new Rng(mixSeed(args.seed, 0x5a)));
  const benchQueries = makeQueries(
    { sample, vocabularyWords: corpus.vocab.words.slice(100, 5000) },
    new Rng(mixSeed(args.seed, 0x9e)),
    QUERY_COUNT,
  );
  const queries = benchQueries.map((q) => q.text);

  let dataDir: string | null = null;
  let connector: Connector | null = null;
  let floor: Floor | null = null;
  const cleanup = async () => {
    await connector?.stop().catch((e: Error) => log(`stop: ${e.message}`));
    connector = null;
    await floor?.close();
    floor = null;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = null;
  };
  const onSigint = () => {
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSigint);

  try {
    let portholeUrl = args.targetUrl;
    let indexed: number | null = null;
    let searchAlone: SearchAlone | null = null;
    if (!portholeUrl) {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-mcp-'));
      connector = createConnector({ dataDir, port: 0, watch: false, log: () => {} });
      const state = await connector.start();
      const started = performance.now();
      const folder = await connector.control.addFolder(corpusDir);
      await connector.library.whenIdle();
      const status = connector.library.listFolders().find((f) => f.id === folder.id);
      indexed = status?.indexed ?? 0;
      if (status?.state === 'error' || indexed === 0)
        throw new Error(
          `porthole: indexing the corpus failed (${status?.state}, ${indexed} files): ${status?.message ?? 'no message'}`,
        );
      log(
        `porthole: indexed ${indexed} files in ${((performance.now() - started) / 1000).toFixed(1)} s (state ${status?.state}), ${state.mcpUrl}`,
      );
      portholeUrl = state.mcpUrl as string;
      // What the search itself costs, so the load numbers can be split into search and the rest.
      // Without snippets, as the MCP search tool calls it.
      const timings = timeQueries(
        connector.library,
        benchQueries.slice(0, 20),
        benchQueries.slice(0, SEARCH_ALONE_QUERIES),
        { snippets: false },
      );
      const alone = summarize(timings.map((t) => t.ms));
      searchAlone = { queries: alone.count, meanMs: alone.mean, p50Ms: alone.p50, p99Ms: alone.p99 };
      log(
        `porthole: library.search() alone, ${alone.count} queries: mean ${alone.mean.toFixed(2)} ms, p50 ${alone.p50.toFixed(2)} ms, p99 ${alone.p99.toFixed(2)} ms, max ${alone.max.toFixed(1)} ms`,
      );
      for (const [kind, k] of Object.entries(summarizeByKind(timings)))
        log(`  ${kind} (${k.count}): p50 ${k.p50Ms.toFixed(2)} ms, p95 ${k.p95Ms.toFixed(2)} ms`);
    }
    floor = await startFloor();
    log(`floor: ${floor.url}`);

    const targets: Target[] = [
      {
        name: 'porthole',
        what: `tools/call search, ${args.targetUrl ? 'external' : `${indexed} files`}`,
        url: portholeUrl,
        call: (query, id) => toolCall(id, 'search', { query }),
      },
      {
        name: 'floor',
        what: 'tools/call echo, bare SDK server',
        url: floor.url,
        call: (query, id) => toolCall(id, 'echo', { text: query }),
      },
    ];

    const summaries = new Map<Target['name'], LoadSummary>();
    for (const target of targets) {
      const meanResults = await checkAnswers(target, queries.slice(0, CHECK_QUERIES));
      if (meanResults !== null) {
        log(
          `${target.name}: ${meanResults.toFixed(1)} results per search on the first ${CHECK_QUERIES} queries`,
        );
        if (meanResults === 0) {
          const hint = args.targetUrl
            ? 'does it share the benchmark corpus? (see --files, --seed)'
            : 'is the index empty?';
          if (!args.targetUrl) throw new Error(`porthole: every search came back empty: ${hint}`);
          log(`porthole: warning: every search came back empty: ${hint}`);
        }
      }
      const run = await loadTarget(target, queries, args);
      const summary = summarizeLoad(run);
      summaries.set(target.name, summary);
      log(
        `${target.name}: ${summary.requests} requests, ${Math.round(summary.rps)} rps, p50 ${summary.p50Ms.toFixed(2)} ms, p99 ${summary.p99Ms.toFixed(2)} ms, ${summary.errors} errors`,
      );
      for (const [kind, count] of run.errorKinds) log(`  ${count} × ${kind}`);
    }

    const porthole = summaries.get('porthole') as LoadSummary;
    const floorSummary = summaries.get('floor') as LoadSummary;
    const result: McpBenchResult = {
      porthole,
      floor: floorSummary,
      ratio: ratioOf(porthole, floorSummary),
      clients: args.clients,
      seconds: args.seconds,
      files: args.files,
      searchAlone,
    };
    const loadAfter = loadAvg();
    log(`loadavg: ${loadAfter.join(' ')}`);
    if (args.json) {
      const extra = {
        indexed,
        targetUrl: args.targetUrl,
        seed: args.seed,
        node: process.version,
        cores: os.cpus().length,
        loadAvgBefore: loadBefore,
        loadAvgAfter: loadAfter,
      };
      process.stdout.write(`${resultJson(result, extra)}\n`);
    } else {
      const where = args.targetUrl ? `porthole at ${args.targetUrl} (external), ` : '';
      process.stdout.write(
        `\nPorthole MCP benchmark: ${args.clients} clients, ${args.seconds} s per target after ${WARMUP_MS / 1000} s warm-up, ` +
          `${where}${args.files} files, node ${process.version}, ${os.cpus().length} cores, ` +
          `loadavg ${loadBefore.join(' ')} → ${loadAfter.join(' ')}\n\n`,
      );
      process.stdout.write(
        `${loadTable(targets.map((t) => ({ name: t.name, what: t.what, summary: summaries.get(t.name) as LoadSummary })))}\n\n`,
      );
      process.stdout.write(`${formatTable(targetRows(result))}\n\n`);
      process.stdout.write(
        'Closed loop: each client sends its next POST when the previous answer is complete, on one keep-alive connection; ' +
          'latency is per request, from send to the last byte of the answer. The load generator shares the process ' +
          `(and its event loop) with ${args.targetUrl ? 'the floor' : 'both servers'}. ` +
          `With ${args.clients} clients always waiting, latency is mostly queueing: mean ≈ ${args.clients} / rps (Little's law), ` +
          `so a p99 of ${MAX_P99_MS} ms needs well over ${Math.ceil((args.clients * 1000) / MAX_P99_MS)} rps.\n`,
      );
    }
  } finally {
    process.off('SIGINT', onSigint);
    await cleanup();
  }
}

/**
 * An initialize, then the first queries one at a time, before any load: a wrong URL or a
 * broken tool fails here with a clear message. Returns the mean number of search results
 * (null for tools that return none), so an empty index cannot pass for a fast one.
 */
async function checkAnswers(target: Target, queries: readonly string[]): Promise<number | null> {
  const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'porthole-bench', version: '1.0.0' },
    },
  });
  const counts: number[] = [];
  for (const [i, body] of [initialize, ...queries.map((q, n) => target.call(q, n + 1))].entries()) {
    const res = await fetch(target.url, { method: 'POST', headers: MCP_HEADERS, body });
    const text = await res.text();
    const outcome = classifyRpcResponse(res.status, text);
    if (!outcome.ok)
      throw new Error(
        `${target.name}: ${target.url} answered ${outcome.kind === 'http' ? outcome.detail : `with an error (${outcome.kind})`}: ${text.slice(0, 300)}`,
      );
    const results = (JSON.parse(text) as { result?: { structuredContent?: { results?: unknown } } }).result
      ?.structuredContent?.results;
    if (i > 0 && Array.isArray(results)) counts.push(results.length);
  }
  return counts.length ? counts.reduce((a, b) => a + b, 0) / counts.length : null;
}

async function loadTarget(target: Target, queries: readonly string[], args: McpBenchArgs): Promise<LoadRun> {
  const agent = keepAliveAgent(target.url, args.clients);
  // Every target sees the same queries in the same order.
  let next = 0;
  const body = () => {
    const n = next++;
    return target.call(queries[n % queries.length] as string, n + 1);
  };
  try {
    log(`${target.name}: warming up for ${WARMUP_MS / 1000} s with ${args.clients} clients`);
    await runLoad({ url: target.url, clients: args.clients, durationMs: WARMUP_MS, body, agent });
    next = 0;
    log(`${target.name}: measuring for ${args.seconds} s`);
    return await runLoad({
      url: target.url,
      clients: args.clients,
      durationMs: args.seconds * 1000,
      body,
      agent,
      onProgress: (requests, errors, elapsedMs) =>
        log(
          `${target.name}: ${(elapsedMs / 1000).toFixed(0)} s, ${requests} requests, ${errors} errors, ${Math.round(requests / (elapsedMs / 1000))} rps`,
        ),
    });
  } finally {
    agent.destroy();
  }
}

let parsed: McpBenchArgs | 'help';
try {
  parsed = parseMcpBenchArgs(process.argv.slice(2));
} catch (error) {
  log(`${(error as Error).message}\n\n${MCP_USAGE}`);
  process.exit(2);
}
if (parsed === 'help') {
  process.stdout.write(`${MCP_USAGE}\n`);
} else {
  await main(parsed);
}
