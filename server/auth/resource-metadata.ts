import type { IRouter, RequestHandler } from 'express';

// RFC 9728 protected-resource metadata: how an MCP client that got a 401 finds the
// authorization server. Two resources live on this server, one per transport: /mcp
// (Streamable HTTP) and /sse (the legacy HTTP+SSE transport, whose POST half is
// /messages). A client checks that the metadata's `resource` is the URL it connected to
// (RFC 9728 §3.3; the MCP SDK refuses "Protected resource …/mcp does not match …/sse"),
// so each transport has its own document. `resource` is computed per request from the
// current public URL rather than fixed at mount time.

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** Streamable HTTP: the resource most clients use, and the default one. */
export const MCP_RESOURCE_PATH = '/mcp';
/** The legacy HTTP+SSE transport: GET /sse opens the stream, POST /messages feeds it. */
export const SSE_RESOURCE_PATH = '/sse';
export const RESOURCE_PATHS = [MCP_RESOURCE_PATH, SSE_RESOURCE_PATH] as const;

/** The resource a request path belongs to: /messages is the POST half of the /sse transport. */
export function resourcePathOf(requestPath: string): string {
  return requestPath === SSE_RESOURCE_PATH || requestPath === '/messages'
    ? SSE_RESOURCE_PATH
    : MCP_RESOURCE_PATH;
}

export interface ProtectedResourceMetadataOptions {
  /** The public base URL, e.g. https://x.trycloudflare.com: the resources are its /mcp and /sse. */
  baseUrl: () => string;
  /** The issuer of the authorization server. */
  authorizationServer: () => string;
  scopes: string[];
}

/**
 * The metadata URL for a resource: RFC 9728 §3.1 inserts the well-known segment between
 * the host and the path, so https://h/mcp → https://h/.well-known/oauth-protected-resource/mcp.
 */
export function resourceMetadataUrl(resourceUrl: string): string {
  const url = new URL(resourceUrl);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${WELL_KNOWN}${path}`;
}

export function mountProtectedResourceMetadata(
  app: IRouter,
  options: ProtectedResourceMetadataOptions,
): void {
  const scopes = [...options.scopes];
  const serve =
    (resourcePath: string): RequestHandler =>
    (_req, res) => {
      // The public URL changes when the tunnel restarts; a cached copy would point clients at a dead host.
      res.set('Cache-Control', 'no-store');
      res.json({
        resource: `${options.baseUrl()}${resourcePath}`,
        authorization_servers: [options.authorizationServer()],
        scopes_supported: scopes,
        bearer_methods_supported: ['header'],
        resource_name: 'Porthole',
      });
    };
  // The bare path is what older MCP clients probe; they connect to /mcp.
  app.get([WELL_KNOWN, `${WELL_KNOWN}${MCP_RESOURCE_PATH}`], serve(MCP_RESOURCE_PATH));
  app.get(`${WELL_KNOWN}${SSE_RESOURCE_PATH}`, serve(SSE_RESOURCE_PATH));
}
