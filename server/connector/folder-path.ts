// The folder path a person types into a UI (the dashboard's field, the desktop window), read the
// way a shell would read it for them: `~` is their home folder. A relative path is refused: it
// would resolve against the server's working folder, which the person typing does not see (the
// command line resolves `--folder .` itself, against the terminal's folder, before it gets here).
import os from 'node:os';
import path from 'node:path';
import { FolderRefusedError } from '../library/folders.ts';

export function folderPathFromUi(typed: string, homeDir: string = os.homedir()): string {
  const trimmed = typed.trim();
  if (!trimmed) throw new FolderRefusedError('Choose a folder to share.');
  if (trimmed === '~') return homeDir;
  if (trimmed.startsWith('~/') || trimmed.startsWith(`~${path.sep}`))
    return path.join(homeDir, trimmed.slice(2));
  if (trimmed.startsWith('~'))
    throw new FolderRefusedError(
      `"${trimmed}": only your own home folder can be written with ~ (like ~/Documents). Type the full path.`,
    );
  if (!path.isAbsolute(trimmed))
    throw new FolderRefusedError(
      `"${trimmed}" is a relative path. Type the full path of the folder, like ${path.join(homeDir, 'Documents')} or ~/Documents.`,
    );
  return trimmed;
}
