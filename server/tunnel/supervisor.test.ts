import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAlive, readFakeState, waitFor } from '../../e2e/fixtures/fake-cloudflared-testing.ts';
import { connected, type Harness, harness, viaTunnel } from '../../e2e/fixtures/tunnel-harness.ts';
import { createTunnel } from './index.ts';

// The supervisor on the fake cloudflared: states, URLs, restarts. Real processes, real HTTP on
// loopback; no wall-clock assertions, only polling. Where a test is about a delay of the
// supervisor's own (the restart backoff), the clock is a fake one the test moves: nothing waits
// for it, and the restart provably does not come early.

const open: Harness[] = [];
const setup = async (...args: Parameters<typeof harness>) => {
  const h = await harness(...args);
  open.push(h);
  return h;
};
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((h) => h.close()));
});

describe('quick tunnel', () => {
  it('announces the URL from the log, connects, and forwards with the tunnel Host header', async () => {
    const h = await setup();
    expect(h.tunnel.status()).toEqual({ state: 'off', publicUrl: null, message: null });
    await h.tunnel.start();
    const { pid, status } = await connected(h.tunnel);
    expect(status.publicUrl).toMatch(/^https:\/\/[a-z]+(-[a-z]+){3}\.trycloudflare\.com$/);
    expect(h.urlChanges).toEqual([[null, status.publicUrl]]);
    expect(h.statuses.map((s) => s.state)).toEqual(['starting', 'starting', 'connected']);

    const response = await viaTunnel(h, pid, '/mcp?x=1');
    expect(response.status).toBe(200);
    const host = new URL(status.publicUrl!).host;
    expect(await response.json()).toEqual({ name: 'ours', path: '/mcp?x=1', host });
    expect(h.origin.requests.at(-1)?.headers['x-forwarded-proto']).toBe('https');
  });

  it('restarts a killed cloudflared with backoff and announces the new URL', async () => {
    // Only the supervisor's timers: processes, sockets and waitFor's polling run on real time.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = await setup();
    await h.tunnel.start();
    const first = await connected(h.tunnel);
    process.kill(first.pid, 'SIGKILL');
    await waitFor(() => h.tunnel.status().state === 'reconnecting', 'reconnecting');
    expect(h.tunnel.status().publicUrl).toBeNull();
    expect(h.tunnel.status().message).toMatch(/SIGKILL.*Restarting in 100 ms/);
    await vi.advanceTimersByTimeAsync(99);
    expect(h.tunnel.status().message).toMatch(/Restarting in 100 ms/);
    await vi.advanceTimersByTimeAsync(1);

    const second = await connected(h.tunnel, first.pid);
    expect(second.status.publicUrl).not.toBe(first.status.publicUrl);
    expect(h.urlChanges).toEqual([
      [null, first.status.publicUrl],
      [first.status.publicUrl, second.status.publicUrl],
    ]);
    expect(isAlive(first.pid)).toBe(false);
    const response = await viaTunnel(h, second.pid, '/again');
    expect(response.status).toBe(200);

    // A second failure before the tunnel was stable doubles the delay.
    process.kill(second.pid, 'SIGKILL');
    await waitFor(() => h.lines.find((l) => /restart 2 in 200 ms/.test(l)), 'the second restart');
    await vi.advanceTimersByTimeAsync(199);
    expect(h.tunnel.pid()).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    await connected(h.tunnel, second.pid);
  });

  it('restarts after a crash (a Go panic) and shows why it went down', async () => {
    // Every fake crashes this long after it starts, so the test follows the recorded statuses
    // (connected, down with the panic, connected again) rather than the status of the moment.
    const h = await setup({}, { FAKE_CLOUDFLARED_CRASH_AFTER_MS: '600' });
    await h.tunnel.start();
    const crash = await waitFor(() => {
      const at = h.statuses.findIndex((s) => s.state === 'reconnecting' && s.message?.includes('panic'));
      return at >= 0 ? { at, status: h.statuses[at]! } : null;
    }, 'the crash');
    expect(crash.status.message).toMatch(/exited with code 2: panic: runtime error/);
    await waitFor(() => h.statuses.slice(crash.at).some((s) => s.state === 'connected'), 'connected again');
  });

  it('follows a re-created quick tunnel (new URL, same process)', async () => {
    const h = await setup();
    await h.tunnel.start();
    const first = await connected(h.tunnel);
    process.kill(first.pid, 'SIGUSR1');
    const changed = await waitFor(() => h.urlChanges[1], 'the second URL');
    expect(changed[0]).toBe(first.status.publicUrl);
    const again = await waitFor(() => {
      const s = h.tunnel.status();
      return s.state === 'connected' && s.publicUrl === changed[1] ? s : null;
    }, 'connected on the new URL');
    expect(h.tunnel.pid()).toBe(first.pid);
    expect(h.statuses.some((s) => s.state === 'reconnecting')).toBe(true);
    expect(again.publicUrl).toBe(changed[1]);
  });

  it('waits for cloudflared to win back a lost connection, keeping the URL', async () => {
    const h = await setup({ reconnectGraceMs: 60_000 });
    await h.tunnel.start();
    const first = await connected(h.tunnel);
    process.kill(first.pid, 'SIGUSR2');
    await waitFor(() => h.tunnel.status().state === 'reconnecting', 'reconnecting');
    expect(h.tunnel.status().publicUrl).toBe(first.status.publicUrl);
    process.kill(first.pid, 'SIGUSR2');
    const back = await connected(h.tunnel);
    expect(back.pid).toBe(first.pid);
    expect(back.status.publicUrl).toBe(first.status.publicUrl);
    expect(h.urlChanges).toHaveLength(1);
  });

  it('replaces a cloudflared that stays disconnected past the grace period', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = await setup({ reconnectGraceMs: 30_000 });
    await h.tunnel.start();
    const first = await connected(h.tunnel);
    process.kill(first.pid, 'SIGUSR2');
    await waitFor(() => h.tunnel.status().state === 'reconnecting', 'reconnecting');
    await vi.advanceTimersByTimeAsync(29_999);
    expect(h.tunnel.pid()).toBe(first.pid);
    await vi.advanceTimersByTimeAsync(1);
    // Stopped gracefully, then restarted after the first backoff.
    await waitFor(() => /Restarting in 100 ms/.test(h.tunnel.status().message ?? ''), 'the restart');
    await vi.advanceTimersByTimeAsync(100);
    const second = await connected(h.tunnel, first.pid);
    expect(second.status.publicUrl).not.toBe(first.status.publicUrl);
    await waitFor(() => !isAlive(first.pid), 'the stalled cloudflared to be gone');
    expect(h.lines.some((l) => l.includes('did not reconnect in time'))).toBe(true);
  });

  it('ignores a ~/.cloudflared/config.yml that would send the traffic elsewhere', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { startOrigin } = await import('../../e2e/fixtures/fake-cloudflared-testing.ts');
    const hijacker = await startOrigin('hijacker');
    try {
      const h = await setup();
      mkdirSync(`${h.home}/.cloudflared`);
      writeFileSync(
        `${h.home}/.cloudflared/config.yml`,
        `tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\nurl: ${hijacker.url}\ningress:\n  - service: ${hijacker.url}\n`,
      );
      await h.tunnel.start();
      const { pid } = await connected(h.tunnel);
      expect(readFakeState(h.fakeDir, pid)?.origin).toBe(h.origin.url);
      const response = await viaTunnel(h, pid, '/who');
      expect(((await response.json()) as { name: string }).name).toBe('ours');
      expect(hijacker.requests).toHaveLength(0);
    } finally {
      await hijacker.close();
    }
  });
});

