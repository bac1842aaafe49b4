import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killClis, runCli, runInProcess } from './cli-testing.ts';
import { removeDirs, tempDir, writeTree } from './library/testing.ts';
import { connectClient } from './mcp/testing.ts';

// Every case here runs the real CLI: most in this process through main() (the connector's modules
// load once), those that need a process of their own (a signal, a second command on a running
// one, the entry point itself) spawned. Reading the command line is tested in cli-args.test.ts;
// `porthole folders` in cli-folders.test.ts, where secrets go in cli-secrets.test.ts.

const dirs: string[] = [];

afterEach(async () => {
  killClis();
  await removeDirs(...dirs.splice(0));
});

async function dataDir(): Promise<string> {
  const dir = await tempDir('porthole-data-');
  dirs.push(dir);
  return dir;
}

/** Nothing a stopped serve may leave behind in its data folder. */
function expectNothingStale(dir: string): void {
  expect(fs.existsSync(path.join(dir, 'control.json'))).toBe(false);
  expect(fs.existsSync(path.join(dir, 'instance.lock'))).toBe(false);
}

describe('porthole serve', () => {
  it('serves a folder, logs each request, and stops cleanly on Ctrl-C', async () => {
    const folder = await tempDir();
    const data = await dataDir();
    dirs.push(folder);
    await writeTree(folder, { 'hello.txt': 'greetings from the command line' });
    const proc = runCli(['serve', '--folder', folder, '--port', '0', '--data-dir', data, '--tunnel', 'off']);
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
    expectNothingStale(data);
  });

  // Off: these cases are about starting, and no test may reach for a real cloudflared.
  it('exits non-zero with one clear line for a missing folder', async () => {
    const data = await dataDir();
    const { code, err } = await runInProcess([
      'serve',
      '--folder',
      '/definitely/not/here',
      '--port',
      '0',
      '--data-dir',
      data,
      '--tunnel',
      'off',
    ]);
    expect(code).toBe(1);
    expect(err.trim()).toBe(
      'porthole: "/definitely/not/here" does not exist. Check the path, or create the folder first.',
    );
    expectNothingStale(data);
  });

  it('exits non-zero when the port is taken', async () => {
    const data = await dataDir();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, err } = await runInProcess([
        'serve',
        '--port',
        String(port),
        '--data-dir',
        data,
        '--tunnel',
        'off',
      ]);
      expect(code).toBe(1);
      expect(err).toMatch(new RegExp(`Port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('rejects a bad command line with the usage and exit code 2', async () => {
    const { code, err } = await runInProcess(['serve', '--port', 'eighty']);
    expect(code).toBe(2);
    expect(err).toMatch(/^porthole: --port must be 0\.\.65535, not "eighty"\.\n\nUsage: porthole serve/);
  });

  it('prints its options for --help (the entry point, spawned)', async () => {
    const help = runCli(['serve', '--help']);
    expect(await help.exited).toBe(0);
    expect(help.out()).toContain('--allow-login LOGIN');
  });
});

describe('the data folder', () => {
  it('says that PORTHOLE_DATA_DIR points at a file, not "EEXIST"', async () => {
    const parent = await dataDir();
    const file = path.join(parent, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const { code, err } = await runInProcess(['serve', '--tunnel', 'off'], { PORTHOLE_DATA_DIR: file });
    expect(code).toBe(1);
    expect(err.trim()).toBe(
      `porthole: The data folder ${file} (from PORTHOLE_DATA_DIR) is a file, not a folder. Point PORTHOLE_DATA_DIR at a folder (it is created if missing).`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('names --data-dir, not PORTHOLE_DATA_DIR, when --data-dir chose an impossible folder', async () => {
    const { code, err } = await runInProcess(['serve', '--port', '0', '--data-dir', '/dev/null/porthole']);
    expect(code).toBe(1);
    expect(err.trim()).toBe(
      'porthole: The data folder /dev/null/porthole (from --data-dir) cannot be created: /dev/null is not a folder. Choose another folder with --data-dir DIR.',
    );
  });

  it('names the way the folder was chosen when it cannot be written', async () => {
    // /proc refuses new entries even to root, which chmod would not stop.
    const { code, err } = await runInProcess(['serve', '--tunnel', 'off'], {
      PORTHOLE_DATA_DIR: '/proc/porthole-test',
    });
    expect(code).toBe(1);
    expect(err).toMatch(
      /^porthole: Porthole cannot write in its data folder \/proc\/porthole-test \(from PORTHOLE_DATA_DIR; E[A-Z]+\)\. Make that folder writable by you, or point PORTHOLE_DATA_DIR at a folder/,
    );
    expect(err).not.toContain('--data-dir');
  });
});

describe('one serve per data folder', () => {
  it('refuses a second serve, naming the process that holds the folder, and takes over a stale lock', async () => {
    const data = await dataDir();
    // A lock left by a process that is gone: taken over without a word.
    const gone = runCli(['--help']);
    await gone.exited;
    const stale = { pid: gone.child.pid, startedAt: new Date().toISOString(), command: 'porthole serve' };
    fs.writeFileSync(path.join(data, 'instance.lock'), JSON.stringify(stale));
    const first = runCli(['serve', '--port', '0', '--data-dir', data, '--tunnel', 'off']);
    await first.waitFor(/Press Ctrl-C to stop/);
    const second = await runInProcess(['serve', '--port', '0', '--data-dir', data, '--tunnel', 'off']);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(
      new RegExp(
        `^porthole: Another Porthole \\(porthole serve, pid ${first.child.pid}, running since \\d{4}-`,
      ),
    );
    // The first one is untouched: status still reads it.
    const status = await runInProcess(['status', '--data-dir', data]);
    expect(status.out).toContain(`Process: pid ${first.child.pid}, running since`);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expectNothingStale(data);
  });
});

describe('porthole serve --json and porthole status', () => {
  it('prints a machine-readable ready line, and status reads the running instance with its dashboard link', async () => {
    const data = await dataDir();
    const proc = runCli(['serve', '--port', '0', '--data-dir', data, '--json', '--tunnel', 'off']);
    const [line] = await proc.waitFor(/\{"event":"ready".*\}/);
    const ready = JSON.parse(line!) as Record<string, unknown>;
    expect(ready).toMatchObject({
      authMode: 'loopback-only',
      dataDir: data,
      owner: null,
      tunnel: { mode: 'off' },
    });
    expect(String(ready.mcpUrl)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const status = await runInProcess(['status', '--data-dir', data]);
    expect(status.code).toBe(0);
    expect(status.out).toContain(`Connector URL: ${ready.mcpUrl}`);
    expect(status.out).toContain(`Dashboard: ${ready.dashboardUrl}`);
    expect(status.out).toMatch(/Server: running/);
    const json = await runInProcess(['status', '--data-dir', data, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      mcpUrl: ready.mcpUrl,
      paused: false,
      dashboardUrl: ready.dashboardUrl,
    });
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    const after = await runInProcess(['status', '--data-dir', data]);
    expect(after.code).toBe(1);
    expect(after.err).toMatch(/no Porthole is running/);
  });

  it('keeps the dashboard on the same port across restarts, and says so when that port is taken', async () => {
    const data = await dataDir();
    const dashboardPort = async (extra: string[] = []) => {
      const proc = runCli(['serve', '--port', '0', '--data-dir', data, '--tunnel', 'off', ...extra]);
      const [, port] = await proc.waitFor(/Dashboard: http:\/\/127\.0\.0\.1:(\d+)\//);
      proc.child.kill('SIGINT');
      expect(await proc.exited).toBe(0);
      return { port: Number(port), out: proc.out() + proc.err() };
    };
    const first = await dashboardPort();
    expect((await dashboardPort()).port).toBe(first.port);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(first.port, '127.0.0.1', () => r()));
    try {
      const moved = await dashboardPort();
      expect(moved.port).not.toBe(first.port);
      expect(moved.out).toContain(
        `The dashboard's usual port ${first.port} is taken by another program; it is on ${moved.port} now.`,
      );
    } finally {
      blocker.close();
    }
  });
});

describe('Ctrl-C while a big folder is being indexed', () => {
  it('stops, says "Stopped." once, and leaves no control.json or lock, even when the signal comes twice', async () => {
    const folder = await tempDir('porthole-big-');
    dirs.push(folder);
    const files: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++)
      files[`d${i % 100}/note-${i}.txt`] = `note ${i} about ${'lorem ipsum dolor '.repeat(20)}`;
    await writeTree(folder, files);
    const data = await dataDir();
    const proc = runCli(['serve', '--folder', folder, '--port', '0', '--data-dir', data, '--tunnel', 'off']);
    await proc.waitFor(/… porthole-big-\w+: indexing/);
    expect(fs.existsSync(path.join(data, 'control.json'))).toBe(true);
    // As from a terminal under `npm run`: the terminal's signal and npm's forwarded copy.
    proc.child.kill('SIGINT');
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    expect(proc.err().match(/Stopped\./g)).toHaveLength(1);
    expect(proc.err()).not.toMatch(/✓ porthole-big-/);
    expectNothingStale(data);
  });
});
