// What the owner-only authorization costs per request (`npm run bench:auth`): the same
// corpus served twice in this process, once loopback-only (no token) and once behind the
// authorization server with a real access token (ES256 JWT checked, grant looked up on
// every request), both under the same closed-loop load on /mcp, alternating rounds so the
// VM's drift hits both alike. It prints a table and the ratio; it never fails on numbers.
import { parseArgs } from 'node:util';
import { connectChatGptLike } from '../e2e/fixtures/chatgpt-like.ts';
import {
  approveWithRedirects,
  type PortholeWithAuth,
  startPortholeWithAuth,
} from '../e2e/fixtures/porthole-auth.ts';
import { defaultCorpusDir, ensureCorpus, SyntheticCorpus } from './corpus.ts';
import { keepAliveAgent, runLoad, summarizeLoad } from './load.ts';
import { mixSeed, Rng } from './prng.ts';
import { makeQueries } from './queries.ts';
import { formatColumns } from './report.ts';
import { sampleCorpus } from './sample.ts';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '5000' },
    clients: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '7' },
  },
});
const files = Number(values.files);
const clients = Number(values.clients);
const durationMs = Number(values.seconds) * 1000;
const rounds = Number(values.rounds);
const seed = Number(values.seed);
const log = (line: string) => process.stderr.write(`${line}\n`);

const corpus = new SyntheticCorpus({ files, seed });
const corpusDir = defaultCorpusDir(corpus.config);
ensureCorpus(corpus, corpusDir, log);
const queries = makeQueries(
  {
    sample: sampleCorpus(corpusDir, new Rng(mixSeed(seed, 0x5a))),
    vocabularyWords: corpus.vocab.words.slice(100, 5000),
  },
  new Rng(mixSeed(seed, 0x9e)),
  2000,
).map((q) => q.text);

/** One Porthole on the corpus: `open` without the authorization server, `oauth` with it. */
async function start(mode: 'open' | 'oauth'): Promise<PortholeWithAuth> {
  const porthole = await startPortholeWithAuth({
    files: {},
    owner: { id: 1, login: 'octocat' },
    // Without a client secret there is no GitHub OAuth App: loopback-only, no token needed.
    connector: mode === 'open' ? { githubClientSecret: undefined, githubClientId: undefined } : {},
  });
  await porthole.connector.control.addFolder(corpusDir);
  await porthole.connector.library.whenIdle();
  return porthole;
}

const open = await start('open');
const oauth = await start('oauth');
if (open.connector.state().auth.mode !== 'loopback-only' || oauth.connector.state().auth.mode !== 'oauth')
  throw new Error('bench: the two Portholes are not in the modes this compares');
const redirect = 'http://127.0.0.1:9/bench';
const client = await connectChatGptLike({
  mcpUrl: `${oauth.base}/mcp`,
  mode: 'dcr',
  dcrRedirectUrl: redirect,
  browser: approveWithRedirects(redirect),
});
const token = client.provider.memory.tokens?.access_token as string;
await client.close();

const call = (id: number) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'search', arguments: { query: queries[id % queries.length] } },
  });
const targets: { name: string; porthole: PortholeWithAuth; headers: Record<string, string> }[] = [
  { name: 'loopback-only (no token)', porthole: open, headers: {} },
  { name: 'owner-only OAuth (bearer JWT)', porthole: oauth, headers: { authorization: `Bearer ${token}` } },
];
const results = new Map<string, { latencies: number[]; errors: number; elapsedMs: number }>();
let id = 0;
for (let round = 1; round <= rounds; round++) {
  for (const target of targets) {
    const url = `${target.porthole.base}/mcp`;
    const run = await runLoad({
      url,
      clients,
      durationMs,
      body: () => call(id++),
      agent: keepAliveAgent(url, clients),
      headers: target.headers,
    });
    const into = results.get(target.name) ?? { latencies: [], errors: 0, elapsedMs: 0 };
    into.latencies.push(...run.latenciesMs);
    into.errors += run.errors;
    into.elapsedMs += run.elapsedMs;
    results.set(target.name, into);
    log(`round ${round}: ${target.name}: ${run.requests} requests, ${run.errors} errors`);
  }
}

const rows = targets.map((t) => {
  const r = results.get(t.name) ?? { latencies: [], errors: 0, elapsedMs: 0 };
  const s = summarizeLoad({ latenciesMs: r.latencies, errors: r.errors, elapsedMs: r.elapsedMs });
  return { name: t.name, ...s };
});
console.log(
  `\n/mcp search, ${files} files, ${clients} clients, ${rounds} alternating rounds of ${durationMs / 1000} s each\n`,
);
console.log(
  formatColumns(
    ['target', 'rps', 'p50 ms', 'p99 ms', 'errors'],
    rows.map((r) => [r.name, r.rps.toFixed(0), r.p50Ms.toFixed(1), r.p99Ms.toFixed(1), String(r.errors)]),
    new Set([1, 2, 3, 4]),
  ),
);
const [base, auth] = rows as [(typeof rows)[0], (typeof rows)[0]];
console.log(
  `\nratio (OAuth / no token): throughput ${(auth.rps / base.rps).toFixed(2)}, p50 ${(auth.p50Ms / base.p50Ms).toFixed(2)}, p99 ${(auth.p99Ms / base.p99Ms).toFixed(2)}`,
);
await open.close();
await oauth.close();
process.exit(0);
