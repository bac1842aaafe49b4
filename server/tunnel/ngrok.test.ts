import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeNgrok } from '../../e2e/fixtures/fake-ngrok.ts';
import { eventually } from '../library/testing.ts';
import { ngrokConnection, normalizeNgrokDomain } from './ngrok.ts';
import { RetryingTunnel } from './provider.ts';

// The ngrok provider against the fake forwarder (e2e/fixtures/fake-ngrok.ts), which follows
// @ngrok/ngrok's documented API: the static domain's URL, requests forwarded to Porthole's port,
// a refused authtoken and a domain of another account as errors that say what to do, a dropped
// link as `reconnecting`, and nothing left open after stop().

const TOKEN = '2abcDEFghiJKLmnoPQRstu_3vwxYZ0123456789';
let origin: Server;
let originUrl: string;
let fake: FakeNgrok;
const tunnels: RetryingTunnel[] = [];

beforeAll(async () => {
  origin = createServer((req, res) => res.end(`origin saw ${req.headers.host} ${req.url}`));
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const t of tunnels.splice(0)) await t.stop();
  await fake?.close();
});
afterAll(() => new Promise<void>((resolve) => origin.close(() => resolve())));

function tunnel(options: { authtoken?: string; domain?: string | null; graceMs?: number } = {}) {
  fake = new FakeNgrok([
    { authtoken: TOKEN, domains: ['porthole-test.ngrok-free.app'], devDomain: 'dev-1234.ngrok-free.dev' },
  ]);
  const lines: string[] = [];
  const t = new RetryingTunnel(
    ngrokConnection({
      authtoken: options.authtoken ?? TOKEN,
      domain: options.domain === undefined ? 'porthole-test.ngrok-free.app' : options.domain,
      targetUrl: originUrl,
      sdk: fake.sdk,
    }),
    {
      backoff: { initialMs: 20, maxMs: 100 },
      reconnectGraceMs: options.graceMs ?? 60_000,
      log: (l) => lines.push(l),
    },
  );
  tunnels.push(t);
  return { t, lines };
}

describe('the ngrok provider', () => {
  it('serves the static domain and forwards to the local port; stop closes the session', async () => {
    const { t } = tunnel();
    const changes: [string | null, string][] = [];
    t.on('urlChanged', (from, to) => changes.push([from, to]));
    await t.start();
    expect(t.status()).toMatchObject({
      state: 'connected',
      publicUrl: 'https://porthole-test.ngrok-free.app',
    });
    expect(changes).toEqual([[null, 'https://porthole-test.ngrok-free.app']]);
    const port = fake.edgePort('https://porthole-test.ngrok-free.app');
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await res.text()).toBe('origin saw porthole-test.ngrok-free.app /healthz');
    await t.stop();
    expect(t.status().state).toBe('off');
    expect(fake.sessions.size).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(404); // ERR_NGROK_3200: offline
  });

  it('without a domain, uses the account dev domain', async () => {
    const { t } = tunnel({ domain: null });
    await t.start();
    expect(t.status().publicUrl).toBe('https://dev-1234.ngrok-free.dev');
  });

  it('a malformed authtoken is an error that says where to get one, and never shows the token', async () => {
    const { t, lines } = tunnel({ authtoken: 'not-a-token!' });
    await t.start();
    const status = t.status();
    expect(status.state).toBe('error');
    expect(status.message).toContain('ERR_NGROK_105');
    expect(status.message).toContain('https://dashboard.ngrok.com/get-started/your-authtoken');
    expect(status.message).not.toContain('not-a-token!');
    expect(lines.join('\n')).not.toContain('not-a-token!');
  });

  it('an authtoken ngrok does not know is an error, not retried', async () => {
    const { t } = tunnel({ authtoken: 'x'.repeat(40) });
    await t.start();
    expect(t.status()).toMatchObject({ state: 'error', message: expect.stringContaining('ERR_NGROK_107') });
    expect(fake.sessions.size).toBe(0);
  });

  it('a domain of another account is an error pointing at the ngrok domains page', async () => {
    const { t } = tunnel({ domain: 'someone-else.ngrok-free.app' });
    await t.start();
    expect(t.status().state).toBe('error');
    expect(t.status().message).toMatch(
      /someone-else\.ngrok-free\.app.*ERR_NGROK_320.*dashboard\.ngrok\.com\/domains/,
    );
    expect(fake.sessions.size).toBe(0); // the session opened for it was closed
  });

  it('retries with backoff while ngrok cannot be reached, then connects', async () => {
    const { t, lines } = tunnel();
    fake.unreachable = 2;
    void t.start();
    await eventually(() => t.status().state === 'connected');
    expect(lines.filter((l) => l.includes('could not connect'))).toHaveLength(2);
  });

  it('a dropped link is `reconnecting` on the same URL, and `connected` again at the next heartbeat', async () => {
    const { t } = tunnel();
    await t.start();
    fake.disconnect();
    expect(t.status()).toMatchObject({
      state: 'reconnecting',
      publicUrl: 'https://porthole-test.ngrok-free.app',
    });
    fake.heartbeat();
    expect(t.status().state).toBe('connected');
  });

  it('an error text that quotes the authtoken is shown without it', async () => {
    const { t, lines } = tunnel();
    await t.start();
    fake.disconnect(`authentication failed for authtoken ${TOKEN}`); // as ERR_NGROK_105's text quotes it
    expect(t.status().message).toContain('[authtoken]');
    expect(`${t.status().message}\n${lines.join('\n')}`).not.toContain(TOKEN);
  });

  it('the watchdog replaces a session that does not come back in time', async () => {
    const { t } = tunnel({ graceMs: 50 });
    await t.start();
    const [first] = fake.sessions;
    fake.disconnect();
    await eventually(() => t.status().state === 'connected' && !fake.sessions.has(first!));
    expect(fake.sessions.size).toBe(1);
    expect(t.status().publicUrl).toBe('https://porthole-test.ngrok-free.app');
  });

  it('stop() during the first attempt leaves no session behind', async () => {
    const { t } = tunnel();
    const starting = t.start();
    await t.stop();
    await starting;
    expect(t.status().state).toBe('off');
    expect(fake.sessions.size).toBe(0);
  });
});

describe('normalizeNgrokDomain', () => {
  it('reads a domain however it was pasted, and refuses what is not one', () => {
    expect(normalizeNgrokDomain(' https://Porthole-Test.ngrok-free.app/ ')).toBe(
      'porthole-test.ngrok-free.app',
    );
    expect(normalizeNgrokDomain('files.example.com')).toBe('files.example.com');
    expect(normalizeNgrokDomain('not a domain')).toBeNull();
    expect(normalizeNgrokDomain('')).toBeNull();
  });
});
