import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli.ts';
import { removeDirs, tempDir, writeTree } from './library/testing.ts';
import { connectClient } from './mcp/testing.ts';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');
const children: ChildProcess[] = [];
const dirs: string[] = [];

// Every case here runs the real CLI: most in this process through main() (the connector's modules
// load once), the few that need a process of their own (a signal, a second command on a running
// one, the entry point itself) spawned. Reading the command line is tested in cli-args.test.ts.

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await removeDirs(...dirs.splice(0));
});

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    out: () => stdout,
    err: () => stderr,
    async waitFor(pattern: RegExp, timeoutMs = 45_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = (stdout + stderr).match(pattern);
        if (match) return match;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no ${pattern} in output:\n${stdout}\n${stderr}`);
    },
  };
}

/** main() in this process, with what it prints to stdout and stderr. */
async function runInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const collect = (text: unknown[]) => `${text.map(String).join(' ')}\n`;
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...text) => {
      out += collect(text);
    }),
    vi.spyOn(console, 'error').mockImplementation((...text) => {
      err += collect(text);
    }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err += String(chunk);
      return true;
    }),
  ];
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('porthole serve', () => {
  it('serves a folder, logs each request, and stops cleanly on Ctrl-C', async () => {
    const folder = await tempDir();
    const dataDir = await tempDir('porthole-data-');
    dirs.push(folder, dataDir);
    await writeTree(folder, { 'hello.txt': 'greetings from the command line' });
    const proc = run(['serve', '--folder', folder, '--port', '0', '--data-dir', dataDir]);
    const [mcpUrl] = await proc.waitFor(/http:\/\/127\.0\.0\.1:\d+\/mcp/);
    await proc.waitFor(/✓ .*1 indexed/);
    const client = await connectClient(mcpUrl!.replace(/\/mcp$/, ''));
    const result = await client.callTool({ name: 'search', arguments: { query: 'greetings' } });
    expect((result.structuredContent as { results: unknown[] }).results).toHaveLength(1);
    await client.close();
    await proc.waitFor(/search "greetings" → 1 results/);
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    expect(proc.err()).toContain('Stopped.');
  });

  // Off: these cases are about starting, and no test may reach for a real cloudflared.
  it('exits non-zero with one clear line for a missing folder', async () => {
    const dataDir = await tempDir('porthole-data-');
    dirs.push(dataDir);
    const { code, err } = await runInProcess([
      'serve',
      '--folder',
      '/definitely/not/here',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--tunnel',
      'off',
    ]);
    expect(code).toBe(1);
    expect(err.trim()).toBe(
      'porthole: "/definitely/not/here" does not exist. Check the path, or create the folder first.',
    );
  });

  it('exits non-zero when the port is taken', async () => {
    const dataDir = await tempDir('porthole-data-');
    dirs.push(dataDir);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, err } = await runInProcess([
        'serve',
        '--port',
        String(port),
        '--data-dir',
        dataDir,
        '--tunnel',
        'off',
      ]);
      expect(code).toBe(1);
      expect(err).toMatch(new RegExp(`Port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('exits non-zero when the data folder cannot be written', async () => {
    const { code, err } = await runInProcess(['serve', '--port', '0', '--data-dir', '/dev/null/porthole']);
    expect(code).toBe(1);
    expect(err).toMatch(/cannot write its settings/);
  });

  it('rejects a bad command line with the usage and exit code 2', async () => {
    const { code, err } = await runInProcess(['serve', '--port', 'eighty']);
    expect(code).toBe(2);
    expect(err).toMatch(/^porthole: --port must be 0\.\.65535, not "eighty"\.\n\nUsage: porthole serve/);
  });

  it('prints its options for --help (the entry point, spawned)', async () => {
    const help = run(['serve', '--help']);
    expect(await help.exited).toBe(0);
    expect(help.out()).toContain('--allow-login LOGIN');
  });
});

describe('porthole serve --json and porthole status', () => {
  it('prints a machine-readable ready line, and status reads the running instance', async () => {
    const dataDir = await tempDir('porthole-data-');
    dirs.push(dataDir);
    const proc = run(['serve', '--port', '0', '--data-dir', dataDir, '--json', '--tunnel', 'off']);
    const [line] = await proc.waitFor(/\{"event":"ready".*\}/);
    const ready = JSON.parse(line!) as Record<string, unknown>;
    expect(ready).toMatchObject({ authMode: 'loopback-only', dataDir, owner: null, tunnel: { mode: 'off' } });
    expect(String(ready.mcpUrl)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    // status in this process: it reads the running one's control file and asks its control API.
    const status = await runInProcess(['status', '--data-dir', dataDir]);
    expect(status.code).toBe(0);
    expect(status.out).toContain(`Connector URL: ${ready.mcpUrl}`);
    expect(status.out).toMatch(/Server: running/);
    const json = await runInProcess(['status', '--data-dir', dataDir, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ mcpUrl: ready.mcpUrl, paused: false });
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    const after = await runInProcess(['status', '--data-dir', dataDir]);
    expect(after.code).toBe(1);
    expect(after.err).toMatch(/no Porthole is running/);
  });
});
