import type { Server } from 'node:http';
import { type ClientRequest, request } from 'node:http';
import type { RequestHandler } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../api.ts';
import { createPublicApp } from '../http.ts';
import { eventually } from '../library/testing.ts';
import { MAX_BATCH, type Principal } from './activity.ts';
import { mountMcp } from './routes.ts';
import { MCP_HEADERS, rawRequest } from './testing.ts';
import type { DocumentSource } from './tools.ts';

const source: DocumentSource = {
  search: () => [],
  read: async () => {
    throw new Error('not used');
  },
};

let server: Server | null = null;
let entries: Omit<ActivityEntry, 'seq' | 'time'>[];
let logs: string[];

beforeEach(() => {
  entries = [];
  logs = [];
});

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = null;
});

/**
 * Stands in for the bearer check: the principal is named by test headers (client and
 * grant), as a verified token would name it.
 */
const testGate: RequestHandler = (req, res, next) => {
  const clientId = req.headers['x-test-client'];
  if (typeof clientId !== 'string') {
    res.status(401).json({ error: 'unauthorized' });
    return;
  }
  const grant = req.headers['x-test-grant'];
  const principal: Principal = {
    clientId,
    clientName: null,
    login: 'octocat',
    subject: '1',
    grantId: typeof grant === 'string' ? grant : `grant-of-${clientId}`,
  };
  res.locals.principal = principal;
  next();
};

async function start(maxSseStreams: number, authenticate: RequestHandler | null = null) {
  let handle: ReturnType<typeof mountMcp> | null = null;
  let port = 0;
  const app = createPublicApp({
    allowedHosts: () => new Set([`127.0.0.1:${port}`]),
    mount: (a) => {
      handle = mountMcp(a, {
        source,
        baseUrl: () => `http://127.0.0.1:${port}`,
        paused: () => false,
        record: (entry) => entries.push(entry),
        authenticate,
        maxSseStreams,
        log: (line) => logs.push(line),
      });
    },
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  port = (server.address() as { port: number }).port;
  return { port, streams: () => handle!.openSseStreams() };
}

/**
 * Opens GET /sse as `headers` and resolves with the session's message path (the `endpoint`
 * event) and every event that arrives later; the stream stays open until `req` is destroyed.
 */
function openSession(
  port: number,
  headers: Record<string, string>,
): Promise<{ endpoint: string; events: string[]; req: ClientRequest }> {
  return new Promise((resolve, reject) => {
    const events: string[] = [];
    const req = request(
      { host: '127.0.0.1', port, path: '/sse', headers: { accept: 'text/event-stream', ...headers } },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
            if (/^event: endpoint$/m.test(block)) resolve({ endpoint: data, events, req });
            else events.push(data);
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });

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

describe('legacy SSE sessions belong to whoever opened them', () => {
  const alice = { 'x-test-client': 'client-a' };
  const post = (port: number, path: string, headers: Record<string, string>, body: unknown) =>
    rawRequest(port, {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it("refuses another client's message into a session with the unknown-session 404, and logs it", async () => {
    const { port } = await start(4, testGate);
    const session = await openSession(port, alice);
    const unknown = await post(port, '/messages?sessionId=nope', alice, ping(1));
    expect(unknown.status).toBe(404);

    const intruders = [
      { 'x-test-client': 'client-b' },
      // Same client id, another approval (grant): not the same connection either.
      { ...alice, 'x-test-grant': 'another-grant' },
    ];
    for (const intruder of intruders) {
      logs = [];
      const refused = await post(port, session.endpoint, intruder, ping(2));
      expect(refused.status).toBe(404);
      expect(refused.body).toBe(unknown.body);
      expect(logs).toEqual([expect.stringMatching(/^mcp: refused POST \/messages: .*another client/)]);
    }
    expect(session.events).toEqual([]);

    // The owner's own messages still go through, and their answers come back on the stream.
    const accepted = await post(port, session.endpoint, alice, ping(3));
    expect(accepted.status).toBe(202);
    await eventually(() => session.events.length === 1);
    expect(JSON.parse(session.events[0]!)).toEqual({ jsonrpc: '2.0', id: 3, result: {} });
    session.req.destroy();
  });
});

describe('the activity log cannot be flooded', () => {
  const postMcp = (port: number, body: unknown) =>
    rawRequest(port, { method: 'POST', path: '/mcp', headers: MCP_HEADERS, body: JSON.stringify(body) });

  /** A batch just under the body limit, like the one that wiped the log: ~20,000 pings. */
  const hugeBatch = Array.from({ length: 20_000 }, (_, i) => ping(i));

  it('refuses a batch over the maximum with one clear 400 and one entry, however big', async () => {
    const { port } = await start(2);
    for (const batch of [hugeBatch, hugeBatch.slice(0, MAX_BATCH + 1)]) {
      entries = [];
      logs = [];
      const res = await postMcp(port, batch);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: expect.stringMatching(/at most 10 messages/) },
      });
      await eventually(() => entries.length > 0);
      expect(entries).toEqual([
        expect.objectContaining({ method: 'batch', outcome: { ok: false, error: 'HTTP 400' } }),
      ]);
      expect(logs).toHaveLength(1);
    }
  });

  it('records a batch the SDK refuses as one entry, and a served batch as one entry per request', async () => {
    const { port } = await start(2);
    const invalid = Array.from({ length: MAX_BATCH }, (_, i) => ({ ...ping(i), jsonrpc: '1.0' }));
    const refused = await postMcp(port, invalid);
    expect(refused.status).toBe(400);
    await eventually(() => entries.length > 0);
    expect(entries).toHaveLength(1);

    entries = [];
    const served = await postMcp(port, [ping(1), { jsonrpc: '2.0', id: 2, method: 'tools/list' }]);
    expect(served.status).toBe(200);
    await eventually(() => entries.length > 0);
    expect(entries.map((e) => [e.method, e.outcome.ok])).toEqual([
      ['ping', true],
      ['tools/list', true],
    ]);
  });

  it('refuses any batch on /messages with one clear 400 and one entry', async () => {
    const { port } = await start(2);
    const session = await openSession(port, {});
    for (const batch of [hugeBatch, [ping(1), ping(2)]]) {
      entries = [];
      const res = await rawRequest(port, {
        method: 'POST',
        path: session.endpoint,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({
        error: { code: -32600, message: expect.stringMatching(/not a batch/) },
      });
      await eventually(() => entries.length > 0);
      expect(entries).toEqual([expect.objectContaining({ method: 'batch' })]);
    }
    expect(session.events).toEqual([]);
    session.req.destroy();
  });
});
