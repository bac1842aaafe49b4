import { Agent, type IncomingMessage, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenPublic, type PublicListener } from './http.ts';
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './http-timeouts.ts';

// Real sockets against the real listener: a client that is silent or slow loses its socket
// in time, a client that reuses an idle connection (as cloudflared does) keeps it, and a long
// response (the legacy event stream) is never cut. These tests wait as long as the timeouts
// they check; the time bounds are loose upper limits, not speed measurements.

let listener: PublicListener;
let stream: Response | null = null;

async function startListener(): Promise<PublicListener> {
  let port = 0;
  const started = await listenPublic({
    port: 0,
    allowedHosts: () => new Set([`127.0.0.1:${port}`]),
    mount: (app) => {
      app.get('/who', (req, res) => {
        res.json({ clientPort: req.socket.remotePort });
      });
      app.post('/upload', (req, res) => {
        req.resume();
        req.on('end', () => res.json({ ok: true }));
      });
      // Stands in for GET /sse: an open response that sends nothing until there is something to say.
      app.get('/events', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': open\n\n');
        stream = res;
      });
    },
  });
  port = started.port;
  return started;
}

// One listener for the tests that run side by side (each waits out a timeout); the last
// test stops a listener of its own.
beforeAll(async () => {
  listener = await startListener();
});

afterAll(async () => {
  await listener.close();
});

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Resolves when the socket closes, with the time it took, or with null at the deadline. */
function closedWithin(socket: Socket, deadlineMs: number, started = performance.now()) {
  return new Promise<number | null>((resolve) => {
    socket.resume();
    const deadline = setTimeout(() => resolve(null), deadlineMs);
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(deadline);
      resolve(performance.now() - started);
    });
  });
}

/** Writes `piece` every `everyMs` until the socket closes: a client slow enough to look alive. */
function trickle(socket: Socket, piece: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(piece);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.concurrent('slow and silent clients', () => {
  it('closes a connection that never sends a byte after the headers timeout', async () => {
    const socket = await rawSocket(listener.port);
    const took = await closedWithin(socket, 40_000);
    expect(took, 'the idle socket was never closed').not.toBeNull();
    expect(took).toBeLessThan(HEADERS_TIMEOUT_MS + 10_000);
  }, 60_000);

  it('closes a connection whose headers trickle in, after the headers timeout', async () => {
    const socket = await rawSocket(listener.port);
    const started = performance.now();
    socket.write(`GET /who HTTP/1.1\r\nHost: 127.0.0.1:${listener.port}\r\n`);
    // A byte every 2 s: never idle long enough for an inactivity timer, never done.
    trickle(socket, 'X-Slow: 1\r\n', 2_000);
    const took = await closedWithin(socket, 45_000, started);
    expect(took, 'the slow-headers socket was never closed').not.toBeNull();
    expect(took).toBeLessThan(HEADERS_TIMEOUT_MS + 10_000);
  }, 60_000);

  it('closes a connection whose body trickles in, after the request timeout', async () => {
    const socket = await rawSocket(listener.port);
    const started = performance.now();
    socket.write(
      `POST /upload HTTP/1.1\r\nHost: 127.0.0.1:${listener.port}\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n`,
    );
    trickle(socket, 'x', 2_000);
    const took = await closedWithin(socket, 75_000, started);
    expect(took, 'the slow-body socket was never closed').not.toBeNull();
    expect(took).toBeLessThan(REQUEST_TIMEOUT_MS + 15_000);
  }, 90_000);

  it('keeps an open event stream past the headers and request timeouts', async () => {
    const events: string[] = [];
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      request({ host: '127.0.0.1', port: listener.port, path: '/events' }, resolve).on('error', reject).end();
    });
    expect(res.statusCode).toBe(200);
    let closed = false;
    res.socket.once('close', () => {
      closed = true;
    });
    const received = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (events.join('').includes(text)) resolve();
        };
        res.on('data', (chunk: Buffer) => {
          events.push(chunk.toString());
          check();
        });
        check();
      });
    await received(': open');
    // Past every timer that could cut a quiet stream: the first-request one and the request one.
    await sleep(Math.max(HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS) + 3_000);
    expect(closed, 'the event stream was cut while it was quiet').toBe(false);
    stream?.write('event: message\ndata: still here\n\n');
    await received('still here');
    res.destroy();
  }, 60_000);
});

describe.concurrent('idle keep-alive connections (cloudflared reuses them for up to 90 s)', () => {
  /** Two requests on one kept-alive connection, `idleMs` apart; the client port names the connection. */
  async function reuseAfter(idleMs: number) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ clientPort: number; reused: boolean }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: listener.port, path: '/who', agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => resolve({ ...JSON.parse(body), reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const first = await get();
      await sleep(idleMs);
      const second = await get();
      return { first, second };
    } finally {
      agent.destroy();
    }
  }

  it('answers a request on the same connection after 6 s, 30 s and 95 s idle', async () => {
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(95_000);
    const runs = await Promise.all([6_000, 30_000, 95_000].map((ms) => reuseAfter(ms)));
    for (const { first, second } of runs) {
      expect(second.reused).toBe(true);
      expect(second.clientPort).toBe(first.clientPort);
    }
  }, 130_000);

  it('still closes promptly with idle keep-alive connections open', async () => {
    const own = await startListener();
    const agent = new Agent({ keepAlive: true });
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      request({ host: '127.0.0.1', port: own.port, path: '/who', agent }, resolve).on('error', reject).end();
    });
    const socketClosed = new Promise((resolve) => res.socket.once('close', resolve));
    res.resume();
    await new Promise((resolve) => res.on('end', resolve));
    // Within the test's timeout (a few seconds), far below the keep-alive timeout.
    await own.close();
    await socketClosed;
    agent.destroy();
  }, 5_000);
});
