import * as os from 'node:os';
import * as path from 'node:path';

// The default data folder, apart from settings.ts so that reading the command line (cli-args.ts)
// loads neither zod nor the settings schema: `porthole --help` answers in about the time Node starts.

/**
 * Where settings and the index live when Electron does not choose (headless):
 * $PORTHOLE_DATA_DIR, else the platform's per-user config directory.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (env.PORTHOLE_DATA_DIR) return p.resolve(env.PORTHOLE_DATA_DIR);
  if (platform === 'win32') {
    const appData = env.APPDATA || p.join(env.USERPROFILE || os.homedir(), 'AppData', 'Roaming');
    return p.join(appData, 'Porthole');
  }
  const home = env.HOME || os.homedir();
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', 'Porthole');
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg =
    env.XDG_CONFIG_HOME && p.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : p.join(home, '.config');
  return p.join(xdg, 'porthole');
}
