// Reconnect delays for the event stream: quick at first (the connector restarting), then
// slower, never more than maxMs; jittered so several windows do not retry in lockstep.
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** 0..1; Math.random by default. */
  random?: () => number;
}

export function reconnectDelay(attempt: number, options: BackoffOptions = {}): number {
  const initialMs = options.initialMs ?? 500;
  const maxMs = options.maxMs ?? 15_000;
  const random = options.random ?? Math.random;
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  // ±25 %, still capped.
  return Math.round(Math.min(maxMs, base * (0.75 + 0.5 * random())));
}
