// Updates from GitHub Releases (electron-updater; the feed is the `publish` entry of
// build/electron-builder.config.ts, baked into resources/app-update.yml at packaging). Checked at
// start and every few hours, downloaded in the background, installed when Porthole quits.
// Off when the person turns it off, when PORTHOLE_AUTO_UPDATE=0, and wherever an update could
// not install itself. The decision is a pure function; the side effects are at the bottom.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { app } from 'electron';

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export interface UpdateContext {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The person's choice (an `autoUpdate` setting); undefined = never chosen = on. */
  enabled?: boolean;
  /** `<resources>/package-type`, written by electron-builder into deb/rpm/pacman installs; null elsewhere. */
  linuxPackageType?: string | null;
}

export type UpdateDecision = { check: true } | { check: false; reason: string };

const OFF_VALUES = new Set(['0', 'false', 'off', 'no']);

export function autoUpdateDecision(context: UpdateContext): UpdateDecision {
  const off = (reason: string): UpdateDecision => ({ check: false, reason });
  if (!context.isPackaged) return off('not a packaged build');
  if (context.enabled === false) return off('turned off in settings');
  const fromEnv = context.env.PORTHOLE_AUTO_UPDATE?.trim().toLowerCase();
  if (fromEnv && OFF_VALUES.has(fromEnv)) return off('turned off by PORTHOLE_AUTO_UPDATE');
  // Playwright's builds must never replace themselves mid-test.
  if (context.env.PORTHOLE_TEST_BUILD === '1') return off('a test build');
  if (context.platform === 'linux' && !context.env.APPIMAGE && !context.linuxPackageType)
    return off('not an AppImage or a deb: update Porthole the way it was installed');
  return { check: true };
}

/** The part of electron-updater's autoUpdater used here (a fake in tests). */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export interface AutoUpdate {
  /** One check now; never throws (offline is normal for a laptop). */
  check(): Promise<void>;
  /** No more checks, e.g. when the setting is turned off. */
  stop(): void;
}

export function startAutoUpdate(options: {
  updater: Updater;
  log: (line: string) => void;
  intervalMs?: number;
}): AutoUpdate {
  const { updater, log } = options;
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.on('error', (error) => log(`update: ${error.message}`));
  updater.on('update-downloaded', (info) =>
    log(`update: ${info.version} downloaded; it installs when Porthole quits`),
  );
  const check = async () => {
    try {
      await updater.checkForUpdatesAndNotify();
    } catch (error) {
      log(`update: check failed: ${(error as Error).message}`);
    }
  };
  void check();
  const timer = setInterval(() => void check(), options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
  // A pending check must not keep Porthole from quitting.
  timer.unref?.();
  return { check, stop: () => clearInterval(timer) };
}

/**
 * For auto-update-follower.ts, once the app is ready: `startAutoUpdateForApp({ log, enabled: settings.autoUpdate })`.
 * Null (and a log line saying why) when updates are off.
 */
export async function startAutoUpdateForApp(options: {
  log: (line: string) => void;
  enabled?: boolean;
  env?: NodeJS.ProcessEnv;
}): Promise<AutoUpdate | null> {
  const decision = autoUpdateDecision({
    isPackaged: app.isPackaged,
    platform: process.platform,
    env: options.env ?? process.env,
    enabled: options.enabled,
    linuxPackageType: app.isPackaged ? readPackageType(process.resourcesPath) : null,
  });
  if (!decision.check) {
    options.log(`update: off (${decision.reason})`);
    return null;
  }
  // Loaded only when used: it reads app-update.yml and picks the installer type on first access.
  const { default: electronUpdater } = await import('electron-updater');
  const updater = electronUpdater.autoUpdater;
  const line = (message: unknown) => options.log(`update: ${String(message)}`);
  updater.logger = { info: line, warn: line, error: line };
  return startAutoUpdate({ updater, log: options.log });
}

function readPackageType(resourcesPath: string): string | null {
  try {
    return readFileSync(path.join(resourcesPath, 'package-type'), 'utf8').trim() || null;
  } catch {
    return null;
  }
}
