import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connector, createConnector } from '../connector.ts';
import { removeDirs, tempDir, writeTree } from '../library/testing.ts';
import { connectClient, MCP_HEADERS, rawRequest, rpc, type TransportKind } from './testing.ts';
import { FETCH_TEXT_LIMIT } from './tools.ts';

let root: string;
let dataDir: string;
let connector: Connector;
let port: number;
let base: string;

beforeAll(async () => {
  root = await tempDir();
  dataDir = await tempDir('porthole-data-');
  await writeTree(root, {
    'plans/garden.md': '# Garden plan\n\nPlant tomatoes and basil along the south fence.',
    'notes/recipes.txt': 'Tomato soup: tomatoes, onion, garlic, stock.',
    'big.txt': `hugefile ${'lorem ipsum '.repeat(30_000)}`,
  });
  connector = createConnector({ dataDir, port: 0, watch: false, log: () => {} });
  const state = await connector.start();
  port = state.server.port!;
  base = state.publicBaseUrl!;
  await connector.control.addFolder(root);
  await connector.library.whenIdle();
});

afterAll(async () => {
  await connector.stop();
  await removeDirs(root, dataDir);
});

type Structured = Record<string, unknown>;
const text = (result: Awaited<ReturnType<Client['callTool']>>) =>
  result.content as { type: string; text: string }[];

describe.each<TransportKind>(['streamable-http', 'sse'])('over %s', (kind) => {
  let client: Client;
  beforeAll(async () => {
    client = await connectClient(base, kind);
  });
  afterAll(async () => {
    await client.close();
  });

  it('initializes with instructions for the model and lists two read-only tools', async () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'porthole' });
    expect(client.getInstructions()).toMatch(/search.*fetch/s);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['fetch', 'search']);
    for (const tool of tools) {
      expect(tool.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        openWorldHint: false,
      });
      expect(tool.outputSchema).toMatchObject({ type: 'object' });
      expect(tool.description?.length).toBeGreaterThan(40);
    }
    const search = tools.find((t) => t.name === 'search')!;
    expect(search.inputSchema).toMatchObject({
      properties: { query: { type: 'string', minLength: 1 } },
      required: ['query'],
    });
    // A long query is cut, not refused: the schema must not set a maximum the SDK would enforce.
    expect((search.inputSchema.properties as Structured).query).not.toHaveProperty('maxLength');
  });

  it('answers a 5,000-character question with results instead of refusing it', async () => {
    const question = `Where did we write down the plan for planting tomatoes? ${'Some context the model pasted. '.repeat(160)}`;
    expect(question.length).toBeGreaterThan(5_000);
    const result = await client.callTool({ name: 'search', arguments: { query: question } });
    expect(result.isError).toBeFalsy();
    const titles = (result.structuredContent as { results: Structured[] }).results.map((r) => r.title);
    expect(titles[0]).toBe('Garden plan');
  });

  it('search returns exactly one text item with {results:[{id,title,url}]}, mirrored in structuredContent', async () => {
    const result = await client.callTool({ name: 'search', arguments: { query: 'tomatoes' } });
    const content = text(result);
    expect(content).toHaveLength(1);
    expect(content[0]!.type).toBe('text');
    const payload = JSON.parse(content[0]!.text);
    expect(payload).toEqual(result.structuredContent);
    expect(payload.results.map((r: Structured) => r.title).sort()).toEqual(['Garden plan', 'recipes.txt']);
    for (const r of payload.results) {
      expect(Object.keys(r).sort()).toEqual(['id', 'title', 'url']);
      expect(r.url).toBe(`${base}/view/${r.id}`);
    }
  });

  it('fetch returns {id,title,text,url,metadata} for an id from search', async () => {
    const found = await client.callTool({ name: 'search', arguments: { query: 'basil' } });
    const id = (found.structuredContent as { results: { id: string }[] }).results[0]!.id;
    const result = await client.callTool({ name: 'fetch', arguments: { id } });
    const payload = JSON.parse(text(result)[0]!.text);
    expect(payload).toEqual(result.structuredContent);
    expect(payload).toMatchObject({
      id,
      title: 'Garden plan',
      url: `${base}/view/${id}`,
      metadata: {
        path: 'plans/garden.md',
        folder: expect.any(String),
        size: expect.any(Number),
        type: 'markdown',
      },
    });
    expect(payload.text).toContain('south fence');
    expect(Date.parse(payload.metadata.modified)).not.toBeNaN();
    expect(payload.metadata.truncated).toBeUndefined();
  });

  it('fetch gives a document longer than the whole-document limit in parts, and says which', async () => {
    const found = await client.callTool({ name: 'search', arguments: { query: 'hugefile' } });
    const id = (found.structuredContent as { results: { id: string }[] }).results[0]!.id;
    const payload = (await client.callTool({ name: 'fetch', arguments: { id } }))
      .structuredContent as Structured;
    expect((payload.text as string).length).toBeLessThan(FETCH_TEXT_LIMIT);
    expect(payload.text as string).toMatch(/^hugefile lorem ipsum/);
    expect(payload.metadata).toMatchObject({
      part: expect.stringMatching(/^characters 0-/),
      chars: { start: 0, total: 'hugefile '.length + 'lorem ipsum '.length * 30_000 },
      next: expect.any(String),
    });
    expect(payload.metadata).not.toHaveProperty('truncated');
    expect(payload.metadata).not.toHaveProperty('previous');
  });

  it('an unknown id is a tool error a model can act on, not a protocol error', async () => {
    const result = await client.callTool({ name: 'fetch', arguments: { id: '../../etc/passwd' } });
    expect(result.isError).toBe(true);
    expect(text(result)[0]!.text).toMatch(/search/);
  });

  it('an unknown tool is refused', async () => {
    const outcome = await client
      .callTool({ name: 'delete_everything', arguments: {} })
      .catch((e: Error) => e);
    if (outcome instanceof Error) expect(outcome.message).toMatch(/delete_everything|not found/i);
    else expect(outcome.isError).toBe(true);
  });
});

