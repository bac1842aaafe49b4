import { printableLine } from './activity/sanitize.ts';
import type { ActivityEntry, FolderStatus } from './api.ts';

// What `porthole serve` prints: request lines and index progress for people, or one JSON
// object per line with --json for scripts.

export function formatEntry(entry: ActivityEntry): string {
  const time = entry.time.slice(11, 19);
  const who = entry.client?.name ?? entry.client?.id ?? 'local';
  const what = entry.tool ? `${entry.tool} ${JSON.stringify(entry.summary)}` : entry.method;
  const outcome = entry.outcome.ok
    ? [
        entry.outcome.results !== undefined ? `${entry.outcome.results} results` : null,
        entry.outcome.bytes !== undefined ? `${entry.outcome.bytes} bytes` : null,
      ]
        .filter(Boolean)
        .join(', ') || 'ok'
    : `error: ${entry.outcome.error}`;
  const latency = entry.latencyMs !== null ? ` ${entry.latencyMs.toFixed(1)} ms` : '';
  return `${time} ${who} ${what} → ${outcome}${latency}`;
}

/** Index progress as one redrawn bar per folder on a terminal; as plain lines otherwise. */
export class ProgressPrinter {
  private barShown = false;
  private lastState = new Map<string, string>();

  constructor(private readonly out: NodeJS.WriteStream) {}

  line(text: string): void {
    this.clearBar();
    this.out.write(`${text}\n`);
  }

  /**
   * A log line of the connector or the dashboard listener, indented under the output. Log lines
   * quote what clients send (Host, Origin, paths, client names): made printable here, where they
   * reach the terminal, so none can carry an escape sequence or a line break.
   */
  log(text: string): void {
    this.line(`  ${printableLine(text)}`);
  }

  folder(status: FolderStatus): void {
    const changed = this.lastState.get(status.id) !== status.state;
    this.lastState.set(status.id, status.state);
    const summary = `${status.indexed} indexed, ${status.skipped} skipped, ${status.errors.length} errors`;
    if (status.state === 'watching' || status.state === 'error') {
      if (changed)
        this.line(`${status.state === 'error' ? '✗' : '✓'} ${status.name}: ${status.message ?? summary}`);
      return;
    }
    if (!this.out.isTTY) {
      if (changed) this.line(`… ${status.name}: ${status.state}`);
      return;
    }
    const total = Math.max(status.filesSeen, 1);
    const done = Math.min(status.indexed + status.skipped, total);
    const width = 24;
    const filled = status.state === 'scanning' ? 0 : Math.round((done / total) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    this.out.write(
      `\r\x1b[2K${bar} ${status.name}: ${status.state} ${status.filesSeen} files seen, ${summary}`,
    );
    this.barShown = true;
  }

  private clearBar(): void {
    if (this.barShown) this.out.write('\r\x1b[2K');
    this.barShown = false;
  }
}
