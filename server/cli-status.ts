import type { ConnectorState } from './api.ts';
import type { StatusArgs } from './cli-args.ts';
import { type ControlClient, createControlClient } from './control/client.ts';
import { type ControlInfo, readControlInfo } from './control/info.ts';
import { readLockHolder } from './instance-lock.ts';

// `porthole status`: the state of the `porthole serve` running with the same data folder, asked
// through its control listener (found in control.json). Loads no connector code: it answers fast.

/** The running serve's control client and info, or the line to print when there is none. */
export async function connectToRunning(
  dataDir: string,
): Promise<{ client: ControlClient; info: ControlInfo } | { problem: string }> {
  const info = readControlInfo(dataDir);
  if (!info) {
    const holder = readLockHolder(dataDir);
    return {
      problem: holder
        ? `the Porthole using the data folder ${dataDir} (pid ${holder.pid}) is starting or stopping; try again in a moment.`
        : `no Porthole is running with the data folder ${dataDir}.`,
    };
  }
  return { client: createControlClient({ baseUrl: info.url, token: info.token }), info };
}

export async function status(args: StatusArgs): Promise<number> {
  const running = await connectToRunning(args.dataDir);
  if ('problem' in running) {
    console.error(`porthole: ${running.problem}`);
    return 1;
  }
  let state: ConnectorState;
  try {
    state = await running.client.getState();
  } catch (error) {
    console.error(
      `porthole: the Porthole running with the data folder ${args.dataDir} (pid ${running.info.pid}) does not answer: ${(error as Error).message}`,
    );
    return 1;
  }
  const dashboardUrl = `${running.info.url}/#token=${running.info.token}`;
  if (args.json) {
    console.log(JSON.stringify({ ...state, dashboardUrl, pid: running.info.pid }));
    return 0;
  }
  const holder = readLockHolder(args.dataDir);
  console.log(`Server: ${state.server.state}${state.server.localUrl ? ` on ${state.server.localUrl}` : ''}`);
  console.log(`Dashboard: ${dashboardUrl}`);
  console.log(
    `Process: pid ${running.info.pid}${holder?.pid === running.info.pid ? `, running since ${holder.startedAt}` : ''}`,
  );
  console.log(
    `Tunnel: ${state.tunnel.mode}, ${state.tunnel.state}${state.tunnel.publicUrl ? ` ${state.tunnel.publicUrl}` : ''}${state.tunnel.message ? ` (${state.tunnel.message})` : ''}`,
  );
  console.log(`Connector URL: ${state.mcpUrl ?? 'none yet'}`);
  console.log(`Owner: ${state.auth.owner ? `@${state.auth.owner.login}` : 'none'} (${state.auth.mode})`);
  const storage = state.secretStorage;
  console.log(`Secrets: ${storage.kind === 'file' ? `in the file ${storage.file}` : 'in the OS keychain'}`);
  if (storage.warning) console.log(`Warning: ${storage.warning}`);
  console.log(`Paused: ${state.paused ? 'yes' : 'no'}`);
  for (const f of state.folders)
    console.log(
      `Folder ${f.path}: ${f.state}, ${f.indexed} indexed, ${f.skipped} skipped, ${f.errors.length} errors`,
    );
  return 0;
}
