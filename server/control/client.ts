import { CONTROL_METHODS, type ConnectorEvent, type ControlApi } from '../api.ts';

// The HTTP client of the control listener: ControlApi built from CONTROL_METHODS, plus the event
// stream. No Node imports, so the dashboard in a browser can use it as well as `porthole status`.

export interface ControlClientOptions {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

export interface ControlClient extends ControlApi {
  /** The connector's events: a state snapshot first, then live events. Ends quietly when `signal` aborts. */
  events(signal?: AbortSignal): AsyncIterable<ConnectorEvent>;
}

/** What the control listener answered with an error status; `message` is the server's. */
export class ControlRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ControlRequestError';
  }
}

export function createControlClient(options: ControlClientOptions): ControlClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl.replace(/\/+$/, '');
  const authorization = `Bearer ${options.token}`;

  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    // JSON has no undefined: `listActivity(undefined)` must travel as `[]`, not `[null]`.
    const trimmed = [...args];
    while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed.pop();
    const response = await doFetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify({ args: trimmed }),
    });
    const body = await readJson(response);
    if (!response.ok) throw errorFrom(response, body);
    const result = (body as { result?: unknown } | null)?.result;
    // The server sends null for void; callers of a void method expect undefined.
    return result === null ? undefined : result;
  };

  const client: Record<string, unknown> = {};
  for (const method of CONTROL_METHODS) client[method] = (...args: unknown[]) => call(method, args);
  client.events = (signal?: AbortSignal) => readEvents(doFetch, base, authorization, signal);
  return client as unknown as ControlClient;
}

async function* readEvents(
  doFetch: typeof fetch,
  base: string,
  authorization: string,
  signal?: AbortSignal,
): AsyncGenerator<ConnectorEvent> {
  let response: Response;
  try {
    response = await doFetch(`${base}/api/events`, {
      headers: { Authorization: authorization, Accept: 'text/event-stream' },
      signal,
    });
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  }
  if (!response.ok || !response.body) throw errorFrom(response, await readJson(response));
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let boundary = buffer.search(/\r?\n\r?\n/);
      while (boundary !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '');
        const event = parseBlock(block);
        if (event) yield event;
        boundary = buffer.search(/\r?\n\r?\n/);
      }
    }
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  } finally {
    // Also runs when the consumer breaks out of its loop: release the connection.
    reader.cancel().catch(() => {});
  }
}

/** One server-sent event block: its `data:` lines joined; comments (`: ping`) and empty blocks give null. */
function parseBlock(block: string): ConnectorEvent | null {
  const data = block
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''));
  return data.length > 0 ? (JSON.parse(data.join('\n')) as ConnectorEvent) : null;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function errorFrom(response: Response, body: unknown): ControlRequestError {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return new ControlRequestError(
    typeof message === 'string' && message ? message : `The control API answered HTTP ${response.status}.`,
    response.status,
  );
}
