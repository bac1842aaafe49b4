// "Launch at login" as the shell knows it: read once at start, changed from the tray or the
// window, and re-read when the window asks (the person can also change it in the system's
// settings). The tray listens, so its checkbox follows.
import os from 'node:os';
import { app } from 'electron';
import { createLaunchAtLogin, type LaunchAtLogin } from './launch-at-login.ts';

export interface LaunchAtLoginSetting {
  /** What it was when last read or set. */
  readonly on: boolean;
  /** Reads it again from the system. */
  read(): Promise<boolean>;
  set(enabled: boolean): Promise<void>;
  /** Called after every change of `on`. */
  onChange(listener: () => void): void;
}

/** The setting over any LaunchAtLogin; a failed first read counts as off (and is logged). */
export async function launchAtLoginSetting(
  system: LaunchAtLogin,
  log: (line: string) => void,
): Promise<LaunchAtLoginSetting> {
  let on = await system.get().catch((e: Error) => {
    log(`launch at login: ${e.message}`);
    return false;
  });
  const listeners: (() => void)[] = [];
  const update = (enabled: boolean) => {
    if (enabled === on) return;
    on = enabled;
    for (const listener of listeners) listener();
  };
  return {
    get on() {
      return on;
    },
    async read() {
      const enabled = await system.get();
      update(enabled);
      return enabled;
    },
    async set(enabled) {
      await system.set(enabled);
      update(enabled);
    },
    onChange: (listener) => listeners.push(listener),
  };
}

/** This app's setting: login items on macOS and Windows, an XDG autostart entry on Linux. */
export function appLaunchAtLogin(log: (line: string) => void): Promise<LaunchAtLoginSetting> {
  const system = createLaunchAtLogin({
    platform: process.platform,
    app,
    env: process.env,
    homeDir: os.homedir(),
    execPath: process.execPath,
    // Unpackaged, the executable is Electron itself: it needs the app's path.
    args: app.isPackaged ? [] : [app.getAppPath()],
  });
  return launchAtLoginSetting(system, log);
}
