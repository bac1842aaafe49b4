import { CompactSign, compactVerify, createLocalJWKSet, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../secrets.ts';
import { COOKIE_KEYS_SECRET, loadOrCreateKeys, publicJwks, rotateKeys, SIGNING_KEYS_SECRET } from './keys.ts';

async function sign(jwk: JWK, text: string): Promise<string> {
  return new CompactSign(new TextEncoder().encode(text))
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
    .sign(await importJWK(jwk, 'ES256'));
}

describe('auth keys', () => {
  it('are created once, kept in the secret store, and stable across loads', async () => {
    const store = new MemorySecretStore();
    const first = await loadOrCreateKeys(store);
    expect(first.jwks.keys).toHaveLength(1);
    const [key] = first.jwks.keys;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(typeof key?.kid).toBe('string');
    expect(typeof key?.d).toBe('string');
    expect(first.cookieKeys).toHaveLength(1);
    expect(Buffer.from(first.cookieKeys[0] ?? '', 'base64url')).toHaveLength(32);
    expect(JSON.parse((await store.get(SIGNING_KEYS_SECRET)) ?? '')).toEqual(first.jwks.keys);
    expect(JSON.parse((await store.get(COOKIE_KEYS_SECRET)) ?? '')).toEqual(first.cookieKeys);
    expect(await loadOrCreateKeys(store)).toEqual(first);
  });

  it('rotation puts a new key first and keeps only the previous one', async () => {
    const store = new MemorySecretStore();
    const a = await loadOrCreateKeys(store);
    const b = await rotateKeys(store);
    expect(b.jwks.keys).toHaveLength(2);
    expect(b.jwks.keys[1]).toEqual(a.jwks.keys[0]);
    expect(b.jwks.keys[0]?.kid).not.toBe(a.jwks.keys[0]?.kid);
    expect(b.cookieKeys[1]).toBe(a.cookieKeys[0]);
    const c = await rotateKeys(store);
    expect(c.jwks.keys.map((k) => k.kid)).toEqual([c.jwks.keys[0]?.kid, b.jwks.keys[0]?.kid]);
    expect(c.cookieKeys).toEqual([c.cookieKeys[0], b.cookieKeys[0]]);
    expect(await loadOrCreateKeys(store)).toEqual(c);
  });

  it('replaces an unusable stored value instead of failing', async () => {
    const store = new MemorySecretStore();
    await store.set(SIGNING_KEYS_SECRET, 'not json');
    await store.set(COOKIE_KEYS_SECRET, JSON.stringify([1]));
    const keys = await loadOrCreateKeys(store);
    expect(keys.jwks.keys).toHaveLength(1);
    expect(keys.cookieKeys).toHaveLength(1);
  });

  it('sign with the private key and verify with the public JWKS, which has no private parts', async () => {
    const store = new MemorySecretStore();
    await loadOrCreateKeys(store);
    const { jwks } = await rotateKeys(store);
    const pub = publicJwks(jwks);
    for (const k of pub.keys) {
      expect(k).not.toHaveProperty('d');
      expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    }
    const verifyWith = createLocalJWKSet(pub);
    for (const k of jwks.keys) {
      const jws = await sign(k, 'hello');
      const { payload } = await compactVerify(jws, verifyWith);
      expect(new TextDecoder().decode(payload)).toBe('hello');
    }
  });
});
