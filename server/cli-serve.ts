import path from 'node:path';
import type { ServeArgs } from './cli-args.ts';
import { DataDirError, prepareDataDir } from './cli-data-dir.ts';
import { Announcer, ProgressPrinter } from './cli-output.ts';
import { StopSignals } from './cli-stop.ts';
import { type Connector, createConnector } from './connector.ts';
import {
  type ControlServer,
  removeControlInfo,
  startControlServer,
  writeControlInfo,
} from './control/index.ts';
import { buildDashboardIfStale, builtDashboardDir } from './dashboard-build.ts';
import { acquireInstanceLock, type InstanceLock, InstanceLockedError } from './instance-lock.ts';
import { FolderRefusedError } from './library/folders.ts';
import { chooseSecretStore } from './secret-storage.ts';
import { KeychainUnavailableError, secretServiceFor } from './secrets.ts';
import { defaultDataDir, SettingsError, SettingsFile } from './settings.ts';

// `porthole serve`: the connector from a terminal (a home server, a VM). One clear line and a
// non-zero exit for anything that stops it from starting; Ctrl-C stops it at once (cli-stop.ts).
// Loaded by cli.ts only for this command: the connector's modules take seconds to load.

export async function serve(args: ServeArgs, env: NodeJS.ProcessEnv): Promise<number> {
  const progress = new ProgressPrinter(process.stderr);
  // What a forced stop must not leave behind; filled in as they come to exist.
  let lock: InstanceLock | null = null;
  let controlWritten = false;
  const signals = new StopSignals({
    onFirst: () => progress.line('Stopping…'),
    forceCleanups: () => {
      if (controlWritten) removeControlInfo(args.dataDir, process.pid);
      lock?.release();
    },
    onForced: () => progress.line('Stopped.'),
  });
  try {
    prepareDataDir(args.dataDir, args.dataDirFrom);
    lock = acquireInstanceLock(args.dataDir, 'porthole serve');
  } catch (error) {
    signals.dispose();
    if (!(error instanceof DataDirError || error instanceof InstanceLockedError)) throw error;
    console.error(`porthole: ${error.message}`);
    return 1;
  }
  let connector: Connector | null = null;
  let control: ControlServer | null = null;
  try {
    const started = await start(args, env, progress, signals);
    if (typeof started === 'number') return started;
    ({ connector, control } = started);
    writeControlInfo(args.dataDir, {
      url: control.url,
      port: control.port,
      token: control.token,
      pid: process.pid,
    });
    controlWritten = true;
    if (!signals.stopping) await announce(args, connector, control, progress);
    await signals.requested;
    return 0;
  } finally {
    // Whichever way serving ended: nothing stale, and "Stopped." when it had been asked to stop.
    if (controlWritten) removeControlInfo(args.dataDir, process.pid);
    await control?.close().catch(() => {});
    await connector?.stop().catch(() => {});
    lock?.release();
    signals.dispose();
    if (signals.stopping) progress.line('Stopped.');
  }
}

interface Started {
  connector: Connector;
  control: ControlServer;
}

