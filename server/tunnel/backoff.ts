// Restart delays: doubling from initialMs up to maxMs. The attempt count goes back to zero once a
// tunnel has stayed connected for stableMs, so one crash after hours of service restarts quickly,
// while a crash loop (or Cloudflare rate-limiting new quick tunnels) slows down.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Connected this long → the next failure starts again from initialMs. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 60_000, stableMs: 60_000 };

/** Delay before restart number `attempt` (1 = the first restart after a failure). */
export function backoffDelay(attempt: number, options: Pick<BackoffOptions, 'initialMs' | 'maxMs'>): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(options.maxMs, options.initialMs * 2 ** exponent);
}
