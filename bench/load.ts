import http from 'node:http';
import https from 'node:https';
import { nsToMs, percentile } from './stats.ts';

// A closed-loop HTTP load generator for JSON-RPC over Streamable HTTP: C clients, each
// sending one POST, waiting for the whole answer, then sending the next, on keep-alive
// connections. Closed loop means the server sets the pace: rps is what it sustains at
// concurrency C, and latency is what each of those requests saw.

export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
} as const;

export type ErrorKind = 'http' | 'network' | 'json' | 'rpc' | 'tool';

export type Outcome = { ok: true } | { ok: false; kind: ErrorKind; detail: string };

export interface LoadOptions {
  url: string;
  clients: number;
  durationMs: number;
  /** The JSON-RPC request a client sends next. */
  body: (client: number) => string;
  agent: http.Agent;
  /** Sent with every request on top of the MCP headers (e.g. a bearer token). */
  headers?: Record<string, string>;
  /** Called about once a second while the load runs. */
  onProgress?: (requests: number, errors: number, elapsedMs: number) => void;
}

export interface LoadRun {
  /** Latency of every request that finished, errors included, in milliseconds. */
  latenciesMs: number[];
  requests: number;
  errors: number;
  /** From the first request to the last answer (clients finish the request they are in). */
  elapsedMs: number;
  /** Errors by kind and first message, so a failing run says why. */
  errorKinds: Map<string, number>;
}

export interface LoadSummary {
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
}

export function keepAliveAgent(url: string, clients: number): http.Agent {
  const options = { keepAlive: true, maxSockets: clients, maxFreeSockets: clients };
  return new URL(url).protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const url = new URL(options.url);
  const latenciesMs: number[] = [];
  const errorKinds = new Map<string, number>();
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.durationMs * 1e6));
  const progress = options.onProgress
    ? setInterval(
        () => options.onProgress?.(latenciesMs.length, errors, nsToMs(process.hrtime.bigint() - started)),
        1000,
      )
    : null;
  progress?.unref();

  // Each client sends at least once, even on a machine so busy that the deadline has passed by
  // the time it starts: a run always says something about every client.
  const client = async (index: number) => {
    do {
      const body = Buffer.from(options.body(index));
      const sent = process.hrtime.bigint();
      const outcome = await post(url, options.agent, body, options.headers).then(
        (res) => classifyRpcResponse(res.status, res.body),
        (error: Error): Outcome => ({ ok: false, kind: 'network', detail: error.message }),
      );
      latenciesMs.push(nsToMs(process.hrtime.bigint() - sent));
      if (!outcome.ok) {
        errors++;
        const key = `${outcome.kind}: ${outcome.detail.slice(0, 160)}`;
        errorKinds.set(key, (errorKinds.get(key) ?? 0) + 1);
      }
    } while (process.hrtime.bigint() < deadline);
  };
  try {
    await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  } finally {
    if (progress) clearInterval(progress);
  }
  return {
    latenciesMs,
    requests: latenciesMs.length,
    errors,
    elapsedMs: nsToMs(process.hrtime.bigint() - started),
    errorKinds,
  };
}

export function summarizeLoad(run: Pick<LoadRun, 'latenciesMs' | 'errors' | 'elapsedMs'>): LoadSummary {
  const requests = run.latenciesMs.length;
  return {
    rps: run.elapsedMs > 0 ? requests / (run.elapsedMs / 1000) : 0,
    p50Ms: percentile(run.latenciesMs, 50),
    p95Ms: percentile(run.latenciesMs, 95),
    p99Ms: percentile(run.latenciesMs, 99),
    errors: run.errors,
    requests,
  };
}

/**
 * Did a JSON-RPC POST succeed? Not if the status is not 2xx, the body is not JSON-RPC,
 * the answer is a JSON-RPC error, or a tool result says `isError`. A server that
 * answers with an event stream instead of JSON is read through its first `data:` line.
 */
export function classifyRpcResponse(status: number, body: string): Outcome {
  if (status < 200 || status > 299) return { ok: false, kind: 'http', detail: `HTTP ${status}` };
  let message: unknown;
  try {
    message = JSON.parse(sseData(body) ?? body);
  } catch {
    return { ok: false, kind: 'json', detail: `not JSON: ${body.slice(0, 60)}` };
  }
  const messages = Array.isArray(message) ? message : [message];
  if (messages.length === 0) return { ok: false, kind: 'json', detail: 'empty batch' };
  for (const m of messages) {
    const rpc = m as { jsonrpc?: unknown; error?: { message?: unknown }; result?: { isError?: unknown } };
    if (typeof rpc !== 'object' || rpc === null || rpc.jsonrpc !== '2.0')
      return { ok: false, kind: 'json', detail: 'not a JSON-RPC 2.0 message' };
    if (rpc.error !== undefined)
      return { ok: false, kind: 'rpc', detail: String(rpc.error?.message ?? 'JSON-RPC error') };
    if (rpc.result === undefined) return { ok: false, kind: 'json', detail: 'no result' };
    if (rpc.result?.isError === true) return { ok: false, kind: 'tool', detail: toolErrorText(rpc.result) };
  }
  return { ok: true };
}

function sseData(body: string): string | null {
  if (!/^(event|data|id):/m.test(body.slice(0, 200))) return null;
  const line = body.split('\n').find((l) => l.startsWith('data:'));
  return line === undefined ? null : line.slice(5).trim();
}

function toolErrorText(result: unknown): string {
  const content = (result as { content?: { type?: string; text?: string }[] }).content;
  return content?.find((c) => c.type === 'text')?.text ?? 'tool returned isError';
}

function post(
  url: URL,
  agent: http.Agent,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...MCP_HEADERS, ...headers, 'content-length': body.length },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}
