// How a shared folder's status reads in the window.
import type { FolderStatus } from '../../../server/api.ts';
import { formatBytes, formatCount, plural } from './format.ts';

export type FolderProgress =
  | { kind: 'none' }
  | { kind: 'indeterminate' }
  | { kind: 'determinate'; value: number };

/**
 * Scanning: the walk is still counting files, so no fraction yet. Indexing: files indexed out
 * of files found (skipped files never reach "indexed", so the bar may end short of full and
 * then disappear when the folder is watched).
 */
export function folderProgress(status: FolderStatus): FolderProgress {
  if (status.state === 'scanning') return { kind: 'indeterminate' };
  if (status.state !== 'indexing') return { kind: 'none' };
  if (status.filesSeen <= 0) return { kind: 'indeterminate' };
  return { kind: 'determinate', value: Math.max(0, Math.min(1, status.indexed / status.filesSeen)) };
}

export function folderStateLabel(status: FolderStatus): string {
  switch (status.state) {
    case 'scanning':
      return 'Scanning';
    case 'indexing':
      return 'Indexing';
    case 'watching':
      return 'Up to date';
    case 'error':
      return 'Problem';
  }
}

export function folderCounts(status: FolderStatus): string {
  const parts = [`${plural(status.indexed, 'file')} indexed`];
  if (status.skipped > 0) parts.push(`${formatCount(status.skipped)} skipped`);
  if (status.errors.length > 0) parts.push(plural(status.errors.length, 'error'));
  if (status.bytes > 0) parts.push(formatBytes(status.bytes));
  return parts.join(' · ');
}

export function isBusy(status: FolderStatus): boolean {
  return status.state === 'scanning' || status.state === 'indexing';
}

/** What a file error's reason code means, in words (other reasons are messages already). */
export function errorReasonText(reason: string): string {
  switch (reason) {
    case 'broken-link':
      return 'broken link: what it points to does not exist';
    case 'unreadable':
      return 'unreadable: no permission to read it';
    default:
      return reason;
  }
}

/**
 * What tells same-named folders apart: each folder's name, and for a name shared by several
 * folders, its parent folder's name too ("notes · work").
 */
export function folderDisplayNames(folders: readonly { id: string; path: string; name: string }[]) {
  const count = new Map<string, number>();
  for (const f of folders) count.set(f.name, (count.get(f.name) ?? 0) + 1);
  return new Map(
    folders.map((f) => [f.id, (count.get(f.name) ?? 0) > 1 ? `${f.name} · ${parentName(f.path)}` : f.name]),
  );
}

function parentName(folderPath: string): string {
  const parts = folderPath.split(/[\\/]+/).filter(Boolean);
  return parts.length >= 2 ? (parts[parts.length - 2] as string) : '/';
}

/**
 * A path cut in two for a middle ellipsis: the head (which CSS shortens with "…") and the tail
 * it always shows, the last two segments, where same-named folders differ.
 */
export function splitPathForDisplay(folderPath: string): { head: string; tail: string } {
  const sep = folderPath.includes('\\') && !folderPath.includes('/') ? '\\' : '/';
  const parts = folderPath.split(sep);
  if (parts.length <= 3) return { head: '', tail: folderPath };
  const tail = parts.slice(-2).join(sep);
  return { head: folderPath.slice(0, folderPath.length - tail.length), tail };
}

/** Where a folder's indexing started, as this window saw it: the base of the time estimate. */
export interface IndexingSample {
  at: number;
  indexed: number;
}

/**
 * One line for a folder being indexed: count, percentage and, once the rate is known, the time
 * left. The rate is measured from `since` (when this window first saw the run) to now; it needs
 * a few seconds and a few files before it means anything.
 */
export function indexingSummary(
  status: FolderStatus,
  since: IndexingSample | null,
  now: number,
): { text: string; percent: number | null; remainingMs: number | null } {
  if (status.state === 'scanning')
    return { text: `Scanning… ${plural(status.filesSeen, 'file')} found`, percent: null, remainingMs: null };
  if (status.filesSeen <= 0) return { text: 'Indexing…', percent: null, remainingMs: null };
  const percent = Math.min(100, Math.floor((status.indexed / status.filesSeen) * 100));
  let remainingMs: number | null = null;
  if (since) {
    const elapsed = now - since.at;
    const done = status.indexed - since.indexed;
    if (elapsed >= 3000 && done >= 20) {
      const left = Math.max(0, status.filesSeen - status.indexed);
      remainingMs = (left / done) * elapsed;
    }
  }
  const eta = remainingMs === null ? 'estimating time left…' : formatRemaining(remainingMs);
  return {
    text: `Indexing ${percent}% · ${formatCount(status.indexed)} of ${formatCount(status.filesSeen)} files · ${eta}`,
    percent,
    remainingMs,
  };
}

export function formatRemaining(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${plural(minutes, 'minute')} left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${plural(hours, 'hour')}${rest ? ` ${plural(rest, 'minute')}` : ''} left`;
}

/**
 * Remembers, per folder, when this window first saw its current indexing run, for the estimate.
 * A new run (the count went down, or the folder left the indexing state) starts over.
 */
export class IndexingClock {
  private readonly starts = new Map<string, IndexingSample>();

  sample(status: FolderStatus, now: number): IndexingSample | null {
    if (status.state !== 'indexing') {
      this.starts.delete(status.id);
      return null;
    }
    const start = this.starts.get(status.id);
    if (start && status.indexed >= start.indexed) return start;
    const fresh = { at: now, indexed: status.indexed };
    this.starts.set(status.id, fresh);
    return fresh;
  }
}
