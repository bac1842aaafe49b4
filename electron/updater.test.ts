import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({ app: { isPackaged: false } }));
vi.mock('electron', () => electron);

const fake = vi.hoisted(() => {
  const listeners = new Map<string, (arg: unknown) => void>();
  return {
    listeners,
    autoUpdater: {
      autoDownload: false,
      autoInstallOnAppQuit: false,
      logger: undefined as unknown,
      on: (event: string, listener: (...args: never[]) => void) =>
        listeners.set(event, listener as (arg: unknown) => void),
      checkForUpdatesAndNotify: async (): Promise<unknown> => null,
    },
  };
});
vi.mock('electron-updater', () => ({ default: { autoUpdater: fake.autoUpdater } }));

const { autoUpdateDecision, startAutoUpdate, startAutoUpdateForApp, UPDATE_CHECK_INTERVAL_MS } = await import(
  './updater.ts'
);

const packaged = { isPackaged: true, platform: 'darwin' as const, env: {} };

describe('autoUpdateDecision', () => {
  it('on for a packaged app nobody turned off', () => {
    expect(autoUpdateDecision(packaged)).toEqual({ check: true });
    expect(autoUpdateDecision({ ...packaged, platform: 'win32', enabled: true })).toEqual({ check: true });
  });

  it('off in development, by the setting, by PORTHOLE_AUTO_UPDATE, in test builds', () => {
    expect(autoUpdateDecision({ ...packaged, isPackaged: false })).toEqual({
      check: false,
      reason: 'not a packaged build',
    });
    expect(autoUpdateDecision({ ...packaged, enabled: false })).toEqual({
      check: false,
      reason: 'turned off in settings',
    });
    for (const value of ['0', 'false', 'OFF', ' no '])
      expect(autoUpdateDecision({ ...packaged, env: { PORTHOLE_AUTO_UPDATE: value } })).toEqual({
        check: false,
        reason: 'turned off by PORTHOLE_AUTO_UPDATE',
      });
    expect(autoUpdateDecision({ ...packaged, env: { PORTHOLE_AUTO_UPDATE: '1' } }).check).toBe(true);
    expect(autoUpdateDecision({ ...packaged, env: { PORTHOLE_TEST_BUILD: '1' } }).check).toBe(false);
  });

  it('Linux: the AppImage and the deb update themselves; an unpacked build does not', () => {
    const linux = { ...packaged, platform: 'linux' as const };
    expect(autoUpdateDecision({ ...linux, env: { APPIMAGE: '/home/ada/Porthole.AppImage' } }).check).toBe(
      true,
    );
    expect(autoUpdateDecision({ ...linux, linuxPackageType: 'deb' }).check).toBe(true);
    expect(autoUpdateDecision({ ...linux, linuxPackageType: null })).toEqual({
      check: false,
      reason: 'not an AppImage or a deb: update Porthole the way it was installed',
    });
  });
});

describe('startAutoUpdate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('downloads in the background, installs on quit, checks now and every few hours until stopped', async () => {
    const updater = { ...fake.autoUpdater, checkForUpdatesAndNotify: vi.fn(async () => null) };
    const lines: string[] = [];
    const updates = startAutoUpdate({ updater, log: (l) => lines.push(l) });
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true });
    expect(updater.checkForUpdatesAndNotify).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(UPDATE_CHECK_INTERVAL_MS);
    expect(updater.checkForUpdatesAndNotify).toHaveBeenCalledTimes(2);
    updates.stop();
    await vi.advanceTimersByTimeAsync(3 * UPDATE_CHECK_INTERVAL_MS);
    expect(updater.checkForUpdatesAndNotify).toHaveBeenCalledTimes(2);
    fake.listeners.get('update-downloaded')?.({ version: '0.2.0' });
    expect(lines).toEqual(['update: 0.2.0 downloaded; it installs when Porthole quits']);
  });

  it('a failed check (offline, no release yet) is logged, never thrown', async () => {
    const updater = {
      ...fake.autoUpdater,
      checkForUpdatesAndNotify: vi.fn(async () => {
        throw new Error('net::ERR_INTERNET_DISCONNECTED');
      }),
    };
    const lines: string[] = [];
    const updates = startAutoUpdate({ updater, log: (l) => lines.push(l), intervalMs: 1000 });
    await updates.check();
    fake.listeners.get('error')?.(new Error('404 latest.yml'));
    updates.stop();
    expect(lines).toEqual([
      'update: check failed: net::ERR_INTERNET_DISCONNECTED',
      'update: check failed: net::ERR_INTERNET_DISCONNECTED',
      'update: 404 latest.yml',
    ]);
  });
});

describe('startAutoUpdateForApp', () => {
  it('an unpackaged run does not even load electron-updater', async () => {
    electron.app.isPackaged = false;
    const lines: string[] = [];
    expect(await startAutoUpdateForApp({ log: (l) => lines.push(l) })).toBeNull();
    expect(lines).toEqual(['update: off (not a packaged build)']);
  });

  it('a packaged AppImage starts electron-updater, its own log lines going to ours', async () => {
    electron.app.isPackaged = true;
    (process as { resourcesPath?: string }).resourcesPath = '/nonexistent/resources';
    const lines: string[] = [];
    const updates = await startAutoUpdateForApp({
      log: (l) => lines.push(l),
      env: { APPIMAGE: '/home/ada/Porthole.AppImage' },
    });
    delete (process as { resourcesPath?: string }).resourcesPath;
    expect(updates).not.toBeNull();
    updates?.stop();
    expect(fake.autoUpdater.autoInstallOnAppQuit).toBe(true);
    (fake.autoUpdater.logger as { info: (m: string) => void }).info('Checking for update');
    expect(lines).toContain('update: Checking for update');
  });

  it('the setting turns it off', async () => {
    electron.app.isPackaged = true;
    const lines: string[] = [];
    expect(await startAutoUpdateForApp({ log: (l) => lines.push(l), enabled: false })).toBeNull();
    expect(lines).toEqual(['update: off (turned off in settings)']);
  });
});
