import type { IRouter } from 'express';

// RFC 9728 protected-resource metadata: how an MCP client that got a 401 from /mcp finds
// the authorization server. `resource` must be exactly the /mcp URL the client connected
// to, or the client refuses the metadata (RFC 9728 §3.3), so it is computed per request
// from the current public URL rather than fixed at mount time.

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

export interface ProtectedResourceMetadataOptions {
  /** The /mcp URL, e.g. https://x.trycloudflare.com/mcp. */
  resourceUrl: () => string;
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
  // Both paths answer: the path-suffixed one is what RFC 9728 clients derive from /mcp, the
  // bare one is what older MCP clients probe.
  app.get([WELL_KNOWN, `${WELL_KNOWN}/mcp`], (_req, res) => {
    // The public URL changes when the tunnel restarts; a cached copy would point clients at a dead host.
    res.set('Cache-Control', 'no-store');
    res.json({
      resource: options.resourceUrl(),
      authorization_servers: [options.authorizationServer()],
      scopes_supported: scopes,
      bearer_methods_supported: ['header'],
      resource_name: 'Porthole',
    });
  });
}
