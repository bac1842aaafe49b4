import type { Request, RequestHandler } from 'express';
import { MemoryStore, rateLimit } from 'express-rate-limit';

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

/**
 * The window a burst + rate limit becomes in express-rate-limit, which counts fixed windows,
 * not token buckets: `burst` requests per window of `burst / perMinute` minutes. The sustained
 * rate is the same (perMinute) and so is a burst from rest (burst); only a burst straddling a
 * window's end can reach twice the burst, which still stops a script looping.
 */
export function fixedWindowOf(limit: RateLimit): { windowMs: number; limit: number } {
  return { windowMs: Math.round((limit.burst / limit.perMinute) * 60_000), limit: limit.burst };
}

/**
 * One limiter per route prefix, each counting every caller separately. Behind the tunnel every
 * request comes from cloudflared on 127.0.0.1, so the caller is Cloudflare's `CF-Connecting-IP`
 * when the request arrived through the tunnel, else the socket address (callerOf).
 */
export function createRateLimiter(
  limits: Record<string, RateLimit>,
  options: { log?: (line: string) => void } = {},
): RateLimiter {
  const log = options.log ?? (() => {});
  // A misconfiguration it detects goes to our log, not to the console.
  const report = (error: unknown, context?: string) =>
    log(
      `auth: rate limiter: ${context ? `${context} ` : ''}${error instanceof Error ? error.message : String(error)}`,
    );
  const limiters = new Map<string, RequestHandler>();
  // Ours, so close() can stop their clean-up timers (a store never stopped is never freed).
  const stores: MemoryStore[] = [];
  for (const [prefix, limit] of Object.entries(limits)) {
    const store = new MemoryStore();
    stores.push(store);
    limiters.set(
      prefix,
      rateLimit({
        ...fixedWindowOf(limit),
        store,
        keyGenerator: (req) => callerOf(req),
        // No RateLimit-* / X-RateLimit-* headers on every answer: only a refusal says when to retry.
        standardHeaders: false,
        legacyHeaders: false,
        handler: (req, res) => {
          const retryAfter = secondsUntil((req as RateLimitedRequest).rateLimit?.resetTime);
          log(`auth: 429 ${req.method} ${prefix} (rate limit)`);
          res
            .status(429)
            .set('Retry-After', String(retryAfter))
            .json({
              error: 'rate_limited',
              error_description: `Too many requests; retry in ${retryAfter} s.`,
            });
        },
        // Its checks of req.ip, trust proxy, X-Forwarded-For and Forwarded guard its default key,
        // which we replace: cloudflared always sets X-Forwarded-For, and we key on CF-Connecting-IP
        // ourselves with trust proxy off, so nobody else picks our key. Off by name, so they stay
        // off if the library ever runs them for a custom key; its other checks (store reuse,
        // double counting, creation inside a request, windowMs) stay on and report to our log.
        validate: { ip: false, trustProxy: false, xForwardedForHeader: false, forwardedHeader: false },
        logger: { warn: report, error: report },
      }),
    );
  }

  const handler: RequestHandler = (req, res, next) => {
    const prefix = [...limiters.keys()].find((p) => req.path === p || req.path.startsWith(`${p}/`));
    const limiter = prefix === undefined ? undefined : limiters.get(prefix);
    return limiter ? limiter(req, res, next) : next();
  };
  return Object.assign(handler, {
    close: () => {
      for (const store of stores) store.shutdown();
    },
  });
}

export type RateLimiter = RequestHandler & { close(): void };

type RateLimitedRequest = Request & { rateLimit?: { resetTime?: Date } };

function secondsUntil(time: Date | undefined): number {
  return time ? Math.max(1, Math.ceil((time.getTime() - Date.now()) / 1000)) : 1;
}

/** The caller a limit or a quota is counted against (see createRateLimiter). */
export function callerOf(req: Request): string {
  const cf = req.headers['cf-connecting-ip'];
  return (typeof cf === 'string' && cf) || req.socket.remoteAddress || 'unknown';
}
