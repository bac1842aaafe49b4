import type { RequestHandler } from 'express';
import type { ConnectorEvent, ConnectorState, ControlApi } from '../api.ts';
import { sendError } from './errors.ts';

// GET /api/events: the connector's events as server-sent events. The dashboard reads them with
// fetch and a stream reader (EventSource cannot send the Authorization header).

/** A client that stops reading is dropped rather than buffered without end; it reconnects and gets a snapshot. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface EventStreams {
  handler: RequestHandler;
  /** Ends every open stream (on close of the listener). */
  endAll(): void;
}

export function eventStreams(options: {
  api: ControlApi;
  subscribe: (listener: (event: ConnectorEvent) => void) => () => void;
  pingMs: number;
  log: (line: string) => void;
}): EventStreams {
  const open = new Set<() => void>();

  const handler: RequestHandler = async (req, res) => {
    let ended = false;
    let ping: NodeJS.Timeout | undefined;
    let unsubscribe = () => {};
    const end = (how: 'end' | 'destroy' = 'end') => {
      if (ended) return;
      ended = true;
      clearInterval(ping);
      unsubscribe();
      open.delete(end);
      if (how === 'destroy') res.destroy();
      else if (!res.writableEnded) res.end();
    };
    const write = (chunk: string) => {
      if (ended) return;
      res.write(chunk);
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        options.log('control: events: a client stopped reading; its stream was closed');
        end('destroy');
      }
    };
    // Subscribe before taking the snapshot so nothing that happens in between is lost; what
    // arrives meanwhile is sent right after the snapshot.
    let pending: ConnectorEvent[] | null = [];
    const send = (event: ConnectorEvent) => {
      if (pending) pending.push(event);
      else write(`data: ${JSON.stringify(event)}\n\n`);
    };
    unsubscribe = options.subscribe(send);
    open.add(end);
    res.on('close', () => end());

    let state: ConnectorState;
    try {
      state = await options.api.getState();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      options.log(`control: events: could not read the state: ${message}`);
      if (!ended) sendError(res, 500, `Could not read the connector state: ${message}`);
      end();
      return;
    }
    if (ended) return;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      // Reverse proxies (nginx) would otherwise hold the stream back.
      'X-Accel-Buffering': 'no',
    });
    req.socket.setNoDelay(true);
    const queued = pending;
    pending = null;
    send({ type: 'state', state });
    for (const event of queued) send(event);
    ping = setInterval(() => write(': ping\n\n'), options.pingMs);
  };

  return {
    handler,
    endAll: () => {
      for (const end of [...open]) end();
    },
  };
}
