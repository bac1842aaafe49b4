import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  autostartDesktopEntry,
  autostartFilePath,
  createLaunchAtLogin,
  type LoginItems,
  linuxExecPath,
  quoteExecArg,
} from './launch-at-login.ts';

describe('autostartDesktopEntry', () => {
  it('is a desktop entry that starts the app', () => {
    expect(autostartDesktopEntry({ execPath: '/opt/Porthole/porthole' })).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=Porthole',
        'Comment=Let ChatGPT search and read folders on this computer',
        'Exec=/opt/Porthole/porthole',
        'Icon=porthole',
        'Terminal=false',
        'Categories=Utility;',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  it('quotes paths with spaces and passes arguments', () => {
    const entry = autostartDesktopEntry({
      execPath: '/home/me/My Apps/electron',
      args: ['/home/me/porthole'],
    });
    expect(entry).toContain('Exec="/home/me/My Apps/electron" /home/me/porthole\n');
  });
});

describe('quoteExecArg', () => {
  it('leaves plain arguments alone', () => {
    expect(quoteExecArg('/usr/bin/porthole')).toBe('/usr/bin/porthole');
  });

  it('escapes what the Exec key reserves', () => {
    expect(quoteExecArg('a"b')).toBe('"a\\\\"b"');
    expect(quoteExecArg('$HOME')).toBe('"\\\\$HOME"');
    // A literal backslash takes four (the quoting rule, then the string escape).
    expect(quoteExecArg('a\\b')).toBe('"a\\\\\\\\b"');
    expect(quoteExecArg('100%')).toBe('100%%');
    expect(quoteExecArg('')).toBe('""');
  });
});

describe('autostartFilePath and linuxExecPath', () => {
  it('uses XDG_CONFIG_HOME when it is absolute, else ~/.config', () => {
    expect(autostartFilePath({ XDG_CONFIG_HOME: '/cfg' }, '/home/me')).toBe(
      '/cfg/autostart/porthole.desktop',
    );
    expect(autostartFilePath({}, '/home/me')).toBe('/home/me/.config/autostart/porthole.desktop');
    expect(autostartFilePath({ XDG_CONFIG_HOME: 'relative' }, '/home/me')).toBe(
      '/home/me/.config/autostart/porthole.desktop',
    );
  });

  it('starts the AppImage, not its temporary mount', () => {
    expect(linuxExecPath({ APPIMAGE: '/home/me/Porthole.AppImage' }, '/tmp/.mount_Porth/porthole')).toBe(
      '/home/me/Porthole.AppImage',
    );
    expect(linuxExecPath({}, '/opt/Porthole/porthole')).toBe('/opt/Porthole/porthole');
  });
});

describe('Linux: the XDG autostart file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'porthole-autostart-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const noLoginItems: LoginItems = {
    getLoginItemSettings: () => {
      throw new Error('not on Linux');
    },
    setLoginItemSettings: () => {
      throw new Error('not on Linux');
    },
  };

  function linux(env: NodeJS.ProcessEnv = { XDG_CONFIG_HOME: path.join(dir, 'config') }) {
    return createLaunchAtLogin({
      platform: 'linux',
      app: noLoginItems,
      env,
      homeDir: path.join(dir, 'home'),
      execPath: '/opt/Porthole/porthole',
    });
  }

  it('writes and removes $XDG_CONFIG_HOME/autostart/porthole.desktop', async () => {
    const file = path.join(dir, 'config', 'autostart', 'porthole.desktop');
    const launch = linux();
    expect(await launch.get()).toBe(false);

    await launch.set(true);
    expect(await launch.get()).toBe(true);
    expect(await readFile(file, 'utf8')).toContain('Exec=/opt/Porthole/porthole\n');
    expect((await stat(file)).mode & 0o777).toBe(0o644);

    await launch.set(true); // idempotent
    await launch.set(false);
    expect(await launch.get()).toBe(false);
    await launch.set(false); // nothing to remove is fine
    expect(await launch.get()).toBe(false);
  });

  it('falls back to ~/.config without XDG_CONFIG_HOME', async () => {
    await linux({}).set(true);
    expect(
      await readFile(path.join(dir, 'home', '.config', 'autostart', 'porthole.desktop'), 'utf8'),
    ).toContain('[Desktop Entry]');
  });

  it('an entry switched off with Hidden=true counts as off', async () => {
    const launch = linux();
    await launch.set(true);
    const file = path.join(dir, 'config', 'autostart', 'porthole.desktop');
    await writeFile(file, `${await readFile(file, 'utf8')}Hidden=true\n`);
    expect(await launch.get()).toBe(false);
  });
});

describe('macOS and Windows: the login items', () => {
  function fakeApp() {
    const calls: unknown[] = [];
    let openAtLogin = false;
    const app: LoginItems = {
      getLoginItemSettings: (options) => {
        calls.push(['get', options]);
        return { openAtLogin };
      },
      setLoginItemSettings: (settings) => {
        calls.push(['set', settings]);
        openAtLogin = settings.openAtLogin;
      },
    };
    return { app, calls };
  }

  it('macOS: setLoginItemSettings({ openAtLogin })', async () => {
    const { app, calls } = fakeApp();
    const launch = createLaunchAtLogin({
      platform: 'darwin',
      app,
      env: {},
      homeDir: '/Users/me',
      execPath: '/x',
    });
    await launch.set(true);
    expect(await launch.get()).toBe(true);
    expect(calls).toEqual([
      ['set', { openAtLogin: true }],
      ['get', undefined],
    ]);
  });

  it('Windows, unpackaged: the Electron binary and the app path, the same for set and get', async () => {
    const { app, calls } = fakeApp();
    const launch = createLaunchAtLogin({
      platform: 'win32',
      app,
      env: {},
      homeDir: 'C:\\Users\\me',
      execPath: 'C:\\dev\\electron.exe',
      args: ['C:\\dev\\porthole'],
    });
    await launch.set(true);
    expect(await launch.get()).toBe(true);
    const start = { path: 'C:\\dev\\electron.exe', args: ['C:\\dev\\porthole'] };
    expect(calls).toEqual([
      ['set', { openAtLogin: true, ...start }],
      ['get', start],
    ]);
  });
});
