import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 S256: a 43-character verifier and its challenge. */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** An unguessable value for the OAuth `state` parameter. */
export function randomState(): string {
  return randomBytes(24).toString('base64url');
}
