import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type Express, type RequestHandler, type Response } from 'express';
import { BODY_LIMIT, rpcError } from '../http.ts';
import {
  callsToRecord,
  entryFor,
  MAX_BATCH,
  type Principal,
  type RecordActivity,
  refuseBatch,
  unfinishedCall,
} from './activity.ts';
import { ClientNames, callerKey } from './client-names.ts';
import { createMcpServer } from './server.ts';
import type { DocumentSource, ToolOutcome } from './tools.ts';

export type { Principal, RecordActivity };

export interface McpRouteOptions {
  source: DocumentSource;
  baseUrl: () => string;
  paused: () => boolean;
  record: RecordActivity;
  /** The authentication slot: runs before /mcp, /sse and /messages. Null: no authentication (loopback only). */
  authenticate: RequestHandler | null;
  maxSseStreams?: number;
  log?: (line: string) => void;
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
  const log = options.log ?? (() => {});
  /** Open legacy SSE sessions, each with the principal that opened it (see ownerOf). */
  const sessions = new Map<string, { transport: SSEServerTransport; owner: string }>();
  const maxStreams = options.maxSseStreams ?? DEFAULT_MAX_SSE_STREAMS;
  /** What clients call themselves, for the log: per caller on /mcp, per session on /sse. */
  const clientNames = new ClientNames();

  const refusePaused: RequestHandler = (_req, res, next) => {
    if (!options.paused()) return next();
    res.status(503).json(rpcError(-32000, PAUSED_MESSAGE));
  };

  app.post('/mcp', ...gate, refusePaused, json, async (req, res) => {
    const started = performance.now();
    let outcome: ToolOutcome | null = null;
    const caller = callerKey(req);
    res.on('finish', () => {
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const served = res.statusCode < 400;
      if (served) clientNames.learn(caller, req.body);
      const selfName = clientNames.nameOf(caller);
      for (const call of callsToRecord(req.body, res.statusCode)) {
        const toolOutcome =
          served && call.method === 'tools/call' ? (outcome ?? unfinishedCall(call.tool)) : null;
        options.record(entryFor(res, call.method, toolOutcome, latencyMs, res.statusCode, selfName));
      }
    });
    if (refuseBatch(req, res, MAX_BATCH, log)) return;
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
      report: (o) =>
        options.record(
          entryFor(res, 'tools/call', o, o.latencyMs, 200, clientNames.nameOf(`sse:${transport.sessionId}`)),
        ),
    });
    sessions.set(transport.sessionId, { transport, owner: ownerOf(res) });
    res.on('close', () => {
      sessions.delete(transport.sessionId);
      clientNames.forget(`sse:${transport.sessionId}`);
      void server.close();
    });
    await server.connect(transport);
  });

  app.post('/messages', ...gate, refusePaused, json, async (req, res) => {
    const sessionId = typeof req.query.sessionId === 'string' ? req.query.sessionId : '';
    const session = sessions.get(sessionId);
    if (!session || session.owner !== ownerOf(res)) {
      // Someone else's session (another client, account or grant) is answered like an
      // unknown one, so a guessed or leaked session id is not even confirmed.
      if (session) {
        const caller = (res.locals.principal as Principal | undefined)?.clientId ?? 'none';
        log(`mcp: refused POST /messages: the SSE session belongs to another client (caller: ${caller})`);
      }
      res.status(404).json(rpcError(-32001, 'Unknown or closed session. Open a new stream with GET /sse.'));
      return;
    }
    res.on('finish', () => {
      // Tool calls are recorded when they finish (report above); the rest when accepted.
      if (res.statusCode < 400) clientNames.learn(`sse:${sessionId}`, req.body);
      const selfName = clientNames.nameOf(`sse:${sessionId}`);
      for (const call of callsToRecord(req.body, res.statusCode)) {
        if (call.method !== 'tools/call' || res.statusCode >= 400)
          options.record(entryFor(res, call.method, null, null, res.statusCode, selfName));
      }
    });
    // The SSE transport takes one message per POST; a batch is refused before it is read.
    if (refuseBatch(req, res, 1, log)) return;
    await session.transport.handlePostMessage(req, res, req.body);
  });

  return {
    openSseStreams: () => sessions.size,
    closeAll: () => {
      for (const { transport } of sessions.values()) void transport.close();
      sessions.clear();
    },
  };
}

/**
 * Who owns a legacy SSE session: the client, account and grant of the token that opened
 * it. POST /messages is accepted only from the same, so one client's token cannot drive
 * another client's session. Without authentication (loopback only) everyone is the same.
 */
function ownerOf(res: Response): string {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) return 'anonymous';
  return JSON.stringify([principal.clientId, principal.subject, principal.grantId]);
}
