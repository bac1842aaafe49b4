import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type Express, type RequestHandler, type Response } from 'express';
import type { ActivityEntry } from '../api.ts';
import { BODY_LIMIT, rpcError } from '../http.ts';
import { createMcpServer } from './server.ts';
import type { DocumentSource, ToolOutcome } from './tools.ts';

/** Who a request acts for, set by the authentication middleware in `res.locals.principal`. */
export interface Principal {
  clientId: string | null;
  clientName: string | null;
  login: string | null;
}

export type RecordActivity = (entry: Omit<ActivityEntry, 'seq' | 'time'>) => void;

export interface McpRouteOptions {
  source: DocumentSource;
  baseUrl: () => string;
  paused: () => boolean;
  record: RecordActivity;
  /** The authentication slot: runs before /mcp, /sse and /messages. Null: no authentication (loopback only). */
  authenticate: RequestHandler | null;
  maxSseStreams?: number;
}

const PAUSED_MESSAGE =
  'Porthole is paused by its owner, so files cannot be searched right now. Try again later.';
const DEFAULT_MAX_SSE_STREAMS = 32;

/** Mounts POST /mcp (stateless Streamable HTTP, JSON responses) and the legacy GET /sse + POST /messages. */
export function mountMcp(
  app: Express,
  options: McpRouteOptions,
): { openSseStreams: () => number; closeAll: () => void } {
  const json = express.json({ limit: BODY_LIMIT });
  const gate: RequestHandler[] = options.authenticate ? [options.authenticate] : [];
  const sessions = new Map<string, SSEServerTransport>();
  const maxStreams = options.maxSseStreams ?? DEFAULT_MAX_SSE_STREAMS;

  const refusePaused: RequestHandler = (_req, res, next) => {
    if (!options.paused()) return next();
    res.status(503).json(rpcError(-32000, PAUSED_MESSAGE));
  };

  app.post('/mcp', ...gate, refusePaused, json, async (req, res) => {
    const started = performance.now();
    let outcome: ToolOutcome | null = null;
    const server = createMcpServer({
      source: options.source,
      baseUrl: options.baseUrl,
      report: (o) => {
        outcome = o;
      },
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    res.on('finish', () => {
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      for (const call of requestsIn(req.body)) {
        const toolOutcome = call.method === 'tools/call' ? (outcome ?? unfinishedCall(call.tool)) : null;
        options.record(entryFor(res, call.method, toolOutcome, latencyMs, res.statusCode));
      }
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  const notAllowed: RequestHandler = (_req, res) => {
    res
      .status(405)
      .set('Allow', 'POST')
      .json(rpcError(-32000, 'Method not allowed: this server is stateless, use POST.'));
  };
  app.get('/mcp', notAllowed);
  app.delete('/mcp', notAllowed);

  app.get('/sse', ...gate, refusePaused, async (_req, res) => {
    if (sessions.size >= maxStreams) {
      res
        .status(503)
        .json({ error: 'too_many_streams', message: 'Too many open event streams. Use POST /mcp.' });
      return;
    }
    const transport = new SSEServerTransport('/messages', res);
    const server = createMcpServer({
      source: options.source,
      baseUrl: options.baseUrl,
      report: (o) => options.record(entryFor(res, 'tools/call', o, o.latencyMs, 200)),
    });
    sessions.set(transport.sessionId, transport);
    res.on('close', () => {
      sessions.delete(transport.sessionId);
      void server.close();
    });
    await server.connect(transport);
  });

  app.post('/messages', ...gate, refusePaused, json, async (req, res) => {
    const sessionId = typeof req.query.sessionId === 'string' ? req.query.sessionId : '';
    const transport = sessions.get(sessionId);
    if (!transport) {
      res.status(404).json(rpcError(-32001, 'Unknown or closed session. Open a new stream with GET /sse.'));
      return;
    }
    for (const call of requestsIn(req.body)) {
      if (call.method !== 'tools/call') options.record(entryFor(res, call.method, null, null, 202));
    }
    await transport.handlePostMessage(req, res, req.body);
  });

  return {
    openSseStreams: () => sessions.size,
    closeAll: () => {
      for (const transport of sessions.values()) void transport.close();
      sessions.clear();
    },
  };
}

/** JSON-RPC requests (not notifications, not responses) in a body: one message or a batch. */
function requestsIn(body: unknown): { method: string; tool: string | null }[] {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.flatMap((m) => {
    const message = m as { method?: unknown; id?: unknown; params?: { name?: unknown } } | null;
    if (typeof message?.method !== 'string' || message.id === undefined) return [];
    const tool = typeof message.params?.name === 'string' ? message.params.name.slice(0, 100) : null;
    return [{ method: message.method.slice(0, 100), tool }];
  });
}

/** A tools/call the SDK answered before our handler ran (unknown tool, invalid arguments). */
function unfinishedCall(tool: string | null): ToolOutcome {
  return {
    tool: tool ?? 'unknown',
    summary: '',
    error: 'rejected before running (unknown tool or invalid arguments)',
    latencyMs: 0,
  };
}

function entryFor(
  res: Response,
  method: string,
  outcome: ToolOutcome | null,
  latencyMs: number | null,
  status: number,
): Omit<ActivityEntry, 'seq' | 'time'> {
  const principal = res.locals.principal as Principal | undefined;
  const failed = outcome?.error ?? (status >= 400 ? `HTTP ${status}` : null);
  return {
    kind: 'mcp',
    client: principal ? { id: principal.clientId, name: principal.clientName } : null,
    login: principal?.login ?? null,
    method,
    tool: outcome?.tool ?? null,
    summary: outcome?.summary ?? '',
    outcome: failed
      ? { ok: false, error: failed }
      : {
          ok: true,
          ...(outcome?.results !== undefined ? { results: outcome.results } : {}),
          ...(outcome?.bytes !== undefined ? { bytes: outcome.bytes } : {}),
        },
    latencyMs,
  };
}
