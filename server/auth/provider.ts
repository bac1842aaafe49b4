import Provider, { errors } from 'oidc-provider';
import type { AuthKeys } from './keys.ts';
import { messagePage } from './pages.ts';
import { createSafeFetch } from './safe-fetch.ts';
import type { SqliteAdapterFactory } from './sqlite-adapter.ts';

export const MCP_SCOPE = 'mcp';
export const ACCESS_TOKEN_TTL_S = 3600;
export const REFRESH_TOKEN_TTL_S = 30 * 24 * 3600;

export interface ProviderOptions {
  issuer: string;
  /** Exactly the /mcp URL: the only resource tokens are issued for (their `aud`). */
  resourceUrl: string;
  adapter: SqliteAdapterFactory;
  keys: AuthKeys;
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

/** Paths oidc-provider answers; everything else stays with our own routes. */
export const PROVIDER_PATHS = [
  '/authorize',
  '/token',
  '/register',
  '/revoke',
  '/jwks',
  '/me',
  '/session/end',
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
];

/**
 * The authorization server: oidc-provider configured for MCP clients. Public clients
 * (DCR) with PKCE S256, `resource` bound into the grant, JWT access tokens for the /mcp
 * URL only, rotating refresh tokens. The person behind every grant is the owner; the
 * interaction routes (interactions.ts) make sure of that before any grant exists.
 */
export function createProvider(options: ProviderOptions): Provider {
  const { resourceUrl } = options;
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
    scopes: ['openid', 'offline_access', MCP_SCOPE],
    pkce: { required: () => true },
    // Checked for registered (DCR) and CIMD clients alike.
    extraClientMetadata: {
      properties: ['redirect_uris'],
      validator: (_ctx, key, value) => {
        if (key !== 'redirect_uris' || !Array.isArray(value)) return;
        const bad = value.find((uri) => typeof uri !== 'string' || !redirectUriAllowed(uri));
        if (bad !== undefined)
          throw new errors.InvalidRedirectUri(
            `redirect_uris must be https, or http on a loopback address (got ${String(bad).slice(0, 200)})`,
          );
      },
    },
    fetch: options.clientMetadataFetch ?? createSafeFetch(),
    features: {
      devInteractions: { enabled: false },
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
          if (resource !== resourceUrl)
            throw new errors.InvalidTarget(`this server only issues tokens for ${resourceUrl}`);
          return {
            scope: MCP_SCOPE,
            audience: resourceUrl,
            accessTokenTTL: ACCESS_TOKEN_TTL_S,
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
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_S,
      AuthorizationCode: 60,
      RefreshToken: REFRESH_TOKEN_TTL_S,
      Grant: REFRESH_TOKEN_TTL_S,
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
      end_session: '/session/end',
    },
  });
  // Behind the tunnel the public scheme and host come from X-Forwarded-* headers.
  provider.proxy = true;
  return provider;
}
