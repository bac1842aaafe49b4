import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeTunnelToken, isAlive, waitFor } from '../../e2e/fixtures/fake-cloudflared-testing.ts';
import {
  connected,
  FAKE_CLOUDFLARED,
  type Harness,
  harness,
  viaTunnel,
} from '../../e2e/fixtures/tunnel-harness.ts';
import { configPathFor } from './args.ts';
import { pidfilePath, readPidfile, writePidfile } from './orphans.ts';

// No cloudflared outlives Porthole, however Porthole ends; the named-tunnel token never appears on
// a command line.

const open: Harness[] = [];
const setup = async (...args: Parameters<typeof harness>) => {
  const h = await harness(...args);
  open.push(h);
  return h;
};
const stray: number[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const pid of stray.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  await Promise.all(open.splice(0).map((h) => h.close()));
});

const TSX = createRequire(import.meta.url).resolve('tsx');
const INDEX = fileURLToPath(new URL('./index.ts', import.meta.url));

describe('stop', () => {
  it('leaves no process and no pidfile behind', async () => {
    const h = await setup();
    await h.tunnel.start();
    const { pid } = await connected(h.tunnel);
    const record = await waitFor(() => readPidfile(h.stateDir), 'the pidfile');
    expect(record.pid).toBe(pid);
    expect(record.wrapperPid).not.toBeNull();
    await h.tunnel.stop();
    expect(h.tunnel.status()).toEqual({ state: 'off', publicUrl: null, message: null });
    expect(h.tunnel.pid()).toBeNull();
    await waitFor(
      () => !isAlive(pid) && !isAlive(record.wrapperPid!),
      'cloudflared and its watchdog to be gone',
    );
    expect(readPidfile(h.stateDir)).toBeNull();
  });

  it('kills a cloudflared that does not finish its graceful shutdown', async () => {
    // The grace period runs on a fake clock (only the supervisor's timers): the kill provably waits
    // for it, and nothing waits for it in real time.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = await setup({ stopGraceMs: 3000 }, { FAKE_CLOUDFLARED_IGNORE_SIGTERM: '1' });
    await h.tunnel.start();
    const { pid } = await connected(h.tunnel);
    const stopped = h.tunnel.stop();
    await waitFor(
      () => h.lines.some((l) => l.includes('Initiating graceful shutdown')),
      'the graceful shutdown',
    );
    await vi.advanceTimersByTimeAsync(2999);
    expect(isAlive(pid)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
    await waitFor(() => !isAlive(pid), 'cloudflared to be killed');
  });

  it('leaves nothing running when stopped while starting, and one cloudflared after start-stop-start', async () => {
    const h = await setup();
    const ours = () =>
      readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .filter((entry) => {
          try {
            return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(configPathFor(h.stateDir));
          } catch {
            return false;
          }
        });
    void h.tunnel.start();
    await h.tunnel.stop();
    expect(h.tunnel.status().state).toBe('off');
    void h.tunnel.start();
    void h.tunnel.stop();
    await h.tunnel.start();
    const { pid } = await connected(h.tunnel);
    // The cloudflared, and the watchdog with its watcher subshell.
    await waitFor(() => ours().filter((p) => Number(p) !== pid).length === 2 && ours(), 'exactly one tunnel');
    await h.tunnel.stop();
    await waitFor(() => ours().length === 0, 'no process with our config');
  });

  it('can start again after a stop', async () => {
    const h = await setup();
    await h.tunnel.start();
    const first = await connected(h.tunnel);
    await h.tunnel.stop();
    await h.tunnel.start();
    const second = await connected(h.tunnel, first.pid);
    expect(h.urlChanges.at(-1)).toEqual([first.status.publicUrl, second.status.publicUrl]);
  });
});

describe('the parent dies', () => {
  // A Porthole stand-in: starts a supervisor, prints cloudflared's pid once connected, then idles.
  const parentScript = (h: Harness) => {
    const script = path.join(h.root, 'parent.mjs');
    writeFileSync(
      script,
      `import { createTunnel } from ${JSON.stringify(INDEX)};
const options = JSON.parse(process.argv[2]);
const tunnel = createTunnel(options);
tunnel.on('status', (s) => { if (s.state === 'connected') console.log(JSON.stringify({ pid: tunnel.pid() })); });
await tunnel.start();
`,
    );
    const { log: _log, ...options } = h.options;
    const parent = spawn(process.execPath, ['--import', TSX, script, JSON.stringify(options)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    stray.push(parent.pid!);
    const pid = new Promise<number>((resolve) => {
      createInterface({ input: parent.stdout! }).once('line', (line) => resolve(JSON.parse(line).pid));
    });
    return { parent, pid };
  };

  it.each([
    ['is SIGKILLed', (pid: number) => process.kill(pid, 'SIGKILL')],
    ['gets Ctrl-C (SIGINT to its process group)', (pid: number) => process.kill(-pid, 'SIGINT')],
  ])('cloudflared goes too when the parent %s', async (_name, kill) => {
    const h = await setup();
    const { parent, pid: cloudflaredPid } = parentScript(h);
    const pid = await cloudflaredPid;
    expect(isAlive(pid)).toBe(true);
    kill(parent.pid!);
    await waitFor(() => !isAlive(pid), 'cloudflared to die with its parent');
    const record = readPidfile(h.stateDir);
    if (record?.wrapperPid) await waitFor(() => !isAlive(record.wrapperPid!), 'the watchdog to exit');
  });
});

describe('a cloudflared left over from a previous run', () => {
  it('is found through the pidfile and stopped before a new one starts', async () => {
    const h = await setup();
    const configPath = configPathFor(h.stateDir);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(h.stateDir, { recursive: true });
    writeFileSync(configPath, '{}\n');
    // As if a previous Porthole had been killed with its watchdog: the bare cloudflared survives.
    const leftover = spawn(
      FAKE_CLOUDFLARED,
      ['tunnel', '--no-autoupdate', '--config', configPath, '--url', h.origin.url],
      { env: h.options.env, detached: true, stdio: 'ignore' },
    );
    stray.push(leftover.pid!);
    writePidfile(h.stateDir, { pid: leftover.pid!, wrapperPid: null, configPath, startedAt: 'yesterday' });

    await h.tunnel.start();
    expect(h.lines.some((l) => l.includes(`left over from a previous run (pid ${leftover.pid}`))).toBe(true);
    await waitFor(() => !isAlive(leftover.pid!), 'the leftover to be stopped');
    const { pid } = await connected(h.tunnel);
    expect(pid).not.toBe(leftover.pid);
    expect(readPidfile(h.stateDir)?.pid).toBe(pid);
  });

  it('is left alone when the pid now belongs to something else', async () => {
    const h = await setup();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    stray.push(other.pid!);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(h.stateDir, { recursive: true });
    writePidfile(h.stateDir, {
      pid: other.pid!,
      wrapperPid: null,
      configPath: configPathFor(h.stateDir),
      startedAt: 'yesterday',
    });
    await h.tunnel.start();
    await connected(h.tunnel);
    expect(isAlive(other.pid!)).toBe(true);
    expect(
      h.lines.some((l) =>
        l.includes(`pid ${other.pid} from the pidfile is running but is not our cloudflared`),
      ),
    ).toBe(true);
    expect(readFileSync(pidfilePath(h.stateDir), 'utf8')).not.toContain(String(other.pid));
  });
});

describe('named tunnel', () => {
  it('passes the token only in the environment and serves the configured hostname', async () => {
    const token = fakeTunnelToken();
    const h = await setup(
      { mode: 'named', token, hostname: 'https://Porthole.Example.com/' },
      { FAKE_CLOUDFLARED_HOSTNAME: 'porthole.example.com' },
    );
    h.options.env!.FAKE_CLOUDFLARED_TARGET = h.origin.url;
    await h.tunnel.start();
    const { pid, status } = await connected(h.tunnel);
    expect(status.publicUrl).toBe('https://porthole.example.com');
    expect(h.urlChanges).toEqual([[null, 'https://porthole.example.com']]);
    await waitFor(
      () => h.lines.filter((l) => l.includes('Registered tunnel connection')).length === 4,
      '4 connections',
    );

    // No command line on this machine carries the token; cloudflared's environment does.
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      expect(cmdline, `/proc/${entry}/cmdline`).not.toContain(token);
    }
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(`TUNNEL_TOKEN=${token}`);
    expect(h.lines.join('\n')).not.toContain(token);

    const response = await viaTunnel(h, pid, '/mcp');
    expect(await response.json()).toEqual({ name: 'ours', path: '/mcp', host: 'porthole.example.com' });
  });
});
