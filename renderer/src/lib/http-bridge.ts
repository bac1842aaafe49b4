// The PortholeBridge of the headless dashboard: the control listener's HTTP API.
//   commands: POST /api/<method> {"args":[...]} → 200 {"result": …} | 4xx {"error":{"message"}}
//   events:   GET /api/events → text/event-stream of `data: <ConnectorEvent JSON>`, a state
//             snapshot first. Read with fetch, because EventSource cannot send the
//             Authorization header.
import {
  CONTROL_METHODS,
  type ConnectorEvent,
  type ControlApi,
  type PortholeBridge,
} from '../../../server/api.ts';
import { type BackoffOptions, reconnectDelay } from './backoff.ts';
import { type ConnectionMonitor, createConnectionMonitor } from './connection.ts';
import { createSseParser } from './sse.ts';

/** The token is missing or no longer valid: only a fresh link from `porthole serve` helps. */
export class UnauthorizedError extends Error {
  constructor(
    message = 'This dashboard link is no longer valid. Open the link that `porthole serve` printed.',
  ) {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

export interface HttpBridgeOptions {
  token: string | null;
  /** Where the control listener is; '' for the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  /** Called once when the server refuses the token (the caller forgets the stored one). */
  onUnauthorized?: () => void;
}

export interface HttpBridge {
  bridge: PortholeBridge;
  connection: ConnectionMonitor;
  /** Stops the event stream for good. */
  close(): void;
}

const NOT_ANSWERING = 'Porthole is not answering. Is `porthole serve` still running?';

function errorMessage(body: unknown): string | null {
  if (body && typeof body === 'object' && 'error' in body) {
    const error = (body as { error: unknown }).error;
    if (error && typeof error === 'object' && 'message' in error) {
      const message = (error as { message: unknown }).message;
      if (typeof message === 'string' && message !== '') return message;
    }
    if (typeof error === 'string' && error !== '') return error;
  }
  return null;
}

/** `listActivity()` must send `[]`, not `[null]`: a schema may accept a missing option, not null. */
export function trimArgs(args: readonly unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

function isConnectorEvent(value: unknown): value is ConnectorEvent {
  return (
    !!value &&
    typeof value === 'object' &&
    'type' in value &&
    ((value as { type: unknown }).type === 'state' ||
      (value as { type: unknown }).type === 'activity' ||
      (value as { type: unknown }).type === 'folder')
  );
}

export function createHttpBridge(options: HttpBridgeOptions): HttpBridge {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const token = options.token;
  const listeners = new Set<(event: ConnectorEvent) => void>();
  let unauthorized = token === null;
  let closed = false;
  let stream: { abort: AbortController; wake: () => void } | null = null;

  const connection = createConnectionMonitor(unauthorized ? 'unauthorized' : 'connecting', () =>
    stream?.wake(),
  );

  function markUnauthorized(): void {
    if (!unauthorized) {
      unauthorized = true;
      options.onUnauthorized?.();
    }
    connection.set('unauthorized');
    stopStream();
  }

  function headers(json: boolean): Record<string, string> {
    const result: Record<string, string> = { Authorization: `Bearer ${token ?? ''}` };
    if (json) result['Content-Type'] = 'application/json';
    return result;
  }

  async function call(method: string, args: readonly unknown[]): Promise<unknown> {
    if (unauthorized) throw new UnauthorizedError();
    let response: Response;
    try {
      response = await fetchImpl(`${base}/api/${method}`, {
        method: 'POST',
        headers: headers(true),
        body: JSON.stringify({ args: trimArgs(args) }),
        cache: 'no-store',
      });
    } catch {
      throw new Error(NOT_ANSWERING);
    }
    let body: unknown = null;
    let readable = true;
    try {
      body = await response.json();
    } catch {
      readable = false;
    }
    if (response.status === 401) {
      markUnauthorized();
      throw new UnauthorizedError();
    }
    if (!response.ok) {
      throw new Error(errorMessage(body) ?? `Porthole could not do that (HTTP ${response.status}).`);
    }
    if (!readable || !body || typeof body !== 'object') {
      throw new Error('Porthole sent an answer this window cannot read. Reload the page.');
    }
    return (body as { result?: unknown }).result ?? null;
  }

  const api = Object.fromEntries(
    CONTROL_METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)]),
  ) as unknown as ControlApi;

  function emit(event: ConnectorEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener must not starve the others or kill the stream.
        console.error(error);
      }
    }
  }

  function stopStream(): void {
    if (!stream) return;
    stream.abort.abort();
    stream.wake();
    stream = null;
  }

  function startStream(): void {
    if (stream || unauthorized || closed) return;
    const abort = new AbortController();
    let wakeSleep: () => void = () => {};
    const current = {
      abort,
      wake: () => wakeSleep(),
    };
    stream = current;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeSleep = () => {};
          resolve();
        }
        wakeSleep = done;
      });
    void runStream(current, sleep);
  }

  async function runStream(
    current: { abort: AbortController },
    sleep: (ms: number) => Promise<void>,
  ): Promise<void> {
    const signal = current.abort.signal;
    let attempt = 0;
    let everOpen = false;
    while (!signal.aborted) {
      if (everOpen || attempt > 0) connection.set('reconnecting');
      else connection.set('connecting');
      try {
        const response = await fetchImpl(`${base}/api/events`, {
          headers: { ...headers(false), Accept: 'text/event-stream' },
          cache: 'no-store',
          signal,
        });
        if (response.status === 401) {
          markUnauthorized();
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const reader = response.body.getReader();
        const parser = createSseParser((message) => {
          if (message.event !== 'message') return;
          let value: unknown;
          try {
            value = JSON.parse(message.data);
          } catch {
            return;
          }
          if (!isConnectorEvent(value)) return;
          // Only a stream that delivers counts as healthy: reset the backoff on data, not on headers.
          attempt = 0;
          emit(value);
        });
        connection.set('open');
        everOpen = true;
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            parser.push(value);
          }
          parser.end();
        } finally {
          reader.cancel().catch(() => {});
        }
      } catch {
        // Network error, abort, or a non-2xx answer: all mean "try again later" unless stopped.
      }
      if (signal.aborted) return;
      connection.set('reconnecting');
      await sleep(reconnectDelay(attempt, options.backoff));
      attempt++;
    }
  }

  const bridge: PortholeBridge = {
    ...api,
    subscribe(listener) {
      listeners.add(listener);
      startStream();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopStream();
      };
    },
    desktop: null,
  };

  return {
    bridge,
    connection,
    close() {
      closed = true;
      stopStream();
      listeners.clear();
    },
  };
}