describe('the public listener', () => {
  it('refuses an unexpected Host header (DNS rebinding) with 403', async () => {
    const res = await rawRequest(port, {
      method: 'POST',
      path: '/mcp',
      headers: { ...MCP_HEADERS, host: 'evil.example:80' },
      body: rpc('tools/list'),
    });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden' });
  });

  it('accepts localhost:PORT and 127.0.0.1:PORT', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const res = await rawRequest(port, { path: '/healthz', headers: { host } });
      expect(res.status).toBe(200);
    }
  });

  it('refuses a foreign Origin with 403 and accepts our own', async () => {
    const evil = await rawRequest(port, {
      method: 'POST',
      path: '/mcp',
      headers: { ...MCP_HEADERS, origin: 'https://evil.example' },
      body: rpc('tools/list'),
    });
    expect(evil.status).toBe(403);
    const own = await rawRequest(port, {
      method: 'POST',
      path: '/mcp',
      headers: { ...MCP_HEADERS, origin: base },
      body: rpc('tools/list'),
    });
    expect(own.status).toBe(200);
  });

  it('answers malformed JSON with a 400 JSON-RPC parse error', async () => {
    const res = await rawRequest(port, {
      method: 'POST',
      path: '/mcp',
      headers: MCP_HEADERS,
      body: '{"jsonrpc": "2.0", "id": 1, "meth',
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });

  it('answers a JSON body that is not JSON-RPC with a 4xx', async () => {
    const res = await rawRequest(port, {
      method: 'POST',
      path: '/mcp',
      headers: MCP_HEADERS,
      body: '{"hello": "world"}',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const body = rpc('tools/call', { name: 'search', arguments: { query: 'x'.repeat(1_100_000) } });
    const res = await rawRequest(port, { method: 'POST', path: '/mcp', headers: MCP_HEADERS, body });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: -32600 } });
  });

  it('answers GET and DELETE /mcp with 405, unknown routes with 404 JSON', async () => {
    expect((await rawRequest(port, { path: '/mcp' })).status).toBe(405);
    expect((await rawRequest(port, { method: 'DELETE', path: '/mcp' })).status).toBe(405);
    const missing = await rawRequest(port, { path: '/nope' });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers 50 concurrent searches', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => connectClient(base)));
    const calls = Array.from({ length: 50 }, (_, i) =>
      clients[i % 5]!.callTool({ name: 'search', arguments: { query: i % 2 ? 'tomatoes' : 'garlic' } }),
    );
    const results = await Promise.all(calls);
    for (const [i, r] of results.entries()) {
      expect(r.isError).toBeFalsy();
      expect((r.structuredContent as { results: unknown[] }).results.length).toBe(i % 2 ? 2 : 1);
    }
    await Promise.all(clients.map((c) => c.close()));
  });

  it('answers 503 with a JSON-RPC error while paused, and works again after resume', async () => {
    await connector.control.setPaused(true);
    const res = await rawRequest(port, {
      method: 'POST',
      path: '/mcp',
      headers: MCP_HEADERS,
      body: rpc('tools/list'),
    });
    expect(res.status).toBe(503);
    expect(res.json()).toMatchObject({ error: { message: expect.stringMatching(/paused/) } });
    expect((await rawRequest(port, { path: '/sse' })).status).toBe(503);
    await connector.control.setPaused(false);
    const again = await rawRequest(port, {
      method: 'POST',
      path: '/mcp',
      headers: MCP_HEADERS,
      body: rpc('tools/list'),
    });
    expect(again.status).toBe(200);
  });

  it('logs every tool call with its query, result count and latency, and no document contents', async () => {
    const client = await connectClient(base);
    await client.callTool({ name: 'search', arguments: { query: 'basil' } });
    await client.close();
    const entries = await connector.control.listActivity({ limit: 20 });
    const search = entries.find((e) => e.tool === 'search' && e.summary === 'basil');
    expect(search).toMatchObject({ kind: 'mcp', method: 'tools/call', outcome: { ok: true, results: 1 } });
    expect(search!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(entries.some((e) => e.method === 'initialize')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain('south fence');
  });

  it.each<TransportKind>(['streamable-http', 'sse'])(
    'names a local client (no OAuth) by the clientInfo it sent in initialize, over %s',
    async (kind) => {
      const client = await connectClient(base, kind);
      await client.callTool({ name: 'search', arguments: { query: `garlic ${kind}` } });
      await client.close();
      const entries = await connector.control.listActivity({ limit: 50 });
      const search = entries.find((e) => e.summary === `garlic ${kind}`);
      expect(search?.client).toEqual({ id: null, name: 'porthole-test' });
      expect(entries.find((e) => e.method === 'initialize')?.client?.name).toBe('porthole-test');
    },
  );
});
