import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDirs, tempDir, writeTree } from './library/testing.ts';
import { connectClient } from './mcp/testing.ts';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');
const children: ChildProcess[] = [];
const dirs: string[] = [];

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
    async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
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

  it('exits non-zero with one clear line for a missing folder', async () => {
    const dataDir = await tempDir('porthole-data-');
    dirs.push(dataDir);
    const proc = run(['serve', '--folder', '/definitely/not/here', '--port', '0', '--data-dir', dataDir]);
    expect(await proc.exited).toBe(1);
    expect(proc.err().trim()).toBe(
      'porthole: "/definitely/not/here" does not exist. Check the path, or create the folder first.',
    );
  });

  it('exits non-zero when the port is taken', async () => {
    const dataDir = await tempDir('porthole-data-');
    dirs.push(dataDir);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const proc = run(['serve', '--port', String(port), '--data-dir', dataDir]);
    expect(await proc.exited).toBe(1);
    expect(proc.err()).toMatch(new RegExp(`Port ${port} is already in use`));
    blocker.close();
  });

  it('exits non-zero when the data folder cannot be written', async () => {
    const proc = run(['serve', '--port', '0', '--data-dir', '/dev/null/porthole']);
    expect(await proc.exited).toBe(1);
    expect(proc.err()).toMatch(/cannot write its settings/);
  });

  it('rejects unknown flags and bad ports with usage', async () => {
    const bad = run(['serve', '--port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toMatch(/--port must be/);
    const unknown = run(['serve', '--colour']);
    expect(await unknown.exited).toBe(2);
  });

  it('prints its options for --help', async () => {
    const help = run(['serve', '--help']);
    expect(await help.exited).toBe(0);
    expect(help.out()).toContain('--allow-login LOGIN');
  });

  it('rejects a bad --tunnel, --allow-login or --github-url with usage', async () => {
    for (const args of [
      ['--tunnel', 'fast'],
      ['--allow-login', 'not a login'],
      ['--github-url', 'ftp://example.com'],
    ]) {
      const proc = run(['serve', ...args]);
      expect(await proc.exited).toBe(2);
      expect(proc.err()).toMatch(/must be/);
    }
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
    const status = run(['status', '--data-dir', dataDir]);
    expect(await status.exited).toBe(0);
    expect(status.out()).toContain(`Connector URL: ${ready.mcpUrl}`);
    expect(status.out()).toMatch(/Server: running/);
    const json = run(['status', '--data-dir', dataDir, '--json']);
    expect(await json.exited).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ mcpUrl: ready.mcpUrl, paused: false });
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    const after = run(['status', '--data-dir', dataDir]);
    expect(await after.exited).toBe(1);
    expect(after.err()).toMatch(/no Porthole is running/);
  });
});
