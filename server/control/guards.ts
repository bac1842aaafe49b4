import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { clip, sendError } from './errors.ts';

/** The pages of the dashboard may load only from this listener; nothing may frame them. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: https://avatars.githubusercontent.com",
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

/**
 * DNS rebinding: a foreign page that makes its own host name resolve to 127.0.0.1 still sends its
 * own name in Host. Cross-site requests carry a foreign Origin. Both are refused before anything else.
 */
export function loopbackOnly(port: () => number, log: (line: string) => void): RequestHandler {
  return (req, res, next) => {
    const hosts = new Set([`127.0.0.1:${port()}`, `localhost:${port()}`]);
    const host = (req.headers.host ?? '').toLowerCase();
    if (!hosts.has(host)) {
      log(`control: refused ${req.method} ${clip(req.path)}: Host "${clip(host)}" is not allowed`);
      sendError(res, 403, 'This Host is not allowed: open the dashboard at http://127.0.0.1.');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !new Set([...hosts].map((h) => `http://${h}`)).has(origin.toLowerCase())) {
      log(`control: refused ${req.method} ${clip(req.path)}: Origin "${clip(origin)}" is not allowed`);
      sendError(res, 403, 'This Origin is not allowed.');
      return;
    }
    next();
  };
}

/** Requires `Authorization: Bearer <token>`; the token itself never reaches a log line. */
export function bearerToken(token: string, log: (line: string) => void): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer +(\S+) *$/i.exec(header);
    // Comparing digests keeps the comparison constant-time even when the lengths differ.
    if (match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected)) {
      next();
      return;
    }
    log(
      `control: refused ${req.method} ${clip(req.path)}: ${header ? 'wrong token' : 'no Authorization header'}`,
    );
    res.setHeader('WWW-Authenticate', 'Bearer realm="porthole-control"');
    sendError(
      res,
      401,
      header
        ? 'The control token is wrong: open the dashboard link printed by `porthole serve` again.'
        : 'Missing Authorization: Bearer <token>.',
    );
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
