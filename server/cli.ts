import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ActivityEntry, FolderStatus } from './api.ts';
import { createConnector } from './connector.ts';
import { FolderRefusedError } from './library/folders.ts';
import { defaultDataDir } from './settings.ts';

// `porthole serve`: the connector from a terminal. One clear line and a non-zero exit
// for anything that stops it from starting; Ctrl-C stops it cleanly.

const USAGE = `Usage: porthole serve [--folder PATH]... [--port N] [--data-dir DIR]

  --folder PATH   share this folder (repeatable; remembered in the data folder)
  --port N        port of the local MCP endpoint (0 = any free port; default from settings)
  --data-dir DIR  where settings, the index and logs live (default: $PORTHOLE_DATA_DIR or ${defaultDataDir()})

Run through npm: npm run serve -- --folder ~/Documents`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command !== 'serve') {
    console.error(`porthole: unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  let args: ReturnType<typeof parseServeArgs>;
  try {
    args = parseServeArgs(rest);
  } catch (error) {
    console.error(`porthole: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  return serve(args);
}

function parseServeArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      folder: { type: 'string', multiple: true, default: [] },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--port must be 0..65535, not "${values.port}".`);
  }
  return { folders: values.folder ?? [], port, dataDir: values['data-dir'] ?? defaultDataDir() };
}

async function serve(args: ReturnType<typeof parseServeArgs>): Promise<number> {
  const progress = new ProgressPrinter(process.stderr);
  const connector = createConnector({
    dataDir: args.dataDir,
    port: args.port,
    log: (line) => progress.line(`  ${line}`),
  });
  try {
    await connector.start();
  } catch (error) {
    console.error(`porthole: could not start: ${(error as Error).message}`);
    return 1;
  }
  connector.subscribe((event) => {
    if (event.type === 'folder') progress.folder(event.status);
    if (event.type === 'activity' && event.entry.kind !== 'system') progress.line(formatEntry(event.entry));
  });
  const shared = new Set(connector.library.listFolders().map((f) => f.path));
  for (const folder of args.folders) {
    try {
      await connector.control.addFolder(folder);
    } catch (error) {
      if (error instanceof FolderRefusedError && /already shared/.test(error.message)) continue;
      console.error(`porthole: ${(error as Error).message}`);
      await connector.stop();
      return 1;
    }
  }
  const state = connector.state();
  const folders = connector.library.listFolders();
  console.log(
    `Porthole is serving ${folders.length} folder${folders.length === 1 ? '' : 's'} on ${state.mcpUrl}`,
  );
  for (const folder of folders) console.log(`  ${shared.has(folder.path) ? '' : '+ '}${folder.path}`);
  if (folders.length === 0) console.log('  No folder is shared yet: run again with --folder PATH.');
  console.log(`Data folder: ${args.dataDir}`);
  console.log(
    'Local only: nothing is reachable from outside until sign-in with GitHub exists. Press Ctrl-C to stop.',
  );

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  progress.line('Stopping…');
  await connector.stop();
  progress.line('Stopped.');
  return 0;
}

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
class ProgressPrinter {
  private barShown = false;
  private lastState = new Map<string, string>();

  constructor(private readonly out: NodeJS.WriteStream) {}

  line(text: string): void {
    this.clearBar();
    this.out.write(`${text}\n`);
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

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`porthole: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
