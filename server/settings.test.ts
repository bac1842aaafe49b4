import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FolderConfig } from './library/types.ts';
import {
  defaultDataDir,
  SETTINGS_VERSION,
  SettingsError,
  SettingsFile,
  SettingsTooNewError,
  settingsFolderStore,
} from './settings.ts';

let root: string;
let dir: string;
let lines: string[];
const log = (line: string) => lines.push(line);
const settingsPath = () => path.join(dir, 'settings.json');
const readDisk = () => JSON.parse(fs.readFileSync(settingsPath(), 'utf8'));
const writeDisk = (content: unknown) => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(settingsPath(), typeof content === 'string' ? content : JSON.stringify(content));
};
const KEY = 'k'.repeat(43);
const folder = (id: string): FolderConfig => ({
  id,
  path: `/tmp/${id}`,
  name: id,
  addedAt: '2025-01-01T00:00:00.000Z',
});

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-settings-'));
  dir = path.join(root, 'data');
  lines = [];
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('defaultDataDir', () => {
  it('prefers PORTHOLE_DATA_DIR', () => {
    expect(defaultDataDir({ PORTHOLE_DATA_DIR: '/srv/p', HOME: '/home/a' }, 'linux')).toBe('/srv/p');
  });
  it('uses the XDG config dir on Linux, ignoring a relative XDG_CONFIG_HOME', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/a' }, 'linux')).toBe('/x/cfg/porthole');
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'rel', HOME: '/home/a' }, 'linux')).toBe(
      '/home/a/.config/porthole',
    );
    expect(defaultDataDir({ HOME: '/home/a' }, 'linux')).toBe('/home/a/.config/porthole');
  });
  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(defaultDataDir({ HOME: '/Users/a' }, 'darwin')).toBe(
      '/Users/a/Library/Application Support/Porthole',
    );
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toBe(
      'C:\\Users\\a\\AppData\\Roaming\\Porthole',
    );
    expect(defaultDataDir({ USERPROFILE: 'C:\\Users\\a' }, 'win32')).toBe(
      'C:\\Users\\a\\AppData\\Roaming\\Porthole',
    );
  });
});

