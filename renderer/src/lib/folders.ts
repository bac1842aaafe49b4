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
