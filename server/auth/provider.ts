import type { IncomingMessage } from 'node:http';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { TokenLifetimes } from '../api.ts';
import type { AuthKeys } from './keys.ts';
import { messagePage } from './pages.ts';
import { createSafeFetch } from './safe-fetch.ts';
import type { SqliteAdapterFactory } from './sqlite-adapter.ts';

export const MCP_SCOPE = 'mcp';
/**
 * Claude and ChatGPT often never use their refresh token, so a short access token means
 * reconnecting by hand. A long one costs nothing: /mcp checks the grant on every request,
 * so revoking a client ends its access at once whatever the token's lifetime.
 */
export const DEFAULT_ACCESS_TOKEN_TTL_S = 7 * 24 * 3600;
export const DEFAULT_REFRESH_TOKEN_TTL_S = 30 * 24 * 3600;

const DEFAULT_LIFETIMES: TokenLifetimes = {
  accessTokenSeconds: DEFAULT_ACCESS_TOKEN_TTL_S,
  refreshTokenSeconds: DEFAULT_REFRESH_TOKEN_TTL_S,
};

export interface ProviderOptions {
  issuer: string;
  /** Exactly the /mcp URL: the default resource, and the `aud` of its tokens. */
  resourceUrl: string;
  /** Other URLs a client may ask tokens for (`resource`), e.g. `${issuer}/sse`; each token names exactly one. */
  otherResourceUrls?: string[];
  adapter: SqliteAdapterFactory;
  keys: AuthKeys;
  /** Read each time a token is issued, so a settings change applies to the next token. */
  tokenLifetimes?: () => TokenLifetimes;
  /**
   * Client ID Metadata Documents and their JWKS are fetched with createSafeFetch (https
   * only, public addresses only, size and time limits). Tests pass one that trusts their
   * local https server instead; production never does.
   */
  clientMetadataFetch?: typeof fetch;
}

