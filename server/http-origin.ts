import type { Request, RequestHandler, Response } from 'express';

// Who may call the public listener from a web page. The Host check stops DNS rebinding; the
// Origin check stops a page on another site from using the browser of someone on this
// computer. Two kinds of path are open to pages on other origins, because in-browser MCP
// clients (MCP Inspector at http://localhost:6274, web apps) need them, and neither relies on
// anything a browser sends by itself (cookies are never allowed cross-origin):
// - the OAuth endpoints a client calls before it has a token: public by design;
// - /mcp, /sse, /messages when the request carries an Authorization header: the bearer check
//   in the routes decides, and a page can only have a token the owner approved for it.

const MCP_PATHS = new Set(['/mcp', '/sse', '/messages']);
const OAUTH_PATHS = new Set([
  '/.well-known/oauth-authorization-server',
  '/.well-known/openid-configuration',
  '/register',
  '/token',
  '/revoke',
  '/jwks',
]);
/** RFC 9728 metadata: the bare path and the path-suffixed ones (`…/mcp`). */
const PROTECTED_RESOURCE_METADATA = '/.well-known/oauth-protected-resource';

const ALLOWED_METHODS = 'GET, POST, DELETE';
// ngrok-skip-browser-warning: a browser-based MCP client sends it to skip ngrok's free-plan
// interstitial on a fetch (https://ngrok.com/docs/pricing-limits/free-plan-limits/); server/tunnel/ngrok.ts.
const ALLOWED_HEADERS =
  'Authorization, Content-Type, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID, ngrok-skip-browser-warning';
const EXPOSED_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version';
/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_S = '600';

export interface OriginPolicy {
  /** Host header values (host:port, lower case) allowed right now. */
  allowedHosts: () => ReadonlySet<string>;
  /**
   * True when /mcp, /sse and /messages check bearer tokens (the authorization server runs).
   * Only then may a page on another origin call them with an Authorization header: without
   * the check, any page could.
   */
  bearerRequired: () => boolean;
  log: (line: string) => void;
}

type CorsKind = 'oauth' | 'mcp' | null;

function corsKind(path: string): CorsKind {
  if (MCP_PATHS.has(path)) return 'mcp';
  if (OAUTH_PATHS.has(path)) return 'oauth';
  if (path === PROTECTED_RESOURCE_METADATA || path.startsWith(`${PROTECTED_RESOURCE_METADATA}/`))
    return 'oauth';
  return null;
}

export function hostAndOriginCheck(policy: OriginPolicy): RequestHandler {
  return (req, res, next) => {
    const allowed = policy.allowedHosts();
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowed.has(host)) {
      policy.log(`http: refused ${req.method} ${clip(req.path)}: Host "${clip(host)}" is not allowed`);
      res.status(403).json({ error: 'forbidden', message: 'This Host is not allowed.' });
      return;
    }
    const kind = corsKind(req.path);
    if (kind) res.vary('Origin');
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    const crossOriginAllowed =
      kind === 'oauth' ||
      (kind === 'mcp' && policy.bearerRequired() && (isPreflight(req) || hasAuthorization(req)));
    if (!crossOriginAllowed && !originAllowed(origin, allowed)) {
      policy.log(`http: refused ${req.method} ${clip(req.path)}: Origin "${clip(origin)}" is not allowed`);
      res.status(403).json({ error: 'forbidden', message: 'This Origin is not allowed.' });
      return;
    }
    if (!kind) return next();
    // Set before the routes run, so oidc-provider sees them and adds no CORS headers of its own.
    allowCors(res, origin);
    if (isPreflight(req)) {
      res
        .status(204)
        .set({
          'Access-Control-Allow-Methods': ALLOWED_METHODS,
          'Access-Control-Allow-Headers': ALLOWED_HEADERS,
          'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_S,
        })
        .end();
      return;
    }
    next();
  };
}

/** No Access-Control-Allow-Credentials, ever: a browser then sends no cookies and reads no answer to one. */
function allowCors(res: Response, origin: string): void {
  res.set({
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
  });
}

function isPreflight(req: Request): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

function hasAuthorization(req: Request): boolean {
  return (req.headers.authorization ?? '') !== '';
}

function originAllowed(origin: string, allowedHosts: ReadonlySet<string>): boolean {
  const url = URL.parse(origin);
  return (
    url !== null &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    allowedHosts.has(url.host.toLowerCase())
  );
}

/** Header values and paths come from whoever connected: cap them before they reach a log line. */
function clip(value: string, max = 100): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