describe('errors only the person can fix', () => {
  it('reports a missing cloudflared and how to get one', async () => {
    const tunnel = createTunnel({
      mode: 'quick',
      targetUrl: 'http://127.0.0.1:1',
      stateDir: '/nonexistent/porthole-state',
      env: { PATH: '/nonexistent-bin' },
    });
    await tunnel.start();
    expect(tunnel.status()).toEqual({
      state: 'error',
      publicUrl: null,
      message: expect.stringMatching(/cloudflared was not found.*Install it.*CLOUDFLARED_BIN/),
    });
    expect(tunnel.pid()).toBeNull();
  });

  it('reports a cloudflared that cannot be executed', async () => {
    const { chmodSync, writeFileSync } = await import('node:fs');
    const h = await setup();
    const binary = `${h.root}/cloudflared`;
    writeFileSync(binary, 'not a program');
    chmodSync(binary, 0o644);
    const tunnel = createTunnel({ ...h.options, binary });
    await tunnel.start();
    const status = await waitFor(() => (tunnel.status().state === 'error' ? tunnel.status() : null), 'error');
    expect(status.message).toMatch(/Could not run cloudflared at .*cloudflared/);
    await tunnel.stop();
  });

  it('asks for the token and the hostname of a named tunnel', async () => {
    const h = await setup({ mode: 'named', token: null, hostname: 'porthole.example.com' });
    await h.tunnel.start();
    expect(h.tunnel.status()).toMatchObject({ state: 'error', message: expect.stringMatching(/token/) });
    const g = await setup({ mode: 'named', token: 'abc', hostname: 'not a host' });
    await g.tunnel.start();
    expect(g.tunnel.status()).toMatchObject({ state: 'error', message: expect.stringMatching(/hostname/) });
  });

  it('stops retrying when Cloudflare refuses the tunnel', async () => {
    const { fakeTunnelToken } = await import('../../e2e/fixtures/fake-cloudflared-testing.ts');
    const h = await setup(
      {
        mode: 'named',
        token: fakeTunnelToken('00000000-0000-0000-0000-000000000000'),
        hostname: 'p.example.com',
      },
      { FAKE_CLOUDFLARED_TARGET: 'http://127.0.0.1:1' },
    );
    await h.tunnel.start();
    const pid = await waitFor(() => h.tunnel.pid(), 'cloudflared to start');
    const status = await waitFor(
      () => (h.tunnel.status().state === 'error' ? h.tunnel.status() : null),
      'error',
    );
    expect(status.message).toMatch(/Unauthorized: Tunnel not found/);
    await waitFor(() => !isAlive(pid), 'cloudflared to be stopped');
    expect(h.tunnel.pid()).toBeNull();
  });
});
