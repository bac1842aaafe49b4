import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Floor, startFloor } from './floor.ts';
import { classifyRpcResponse, keepAliveAgent, runLoad, summarizeLoad } from './load.ts';

const ok = (result: unknown) => JSON.stringify({ jsonrpc: '2.0', id: 1, result });

describe('classifying an answer', () => {
  it('accepts a 2xx JSON-RPC result, batches included', () => {
    expect(classifyRpcResponse(200, ok({ content: [] }))).toEqual({ ok: true });
    expect(classifyRpcResponse(200, `[${ok({})},${ok({})}]`)).toEqual({ ok: true });
  });

  it('counts a non-2xx status as an HTTP error, whatever the body', () => {
    expect(classifyRpcResponse(503, ok({}))).toEqual({ ok: false, kind: 'http', detail: 'HTTP 503' });
    expect(classifyRpcResponse(302, '')).toMatchObject({ kind: 'http' });
  });

  it('counts JSON-RPC errors and tool errors', () => {
    const rpcError = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32602, message: 'bad params' },
    });
    expect(classifyRpcResponse(200, rpcError)).toEqual({ ok: false, kind: 'rpc', detail: 'bad params' });
    const toolError = ok({ isError: true, content: [{ type: 'text', text: 'not found' }] });
    expect(classifyRpcResponse(200, toolError)).toEqual({ ok: false, kind: 'tool', detail: 'not found' });
    expect(classifyRpcResponse(200, `[${ok({})},${rpcError}]`)).toMatchObject({ kind: 'rpc' });
  });

  it('counts bodies that are not JSON-RPC answers', () => {
    expect(classifyRpcResponse(200, '<html>')).toMatchObject({ ok: false, kind: 'json' });
    expect(classifyRpcResponse(200, '{"id":1,"result":{}}')).toMatchObject({ kind: 'json' });
    expect(classifyRpcResponse(200, '{"jsonrpc":"2.0","id":1}')).toMatchObject({ kind: 'json' });
    expect(classifyRpcResponse(200, '[]')).toMatchObject({ kind: 'json' });
    expect(classifyRpcResponse(200, 'null')).toMatchObject({ kind: 'json' });
  });

  it('reads an event-stream answer through its data line', () => {
    expect(classifyRpcResponse(200, `event: message\ndata: ${ok({})}\n\n`)).toEqual({ ok: true });
    const failed = `event: message\ndata: ${ok({ isError: true, content: [] })}\n\n`;
    expect(classifyRpcResponse(200, failed)).toMatchObject({ kind: 'tool' });
  });
});

describe('summarizing a run', () => {
  it('gives requests per second over the elapsed time and interpolated percentiles', () => {
    const latenciesMs = Array.from({ length: 100 }, (_, i) => i + 1);
    const s = summarizeLoad({ latenciesMs, errors: 3, elapsedMs: 2000 });
    expect(s.requests).toBe(100);
    expect(s.rps).toBe(50);
    expect(s.errors).toBe(3);
    expect(s.p50Ms).toBeCloseTo(50.5, 10);
    expect(s.p95Ms).toBeCloseTo(95.05, 10);
    expect(s.p99Ms).toBeCloseTo(99.01, 10);
  });

  it('is zero rps and NaN latency for an empty run', () => {
    const s = summarizeLoad({ latenciesMs: [], errors: 0, elapsedMs: 0 });
    expect(s.rps).toBe(0);
    expect(s.p50Ms).toBeNaN();
  });
});

describe('load against the floor server', () => {
  let floor: Floor;
  beforeAll(async () => {
    floor = await startFloor();
  });
  afterAll(async () => {
    await floor.close();
  });

  it('runs closed-loop clients until the deadline and sees no errors', async () => {
    const agent = keepAliveAgent(floor.url, 2);
    let id = 0;
    const seen = new Set<number>();
    try {
      const run = await runLoad({
        url: floor.url,
        clients: 2,
        durationMs: 300,
        agent,
        body: (client) => {
          seen.add(client);
          return JSON.stringify({
            jsonrpc: '2.0',
            id: ++id,
            method: 'tools/call',
            params: { name: 'echo', arguments: { text: 'hello' } },
          });
        },
      });
      // How many is the benchmark's business; here: every client sent, every answer counted.
      expect(run.requests).toBeGreaterThanOrEqual(2);
      expect(run.errors).toBe(0);
      expect(run.latenciesMs).toHaveLength(run.requests);
      expect(run.elapsedMs).toBeGreaterThanOrEqual(300);
      expect([...seen].sort()).toEqual([0, 1]);
    } finally {
      agent.destroy();
    }
  });

  it('counts a tool the server does not have as an error, with its reason', async () => {
    const agent = keepAliveAgent(floor.url, 1);
    try {
      const run = await runLoad({
        url: floor.url,
        clients: 1,
        durationMs: 50,
        agent,
        body: () =>
          JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'tools/call',
            params: { name: 'nope', arguments: {} },
          }),
      });
      expect(run.errors).toBe(run.requests);
      expect(run.errors).toBeGreaterThan(0);
      expect([...run.errorKinds.keys()][0]).toMatch(/^(tool|rpc): .*nope/);
    } finally {
      agent.destroy();
    }
  });

  it('counts a refused connection as a network error instead of stopping', async () => {
    const agent = keepAliveAgent('http://127.0.0.1:1/mcp', 1);
    try {
      const run = await runLoad({
        url: 'http://127.0.0.1:1/mcp',
        clients: 1,
        durationMs: 30,
        agent,
        body: () => '{}',
      });
      expect(run.errors).toBe(run.requests);
      expect([...run.errorKinds.keys()][0]).toMatch(/^network: /);
    } finally {
      agent.destroy();
    }
  });
});
