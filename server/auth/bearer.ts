import type { Request, RequestHandler, Response } from 'express';
import { createLocalJWKSet, type JWK, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Principal } from '../mcp/activity.ts';
import { resourceMetadataUrl } from './resource-metadata.ts';

// The gate in front of /mcp, /sse and /messages: only a JWT access token that our own
// authorization server issued for one of this server's resource URLs (/mcp or /sse), to
// the current owner, gets through. Verification is local (no network): the public keys
// come from our own key store.

/** The parts of a verified access token that the revocation check may need. */
export interface VerifiedAccessToken {
  clientId: string;
  subject: string;
  /** The token's own id (oidc-provider sets it on every access token). */
  jti: string | undefined;
  /**
   * oidc-provider does not put the grant id in JWT access tokens; the authorization server
   * can add it as a `gid` claim through `extraTokenClaims` and it shows up here.
   */
  grantId: string | undefined;
  /** Seconds since the epoch, when present. */
  issuedAt: number | undefined;
  expiresAt: number;
  scopes: string[];
}

export interface BearerAuthOptions {
  /**
   * The resource a request is for, e.g. https://x.trycloudflare.com/mcp for /mcp and …/sse for
   * /sse and /messages: the 401 challenge points at that resource's metadata, because a client
   * only accepts metadata whose `resource` is the URL it connected to.
   */
  resourceUrl: (req: Request) => string;
  /**
   * Every audience accepted, whatever the request's resource: exactly this server's resource
   * URLs (/mcp and /sse). Tokens for another URL (an old tunnel, another server) are refused.
   * Without it, only the request's own resource.
   */
  audiences?: () => string[];
  issuer: () => string;
  /** Public signing keys, current first; any of them verifies (the previous key stays during rotation). */
  jwks: () => { keys: JWK[] };
  /** The owner's GitHub numeric id; null (no owner yet) refuses every token. */
  ownerId: () => number | null;
  requiredScope: string;
  /** True when the token's grant (or client, or the token itself) was revoked. Throwing refuses the request. */
  isGrantRevoked: (token: VerifiedAccessToken) => boolean | Promise<boolean>;
  clientName?: (clientId: string) => string | null;
  ownerLogin?: () => string | null;
  log?: (line: string) => void;
}

interface Refusal {
  status: 400 | 401 | 403 | 503;
  /** RFC 6750 §3.1 error code; absent when the request carried no token at all. */
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';
  description: string;
  /** For the log only: why it happened on our side. */
  cause?: string;
}

// RFC 6750 §2.1 b64token; anything else in the credentials is malformed.
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
// Clock skew between the signer and us is nil (same process), so keep the tolerance small.
const CLOCK_TOLERANCE_S = 5;

