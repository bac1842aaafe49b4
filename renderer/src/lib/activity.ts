// The activity log as the window keeps it: newest first, capped, filtered in memory.
import type { ActivityEntry, ActivityKind } from '../../../server/api.ts';
import { formatOutcome } from './format.ts';

/** How many entries the window keeps; older ones fall off the end (the JSONL files keep them all). */
export const ACTIVITY_CAP = 10_000;

export interface ActivityFilter {
  text: string;
  kind: ActivityKind | 'all';
  errorsOnly: boolean;
}

export const NO_FILTER: ActivityFilter = { text: '', kind: 'all', errorsOnly: false };

/** `seq` restarts with each run of the connector; together with `time` it is unique. */
export function activityKey(entry: ActivityEntry): string {
  return `${entry.time}#${entry.seq}`;
}

/** What the log shows as "what": the tool when there is one, else the method or auth event. */
export function activityAction(entry: ActivityEntry): string {
  return entry.tool ?? entry.method;
}

export function activityClient(entry: ActivityEntry): string {
  return entry.client?.name || entry.client?.id || '';
}

// Entries never change once logged: their search text is built once, on the first filter.
const haystacks = new WeakMap<ActivityEntry, string>();

function haystack(entry: ActivityEntry): string {
  let text = haystacks.get(entry);
  if (text === undefined) {
    text = buildHaystack(entry);
    haystacks.set(entry, text);
  }
  return text;
}

function buildHaystack(entry: ActivityEntry): string {
  return [
    entry.summary,
    entry.client?.name,
    entry.client?.id,
    entry.login,
    entry.method,
    entry.tool,
    entry.kind,
    formatOutcome(entry.outcome),
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

export function isFiltering(filter: ActivityFilter): boolean {
  return filter.text.trim() !== '' || filter.kind !== 'all' || filter.errorsOnly;
}

/** Every whitespace-separated word of the text must appear somewhere in the entry (any case). */
export function matchesFilter(entry: ActivityEntry, filter: ActivityFilter): boolean {
  if (filter.kind !== 'all' && entry.kind !== filter.kind) return false;
  if (filter.errorsOnly && entry.outcome.ok) return false;
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = haystack(entry);
  return words.every((word) => text.includes(word));
}

/** Returns the same array when nothing filters, so memoized consumers keep their identity. */
export function filterActivity(
  entries: readonly ActivityEntry[],
  filter: ActivityFilter,
): readonly ActivityEntry[] {
  if (!isFiltering(filter)) return entries;
  return entries.filter((entry) => matchesFilter(entry, filter));
}

/** Adds entries that arrived live (oldest first, as they came) to a newest-first list. */
export function prependActivity(
  list: readonly ActivityEntry[],
  arrived: readonly ActivityEntry[],
  cap = ACTIVITY_CAP,
): ActivityEntry[] {
  if (arrived.length === 0) return list as ActivityEntry[];
  const newestFirst = arrived.slice(-cap).reverse();
  const room = Math.max(0, cap - newestFirst.length);
  return newestFirst.concat(list.slice(0, room));
}

function compareNewestFirst(a: { t: number; e: ActivityEntry }, b: { t: number; e: ActivityEntry }): number {
  return b.t - a.t || b.e.seq - a.e.seq;
}

/**
 * Joins a fetched page of the log (listActivity, any order) with what the window already has:
 * no duplicates, newest first, capped. Used at start and after a reconnect, when live events
 * may have been missed or may already be in the list.
 */
export function mergeActivity(
  current: readonly ActivityEntry[],
  fetched: readonly ActivityEntry[],
  cap = ACTIVITY_CAP,
): ActivityEntry[] {
  const byKey = new Map<string, ActivityEntry>();
  for (const entry of current) byKey.set(activityKey(entry), entry);
  for (const entry of fetched) byKey.set(activityKey(entry), entry);
  const sorted = [...byKey.values()].map((e) => ({ t: Date.parse(e.time) || 0, e })).sort(compareNewestFirst);
  return sorted.slice(0, cap).map((item) => item.e);
}

/** JSON Lines, oldest first like the connector's own audit files. */
export function toJsonl(newestFirst: readonly ActivityEntry[]): string {
  let out = '';
  for (let i = newestFirst.length - 1; i >= 0; i--) out += `${JSON.stringify(newestFirst[i])}\n`;
  return out;
}

/**
 * How many rows were added above the row that was on top before, so a paused view can keep
 * its place. -1 when the old top row is gone (list replaced): the caller should not adjust.
 */
export function rowsAddedAbove(entries: readonly ActivityEntry[], previousTopKey: string | null): number {
  if (previousTopKey === null) return -1;
  // New rows arrive at the top: the old top is near the start unless a huge burst came in.
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as ActivityEntry;
    if (activityKey(entry) === previousTopKey) return i;
  }
  return -1;
}
