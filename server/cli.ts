import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectorEvent, ConnectorState, TunnelMode } from './api.ts';
import {
  type Command,
  parseCommand,
  type ServeArgs,
  type StatusArgs,
  USAGE,
  UsageError,
} from './cli-args.ts';
import { formatEntry, ProgressPrinter } from './cli-output.ts';
import { createConnector } from './connector.ts';
import {
  createControlClient,
  readControlInfo,
  removeControlInfo,
  startControlServer,
  writeControlInfo,
} from './control/index.ts';
import { FolderRefusedError } from './library/folders.ts';
import { KeychainSecretStore, secretServiceFor } from './secrets.ts';
import { defaultDataDir } from './settings.ts';

// `porthole serve`: the connector from a terminal (a home server, a VM). One clear line and
// a non-zero exit for anything that stops it from starting; Ctrl-C stops it cleanly.
// `porthole status`: the state of the one running in the same data folder.
// The command line itself is read in cli-args.ts.

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`porthole: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    console.log(USAGE);
    return command.exitCode;
  }
  if (command.kind === 'status') return await status(command.args);
  return await serve(command.args, env);
}

/** The built dashboard, when `npm run build:renderer` has run. */
function dashboardDir(): string | null {
  const dir = fileURLToPath(new URL('../dist/renderer', import.meta.url));
  return existsSync(path.join(dir, 'index.html')) ? dir : null;
}

async function serve(args: ServeArgs, env: NodeJS.ProcessEnv): Promise<number> {
  // Listening for Ctrl-C before anything is printed: a signal right after the ready line
  // (a script that waits for it) must stop cleanly, not kill the process mid-way.
  let requestStop = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    requestStop = resolve;
  });
  process.once('SIGINT', requestStop);
  process.once('SIGTERM', requestStop);
  try {
    return await serveUntilStopped(args, env, stopRequested);
  } finally {
    // Whichever way serving ended: a process that goes on (the in-process tests) keeps no listener.
    process.off('SIGINT', requestStop);
    process.off('SIGTERM', requestStop);
  }
}

async function serveUntilStopped(
  args: ServeArgs,
  env: NodeJS.ProcessEnv,
  stopRequested: Promise<void>,
): Promise<number> {
  const progress = new ProgressPrinter(process.stderr);
  const emitJson = (event: string, data: object) => console.log(JSON.stringify({ event, ...data }));
  const connector = createConnector({
    dataDir: args.dataDir,
    port: args.port,
    tunnel: args.tunnel,
    allowLogin: args.allowLogin,
    githubClientId: env.GITHUB_CLIENT_ID || undefined,
    githubClientSecret: env.GITHUB_CLIENT_SECRET || undefined,
    githubWebUrl: args.githubWebUrl,
    githubApiUrl: args.githubApiUrl,
    env,
    secrets: new KeychainSecretStore({ service: secretServiceFor(args.dataDir, defaultDataDir(env)) }),
    log: (line) => progress.log(line),
  });
  try {
    await connector.start();
  } catch (error) {
    console.error(`porthole: could not start: ${(error as Error).message}`);
    return 1;
  }
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
  let control: Awaited<ReturnType<typeof startControlServer>>;
  try {
    control = await startControlServer({
      api: connector.control,
      subscribe: connector.subscribe,
      port: args.dashboardPort,
      staticDir: dashboardDir(),
      log: (line) => progress.log(line),
    });
  } catch (error) {
    console.error(`porthole: could not start the dashboard: ${(error as Error).message}`);
    await connector.stop();
    return 1;
  }
  writeControlInfo(args.dataDir, {
    url: control.url,
    port: control.port,
    token: control.token,
    pid: process.pid,
  });

  const announcer = new Announcer(args.json ? emitJson : null, progress);
  connector.subscribe((event) => announcer.event(event));
  let state = connector.state();
  if (state.auth.mode === 'oauth' && !state.auth.owner) {
    const { url } = await connector.control.beginOwnerSignIn();
    announcer.signIn(url);
    state = connector.state();
  }
  announcer.ready(state, control.dashboardUrl);

  await stopRequested;
  progress.line('Stopping…');
  removeControlInfo(args.dataDir, process.pid);
  await control.close();
  await connector.stop();
  progress.line('Stopped.');
  return 0;
}

/** Prints what a person needs as it happens: the URL to paste, the owner, progress, requests. */
class Announcer {
  private tunnelUrl: string | null = null;
  private owner: number | null = null;

  constructor(
    private readonly json: ((event: string, data: object) => void) | null,
    private readonly progress: ProgressPrinter,
  ) {}

  ready(state: ConnectorState, dashboardUrl: string): void {
    this.owner = state.auth.owner?.id ?? null;
    if (this.json) {
      this.json('ready', {
        mcpUrl: state.mcpUrl,
        localUrl: state.server.localUrl,
        dashboardUrl,
        dataDir: state.dataDir,
        owner: state.auth.owner,
        authMode: state.auth.mode,
        tunnel: state.tunnel,
        folders: state.folders.map((f) => f.path),
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
      this.json('sign-in', { url });
      return;
    }
    console.log('No owner yet. Open this link in a browser on this computer and sign in with GitHub:');
    console.log(`  ${url}`);
  }

  event(event: ConnectorEvent): void {
    if (event.type === 'folder') {
      if (this.json) this.json('folder', { status: event.status });
      else this.progress.folder(event.status);
      return;
    }
    if (event.type === 'activity') {
      if (this.json) this.json('activity', { entry: event.entry });
      else if (event.entry.kind !== 'system') this.progress.line(formatEntry(event.entry));
      return;
    }
    const { state } = event;
    const url = state.tunnel.state === 'connected' ? state.tunnel.publicUrl : null;
    if (url && url !== this.tunnelUrl) {
      this.tunnelUrl = url;
      if (this.json) this.json('tunnel', { publicUrl: url, mcpUrl: `${url}/mcp` });
      else this.tunnelAnnouncement(`${url}/mcp`, state.tunnel.mode);
    }
    const owner = state.auth.owner;
    if (owner && owner.id !== this.owner) {
      this.owner = owner.id;
      if (this.json) this.json('owner', { owner });
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
          ? '  This quick-tunnel URL changes when Porthole restarts; a named tunnel keeps one URL.'
          : '',
        '',
      ]
        .filter((line, i, all) => line !== '' || i === 0 || i === all.length - 1)
        .join('\n'),
    );
  }
}

async function status(args: StatusArgs): Promise<number> {
  const info = readControlInfo(args.dataDir);
  if (!info) {
    console.error(`porthole: no Porthole is running with the data folder ${args.dataDir}.`);
    return 1;
  }
  const state = await createControlClient({ baseUrl: info.url, token: info.token }).getState();
  if (args.json) {
    console.log(JSON.stringify(state));
    return 0;
  }
  console.log(`Server: ${state.server.state}${state.server.localUrl ? ` on ${state.server.localUrl}` : ''}`);
  console.log(
    `Tunnel: ${state.tunnel.mode}, ${state.tunnel.state}${state.tunnel.publicUrl ? ` ${state.tunnel.publicUrl}` : ''}${state.tunnel.message ? ` (${state.tunnel.message})` : ''}`,
  );
  console.log(`Connector URL: ${state.mcpUrl ?? 'none yet'}`);
  console.log(`Owner: ${state.auth.owner ? `@${state.auth.owner.login}` : 'none'} (${state.auth.mode})`);
  console.log(`Paused: ${state.paused ? 'yes' : 'no'}`);
  for (const f of state.folders)
    console.log(
      `Folder ${f.path}: ${f.state}, ${f.indexed} indexed, ${f.skipped} skipped, ${f.errors.length} errors`,
    );
  return 0;
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
