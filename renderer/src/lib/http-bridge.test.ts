import { describe, expect, it } from 'vitest';
import type { ConnectorEvent } from '../../../server/api.ts';
import type { ConnectionStatus } from './connection.ts';
import { createHttpBridge, trimArgs, UnauthorizedError } from './http-bridge.ts';
import { makeEntry, makeState } from './testing.ts';

interface Call {
  url: string;
  init: RequestInit;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A stream the test writes to; it errors when the request is aborted, like a real fetch body. */
function eventStream(signal: AbortSignal | null | undefined) {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  signal?.addEventListener('abort', () => {
    try {
      controller.error(new DOMException('aborted', 'AbortError'));
    } catch {}
  });
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    writeBytes: (bytes: Uint8Array) => controller.enqueue(bytes),
    close: () => controller.close(),
  };
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('HTTP bridge commands', () => {
  it('posts positional args with the bearer token and returns the result', async () => {
    const calls: Call[] = [];
    const { bridge } = createHttpBridge({
      token: 'tok',
      baseUrl: 'http://127.0.0.1:9000/',
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init ?? {} });
        return json(200, { result: { url: 'http://127.0.0.1:9000/signin' } });
      },
    });
    await expect(bridge.beginOwnerSignIn()).resolves.toEqual({ url: 'http://127.0.0.1:9000/signin' });
    await bridge.addFolder('/home/mona/Documents');
    await bridge.listActivity();
    expect(calls.map((c) => c.url)).toEqual([
      'http://127.0.0.1:9000/api/beginOwnerSignIn',
      'http://127.0.0.1:9000/api/addFolder',
      'http://127.0.0.1:9000/api/listActivity',
    ]);
    const init = calls[1]?.init as RequestInit;
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer tok', 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init.body))).toEqual({ args: ['/home/mona/Documents'] });
    expect(JSON.parse(String(calls[2]?.init.body))).toEqual({ args: [] });
    expect(bridge.desktop).toBeNull();
  });

  it('turns null results into null and drops trailing undefined args', async () => {
    const { bridge } = createHttpBridge({ token: 't', fetch: async () => json(200, { result: null }) });
    await expect(bridge.setPaused(true)).resolves.toBeNull();
    expect(trimArgs([1, undefined, 2, undefined, undefined])).toEqual([1, undefined, 2]);
  });

  it('throws the server message on 4xx and a clear one otherwise', async () => {
    let answer = json(400, { error: { message: 'This folder does not exist: /nope' } });
    const { bridge } = createHttpBridge({ token: 't', fetch: async () => answer });
    await expect(bridge.addFolder('/nope')).rejects.toThrow('This folder does not exist: /nope');
    answer = new Response('<html>oops</html>', { status: 502 });
    await expect(bridge.getState()).rejects.toThrow('HTTP 502');
    answer = new Response('not json', { status: 200 });
    await expect(bridge.getState()).rejects.toThrow(/cannot read/);
  });

  it('says the connector is not answering when fetch fails', async () => {
    const { bridge } = createHttpBridge({
      token: 't',
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(bridge.getState()).rejects.toThrow(/not answering/);
  });

  it('goes unauthorized on 401: forgets the token once and stops calling', async () => {
    let fetches = 0;
    let forgotten = 0;
    const { bridge, connection } = createHttpBridge({
      token: 'stale',
      fetch: async () => {
        fetches++;
        return json(401, { error: { message: 'Unauthorized' } });
      },
      onUnauthorized: () => forgotten++,
    });
    const seen: ConnectionStatus[] = [];
    connection.subscribe((s) => seen.push(s));
    await expect(bridge.getState()).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(bridge.listClients()).rejects.toBeInstanceOf(UnauthorizedError);
    expect(fetches).toBe(1);
    expect(forgotten).toBe(1);
    expect(connection.get()).toBe('unauthorized');
    expect(seen).toEqual(['unauthorized']);
  });

  it('is unauthorized from the start without a token', async () => {
    let fetches = 0;
    const { bridge, connection } = createHttpBridge({
      token: null,
      fetch: async () => {
        fetches++;
        return json(200, { result: null });
      },
    });
    expect(connection.get()).toBe('unauthorized');
    await expect(bridge.getState()).rejects.toBeInstanceOf(UnauthorizedError);
    const unsubscribe = bridge.subscribe(() => {});
    unsubscribe();
    expect(fetches).toBe(0);
  });
});

