// How fast the command line answers: --help, a usage error, `status` (with and without a running
// serve), each the way it ran before (the npm script built the dashboard first and ran through
// tsx's two-process wrapper; cli.ts loaded the whole connector before reading its arguments,
// reproduced here by preloading server/connector.ts) and the way it runs now.
//
//   npm run bench:cli                 5 runs of each (median, min, max)
//   npm run bench:cli -- --runs 10
//   npm run bench:cli -- --json
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, json: { type: 'boolean', default: false } },
});
const runs = Number(values.runs);

const node = process.execPath;
const tsxBin = path.join(root, 'node_modules', '.bin', 'tsx');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const cli = path.join(root, 'server', 'cli.ts');
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-cli-'));
const idle = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-idle-'));
const viteOut = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-vite-'));

type Cmd = { program: string; args: string[] };
/** Before: the old npm script's way (tsx wrapper, connector loaded before the arguments). */
const before = (...args: string[]): Cmd => ({
  program: tsxBin,
  args: ['--import', './server/connector.ts', cli, ...args],
});
const now = (...args: string[]): Cmd => ({ program: node, args: ['--import', 'tsx', cli, ...args] });
const oldServeScript = (...args: string[]): Cmd => ({
  program: 'sh',
  args: [
    '-c',
    // Into a folder of its own: rewriting dist/renderer could pull it from under a running dashboard.
    `"${node}" "${vite}" build --config renderer/vite.config.ts --logLevel error --outDir "${viteOut}" --emptyOutDir && "${tsxBin}" --import ./server/connector.ts "${cli}" serve ${args.join(' ')}`,
  ],
});

const cases: Array<{ name: string; before: Cmd; now: Cmd; exit: number }> = [
  {
    name: 'serve --help (what npm run serve runs)',
    before: oldServeScript('--help'),
    now: now('serve', '--help'),
    exit: 0,
  },
  {
    name: 'usage error (serve --port x)',
    before: before('serve', '--port', 'x'),
    now: now('serve', '--port', 'x'),
    exit: 2,
  },
  {
    name: 'status, nothing running',
    before: before('status', '--data-dir', idle),
    now: now('status', '--data-dir', idle),
    exit: 1,
  },
  {
    name: 'status of a running serve',
    before: before('status', '--data-dir', data),
    now: now('status', '--data-dir', data),
    exit: 0,
  },
];

function time(cmd: Cmd, exit: number): number {
  const start = performance.now();
  try {
    execFileSync(cmd.program, cmd.args, { cwd: root, stdio: 'ignore' });
    if (exit !== 0) throw new Error(`${cmd.args.join(' ')}: exit 0, expected ${exit}`);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status !== exit) throw error;
  }
  return performance.now() - start;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number };
}

async function startServe(): Promise<ChildProcess> {
  const child = spawn(
    node,
    ['--import', 'tsx', cli, 'serve', '--port', '0', '--data-dir', data, '--tunnel', 'off'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d) => {
      out += d;
      if (out.includes('Press Ctrl-C to stop.')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}) before it was ready`)));
  });
  return child;
}

const serve = await startServe();
const rows: Array<{ case: string; before: ReturnType<typeof stats>; now: ReturnType<typeof stats> }> = [];
try {
  for (const c of cases) {
    // Alternate, so that a busy moment of the machine falls on both sides alike.
    const b: number[] = [];
    const n: number[] = [];
    for (let i = 0; i < runs; i++) {
      b.push(time(c.before, c.exit));
      n.push(time(c.now, c.exit));
    }
    rows.push({ case: c.name, before: stats(b), now: stats(n) });
  }
} finally {
  serve.kill('SIGINT');
  await new Promise((r) => serve.on('exit', r));
  fs.rmSync(data, { recursive: true, force: true });
  fs.rmSync(idle, { recursive: true, force: true });
  fs.rmSync(viteOut, { recursive: true, force: true });
}

if (values.json) {
  console.log(JSON.stringify({ runs, rows }));
} else {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`porthole CLI start-up, ${runs} runs each, median (min–max); ${os.cpus().length} cores`);
  console.log('| command | before | now | before / now |');
  console.log('|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.case} | ${s(r.before.median)} (${s(r.before.min)}–${s(r.before.max)}) | ${s(r.now.median)} (${s(r.now.min)}–${s(r.now.max)}) | ${(r.before.median / r.now.median).toFixed(1)}× |`,
    );
}
