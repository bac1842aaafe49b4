import { PassThrough } from 'node:stream';
import type { RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressPrinter } from './cli-output.ts';
import { listenPublic, type PublicListener } from './http.ts';
import { rawRequest } from './mcp/testing.ts';

// The public listener with stand-in routes: which pages can be framed, which origins may call
// which paths, and what reaches the terminal from a request.

const FOREIGN = 'http://localhost:6274'; // MCP Inspector's web UI
const MCP_ROUTES = ['/mcp', '/sse', '/messages'] as const;
const OAUTH_ROUTES = [
  '/.well-known/oauth-protected-resource',
  '/.well-known/oauth-protected-resource/mcp',
  '/.well-known/oauth-authorization-server',
  '/.well-known/openid-configuration',
  '/register',
  '/token',
  '/revoke',
  '/jwks',
] as const;
const STRICT_ROUTES = ['/consent/abc', '/view/abc', '/oauth/github/callback', '/healthz'] as const;

/** Stands in for the bearer check in the routes: only "Bearer good" passes. */
const bearer: RequestHandler = (req, res, next) => {
  if (req.headers.authorization === 'Bearer good') return next();
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer resource_metadata="http://x/.well-known/oauth-protected-resource/mcp"')
    .json({ error: 'invalid_token' });
};

const output = new PassThrough();
let printed = '';
output.on('data', (chunk: Buffer) => {
  printed += chunk.toString('utf8');
});
const printer = new ProgressPrinter(output as unknown as NodeJS.WriteStream);

let bearerRequired = true;
let listener: PublicListener;
let own: string;

beforeAll(async () => {
  let port = 0;
  listener = await listenPublic({
    port: 0,
    allowedHosts: () => new Set([`127.0.0.1:${port}`]),
    bearerRequired: () => bearerRequired,
    log: (line) => printer.log(line),
    mount: (app) => {
      for (const path of MCP_ROUTES) app.all(path, bearer, (req, res) => res.json({ path: req.path }));
      for (const path of OAUTH_ROUTES) app.all(path, (req, res) => res.json({ path: req.path }));
      for (const path of STRICT_ROUTES.slice(0, 3))
        app.all(path, (_req, res) => res.type('html').send('<h1>Page</h1>'));
      app.get('/own-csp', (_req, res) => {
        res.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'").send('ok');
      });
    },
  });
  port = listener.port;
  own = `127.0.0.1:${port}`;
});

afterAll(async () => {
  await listener.close();
});

function call(method: string, path: string, headers: Record<string, string> = {}) {
  return rawRequest(listener.port, { method, path, headers: { host: own, ...headers } });
}

const preflight = (path: string, method = 'POST') =>
  call('OPTIONS', path, {
    origin: FOREIGN,
    'access-control-request-method': method,
    'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
  });