describe('HTTP bridge events', () => {
  it('streams events across any chunk boundary and reports the connection', async () => {
    let stream: ReturnType<typeof eventStream> | null = null;
    let request: Call | null = null;
    const { bridge, connection } = createHttpBridge({
      token: 'tok',
      fetch: async (url, init) => {
        request = { url: String(url), init: init ?? {} };
        stream = eventStream(init?.signal);
        return stream.response;
      },
    });
    const events: ConnectorEvent[] = [];
    const unsubscribe = bridge.subscribe((e) => events.push(e));
    expect(connection.get()).toBe('connecting');
    await until(() => stream !== null && connection.get() === 'open', 'the stream to open');
    expect(request!.url).toBe('/api/events');
    expect(request!.init.headers).toMatchObject({ Authorization: 'Bearer tok' });

    const snapshot = `data: ${JSON.stringify({ type: 'state', state: makeState() })}\n\n`;
    const activity = `data: ${JSON.stringify({ type: 'activity', entry: makeEntry(1, { summary: 'café ☕' }) })}\r\n\r\n`;
    const bytes = new TextEncoder().encode(`${snapshot}: keep-alive\n\n${activity}data: not json\n\n`);
    for (let i = 0; i < bytes.length; i += 7) stream!.writeBytes(bytes.subarray(i, i + 7));
    await until(() => events.length === 2, 'two events');
    expect(events[0]?.type).toBe('state');
    expect(events[1]).toEqual({ type: 'activity', entry: makeEntry(1, { summary: 'café ☕' }) });
    unsubscribe();
  });

  it('reconnects with backoff after a failure or the end of the stream', async () => {
    const streams: ReturnType<typeof eventStream>[] = [];
    let attempts = 0;
    const { bridge, connection } = createHttpBridge({
      token: 'tok',
      backoff: { initialMs: 1, maxMs: 5 },
      fetch: async (_url, init) => {
        attempts++;
        if (attempts === 1) throw new TypeError('Failed to fetch');
        if (attempts === 2) return json(503, { error: { message: 'starting' } });
        const s = eventStream(init?.signal);
        streams.push(s);
        return s.response;
      },
    });
    const seen: ConnectionStatus[] = [];
    connection.subscribe((s) => seen.push(s));
    const events: ConnectorEvent[] = [];
    const unsubscribe = bridge.subscribe((e) => events.push(e));
    await until(() => connection.get() === 'open', 'open');
    expect(seen).toEqual(['reconnecting', 'open']);
    streams[0]!.write(`data: ${JSON.stringify({ type: 'state', state: makeState() })}\n\n`);
    streams[0]!.close();
    await until(() => streams.length === 2 && connection.get() === 'open', 'the second stream');
    expect(seen).toEqual(['reconnecting', 'open', 'reconnecting', 'open']);
    expect(events).toHaveLength(1);
    unsubscribe();
  });

  it('stops for good on 401 from the event stream', async () => {
    let attempts = 0;
    const { bridge, connection } = createHttpBridge({
      token: 'tok',
      backoff: { initialMs: 1, maxMs: 1 },
      fetch: async () => {
        attempts++;
        return json(401, { error: { message: 'Unauthorized' } });
      },
    });
    bridge.subscribe(() => {});
    await until(() => connection.get() === 'unauthorized', 'unauthorized');
    await new Promise((r) => setTimeout(r, 20));
    expect(attempts).toBe(1);
  });

  it('closes the request when the last listener leaves, and opens a new one for the next', async () => {
    const signals: AbortSignal[] = [];
    const { bridge, connection } = createHttpBridge({
      token: 'tok',
      fetch: async (_url, init) => {
        signals.push(init?.signal as AbortSignal);
        return eventStream(init?.signal).response;
      },
    });
    const a = bridge.subscribe(() => {});
    const b = bridge.subscribe(() => {});
    await until(() => connection.get() === 'open', 'open');
    a();
    expect(signals[0]?.aborted).toBe(false);
    b();
    expect(signals[0]?.aborted).toBe(true);
    const c = bridge.subscribe(() => {});
    await until(() => signals.length === 2, 'a second request');
    expect(signals).toHaveLength(2);
    c();
  });

  it('retries at once when asked', async () => {
    let attempts = 0;
    const { bridge, connection } = createHttpBridge({
      token: 'tok',
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      fetch: async (_url, init) => {
        attempts++;
        if (attempts === 1) throw new TypeError('offline');
        return eventStream(init?.signal).response;
      },
    });
    const unsubscribe = bridge.subscribe(() => {});
    await until(() => connection.get() === 'reconnecting', 'reconnecting');
    connection.retryNow?.();
    await until(() => connection.get() === 'open', 'open after retry');
    expect(attempts).toBe(2);
    unsubscribe();
  });
});
