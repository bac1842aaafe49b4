import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTailscale, startFakeTailscale } from '../../e2e/fixtures/fake-tailscale-testing.ts';
import { eventually } from '../library/testing.ts';
import { RetryingTunnel } from './provider.ts';
import { tailscaleConnection } from './tailscale.ts';

// The Tailscale Funnel provider against the fake `tailscale` CLI (e2e/fixtures/fake-tailscale.ts):
// it adds a funnel for Porthole's port, reads the URL back, removes only what it added, leaves the
// person's own funnels alone, says what to do when Tailscale is signed out or Funnel is not enabled,
// and puts the funnel back when it disappears.

const HOST = 'porthole-box.tail1234.ts.net';
let origin: Server;
let originUrl: string;
let ts: FakeTailscale;
let stateDir: string;
const tunnels: RetryingTunnel[] = [];

beforeAll(async () => {
  origin = createServer((req, res) => res.end(`origin saw ${req.headers.host} ${req.url}`));
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const t of tunnels.splice(0)) await t.stop();
  await ts?.close();
  rmSync(stateDir, { recursive: true, force: true });
});
afterAll(() => new Promise<void>((resolve) => origin.close(() => resolve())));

function tunnel(patch: Parameters<typeof startFakeTailscale>[0] = {}, env: Record<string, string> = {}) {
  ts = startFakeTailscale(patch);
  stateDir = mkdtempSync(path.join(tmpdir(), 'porthole-ts-state-'));
  const t = new RetryingTunnel(
    tailscaleConnection({
      targetUrl: originUrl,
      stateDir,
      env: { ...process.env, ...ts.env, ...env },
      pollMs: 100,
    }),
    { backoff: { initialMs: 50, maxMs: 200 }, reconnectGraceMs: 200 },
  );
  tunnels.push(t);
  return t;
}

const theirs = { Handlers: { '/': { Proxy: 'http://127.0.0.1:8080' } } };

describe('the Tailscale Funnel provider', () => {
  it('turns on a funnel for our port, serves through it, and removes it on stop', async () => {
    const t = tunnel();
    await t.start();
    expect(t.status()).toMatchObject({ state: 'connected', publicUrl: `https://${HOST}` });
    const res = await fetch(`http://127.0.0.1:${await ts.edgePort(`https://${HOST}`)}/healthz`);
    expect(await res.text()).toBe(`origin saw ${HOST} /healthz`);
    await t.stop();
    expect(ts.read().serve).toEqual({ TCP: {}, Web: {}, AllowFunnel: {} });
    expect(existsSync(path.join(stateDir, 'tailscale-funnel.json'))).toBe(false);
  });

  it('leaves a funnel the person set up alone: takes the next port, and stop keeps theirs', async () => {
    const t = tunnel({
      serve: {
        TCP: { '443': { HTTPS: true } },
        Web: { [`${HOST}:443`]: theirs },
        AllowFunnel: { [`${HOST}:443`]: true },
      },
    });
    await t.start();
    expect(t.status().publicUrl).toBe(`https://${HOST}:8443`);
    await t.stop();
    const serve = ts.read().serve;
    expect(serve.Web).toEqual({ [`${HOST}:443`]: theirs });
    expect(serve.AllowFunnel).toEqual({ [`${HOST}:443`]: true });
    expect(ts.read().calls.filter((c) => c.includes('443 off') && !c.includes('8443'))).toEqual([]);
  });

  it('uses a funnel the person already pointed at Porthole, and leaves it in place on stop', async () => {
    const key = `${HOST}:443`;
    const preset = {
      Web: { [key]: { Handlers: { '/': { Proxy: 'PLACEHOLDER' } } } },
      AllowFunnel: { [key]: true },
    };
    const t = tunnel();
    ts.update((s) => {
      s.serve = JSON.parse(JSON.stringify(preset).replace('PLACEHOLDER', originUrl));
    });
    await t.start();
    expect(t.status().publicUrl).toBe(`https://${HOST}`);
    await t.stop();
    expect(ts.read().serve.Web?.[key]?.Handlers?.['/']?.Proxy).toBe(originUrl);
    expect(ts.read().calls.some((c) => c.startsWith('funnel --bg'))).toBe(false);
  });

  it('refuses when every Funnel port serves something else', async () => {
    const web = Object.fromEntries([443, 8443, 10000].map((p) => [`${HOST}:${p}`, theirs]));
    const t = tunnel({ serve: { Web: web } });
    await t.start();
    expect(t.status()).toMatchObject({
      state: 'error',
      message: expect.stringContaining('leaves them alone'),
    });
    expect(ts.read().serve.Web).toEqual(web);
  });

  it('signed out: says to sign in', async () => {
    const t = tunnel({ backendState: 'NeedsLogin' });
    await t.start();
    expect(t.status()).toMatchObject({ state: 'error', message: expect.stringMatching(/not signed in/) });
  });

  it('Funnel not enabled: gives the link to enable it, and records nothing', async () => {
    const t = tunnel({ funnelEnabled: false });
    await t.start();
    expect(t.status().state).toBe('error');
    expect(t.status().message).toContain('https://login.tailscale.com/f/funnel?node=nFAKE1234CNTRL');
    expect(existsSync(path.join(stateDir, 'tailscale-funnel.json'))).toBe(false);
  });

  it('not installed: says where to get it', async () => {
    const t = tunnel({}, { TAILSCALE_BIN: '/nonexistent/tailscale' });
    await t.start();
    expect(t.status()).toMatchObject({
      state: 'error',
      message: expect.stringContaining('tailscale.com/download'),
    });
  });

  it('removes the funnel a crashed run left for an old port, and only that one', async () => {
    const t = tunnel({
      serve: {
        TCP: { '443': { HTTPS: true } },
        Web: { [`${HOST}:443`]: { Handlers: { '/': { Proxy: 'http://127.0.0.1:1' } } } },
        AllowFunnel: { [`${HOST}:443`]: true },
      },
    });
    writeFileSync(
      path.join(stateDir, 'tailscale-funnel.json'),
      JSON.stringify({ port: 443, target: 'http://127.0.0.1:1', host: HOST }),
    );
    await t.start();
    expect(t.status().publicUrl).toBe(`https://${HOST}`);
    expect(ts.read().serve.Web?.[`${HOST}:443`]?.Handlers?.['/']?.Proxy).toBe(originUrl);
  });

  it('puts the funnel back when it disappears (the watchdog)', async () => {
    const t = tunnel();
    await t.start();
    ts.update((s) => {
      s.serve = {};
    });
    await eventually(() => t.status().state === 'reconnecting');
    await eventually(
      () => t.status().state === 'connected' && ts.read().serve.Web?.[`${HOST}:443`] !== undefined,
    );
    expect(t.status().publicUrl).toBe(`https://${HOST}`);
  });
});