/** Everything up to the ready line; a number is the exit code of a start that failed or was stopped. */
async function start(
  args: ServeArgs,
  env: NodeJS.ProcessEnv,
  progress: ProgressPrinter,
  signals: StopSignals,
): Promise<Started | number> {
  const log = (line: string) => progress.log(line);
  // Only through `npm run serve` (a checkout): a test or an installed copy serves what is built.
  if (env.npm_lifecycle_event === 'serve') await buildDashboardIfStale((line) => progress.line(line));
  let settings: SettingsFile;
  try {
    settings = SettingsFile.open(args.dataDir, { log });
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(`porthole: ${error.message}`);
    return 1;
  }
  const secrets = await chooseSecretStore({
    dataDir: args.dataDir,
    preference: args.secrets ?? settings.get().secretStorage,
    chosenBy: args.secrets ? `--secrets ${args.secrets}` : 'secretStorage in settings.json',
    service: secretServiceFor(args.dataDir, defaultDataDir(env)),
    log,
  });
  const connector = createConnector({
    dataDir: args.dataDir,
    port: args.port,
    tunnel: args.tunnel,
    ngrokDomain: args.ngrokDomain,
    saveTunnel: true,
    allowLogin: args.allowLogin,
    githubClientId: env.GITHUB_CLIENT_ID || undefined,
    githubClientSecret: env.GITHUB_CLIENT_SECRET || undefined,
    githubWebUrl: args.githubWebUrl,
    githubApiUrl: args.githubApiUrl,
    env,
    secrets: secrets.store,
    secretStorage: secrets.state,
    log,
  });
  const fail = async (message: string) => {
    console.error(`porthole: ${message}`);
    await connector.stop().catch(() => {});
    return 1;
  };
  try {
    await connector.start();
  } catch (error) {
    const advice =
      error instanceof KeychainUnavailableError ? ' Or keep the secrets in a file: --secrets file.' : '';
    return await fail(`could not start: ${(error as Error).message}${advice}`);
  }
  if (signals.stopping) return await stopped(connector);
  for (const folder of args.folders) {
    const refusal = await addFolder(connector, folder);
    if (refusal) return await fail(refusal);
    if (signals.stopping) return await stopped(connector);
  }
  try {
    const control = await startDashboard(args.dashboardPort, connector, log, (line) => progress.line(line));
    return { connector, control };
  } catch (error) {
    return await fail(`could not start the dashboard: ${(error as Error).message}`);
  }
}

async function stopped(connector: Connector): Promise<number> {
  await connector.stop().catch(() => {});
  return 0;
}

/**
 * Shares one --folder. A folder already shared (they are remembered) is fine; one inside or around
 * a shared folder is not added, and the line says so; anything else stops serve (the message).
 */
async function addFolder(connector: Connector, folder: string): Promise<string | null> {
  try {
    // Against the terminal's folder: the control API refuses relative paths (connector/folder-path.ts).
    await connector.control.addFolder(path.resolve(folder));
    return null;
  } catch (error) {
    if (!(error instanceof FolderRefusedError)) return (error as Error).message;
    if (/ is already shared\.$/.test(error.message)) return null;
    if (/(inside|contains) ".*", which is already shared/.test(error.message)) {
      console.error(`porthole: --folder ${folder} was not added: ${error.message}`);
      return null;
    }
    return error.message;
  }
}

/**
 * The dashboard's listener, on the port asked for with --dashboard-port; else on the last one it
 * had (so an open dashboard tab finds it again), or any free port when that one is taken.
 */
async function startDashboard(
  asked: number | undefined,
  connector: Connector,
  log: (line: string) => void,
  say: (line: string) => void,
): Promise<ControlServer> {
  const remembered = connector.settings.get().dashboardPort;
  const options = {
    api: connector.control,
    subscribe: connector.subscribe,
    staticDir: builtDashboardDir(),
    log,
  };
  let control: ControlServer;
  if (asked !== undefined || remembered === 0) {
    control = await startControlServer({ ...options, port: asked ?? 0 });
  } else {
    try {
      control = await startControlServer({ ...options, port: remembered });
    } catch (error) {
      if (((error as Error).cause as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') throw error;
      control = await startControlServer({ ...options, port: 0 });
      say(
        `The dashboard's usual port ${remembered} is taken by another program; it is on ${control.port} now.`,
      );
    }
  }
  if (control.port !== remembered)
    connector.settings.update((s) => {
      s.dashboardPort = control.port;
    });
  return control;
}

async function announce(
  args: ServeArgs,
  connector: Connector,
  control: ControlServer,
  progress: ProgressPrinter,
): Promise<void> {
  const announcer = new Announcer(args.json, progress);
  connector.subscribe((event) => announcer.event(event));
  let state = connector.state();
  if (state.auth.mode === 'oauth' && !state.auth.owner) {
    const { url } = await connector.control.beginOwnerSignIn();
    announcer.signIn(url);
    state = connector.state();
  }
  announcer.ready(state, control.dashboardUrl);
}