describe('framing', () => {
  it('no page can be framed: our 404, a refused Host, a page without a CSP of its own', async () => {
    for (const res of [
      await call('GET', '/nothing-here'),
      await call('GET', '/healthz', { host: 'evil.example' }),
      await call('GET', '/consent/abc'),
    ]) {
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    }
  });

  it("a route's own CSP replaces the default, and framing stays refused", async () => {
    const res = await call('GET', '/own-csp');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});

describe('in-browser MCP clients on another origin', () => {
  it('are refused on /mcp, /sse and /messages without a token (DNS rebinding, CSRF)', async () => {
    for (const path of MCP_ROUTES) {
      const res = await call(path === '/sse' ? 'GET' : 'POST', path, { origin: FOREIGN });
      expect(res.status, path).toBe(403);
      expect(res.headers['access-control-allow-origin'], path).toBeUndefined();
    }
  });

  it('pass the Origin check with a token; the bearer check decides, and the answer is readable', async () => {
    for (const path of MCP_ROUTES) {
      const method = path === '/sse' ? 'GET' : 'POST';
      const refused = await call(method, path, { origin: FOREIGN, authorization: 'Bearer wrong' });
      expect(refused.status, path).toBe(401);
      expect(refused.headers['access-control-allow-origin'], path).toBe(FOREIGN);
      expect(refused.headers['access-control-expose-headers'], path).toBe(
        'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version',
      );
      expect(refused.headers.vary, path).toMatch(/\bOrigin\b/);
      const served = await call(method, path, { origin: FOREIGN, authorization: 'Bearer good' });
      expect(served.status, path).toBe(200);
      expect(served.headers['access-control-allow-origin'], path).toBe(FOREIGN);
      for (const res of [refused, served])
        expect(res.headers['access-control-allow-credentials'], path).toBeUndefined();
    }
  });

  it('get an answer to their CORS preflight without a token', async () => {
    for (const path of [...MCP_ROUTES, ...OAUTH_ROUTES]) {
      const res = await preflight(path);
      expect(res.status, path).toBe(204);
      expect(res.headers['access-control-allow-origin'], path).toBe(FOREIGN);
      expect(res.headers['access-control-allow-methods'], path).toContain('POST');
      expect(res.headers['access-control-allow-headers'], path).toBe(
        'Authorization, Content-Type, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID, ngrok-skip-browser-warning',
      );
      expect(res.headers['access-control-allow-credentials'], path).toBeUndefined();
    }
  });

  it('reach the OAuth endpoints from any origin', async () => {
    for (const path of OAUTH_ROUTES) {
      const res = await call(path.startsWith('/.well-known') || path === '/jwks' ? 'GET' : 'POST', path, {
        origin: 'https://some-web-client.example',
      });
      expect(res.status, path).toBe(200);
      expect(res.headers['access-control-allow-origin'], path).toBe('https://some-web-client.example');
      expect(res.headers.vary, path).toMatch(/\bOrigin\b/);
      expect(res.headers['access-control-allow-credentials'], path).toBeUndefined();
    }
  });

  it('are refused everywhere else, token or not, preflight or not', async () => {
    for (const path of STRICT_ROUTES) {
      for (const res of [
        await call('GET', path, { origin: FOREIGN }),
        await call('POST', path, { origin: FOREIGN, authorization: 'Bearer good' }),
        await preflight(path),
      ]) {
        expect(res.status, path).toBe(403);
        expect(res.headers['access-control-allow-origin'], path).toBeUndefined();
      }
    }
  });

  it('are refused on /mcp even with a token when no bearer check runs (loopback-only mode)', async () => {
    bearerRequired = false;
    try {
      for (const path of MCP_ROUTES) {
        expect((await call('POST', path, { origin: FOREIGN, authorization: 'Bearer x' })).status).toBe(403);
        expect((await preflight(path)).status).toBe(403);
      }
    } finally {
      bearerRequired = true;
    }
  });

  it('still cannot pass with a foreign Host, whatever they send', async () => {
    const res = await call('POST', '/mcp', {
      host: 'rebound.example',
      origin: 'http://rebound.example',
      authorization: 'Bearer good',
    });
    expect(res.status).toBe(403);
  });
});

describe('what a request can print', () => {
  /** Any C0 or C1 control or DEL, once the line ends are taken out. */
  const hasControls = (text: string) => /\p{Cc}/u.test(text.replaceAll('\n', ''));

  it('strips C0 and C1 controls sent in Origin and Host before they reach the terminal', async () => {
    printed = '';
    // 0x9B is CSI to a terminal; Node passes it through in header values (0x1B and line breaks it refuses).
    const res = await call('POST', '/consent/abc', { origin: 'http://evil.example\x9b2J\x9b31m' });
    expect(res.status).toBe(403);
    const host = await call('GET', '/healthz', { host: 'evil.example\x9b2J' });
    expect(host.status).toBe(403);
    expect(printed).toContain('Origin "http://evil.example2J31m" is not allowed');
    expect(printed).toContain('Host "evil.example2j" is not allowed');
    expect(hasControls(printed)).toBe(false);
  });

  it('prints every log line as one line, without ESC, CSI or line breaks', () => {
    printed = '';
    printer.log('http: refused GET /a\x1b[2J\n: Origin "http://x\x9b31m\r\nforged: line" is not allowed');
    expect(printed).toBe('  http: refused GET /a[2J : Origin "http://x31m  forged: line" is not allowed\n');
  });
});
