// Building an ActivityEntry from what a caller hands in, and reading one back from disk. Both paths
// copy field by field, so an entry never carries anything beyond the contract (no stray argument
// objects, no document text), and every string is sanitized.
import type { ActivityEntry, ActivityKind, ActivityOutcome } from '../api.ts';
import { sanitizeSummary, sanitizeText } from './sanitize.ts';

export type ActivityInput = Omit<ActivityEntry, 'seq' | 'time'> & { time?: string };

const KINDS: ReadonlySet<string> = new Set<ActivityKind>(['mcp', 'auth', 'system']);

const LIMITS = { error: 300, clientName: 100, clientId: 200, login: 100, method: 100, tool: 100 };

function optionalText(value: unknown, max: number): string | null {
  if (value == null) return null;
  const s = sanitizeText(value, max);
  return s === '' ? null : s;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

function outcomeOf(raw: unknown): ActivityOutcome {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (o.ok === true) {
    const out: ActivityOutcome = { ok: true };
    const results = count(o.results);
    const bytes = count(o.bytes);
    if (results !== undefined) out.results = results;
    if (bytes !== undefined) out.bytes = bytes;
    return Object.freeze(out);
  }
  return Object.freeze({ ok: false, error: sanitizeText(o.error, LIMITS.error) || 'unknown error' });
}

function clientOf(raw: unknown): ActivityEntry['client'] {
  if (raw == null || typeof raw !== 'object') return null;
  const c = raw as Record<string, unknown>;
  const id = optionalText(c.id, LIMITS.clientId);
  const name = optionalText(c.name, LIMITS.clientName);
  return id === null && name === null ? null : Object.freeze({ id, name });
}

function isoTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * A frozen, sanitized entry. Frozen because the same object goes to the ring, to every subscriber
 * and to disk: one listener must not be able to change what the others (or the audit file) see.
 */
export function buildEntry(input: ActivityInput, seq: number, now: Date): ActivityEntry {
  const latency = input.latencyMs;
  return Object.freeze({
    seq,
    time: isoTime(input.time) ?? now.toISOString(),
    kind: KINDS.has(input.kind) ? input.kind : 'system',
    client: clientOf(input.client),
    login: optionalText(input.login, LIMITS.login),
    method: sanitizeText(input.method, LIMITS.method),
    tool: optionalText(input.tool, LIMITS.tool),
    summary: sanitizeSummary(input.summary ?? ''),
    outcome: outcomeOf(input.outcome),
    latencyMs:
      typeof latency === 'number' && Number.isFinite(latency) && latency >= 0
        ? Math.round(latency * 10) / 10
        : null,
  });
}

/** One line of a JSONL file back into an entry; null for anything torn, foreign or malformed. */
export function parseEntryLine(line: string): ActivityEntry | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const time = isoTime(r.time);
  if (!Number.isSafeInteger(r.seq) || time === null || typeof r.method !== 'string') return null;
  if (r.outcome === null || typeof r.outcome !== 'object') return null;
  // Files can be edited by hand; what reaches the UI is sanitized again rather than trusted.
  return buildEntry(r as unknown as ActivityInput, r.seq as number, new Date(time));
}

/** An entry for something Porthole itself did (a folder added, paused, the owner changed). */
export function systemEntry(method: string, summary: string): ActivityInput {
  return {
    kind: 'system',
    client: null,
    login: null,
    method,
    tool: null,
    summary,
    outcome: { ok: true },
    latencyMs: null,
  };
}
