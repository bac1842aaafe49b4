import fs from 'node:fs';
import path from 'node:path';
import type { FolderStatus } from './api.ts';
import type { FoldersArgs } from './cli-args.ts';
import { DataDirError, prepareDataDir } from './cli-data-dir.ts';
import { connectToRunning } from './cli-status.ts';
import type { ControlClient } from './control/client.ts';
import { readControlInfo } from './control/info.ts';
import { acquireInstanceLock, InstanceLockedError } from './instance-lock.ts';
import { checkNewFolder } from './library/folders.ts';
import type { FolderConfig } from './library/types.ts';
import { SETTINGS_FILE, SettingsFile } from './settings.ts';

// `porthole folders list|add|remove`: the shared folders from a terminal. With a `porthole serve`
// running on the data folder, through its control API, so the live connector indexes or drops the
// folder at once; without one, in settings.json (under the instance lock, so a serve cannot start
// half-way through), for the next start. Either way the same checks as the dashboard's.

type Folder = Pick<FolderConfig, 'id' | 'path' | 'name'> & Partial<Pick<FolderStatus, 'state' | 'indexed'>>;

/** The folder a `remove` argument names: its path (as typed, or resolved), its id, or its unique name. */
export function findFolder<T extends Folder>(folders: readonly T[], arg: string): T | undefined {
  const absolute = path.resolve(arg);
  const real = fs.existsSync(absolute) ? fs.realpathSync(absolute) : absolute;
  const byPath = folders.find((f) => f.path === real || f.path === absolute || f.id === arg);
  if (byPath) return byPath;
  const byName = folders.filter((f) => f.name === arg);
  return byName.length === 1 ? byName[0] : undefined;
}

export async function folders(args: FoldersArgs): Promise<number> {
  if (readControlInfo(args.dataDir)) return await viaRunning(args);
  if (args.action === 'list') return listSaved(args);
  try {
    prepareDataDir(args.dataDir, args.dataDirFrom);
    const lock = acquireInstanceLock(args.dataDir, `porthole folders ${args.action}`);
    try {
      return await inSettings(args, SettingsFile.open(args.dataDir));
    } finally {
      lock.release();
    }
  } catch (error) {
    // A serve started meanwhile: its control API is the way now.
    if (error instanceof InstanceLockedError && readControlInfo(args.dataDir)) return await viaRunning(args);
    if (!(error instanceof DataDirError || error instanceof InstanceLockedError)) throw error;
    console.error(`porthole: ${error.message}`);
    return 1;
  }
}

async function viaRunning(args: FoldersArgs): Promise<number> {
  const running = await connectToRunning(args.dataDir);
  if ('problem' in running) {
    console.error(`porthole: ${running.problem}`);
    return 1;
  }
  const { client } = running;
  try {
    if (args.action === 'list') return printList(args, (await client.getState()).folders, true);
    let failed = false;
    for (const arg of args.paths) {
      const ok = args.action === 'add' ? await addRunning(client, arg) : await removeRunning(client, arg);
      failed ||= !ok;
    }
    return failed ? 1 : 0;
  } catch (error) {
    console.error(
      `porthole: the running Porthole (pid ${running.info.pid}) did not answer: ${(error as Error).message}`,
    );
    return 1;
  }
}

async function addRunning(client: ControlClient, arg: string): Promise<boolean> {
  try {
    const status = await client.addFolder(path.resolve(arg));
    console.log(`Shared ${status.path}: the running Porthole is indexing it now.`);
    return true;
  } catch (error) {
    return refused(error);
  }
}

async function removeRunning(client: ControlClient, arg: string): Promise<boolean> {
  const folder = findFolder((await client.getState()).folders, arg);
  if (!folder) return notShared(arg);
  try {
    await client.removeFolder(folder.id);
  } catch (error) {
    return refused(error);
  }
  console.log(`Stopped sharing ${folder.path}.`);
  return true;
}

async function inSettings(args: FoldersArgs, settings: SettingsFile): Promise<number> {
  let failed = false;
  for (const arg of args.paths) {
    const existing = settings.get().folders;
    if (args.action === 'add') {
      try {
        const folder = await checkNewFolder(path.resolve(arg), { existing });
        settings.update((s) => {
          s.folders.push(folder);
        });
        console.log(`Shared ${folder.path}: it is indexed when porthole serve starts.`);
      } catch (error) {
        failed ||= !refused(error);
      }
      continue;
    }
    const folder = findFolder(existing, arg);
    if (!folder) {
      failed ||= !notShared(arg);
      continue;
    }
    settings.update((s) => {
      s.folders = s.folders.filter((f) => f.id !== folder.id);
    });
    console.log(`Stopped sharing ${folder.path}.`);
  }
  return failed ? 1 : 0;
}

/** Reads settings.json without creating or changing anything. */
function listSaved(args: FoldersArgs): number {
  if (!fs.existsSync(path.join(args.dataDir, SETTINGS_FILE))) return printList(args, [], false);
  let settings: SettingsFile;
  try {
    settings = SettingsFile.open(args.dataDir);
  } catch (error) {
    console.error(`porthole: ${(error as Error).message}`);
    return 1;
  }
  return printList(args, settings.get().folders, false);
}

function printList(args: FoldersArgs, list: readonly Folder[], running: boolean): number {
  if (args.json) {
    console.log(
      JSON.stringify(
        list.map(({ id, path: p, name, state, indexed }) => ({ id, path: p, name, state, indexed })),
      ),
    );
    return 0;
  }
  if (list.length === 0) console.log('No folder is shared yet: porthole folders add PATH.');
  for (const f of list) console.log(running ? `${f.path}  (${f.state}, ${f.indexed} indexed)` : f.path);
  if (!running && list.length > 0)
    console.log('(Porthole is not running: these are indexed when porthole serve starts.)');
  return 0;
}

function refused(error: unknown): false {
  console.error(`porthole: ${(error as Error).message}`);
  return false;
}

function notShared(arg: string): false {
  console.error(`porthole: "${arg}" is not a shared folder (porthole folders list shows them).`);
  return false;
}