/** ChatGPT, Claude and the local tools send these; anything else must be https, or http on loopback. */
export function redirectUriAllowed(uri: string): boolean {
  const url = URL.parse(uri);
  if (!url || url.hash || url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** MCP clients use the authorization code flow with refresh tokens; nothing else is registered. */
const ALLOWED_GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);

/** Paths oidc-provider answers; everything else stays with our own routes. */
export const PROVIDER_PATHS = [
  '/authorize',
  '/token',
  '/register',
  '/revoke',
  '/jwks',
  '/me',
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
];

export function isProviderPath(path: string): boolean {
  return PROVIDER_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Makes the provider see the request as addressed to the issuer. oidc-provider builds
 * discovery metadata and `registration_client_uri` from the request's host and scheme, and
 * with `proxy` on it reads them from X-Forwarded-Host/-Proto, which any caller can send.
 * The listener's Host check has already admitted the request, so the issuer's own origin
 * replaces whatever the request named (an absolute request target included).
 */
export function addressToIssuer(req: IncomingMessage & { originalUrl?: string }, issuer: string): void {
  const origin = new URL(issuer);
  req.headers['x-forwarded-host'] = origin.host;
  req.headers['x-forwarded-proto'] = origin.protocol.slice(0, -1);
  for (const key of ['url', 'originalUrl'] as const) {
    const target = req[key];
    if (target && !target.startsWith('/')) {
      const parsed = URL.parse(target);
      req[key] = parsed ? `${parsed.pathname}${parsed.search}` : '/';
    }
  }
}

/**
 * The authorization server: oidc-provider configured for MCP clients. Public clients
 * (DCR) with PKCE S256, `resource` bound into the grant, JWT access tokens for the /mcp
 * URL only, rotating refresh tokens. The person behind every grant is the owner; the
 * interaction routes (interactions.ts) make sure of that before any grant exists.
 */
export function createProvider(options: ProviderOptions): Provider {
  const { resourceUrl } = options;
  const resourceUrls = new Set([resourceUrl, ...(options.otherResourceUrls ?? [])]);
  const lifetimes = options.tokenLifetimes ?? (() => DEFAULT_LIFETIMES);
  // A grant outlives every token issued from it; refreshing pushes it out again (below).
  const grantSeconds = () => {
    const { accessTokenSeconds, refreshTokenSeconds } = lifetimes();
    return Math.max(accessTokenSeconds, refreshTokenSeconds);
  };
  const provider = new Provider(options.issuer, {
    adapter: options.adapter.Adapter,
    jwks: options.keys.jwks,
    cookies: {
      keys: options.keys.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    clientDefaults: {
      id_token_signed_response_alg: 'ES256',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    // Only the code flow is served (and advertised); implicit and hybrid clients cannot register.
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access', MCP_SCOPE],
    // A client that sends no scope (or none of ours) means the one thing Porthole offers: `mcp`.
    // Without this, the request goes through consent and GitHub and only then fails with
    // access_denied ("no scope was granted"). oidc-provider runs extraParams validators after
    // its own scope checks, on every authorization request, and documents them as the place to
    // assign defaults; a client whose registered `scope` leaves out `mcp` is left as it asked.
    extraParams: {
      scope: (ctx) => {
        const { params, client } = ctx.oidc;
        if (!params) return;
        const requested = typeof params.scope === 'string' ? params.scope.split(' ').filter(Boolean) : [];
        if (requested.includes(MCP_SCOPE)) return;
        if (client?.scope !== undefined && !client.scope.split(' ').includes(MCP_SCOPE)) return;
        params.scope = [...requested, MCP_SCOPE].join(' ');
      },
    },
    pkce: { required: () => true },
    // Checked for registered (DCR) and CIMD clients alike.
    extraClientMetadata: {
      properties: ['redirect_uris', 'grant_types', 'response_types'],
      validator: (_ctx, key, value) => validateClientMetadata(key, value),
    },
    fetch: options.clientMetadataFetch ?? createSafeFetch(),
    features: {
      devInteractions: { enabled: false },
      // Not served: /mcp checks bearer tokens only, so a DPoP-bound token would be no safer
      // than a bearer one while claiming to be. A DPoP header at /token is ignored.
      dPoP: { enabled: false },
      // Not served: clients send the authorization request itself.
      pushedAuthorizationRequests: { enabled: false },
      // Porthole has no sign-out for clients to drive, and a registered post_logout_redirect_uri
      // would be an open redirect on the issuer's host.
      rpInitiatedLogout: { enabled: false },
      registration: { enabled: true },
      clientIdMetadataDocument: { enabled: true, ack: 'draft-02' },
      revocation: {
        enabled: true,
        // A client may revoke only its own tokens; a public client asking about another's is ignored.
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resourceUrl,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (!resourceUrls.has(resource))
            throw new errors.InvalidTarget(
              `this server only issues tokens for ${[...resourceUrls].join(' or ')}`,
            );
          return {
            scope: MCP_SCOPE,
            // Exactly the resource asked for: a token for /sse is not a token for /mcp.
            audience: resource,
            accessTokenTTL: lifetimes().accessTokenSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    // The grant id rides in the token so a revoked grant is refused at /mcp without a lookup per token.
    extraTokenClaims: (_ctx, token) => ({ gid: (token as { grantId?: string }).grantId }),
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = messagePage(
        'This request cannot be completed',
        `${out.error_description ?? out.error ?? 'The request was invalid.'} Start the connection again from your app.`,
      );
    },
    interactions: { url: (_ctx, interaction) => `/consent/${interaction.uid}` },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // By default tokens of a request without offline_access die with the browser session at
    // the consent page (14 days); a connection lasts as long as its grant instead.
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: () => lifetimes().accessTokenSeconds,
      AuthorizationCode: 60,
      // A number (not the library's default, which keeps a public client's rotated token at the
      // remaining lifetime of the first): every rotation starts a fresh lifetime.
      RefreshToken: () => lifetimes().refreshTokenSeconds,
      Grant: grantSeconds,
      Session: 14 * 24 * 3600,
      Interaction: 600,
      IdToken: 3600,
      ClientCredentials: 600,
    },
    routes: {
      authorization: '/authorize',
      token: '/token',
      registration: '/register',
      revocation: '/revoke',
      jwks: '/jwks',
      userinfo: '/me',
    },
  });
  // Behind the tunnel the public scheme and host come from X-Forwarded-* headers, which
  // addressToIssuer sets to the issuer's before the provider sees the request.
  provider.proxy = true;
  provider.use(async (ctx, next) => {
    await next();
    try {
      await extendGrant(provider, ctx as KoaContextWithOIDC, grantSeconds());
    } catch (error) {
      // The tokens are already issued; the grant keeps its old expiry. Logged, not a 500.
      provider.emit('server_error', ctx, error);
    }
  });
  return provider;
}

/**
 * oidc-provider never re-saves a grant, so it would expire a fixed time after consent and
 * take a client that refreshes faithfully down with it. Each token issued pushes the grant's
 * expiry out to a full lifetime from now. The grant is read again first: one revoked while
 * the token request ran stays revoked.
 */
async function extendGrant(provider: Provider, ctx: KoaContextWithOIDC, seconds: number): Promise<void> {
  if (ctx.status !== 200 || ctx.oidc?.route !== 'token') return;
  const grantId = ctx.oidc.entities.Grant?.jti;
  const grant = grantId ? await provider.Grant.find(grantId) : undefined;
  if (!grant) return;
  const exp = Math.floor(Date.now() / 1000) + seconds;
  if ((grant.exp ?? 0) >= exp) return;
  grant.exp = exp;
  await grant.save();
}

function validateClientMetadata(key: string, value: unknown): void {
  if (key === 'redirect_uris' && Array.isArray(value)) {
    const bad = value.find((uri) => typeof uri !== 'string' || !redirectUriAllowed(uri));
    if (bad !== undefined)
      throw new errors.InvalidRedirectUri(
        `redirect_uris must be https, or http on a loopback address (got ${String(bad).slice(0, 200)})`,
      );
  }
  if (key === 'grant_types' && Array.isArray(value)) {
    const bad = value.find((type) => !ALLOWED_GRANT_TYPES.has(type));
    if (bad !== undefined)
      throw new errors.InvalidClientMetadata(
        `grant_types may only be authorization_code and refresh_token (got ${String(bad).slice(0, 100)})`,
      );
  }
  if (key === 'response_types' && Array.isArray(value)) {
    if (value.length !== 1 || value[0] !== 'code')
      throw new errors.InvalidClientMetadata(
        `response_types must be ["code"] (got ${JSON.stringify(value).slice(0, 100)})`,
      );
  }
}
