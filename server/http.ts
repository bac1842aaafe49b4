import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';

// The public listener: the only socket the tunnel points at. Loopback only; every
// request passes the Host and Origin checks (DNS rebinding), bodies are capped, and
// every error is a short JSON answer, never a stack trace.

export const BODY_LIMIT = '1mb';

export interface PublicListenerOptions {
  /** Host header values (host:port, lower case) allowed right now: loopback with our port, the tunnel host. */
  allowedHosts: () => ReadonlySet<string>;
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
  app.use(hostAndOriginCheck(options.allowedHosts, log));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
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
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port, '127.0.0.1');
    s.once('listening', () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${options.port} is already in use. Choose another with --port, or 0 for any free port.`,
            )
          : error,
      );
    });
  });
  // Slow clients cannot hold sockets: headers within 10 s, a whole request within 30 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
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

function hostAndOriginCheck(
  allowedHosts: () => ReadonlySet<string>,
  log: (line: string) => void,
): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedHosts();
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowed.has(host)) {
      log(`http: refused ${req.method} ${req.path}: Host "${host.slice(0, 100)}" is not allowed`);
      res.status(403).json({ error: 'forbidden', message: 'This Host is not allowed.' });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, allowed)) {
      log(`http: refused ${req.method} ${req.path}: Origin "${origin.slice(0, 100)}" is not allowed`);
      res.status(403).json({ error: 'forbidden', message: 'This Origin is not allowed.' });
      return;
    }
    next();
  };
}

function originAllowed(origin: string, allowedHosts: ReadonlySet<string>): boolean {
  try {
    const url = new URL(origin);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && allowedHosts.has(url.host.toLowerCase())
    );
  } catch {
    return false;
  }
}

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
