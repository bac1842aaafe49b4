import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

let now = 0;
let base: string;
let close: () => void;

beforeAll(async () => {
  const app = express();
  app.use(createRateLimiter({ '/token': { burst: 3, perMinute: 60 } }, { now: () => now }));
  app.use((_req, res) => {
    res.send('ok');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  close = () => server.close();
});

afterAll(() => close());

const hit = (path: string, ip?: string) =>
  fetch(`${base}${path}`, { headers: ip ? { 'cf-connecting-ip': ip } : {} }).then((r) => r.status);

describe('createRateLimiter', () => {
  it('lets a burst through, then answers 429 until tokens refill', async () => {
    now = 1_000_000;
    expect([await hit('/token'), await hit('/token'), await hit('/token')]).toEqual([200, 200, 200]);
    expect(await hit('/token')).toBe(429);
    now += 1_000; // one second: one token at 60 per minute
    expect(await hit('/token')).toBe(200);
    expect(await hit('/token')).toBe(429);
  });

  it('counts each caller behind the tunnel separately, and leaves other paths alone', async () => {
    now = 5_000_000;
    for (let i = 0; i < 3; i++) expect(await hit('/token', '203.0.113.7')).toBe(200);
    expect(await hit('/token', '203.0.113.7')).toBe(429);
    expect(await hit('/token', '198.51.100.9')).toBe(200);
    expect(await hit('/mcp', '203.0.113.7')).toBe(200);
  });
});