describe('SettingsFile', () => {
  it('creates the directory and a file with defaults and a persisted id key', () => {
    const file = SettingsFile.open(dir, { log });
    const s = file.get();
    expect(s).toMatchObject({ version: SETTINGS_VERSION, port: 0, folders: [], paused: false });
    expect(s.maxFileBytes).toBe(50 * 1024 * 1024);
    expect(s.maxTextBytes).toBe(32 * 1024 * 1024);
    expect(s.idKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readDisk()).toMatchObject({
      version: SETTINGS_VERSION,
      idKey: s.idKey,
      writtenBy: expect.stringMatching(/^Porthole /),
    });
    if (process.platform !== 'win32') {
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(settingsPath()).mode & 0o777).toBe(0o600);
    }
    expect(SettingsFile.open(dir, { log }).get().idKey).toBe(s.idKey);
    expect(lines).toEqual([]);
  });

  it('generates a missing id key and writes it at once, keeping the other fields', () => {
    writeDisk({ version: SETTINGS_VERSION, port: 8123 });
    const idKey = SettingsFile.open(dir, { log }).get().idKey;
    expect(readDisk()).toMatchObject({ version: SETTINGS_VERSION, port: 8123, idKey });
  });

  it('migrates version 1: the old 2 MiB text cut gives way to the new default, a chosen one stays', () => {
    writeDisk({ version: 1, idKey: KEY, maxTextBytes: 2 * 1024 * 1024 });
    expect(SettingsFile.open(dir, { log }).get().maxTextBytes).toBe(32 * 1024 * 1024);
    expect(readDisk()).toMatchObject({ version: 2, maxTextBytes: 32 * 1024 * 1024 });
    expect(fs.existsSync(`${settingsPath()}.v1.bak`)).toBe(true);
    expect(lines.join('\n')).toMatch(/migrated .* from version 1 to 2/);

    fs.rmSync(`${settingsPath()}.v1.bak`);
    writeDisk({ version: 1, idKey: KEY, maxTextBytes: 5_000_000 });
    expect(SettingsFile.open(dir, { log }).get().maxTextBytes).toBe(5_000_000);
  });

  it('updates by mutation or by returning a new object, and persists', () => {
    const file = SettingsFile.open(dir, { log });
    file.update((s) => {
      s.port = 4000;
    });
    const next = file.update((s) => ({ ...s, paused: true }));
    expect(next).toMatchObject({ port: 4000, paused: true });
    expect(SettingsFile.open(dir, { log }).get()).toMatchObject({ port: 4000, paused: true });
  });

  it('hands out frozen settings so changes go through update()', () => {
    const s = SettingsFile.open(dir, { log }).get();
    expect(() => {
      s.port = 1;
    }).toThrow(TypeError);
    expect(() => s.folders.push(folder('a'))).toThrow(TypeError);
  });

  it('rejects an invalid update without touching memory or disk', () => {
    const file = SettingsFile.open(dir, { log });
    const before = fs.readFileSync(settingsPath(), 'utf8');
    expect(() =>
      file.update((s) => {
        s.port = 70000;
      }),
    ).toThrow(/Invalid settings: port/);
    expect(() => file.update((s) => ({ ...s, folders: [folder('a'), folder('a')] }))).toThrow(
      /duplicate folder id/,
    );
    expect(file.get().port).toBe(0);
    expect(fs.readFileSync(settingsPath(), 'utf8')).toBe(before);
  });

  it('keeps keys it does not know across load and save', () => {
    writeDisk({ version: 1, idKey: KEY, futureThing: { a: 1 } });
    SettingsFile.open(dir, { log }).update((s) => {
      s.port = 5;
    });
    expect(readDisk()).toMatchObject({ port: 5, futureThing: { a: 1 } });
  });

  it('leaves no temporary files behind', () => {
    const file = SettingsFile.open(dir, { log });
    for (let i = 1; i <= 5; i++) file.update((s) => ({ ...s, port: i }));
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });

  it.each([
    ['bad JSON', '{"version": 1, "port": '],
    ['a schema error', JSON.stringify({ version: 1, port: 'eighty', idKey: KEY })],
    ['a non-object', '[1, 2]'],
    ['a bad version', JSON.stringify({ version: 'one' })],
  ])('moves a file with %s aside and starts from defaults', (_label, content) => {
    writeDisk(content);
    const file = SettingsFile.open(dir, { log });
    expect(file.get()).toMatchObject({ version: SETTINGS_VERSION, port: 0, folders: [] });
    const aside = fs.readdirSync(dir).filter((n) => n.startsWith('settings.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0] as string), 'utf8')).toBe(content);
    expect(readDisk().idKey).toBe(file.get().idKey);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(aside[0]);
    expect(lines[0]).not.toContain(KEY);
  });

  it('refuses a file from a newer Porthole and leaves it untouched', () => {
    const content = JSON.stringify({
      version: SETTINGS_VERSION + 1,
      writtenBy: 'Porthole 9.9.9',
      idKey: KEY,
    });
    writeDisk(content);
    let error: unknown;
    try {
      SettingsFile.open(dir, { log });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SettingsTooNewError);
    expect((error as Error).message).toMatch(
      new RegExp(`written by Porthole 9\\.9\\.9 \\(settings version ${SETTINGS_VERSION + 1}\\)`),
    );
    expect((error as Error).message).toMatch(new RegExp(`up to version ${SETTINGS_VERSION}\\b`));
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
    expect(fs.readFileSync(settingsPath(), 'utf8')).toBe(content);
  });

  it('migrates a version-0 file (no version key) and keeps the original', () => {
    const v0 = JSON.stringify({ port: 8765, folders: [folder('docs')], paused: true, idKey: KEY });
    writeDisk(v0);
    const s = SettingsFile.open(dir, { log }).get();
    const current = { version: SETTINGS_VERSION, port: 8765, idKey: KEY };
    expect(s).toMatchObject({ ...current, folders: [folder('docs')], paused: true });
    expect(readDisk()).toMatchObject(current);
    expect(fs.readFileSync(`${settingsPath()}.v0.bak`, 'utf8')).toBe(v0);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`migrated .* from version 0 to ${SETTINGS_VERSION}`)),
    ]);
  });

  it('says clearly when the data directory cannot be written', () => {
    const blocker = path.join(root, 'not-a-dir');
    fs.writeFileSync(blocker, '');
    expect(() => SettingsFile.open(path.join(blocker, 'data'), { log })).toThrow(SettingsError);
    expect(() => SettingsFile.open(path.join(blocker, 'data'), { log })).toThrow(
      /cannot write its settings in .*not-a-dir.*PORTHOLE_DATA_DIR/,
    );
  });

  // Node's own recursive mkdir spins forever here; ours must fail.
  it.runIf(process.platform === 'linux' && fs.existsSync('/proc/self'))(
    'fails (not hangs) under /proc',
    () => {
      expect(() => SettingsFile.open('/proc/porthole-test/data', { log })).toThrow(SettingsError);
    },
  );

  // Root ignores permission bits, so this case only means something for ordinary users.
  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'rejects a read-only data directory',
    () => {
      fs.mkdirSync(dir, { mode: 0o500 });
      expect(() => SettingsFile.open(dir, { log })).toThrow(/cannot write its settings.*EACCES/);
      fs.chmodSync(dir, 0o700);
    },
  );
});

