import type { Request, RequestHandler } from 'express';

export interface RateLimit {
  /** Requests allowed in a burst. */
  burst: number;
  /** Sustained requests per minute. */
  perMinute: number;
}

/** Generous for one person's clients; stops a script registering or guessing in a loop. */
export const AUTH_RATE_LIMITS: Record<string, RateLimit> = {
  '/register': { burst: 20, perMinute: 30 },
  '/authorize': { burst: 30, perMinute: 60 },
  '/token': { burst: 60, perMinute: 120 },
  '/consent': { burst: 30, perMinute: 60 },
  // Each anonymous /view starts a GitHub sign-in; the owner opens a few documents at a time.
  '/view': { burst: 30, perMinute: 60 },
  '/view-session': { burst: 30, perMinute: 60 },
};

const MAX_KEYS = 10_000;

/**
 * Token buckets per route prefix and caller. Behind the tunnel every request comes from
 * cloudflared on 127.0.0.1, so the caller is Cloudflare's `CF-Connecting-IP` when the
 * request arrived through the tunnel, else the socket address.
 */
export function createRateLimiter(
  limits: Record<string, RateLimit>,
  options: { now?: () => number; log?: (line: string) => void } = {},
): RequestHandler {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const buckets = new Map<string, { tokens: number; at: number }>();
  const prefixes = Object.keys(limits);

  return (req, res, next) => {
    const prefix = prefixes.find((p) => req.path === p || req.path.startsWith(`${p}/`));
    if (!prefix) return next();
    const limit = limits[prefix] as RateLimit;
    const key = `${prefix} ${callerOf(req)}`;
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: limit.burst, at: t };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 60_000) * limit.perMinute);
    bucket.at = t;
    if (buckets.size >= MAX_KEYS && !buckets.has(key)) buckets.clear();
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    const retryAfter = Math.ceil(((1 - bucket.tokens) / limit.perMinute) * 60);
    log(`auth: 429 ${req.method} ${prefix} (rate limit)`);
    res
      .status(429)
      .set('Retry-After', String(retryAfter))
      .json({ error: 'rate_limited', error_description: `Too many requests; retry in ${retryAfter} s.` });
  };
}

/** The caller a limit or a quota is counted against (see createRateLimiter). */
export function callerOf(req: Request): string {
  const cf = req.headers['cf-connecting-ip'];
  return (typeof cf === 'string' && cf) || req.socket.remoteAddress || 'unknown';
}
