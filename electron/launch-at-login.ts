// Launch at login: the OS login items on macOS and Windows, an XDG autostart entry on Linux
// (Electron's setLoginItemSettings does nothing there). No electron import: the caller hands in `app`.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const AUTOSTART_FILE_NAME = 'porthole.desktop';

export interface LaunchAtLogin {
  get(): Promise<boolean>;
  set(enabled: boolean): Promise<void>;
}

/** The part of Electron's `app` used on macOS and Windows. */
export interface LoginItems {
  getLoginItemSettings(options?: { path?: string; args?: string[] }): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

/** `$XDG_CONFIG_HOME/autostart/porthole.desktop`; a relative XDG_CONFIG_HOME is ignored, as the spec says. */
export function autostartFilePath(env: NodeJS.ProcessEnv, homeDir: string): string {
  const configured = env.XDG_CONFIG_HOME;
  const configHome = configured && path.isAbsolute(configured) ? configured : path.join(homeDir, '.config');
  return path.join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

/**
 * What to start at login. In an AppImage, process.execPath lives in a mount that is gone after
 * the app quits; $APPIMAGE is the file the person actually has.
 */
export function linuxExecPath(env: NodeJS.ProcessEnv, execPath: string): string {
  return env.APPIMAGE && path.isAbsolute(env.APPIMAGE) ? env.APPIMAGE : execPath;
}

/**
 * One argument of an Exec= line (Desktop Entry spec, "The Exec key"): quoted when it holds
 * a reserved character, `"` `` ` `` `$` `\` escaped inside the quotes, then the string-value
 * escape doubles every backslash again; `%` is a field code, so a literal one is `%%`.
 */
export function quoteExecArg(arg: string): string {
  let quoted = arg;
  if (/[\s"'\\><~|&;$*?#()`]/.test(arg) || arg === '') {
    quoted = `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
  }
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

/** A string value of a desktop entry: one line, with the spec's escapes. */
function entryValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

export function autostartDesktopEntry(options: { execPath: string; args?: string[]; name?: string }): string {
  const exec = [options.execPath, ...(options.args ?? [])].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${entryValue(options.name ?? 'Porthole')}`,
    'Comment=Let ChatGPT search and read folders on this computer',
    `Exec=${exec}`,
    'Icon=porthole',
    'Terminal=false',
    'Categories=Utility;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Linux: the autostart entry exists (and is not switched off with Hidden=true). */
export function xdgAutostart(options: { file: string; execPath: string; args?: string[] }): LaunchAtLogin {
  return {
    async get() {
      const text = await readFile(options.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      return text !== null && !/^Hidden\s*=\s*true\s*$/im.test(text);
    },
    async set(enabled) {
      if (!enabled) {
        await rm(options.file, { force: true });
        return;
      }
      await mkdir(path.dirname(options.file), { recursive: true });
      // Written beside and renamed over: a session starting now never reads half a file.
      const temp = `${options.file}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temp, autostartDesktopEntry({ execPath: options.execPath, args: options.args }), {
          mode: 0o644,
        });
        await rename(temp, options.file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
  };
}

/**
 * macOS and Windows: the system's login items. `args` (Windows only) start an unpackaged app:
 * the Electron binary plus the app's path; Windows then needs the same path and args to query.
 */
export function loginItems(app: LoginItems, windowsStart?: { path: string; args: string[] }): LaunchAtLogin {
  return {
    get: async () => app.getLoginItemSettings(windowsStart).openAtLogin,
    set: async (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, ...windowsStart }),
  };
}

export function createLaunchAtLogin(options: {
  platform: NodeJS.Platform;
  app: LoginItems;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  execPath: string;
  /** Extra arguments after the executable: the app's path when it runs unpackaged (development). */
  args?: string[];
}): LaunchAtLogin {
  const args = options.args ?? [];
  if (options.platform === 'darwin') return loginItems(options.app);
  if (options.platform === 'win32')
    return loginItems(options.app, args.length > 0 ? { path: options.execPath, args } : undefined);
  return xdgAutostart({
    file: autostartFilePath(options.env, options.homeDir),
    execPath: linuxExecPath(options.env, options.execPath),
    args,
  });
}
