import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SecretStore } from '../secrets.ts';

// The authorization server's signing keys (ES256, for JWT access tokens and ID tokens) and the keys
// that sign its cookies. Both are made on first run and kept only in the keychain. Rotation puts a
// new key first (oidc-provider signs with the first key of an algorithm and cookies with the first
// cookie key) and keeps the previous one so what it signed still verifies until it expires.

export const SIGNING_KEYS_SECRET = 'auth.signing-keys';
export const COOKIE_KEYS_SECRET = 'auth.cookie-keys';

/**
 * Current key plus the previous one. Signed things (JWT access tokens, 1 h) outlive one rotation;
 * refresh tokens are opaque rows in auth.sqlite and need no key.
 */
const KEEP = 2;

export interface AuthKeys {
  /** Private JWKS for oidc-provider's `jwks` option; the current key first. */
  jwks: { keys: JWK[] };
  /** For oidc-provider's `cookies.keys`; the current key first. */
  cookieKeys: string[];
}

export async function loadOrCreateKeys(store: SecretStore): Promise<AuthKeys> {
  let keys = parseSigningKeys(await store.get(SIGNING_KEYS_SECRET));
  if (keys === null) {
    keys = [await newSigningKey()];
    await store.set(SIGNING_KEYS_SECRET, JSON.stringify(keys));
  }
  let cookieKeys = parseCookieKeys(await store.get(COOKIE_KEYS_SECRET));
  if (cookieKeys === null) {
    cookieKeys = [newCookieKey()];
    await store.set(COOKIE_KEYS_SECRET, JSON.stringify(cookieKeys));
  }
  return { jwks: { keys }, cookieKeys };
}

/** Makes new current keys, keeps the previous current ones for verification, drops older ones. */
export async function rotateKeys(store: SecretStore): Promise<AuthKeys> {
  const current = await loadOrCreateKeys(store);
  const keys = [await newSigningKey(), ...current.jwks.keys].slice(0, KEEP);
  const cookieKeys = [newCookieKey(), ...current.cookieKeys].slice(0, KEEP);
  await store.set(SIGNING_KEYS_SECRET, JSON.stringify(keys));
  await store.set(COOKIE_KEYS_SECRET, JSON.stringify(cookieKeys));
  return { jwks: { keys }, cookieKeys };
}

/** The same keys without their private parts, safe to publish. */
export function publicJwks(jwks: { keys: JWK[] }): { keys: JWK[] } {
  return {
    keys: jwks.keys.map(({ kty, crv, x, y, n, e, kid, alg, use }) =>
      Object.fromEntries(
        Object.entries({ kty, crv, x, y, n, e, kid, alg, use }).filter(([, v]) => v !== undefined),
      ),
    ),
  };
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  // The thumbprint is a stable, unique kid that reveals nothing about the private part.
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: 'ES256', use: 'sig' };
}

function newCookieKey(): string {
  return randomBytes(32).toString('base64url');
}

// A stored value we cannot use is replaced with fresh keys (everyone signs in again) rather than
// stopping the app: there is nothing the person could repair in it. The value is never logged.
function parseSigningKeys(raw: string | null): JWK[] | null {
  const parsed = parseJsonArray(raw);
  if (parsed === null) return null;
  const ok = parsed.every(
    (k): k is JWK =>
      typeof k === 'object' &&
      k !== null &&
      (k as JWK).kty === 'EC' &&
      (k as JWK).crv === 'P-256' &&
      typeof (k as JWK).d === 'string' &&
      typeof (k as JWK).kid === 'string',
  );
  return ok ? (parsed as JWK[]) : null;
}

function parseCookieKeys(raw: string | null): string[] | null {
  const parsed = parseJsonArray(raw);
  if (parsed === null) return null;
  return parsed.every((k) => typeof k === 'string' && k.length >= 32) ? (parsed as string[]) : null;
}

function parseJsonArray(raw: string | null): unknown[] | null {
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.length > 0 ? parsed : null;
  } catch {
    return null;
  }
}