describe('token lifetimes', () => {
  const DAY = 86_400;

  it('default to 7-day access and 30-day refresh tokens, also for a file written before they existed', () => {
    writeDisk({ version: SETTINGS_VERSION, idKey: KEY, port: 8123 });
    const file = SettingsFile.open(dir, { log });
    expect(file.get().tokenLifetimes).toEqual({ accessTokenSeconds: 7 * DAY, refreshTokenSeconds: 30 * DAY });
    expect(file.get().port).toBe(8123);
    expect(lines).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });

  it('persist a change within the bounds', () => {
    SettingsFile.open(dir, { log }).update((s) => {
      s.tokenLifetimes = { accessTokenSeconds: 3600, refreshTokenSeconds: 90 * DAY };
    });
    expect(readDisk().tokenLifetimes).toEqual({ accessTokenSeconds: 3600, refreshTokenSeconds: 90 * DAY });
    expect(SettingsFile.open(dir, { log }).get().tokenLifetimes.refreshTokenSeconds).toBe(90 * DAY);
  });

  it.each([
    [
      'an access token under an hour',
      { accessTokenSeconds: 60, refreshTokenSeconds: 30 * DAY },
      /at least 1 hour/,
    ],
    [
      'an access token over 30 days',
      { accessTokenSeconds: 31 * DAY, refreshTokenSeconds: 90 * DAY },
      /at most 30 days/,
    ],
    [
      'a refresh token under a day',
      { accessTokenSeconds: 3600, refreshTokenSeconds: 3600 },
      /at least 1 day/,
    ],
    [
      'a refresh token over 90 days',
      { accessTokenSeconds: 3600, refreshTokenSeconds: 91 * DAY },
      /at most 90 days/,
    ],
    [
      'a refresh token shorter than the access token',
      { accessTokenSeconds: 20 * DAY, refreshTokenSeconds: 10 * DAY },
      /at least the access token/,
    ],
    [
      'a fraction of a second',
      { accessTokenSeconds: 3600.5, refreshTokenSeconds: 30 * DAY },
      /tokenLifetimes\.accessTokenSeconds/,
    ],
  ])('refuse %s without touching the file', (_label, tokenLifetimes, message) => {
    const file = SettingsFile.open(dir, { log });
    const before = fs.readFileSync(settingsPath(), 'utf8');
    expect(() =>
      file.update((s) => {
        s.tokenLifetimes = tokenLifetimes;
      }),
    ).toThrow(message);
    expect(file.get().tokenLifetimes.accessTokenSeconds).toBe(7 * DAY);
    expect(fs.readFileSync(settingsPath(), 'utf8')).toBe(before);
  });
});

describe('settingsFolderStore', () => {
  it('persists the folder list in settings.json', () => {
    const store = settingsFolderStore(SettingsFile.open(dir, { log }));
    expect(store.load()).toEqual([]);
    store.save([folder('a'), folder('b')]);
    expect(settingsFolderStore(SettingsFile.open(dir, { log })).load()).toEqual([folder('a'), folder('b')]);
  });

  it('returns copies the caller may change', () => {
    const store = settingsFolderStore(SettingsFile.open(dir, { log }));
    store.save([folder('a')]);
    const list = store.load();
    (list[0] as FolderConfig).name = 'renamed';
    list.push(folder('b'));
    expect(store.load()).toEqual([folder('a')]);
  });
});
