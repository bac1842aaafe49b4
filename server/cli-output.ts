import { printableLine } from './activity/sanitize.ts';
import type { ActivityEntry, ConnectorEvent, ConnectorState, FolderStatus, TunnelMode } from './api.ts';

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

/** Prints what a person needs as it happens: the URL to paste, the owner, progress, requests. */
export class Announcer {
  private tunnelUrl: string | null = null;
  private owner: number | null = null;

  constructor(
    private readonly json: boolean,
    private readonly progress: ProgressPrinter,
  ) {}

  private emit(event: string, data: object): void {
    console.log(JSON.stringify({ event, ...data }));
  }

  ready(state: ConnectorState, dashboardUrl: string): void {
    this.owner = state.auth.owner?.id ?? null;
    if (this.json) {
      this.emit('ready', {
        mcpUrl: state.mcpUrl,
        localUrl: state.server.localUrl,
        dashboardUrl,
        dataDir: state.dataDir,
        owner: state.auth.owner,
        authMode: state.auth.mode,
        tunnel: state.tunnel,
        folders: state.folders.map((f) => f.path),
        secretStorage: state.secretStorage,
      });
      return;
    }
    const folders = state.folders;
    console.log(
      `Porthole is serving ${folders.length} folder${folders.length === 1 ? '' : 's'} on ${state.mcpUrl}`,
    );
    for (const folder of folders) console.log(`  ${folder.path}`);
    if (folders.length === 0) console.log('  No folder is shared yet: run again with --folder PATH.');
    console.log(`Dashboard: ${dashboardUrl}`);
    console.log(`Data folder: ${state.dataDir}`);
    if (state.secretStorage.warning) console.log(`Warning: ${state.secretStorage.warning}`);
    if (state.auth.mode === 'loopback-only') {
      console.log(
        'Local only: nothing is reachable from outside until GitHub sign-in is set up (GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, or the dashboard).',
      );
    } else if (state.auth.owner) {
      console.log(`Owner: @${state.auth.owner.login} (only this GitHub account can connect)`);
    }
    if (state.tunnel.mode === 'off') console.log('Tunnel: off (this computer only).');
    else if (state.tunnel.message) console.log(`Tunnel: ${state.tunnel.message}`);
    console.log('Press Ctrl-C to stop.');
  }

  signIn(url: string): void {
    if (this.json) {
      this.emit('sign-in', { url });
      return;
    }
    console.log('No owner yet. Open this link in a browser on this computer and sign in with GitHub:');
    console.log(`  ${url}`);
  }

  event(event: ConnectorEvent): void {
    if (event.type === 'folder') {
      if (this.json) this.emit('folder', { status: event.status });
      else this.progress.folder(event.status);
      return;
    }
    if (event.type === 'activity') {
      if (this.json) this.emit('activity', { entry: event.entry });
      else if (event.entry.kind !== 'system') this.progress.line(formatEntry(event.entry));
      return;
    }
    const { state } = event;
    const url = state.tunnel.state === 'connected' ? state.tunnel.publicUrl : null;
    if (url && url !== this.tunnelUrl) {
      this.tunnelUrl = url;
      if (this.json)
        this.emit('tunnel', {
          publicUrl: url,
          mcpUrl: `${url}/mcp`,
          stable: state.tunnel.stable,
          previousUrl: state.tunnel.previousUrl,
        });
      else {
        this.tunnelAnnouncement(`${url}/mcp`, state.tunnel.mode);
        if (state.tunnel.previousUrl)
          this.progress.line(
            `  It changed since the last run (was ${state.tunnel.previousUrl}/mcp): paste the new one into ChatGPT.`,
          );
      }
    }
    const owner = state.auth.owner;
    if (owner && owner.id !== this.owner) {
      this.owner = owner.id;
      if (this.json) this.emit('owner', { owner });
      else this.progress.line(`Owner: @${owner.login} (only this GitHub account can connect)`);
    }
  }

  private tunnelAnnouncement(mcpUrl: string, mode: TunnelMode): void {
    this.progress.line(
      [
        '',
        `Connector URL: ${mcpUrl}`,
        '  In ChatGPT: Settings → Apps & Connectors → Create; paste the URL; Authentication: OAuth.',
        mode === 'quick'
          ? '  This quick-tunnel URL changes when Porthole restarts; for one URL for good use --tunnel ngrok\n' +
            '  (a free static ngrok domain) or --tunnel tailscale (Tailscale Funnel), or a named tunnel.'
          : '',
        '',
      ]
        .filter((line, i, all) => line !== '' || i === 0 || i === all.length - 1)
        .join('\n'),
    );
  }
}
