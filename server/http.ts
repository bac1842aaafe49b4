import { createServer, type Server } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { hostAndOriginCheck } from './http-origin.ts';
import { SERVER_TIMEOUT_OPTIONS } from './http-timeouts.ts';

// The public listener: the only socket the tunnel points at. Loopback only; every
// request passes the Host and Origin checks (DNS rebinding), bodies are capped, slow or
// silent clients are cut off, no page can be framed, and every error is a short JSON
// answer, never a stack trace.

export const BODY_LIMIT = '1mb';

export interface PublicListenerOptions {
  /** Host header values (host:port, lower case) allowed right now: loopback with our port, the tunnel host. */
  allowedHosts: () => ReadonlySet<string>;
  /**
   * True when /mcp, /sse and /messages check bearer tokens: only then may in-browser clients on
   * other origins call them (with a token). Default: never.
   */
  bearerRequired?: () => boolean;
  /** Mounts the routes (MCP, OAuth, …) on the app, after the checks. */
  mount: (app: Express) => void;
  log?: (line: string) => void;
}

export interface PublicListener {
  app: Express;
  server: Server;
  port: number;
  close(): Promise<void>;
}

export function createPublicApp(options: PublicListenerOptions): Express {
  const log = options.log ?? (() => {});
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(noFraming);
  app.use(
    hostAndOriginCheck({
      allowedHosts: options.allowedHosts,
      bearerRequired: options.bearerRequired ?? (() => false),
      log,
    }),
  );
  options.mount(app);
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `Nothing at ${req.method} ${req.path}.` });
  });
  app.use(errorHandler(log));
  return app;
}

/** Starts the listener on 127.0.0.1. Port 0 picks a free port; the one chosen is returned. */
export async function listenPublic(
  options: PublicListenerOptions & { port: number },
): Promise<PublicListener> {
  const app = createPublicApp(options);
  const server = createServer(SERVER_TIMEOUT_OPTIONS, app);
  await new Promise<void>((resolve, reject) => {
    server.listen(options.port, '127.0.0.1');
    server.once('listening', () => resolve());
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${options.port} is already in use. Choose another with --port, or 0 for any free port.`,
            )
          : error,
      );
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    app,
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * No page of ours may be framed (clickjacking): oidc-provider's error pages, the consent and
 * message pages, the viewer. Set on every response before any route runs; a route may replace
 * the CSP with a stricter one of its own (which keeps frame-ancestors 'none'), and
 * X-Frame-Options stays whatever it sets.
 */
const noFraming: RequestHandler = (_req, res, next) => {
  res.set({ 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "frame-ancestors 'none'" });
  next();
};

function errorHandler(log: (line: string) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const status =
      typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    const type: string | undefined = error?.type;
    if (status === 500) log(`http: ${req.method} ${req.path} failed: ${error?.stack ?? error}`);
    else log(`http: ${req.method} ${req.path}: ${status} ${type ?? error?.message ?? ''}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    const rpc = req.path === '/mcp' || req.path === '/messages';
    if (type === 'entity.parse.failed') {
      res.status(400).json(rpcError(-32700, 'Parse error: the body is not valid JSON.'));
    } else if (type === 'entity.too.large') {
      res
        .status(413)
        .json(rpc ? rpcError(-32600, `Request body larger than ${BODY_LIMIT}.`) : { error: 'too_large' });
    } else if (status < 500) {
      res.status(status).json(rpc ? rpcError(-32600, 'Invalid request.') : { error: 'bad_request' });
    } else {
      res.status(500).json(rpc ? rpcError(-32603, 'Internal error.') : { error: 'internal_error' });
    }
  };
}

export function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0' as const, id: null, error: { code, message } };
}
