import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, fixedWindowOf } from './rate-limit.ts';

let base: string;
let close: () => void;
const logged: string[] = [];

beforeAll(async () => {
  const app = express();
  const limiter = createRateLimiter(
    { '/token': { burst: 3, perMinute: 60 }, '/register': { burst: 3, perMinute: 60 } },
    { log: (line) => logged.push(line) },
  );
  app.use(limiter);
  app.use((_req, res) => {
    res.send('ok');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  close = () => {
    limiter.close();
    server.close();
  };
});

afterAll(() => close());
// Only Date is faked: the limiter reads the clock from it, the sockets keep their real timers,
// and no window ends behind a test's back on a slow machine.
beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

// Each test its own caller: the limiter's counts live as long as the server.
const hit = (path: string, ip: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers: { 'cf-connecting-ip': ip, ...headers } });
const statuses = async (path: string, ip: string, count: number) => {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await hit(path, ip)).status);
  return out;
};

describe('fixedWindowOf', () => {
  it('keeps the burst and the sustained rate of a token bucket', () => {
    expect(fixedWindowOf({ burst: 3, perMinute: 60 })).toEqual({ windowMs: 3_000, limit: 3 });
    expect(fixedWindowOf({ burst: 20, perMinute: 30 })).toEqual({ windowMs: 40_000, limit: 20 });
  });
});

describe('createRateLimiter', () => {
  it('lets a burst through, then answers 429 with Retry-After until the window ends', async () => {
    expect(await statuses('/token', '203.0.113.1', 3)).toEqual([200, 200, 200]);
    const refused = await hit('/token', '203.0.113.1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(await refused.json()).toEqual({
      error: 'rate_limited',
      error_description: 'Too many requests; retry in 3 s.',
    });
    expect(logged).toContain('auth: 429 GET /token (rate limit)');
    vi.setSystemTime(1_000_000 + 3_000);
    expect(await statuses('/token', '203.0.113.1', 4)).toEqual([200, 200, 200, 429]);
  });

  it('counts each caller behind the tunnel separately, and each prefix separately', async () => {
    expect(await statuses('/token', '203.0.113.7', 4)).toEqual([200, 200, 200, 429]);
    expect((await hit('/token', '198.51.100.9')).status).toBe(200);
    expect((await hit('/register', '203.0.113.7')).status).toBe(200);
    expect((await hit('/mcp', '203.0.113.7')).status).toBe(200);
    expect((await hit('/token/sub', '203.0.113.7')).status).toBe(429);
    expect((await hit('/tokens', '203.0.113.7')).status).toBe(200);
  });

  it('keys on CF-Connecting-IP whatever X-Forwarded-For says, without complaining about it', async () => {
    const forwarded = { 'x-forwarded-for': '192.0.2.50' };
    expect((await hit('/register', '2001:db8::1', forwarded)).status).toBe(200);
    expect((await hit('/register', '2001:db8::2', forwarded)).status).toBe(200);
    expect(logged.filter((line) => line.includes('rate limiter'))).toEqual([]);
  });
});
