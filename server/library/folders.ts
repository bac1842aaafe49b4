import { access, constants, opendir, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { newFolderId } from './ids.ts';
import { isInsideOrEqual } from './paths.ts';
import type { FolderConfig } from './types.ts';

/** A folder the user asked to share that we will not share, with a reason they can act on. */
export class FolderRefusedError extends Error {
  override name = 'FolderRefusedError';
}

export interface FolderCheckContext {
  existing: readonly FolderConfig[];
  homeDir?: string;
}

/**
 * Decides whether `requested` may become a shared folder. Nested shares are refused
 * (a file must belong to exactly one folder, or removing one share would leave it
 * readable through the other), and so are the home folder and the filesystem root,
 * which hold keychains, browser profiles and SSH keys.
 */
export async function checkNewFolder(requested: string, context: FolderCheckContext): Promise<FolderConfig> {
  if (!requested.trim()) throw new FolderRefusedError('Choose a folder to share.');
  const absolute = path.resolve(requested.trim());
  let real: string;
  try {
    real = await realpath(absolute);
  } catch {
    throw new FolderRefusedError(`"${absolute}" does not exist. Check the path, or create the folder first.`);
  }
  const info = await stat(real);
  if (!info.isDirectory())
    throw new FolderRefusedError(`"${absolute}" is a file, not a folder. Share the folder that contains it.`);
  await checkReadable(absolute, real);
  if (path.parse(real).root === real) {
    throw new FolderRefusedError(
      'Sharing the whole disk is not allowed. Share a folder of documents instead.',
    );
  }
  const home = await realpath(context.homeDir ?? os.homedir()).catch(() => context.homeDir ?? os.homedir());
  if (real === home) {
    throw new FolderRefusedError(
      `"${real}" is your home folder: it holds keys, browser profiles and app data. Share a folder inside it, like Documents.`,
    );
  }
  for (const folder of context.existing) {
    if (folder.path === real) throw new FolderRefusedError(`"${real}" is already shared.`);
    if (isInsideOrEqual(folder.path, real)) {
      throw new FolderRefusedError(`"${real}" is inside "${folder.path}", which is already shared.`);
    }
    if (isInsideOrEqual(real, folder.path)) {
      throw new FolderRefusedError(
        `"${real}" contains "${folder.path}", which is already shared. Remove that share first, then add this folder.`,
      );
    }
  }
  return { id: newFolderId(), path: real, name: path.basename(real), addedAt: new Date().toISOString() };
}

/**
 * Refuses, up front, a folder this process cannot list and enter: accepted, it would only be
 * reported later as "no longer readable" with the watcher's error. Checked by doing it (listing
 * the folder) as well as by its mode, so it holds for root, who may read anything it can list.
 */
async function checkReadable(absolute: string, real: string): Promise<void> {
  try {
    await access(real, constants.R_OK | constants.X_OK);
    const dir = await opendir(real);
    try {
      await dir.read();
    } finally {
      await dir.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new FolderRefusedError(
      `"${absolute}" cannot be read by Porthole (${code}): it needs permission to list and open that folder. ` +
        'Check its permissions (e.g. chmod u+rx), or share another folder.',
    );
  }
}
