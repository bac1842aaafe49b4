// What the activity log keeps of MCP traffic: one entry per JSON-RPC request that was
// served, and exactly one for a request refused as a whole. The log is rotated by size,
// so a client must not be able to write thousands of entries with one HTTP request: a
// batch is bounded before anything is recorded, and a refused body counts once.
import type { Request, Response } from 'express';
import type { ActivityEntry } from '../api.ts';
import { rpcError } from '../http.ts';
import type { ToolOutcome } from './tools.ts';

/** Who a request acts for, set by the authentication middleware in `res.locals.principal`. */
export interface Principal {
  clientId: string | null;
  clientName: string | null;
  login: string | null;
  /** The account the token was issued to (the owner's GitHub id). */
  subject: string | null;
  /** The grant the token belongs to: one per connection a person approved. */
  grantId: string | null;
}

export type RecordActivity = (entry: Omit<ActivityEntry, 'seq' | 'time'>) => void;

/**
 * The most messages one POST /mcp may carry. JSON-RPC batching was removed from MCP in
 * 2025-06-18 and clients rarely send batches; a few is plenty for those that still do.
 */
export const MAX_BATCH = 10;

export interface RpcCall {
  method: string;
  tool: string | null;
}

/**
 * Refuses a batch of more than `max` messages (or an empty one) with a 400 JSON-RPC error.
 * True when it answered, so the caller stops.
 */
export function refuseBatch(req: Request, res: Response, max: number, log: (line: string) => void): boolean {
  const body: unknown = req.body;
  if (!Array.isArray(body)) return false;
  if (body.length > 0 && body.length <= max) return false;
  const message =
    max <= 1
      ? `${req.path} takes one JSON-RPC message per request, not a batch.`
      : body.length === 0
        ? 'Invalid request: an empty batch.'
        : `A batch may hold at most ${max} messages (got ${body.length}); send them in separate requests.`;
  log(`mcp: refused ${req.method} ${req.path}: batch of ${body.length} messages`);
  res.status(400).json(rpcError(-32600, message));
  return true;
}

/**
 * The calls to record for one HTTP exchange: each JSON-RPC request it carried when it was
 * served, or a single one when it was refused (status ≥ 400), however large the body.
 */
export function callsToRecord(body: unknown, status: number): RpcCall[] {
  if (status < 400) return requestsIn(body);
  if (Array.isArray(body)) return [{ method: 'batch', tool: null }];
  const method = (body as { method?: unknown } | null)?.method;
  return [{ method: typeof method === 'string' ? method.slice(0, 100) : 'invalid', tool: null }];
}

/** JSON-RPC requests (not notifications, not responses) in a body: one message or a batch. */
function requestsIn(body: unknown): RpcCall[] {
  const messages: unknown[] = Array.isArray(body) ? body.slice(0, MAX_BATCH) : [body];
  return messages.flatMap((m) => {
    const message = m as { method?: unknown; id?: unknown; params?: { name?: unknown } } | null;
    if (typeof message?.method !== 'string' || message.id === undefined) return [];
    const tool = typeof message.params?.name === 'string' ? message.params.name.slice(0, 100) : null;
    return [{ method: message.method.slice(0, 100), tool }];
  });
}

/** A tools/call the SDK answered before our handler ran (unknown tool, invalid arguments). */
export function unfinishedCall(tool: string | null): ToolOutcome {
  return {
    tool: tool ?? 'unknown',
    summary: '',
    error: 'rejected before running (unknown tool or invalid arguments)',
    latencyMs: 0,
  };
}

export function entryFor(
  res: Response,
  method: string,
  outcome: ToolOutcome | null,
  latencyMs: number | null,
  status: number,
  /** The name the client gave itself in `initialize` (client-names.ts), for when OAuth has none. */
  selfName: string | null = null,
): Omit<ActivityEntry, 'seq' | 'time'> {
  const principal = res.locals.principal as Principal | undefined;
  const failed = outcome?.error ?? (status >= 400 ? `HTTP ${status}` : null);
  return {
    kind: 'mcp',
    client: principal
      ? { id: principal.clientId, name: principal.clientName ?? selfName }
      : selfName
        ? { id: null, name: selfName }
        : null,
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
