import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { ConnectorEvent, ControlApi, ControlMethod } from '../api.ts';
import { type CheckedArgs, checkArgs, isControlMethod, usage } from '../api-schemas.ts';
import { clip, sendError } from './errors.ts';
import { eventStreams } from './events.ts';
import { bearerToken, loopbackOnly, securityHeaders } from './guards.ts';
import { staticDashboard } from './static.ts';

// The headless dashboard's listener: the built dashboard and ControlApi over HTTP + SSE, on
// 127.0.0.1 only and behind a per-launch token. Never on the public listener, never tunnelled.

export const CONTROL_BODY_LIMIT_BYTES = 64 * 1024;
export const DEFAULT_PING_MS = 15_000;

export interface ControlServerOptions {
  api: ControlApi;
  subscribe: (listener: (event: ConnectorEvent) => void) => () => void;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built dashboard (renderer/dist); without it `/` says how to build it. */
  staticDir?: string | null;
  /** Default: 32 random bytes, base64url. Tests pass their own. */
  token?: string;
  /** Interval of the `: ping` comments on event streams (default 15 s). */
  pingMs?: number;
  log?: (line: string) => void;
}

export interface ControlServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** What the person opens: the token rides in the fragment, which never reaches a server log or a Referer. */
  dashboardUrl: string;
  port: number;
  token: string;
  /** Stops listening and ends open event streams. */
  close(): Promise<void>;
}

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const log = options.log ?? (() => {});
  const token = options.token ?? randomBytes(32).toString('base64url');
  // The token travels in a header and a URL fragment: keep it to characters both carry unchanged.
  if (!/^[A-Za-z0-9._~-]{16,512}$/.test(token))
    throw new Error('The control token must be 16 to 512 characters of A-Z a-z 0-9 . _ ~ -.');
  let port = 0;
  const streams = eventStreams({
    api: options.api,
    subscribe: options.subscribe,
    pingMs: options.pingMs ?? DEFAULT_PING_MS,
    log,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(loopbackOnly(() => port, log));
  app.use('/api', apiRouter(options.api, token, streams.handler, log));
  app.use(staticDashboard(options.staticDir ?? null, log));
  app.use(errorHandler(log));

  const server = await listen(app, options.port ?? 0);
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    dashboardUrl: `${url}/#token=${token}`,
    port,
    token,
    close: async () => {
      streams.endAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function apiRouter(
  api: ControlApi,
  token: string,
  events: RequestHandler,
  log: (line: string) => void,
): express.Router {
  const router = express.Router();
  router.use(bearerToken(token, log));
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.get('/events', events);
  router.all('/events', methodNotAllowed('GET', log));
  router.post(
    '/:method',
    knownMethod(log),
    express.json({ limit: CONTROL_BODY_LIMIT_BYTES }),
    call(api, log),
  );
  router.all('/:method', knownMethod(log), methodNotAllowed('POST', log));
  router.use((req, res) => notFound(req, res, log));
  return router;
}

function knownMethod(log: (line: string) => void): RequestHandler {
  return (req, res, next) => {
    if (isControlMethod(String(req.params.method))) next();
    else notFound(req, res, log);
  };
}

function call(api: ControlApi, log: (line: string) => void): RequestHandler {
  return async (req, res) => {
    const method = String(req.params.method);
    if (!isControlMethod(method)) return notFound(req, res, log);
    // express.json leaves the body undefined for other content types; refuse rather than guess.
    if (req.body === undefined && hasBody(req)) {
      log(`control: refused POST /api/${method}: Content-Type "${clip(req.headers['content-type'] ?? '')}"`);
      return sendError(res, 415, 'Send the body as application/json: { "args": [...] }.');
    }
    const parsed = argsFromBody(method, req.body);
    if (!parsed.ok) {
      log(`control: refused POST /api/${method}: bad arguments`);
      return sendError(res, 400, parsed.message);
    }
    let result: unknown;
    try {
      result = await (api[method] as (...args: unknown[]) => Promise<unknown>).apply(api, parsed.args);
    } catch (error) {
      // What ControlApi throws is meant for the person (folder does not exist, …): pass it on as is.
      const message = error instanceof Error ? error.message : String(error);
      log(`control: ${method} failed: ${message}`);
      return sendError(res, 400, message || `${method} failed.`);
    }
    res.json({ result: result === undefined ? null : result });
  };
}

/**
 * The wire format of a call: a body `{ "args": [...] }`, checked against the method's schema. A
 * missing body or missing `args` means no arguments.
 */
function argsFromBody(method: ControlMethod, body: unknown): CheckedArgs {
  if (body === undefined) return checkArgs(method, []);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, message: `The body must be a JSON object { "args": [...] } for ${usage(method)}.` };
  return checkArgs(method, (body as { args?: unknown }).args ?? []);
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function methodNotAllowed(allow: string, log: (line: string) => void): RequestHandler {
  return (req, res) => {
    log(`control: refused ${req.method} /api${clip(req.path)}: method not allowed`);
    res.setHeader('Allow', allow);
    sendError(res, 405, `Use ${allow} for /api${clip(req.path)}.`);
  };
}

function notFound(req: Request, res: Response, log: (line: string) => void): void {
  log(`control: refused ${req.method} /api${clip(req.path)}: no such method`);
  sendError(res, 404, `Nothing at /api${clip(req.path)}.`);
}

function errorHandler(log: (line: string) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const status: number =
      typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    const type: string | undefined = error?.type;
    if (status === 500) log(`control: ${req.method} ${clip(req.path)} failed: ${error?.stack ?? error}`);
    else log(`control: refused ${req.method} ${clip(req.path)}: ${status} ${type ?? error?.message ?? ''}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    if (type === 'entity.parse.failed') sendError(res, 400, 'The body is not valid JSON.');
    else if (type === 'entity.too.large')
      sendError(res, 413, `Request body larger than ${CONTROL_BODY_LIMIT_BYTES / 1024} kB.`);
    else if (status < 500) sendError(res, status, 'Bad request.');
    else sendError(res, 500, 'Internal error.');
  };
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1');
    server.once('listening', () => {
      // Slow clients cannot hold sockets; event streams are responses, which these limits leave alone.
      server.headersTimeout = 10_000;
      server.requestTimeout = 30_000;
      server.keepAliveTimeout = 5_000;
      resolve(server);
    });
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} for the dashboard is already in use. Choose another, or 0 for any free port.`,
              { cause: error },
            )
          : error,
      );
    });
  });
}