export function createBearerAuth(options: BearerAuthOptions): RequestHandler {
  const log = options.log ?? (() => {});
  const keys = localKeySet(options.jwks);

  const refuse = (req: Request, res: Response, refusal: Refusal) => {
    log(
      `auth: refused ${req.method} ${req.path}: ${refusal.status} ${refusal.error ?? 'no token'}: ${refusal.description}${refusal.cause ? ` (${refusal.cause})` : ''}`,
    );
    // A 503 is our failure, not the client's: no challenge, so it does not start a new sign-in.
    if (refusal.status !== 503)
      res.set('WWW-Authenticate', challenge(options.resourceUrl(req), options.requiredScope, refusal));
    res
      .status(refusal.status)
      .json({ error: refusal.error ?? 'unauthorized', error_description: refusal.description });
  };

  return async (req, res, next) => {
    // Tokens in URLs end up in logs and browser history (RFC 6750 §5.3); we only take the header.
    if (queryHasToken(req.originalUrl)) {
      return refuse(req, res, {
        status: 400,
        error: 'invalid_request',
        description: 'Send the access token in the Authorization header, not in the URL.',
      });
    }
    const header = req.headers.authorization?.trim() ?? '';
    // No credentials, another scheme, or an empty Bearer: the client has not authorized yet.
    if (!/^bearer\b/i.test(header) || /^bearer *$/i.test(header)) {
      return refuse(req, res, {
        status: 401,
        description: 'An access token is required: connect with OAuth.',
      });
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      return refuse(req, res, {
        status: 400,
        error: 'invalid_request',
        description: 'The Authorization header must be exactly "Bearer <token>".',
      });
    }

    const audiences = options.audiences?.() ?? [options.resourceUrl(req)];
    const verified = await verify(token, audiences, options, keys);
    if ('description' in verified) return refuse(req, res, verified);

    let revoked: boolean;
    try {
      revoked = await options.isGrantRevoked(verified);
    } catch (error) {
      // Fail closed: a token we cannot check is not accepted.
      return refuse(req, res, {
        status: 503,
        error: 'temporarily_unavailable',
        description: 'Could not check the access token. Try again shortly.',
        cause: `revocation check failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    if (revoked) {
      return refuse(req, res, {
        status: 401,
        error: 'invalid_token',
        description: 'The access was revoked.',
      });
    }
    // Checked after validity: a revoked or foreign token is a 401 whatever its scope.
    if (!verified.scopes.includes(options.requiredScope)) {
      return refuse(req, res, {
        status: 403,
        error: 'insufficient_scope',
        description: `The access token lacks the "${options.requiredScope}" scope.`,
      });
    }

    const principal: Principal = {
      clientId: verified.clientId,
      clientName: options.clientName?.(verified.clientId) ?? null,
      login: options.ownerLogin?.() ?? null,
      subject: verified.subject,
      grantId: verified.grantId ?? null,
    };
    res.locals.principal = principal;
    next();
  };
}

/** Parsed by hand: `new URL` throws on some request targets, and a throw here would be a 500. */
function queryHasToken(target: string): boolean {
  const q = target.indexOf('?');
  return q !== -1 && new URLSearchParams(target.slice(q + 1)).has('access_token');
}

/** RFC 6750 §3 challenge; RFC 9728 §5.1 adds resource_metadata so the client can find the authorization server. */
function challenge(resourceUrl: string, scope: string, refusal: Refusal): string {
  const params = [`resource_metadata="${resourceMetadataUrl(resourceUrl)}"`, `scope="${quotable(scope)}"`];
  if (refusal.error) {
    params.push(`error="${refusal.error}"`, `error_description="${quotable(refusal.description)}"`);
  }
  return `Bearer ${params.join(', ')}`;
}

/** RFC 6750 allows neither `"` nor a backslash (nor control characters) inside these quoted strings. */
function quotable(text: string): string {
  return text.replaceAll('"', "'").replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '');
}

async function verify(
  token: string,
  audiences: string[],
  options: BearerAuthOptions,
  keys: () => JWTVerifyGetKey,
): Promise<VerifiedAccessToken | Refusal> {
  const invalid = (description: string): Refusal => ({ status: 401, error: 'invalid_token', description });
  const owner = options.ownerId();
  if (owner === null) return invalid('This Porthole has no owner yet: sign in with GitHub in the app first.');
  // /mcp and /sse accept each other's tokens: they are two transports of the same server,
  // serving the same tools over the same folders to the same owner, so a token for one
  // grants nothing the other does not; a client that signed in for one keeps working on the
  // other without a new sign-in.
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys(), {
      // ES256 only: rules out `alg: none` and HS256 signed with our public key as the secret.
      algorithms: ['ES256'],
      // RFC 9068: an ID token signed by the same key is not an access token.
      typ: 'at+jwt',
      issuer: options.issuer(),
      audience: audiences,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'sub', 'client_id'],
    }));
  } catch (error) {
    return invalid(describeJoseError(error));
  }

  // jose accepts an audience array that merely contains one of ours; a token also meant for
  // someone else's resource is not ours alone.
  const aud = payload.aud;
  const ours = (a: unknown) => typeof a === 'string' && audiences.includes(a);
  if (!(ours(aud) || (Array.isArray(aud) && aud.length > 0 && aud.every(ours)))) {
    return invalid('The access token is for another resource.');
  }
  if (payload.sub !== String(owner)) return invalid('The access token belongs to another account.');
  const clientId = payload.client_id;
  if (typeof clientId !== 'string' || clientId === '') return invalid('The access token names no client.');
  if (typeof payload.exp !== 'number') return invalid('The access token has no expiry.');

  return {
    clientId,
    subject: payload.sub,
    jti: typeof payload.jti === 'string' ? payload.jti : undefined,
    grantId: typeof payload.gid === 'string' ? payload.gid : undefined,
    issuedAt: typeof payload.iat === 'number' ? payload.iat : undefined,
    expiresAt: payload.exp,
    scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
  };
}

/** Our words for jose's errors: they go to the client and the log, so never the token or its claims. */
function describeJoseError(error: unknown): string {
  const { code, claim } = (error ?? {}) as { code?: string; claim?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'The access token has expired.';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'aud') return 'The access token is for another resource.';
      if (claim === 'iss') return 'The access token was issued by another authorization server.';
      if (claim === 'typ') return 'This is not an access token.';
      return `The access token's "${claim ?? 'unknown'}" claim is not valid.`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'The access token is not signed with ES256.';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'The access token is not signed by this server.';
    default:
      return 'The access token is malformed.';
  }
}

/**
 * A key set rebuilt only when the keys change (rotation), holding public P-256 members only:
 * a private `d` or a symmetric key that slipped into the list must never be used to verify.
 */
function localKeySet(jwks: () => { keys: JWK[] }): () => JWTVerifyGetKey {
  let cachedFor = '';
  let cached: JWTVerifyGetKey = createLocalJWKSet({ keys: [] });
  return () => {
    const keys = jwks()
      .keys.filter((k) => k.kty === 'EC' && k.crv === 'P-256')
      .map(({ kty, crv, x, y, kid, use, alg }) => ({ kty, crv, x, y, kid, use, alg }));
    const fingerprint = JSON.stringify(keys);
    if (fingerprint !== cachedFor) {
      cached = createLocalJWKSet({ keys });
      cachedFor = fingerprint;
    }
    return cached;
  };
}
