import type { Server } from 'node:http';
import { type ClientRequest, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createPublicApp } from '../http.ts';
import { eventually } from '../library/testing.ts';
import { mountMcp } from './routes.ts';
import type { DocumentSource } from './tools.ts';

const source: DocumentSource = {
  search: () => [],
  read: async () => {
    throw new Error('not used');
  },
};

let server: Server | null = null;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = null;
});

async function start(maxSseStreams: number) {
  let handle: ReturnType<typeof mountMcp> | null = null;
  let port = 0;
  const app = createPublicApp({
    allowedHosts: () => new Set([`127.0.0.1:${port}`]),
    mount: (a) => {
      handle = mountMcp(a, {
        source,
        baseUrl: () => `http://127.0.0.1:${port}`,
        paused: () => false,
        record: () => {},
        authenticate: null,
        maxSseStreams,
      });
    },
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  port = (server.address() as { port: number }).port;
  return { port, streams: () => handle!.openSseStreams() };
}

/** Opens GET /sse and resolves with the status once headers arrive; the stream stays open. */
function openStream(port: number): Promise<{ status: number; req: ClientRequest }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/sse', headers: { accept: 'text/event-stream' } },
      (res) => {
        resolve({ status: res.statusCode ?? 0, req });
        res.resume();
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('legacy SSE streams', () => {
  it('caps open streams and frees a slot when a client disconnects', async () => {
    const { port, streams } = await start(2);
    const a = await openStream(port);
    const b = await openStream(port);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(streams()).toBe(2);
    const refused = await openStream(port);
    expect(refused.status).toBe(503);
    a.req.destroy();
    await eventually(() => streams() === 1);
    const c = await openStream(port);
    expect(c.status).toBe(200);
    b.req.destroy();
    c.req.destroy();
    await eventually(() => streams() === 0);
  });

  it('answers a message for an unknown session with 404', async () => {
    const { port } = await start(2);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/messages?sessionId=nope',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    });
    expect(status).toBe(404);
  });
});
