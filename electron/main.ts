// The desktop shell's lifecycle: one instance, ready, the connector started and stopped,
// quitting. What the shell shows and does lives in modules beside this one: the window
// (window-setup.ts), the tray (desktop-tray.ts), the window's commands (desktop-api.ts, ipc.ts),
// updates (auto-update-follower.ts) and where connector events go (connector-events.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog } from 'electron';
import { type Connector, createConnector } from '../server/connector.ts';
import { followAutoUpdate } from './auto-update-follower.ts';
import { forwardConnectorEvents } from './connector-events.ts';
import { createDesktopApi } from './desktop-api.ts';
import { createDesktopTray } from './desktop-tray.ts';
import { registerIpc, trustedWindow } from './ipc.ts';
import { appLaunchAtLogin } from './launch-at-login-setting.ts';
import { shouldOpenWindowAtStart, withTimeout } from './lifecycle.ts';
import { type LogFile, openLogFile } from './log.ts';
import { rendererLocation } from './renderer-location.ts';
import { setUpWindow } from './window-setup.ts';

/** Windows groups notifications by it; the packager's appId must be the same. */
export const APP_ID = 'app.porthole';

/** How long quitting waits for the connector (tunnel, index, logs) before it gives up. */
const STOP_TIMEOUT_MS = 10_000;

app.setName('Porthole');
// Tests and e2e runs get their own data dir (and with it their own single-instance lock).
if (process.env.PORTHOLE_USER_DATA_DIR)
  app.setPath('userData', path.resolve(process.env.PORTHOLE_USER_DATA_DIR));

if (!app.requestSingleInstanceLock()) {
  // Porthole already runs: it opens its window (second-instance below), this one leaves.
  app.quit();
} else {
  void run().catch((error: Error) => {
    dialog.showErrorBox('Porthole could not start', error.stack ?? error.message);
    app.exit(1);
  });
}

async function run(): Promise<void> {
  const platform = process.platform;
  // Before ready, so a second launch during startup still reaches us; handled once the window exists.
  let showWindow: () => void = () => {};
  app.on('second-instance', () => showWindow());
  // The tray keeps Porthole running with no window open.
  app.on('window-all-closed', () => {});

  await app.whenReady();
  if (platform === 'darwin') app.dock?.hide();
  if (platform === 'win32') app.setAppUserModelId(APP_ID);

  const log = openLogFile(path.join(app.getPath('logs'), 'porthole.log'));
  log.line(`Porthole ${app.getVersion()} (Electron ${process.versions.electron}) starting`);
  process.on('unhandledRejection', (reason) => log.line(`unhandled rejection: ${String(reason)}`));

  const dataDir = app.getPath('userData');
  const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
  const renderer = rendererLocation({
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    isPackaged: app.isPackaged,
    indexHtmlPath: here('../renderer/index.html'),
  });
  const windows = setUpWindow({
    renderer,
    preloadPath: here('../preload/preload.cjs'),
    platform,
    log: log.line,
  });
  showWindow = () => windows.show();

  const connector = await openConnector(dataDir, log);
  async function startConnector(): Promise<void> {
    try {
      await connector.start();
    } catch (error) {
      // The connector has put the error into its state: the tray and the window show it.
      log.line(`connector: could not start: ${(error as Error).stack ?? error}`);
    }
    tray.refresh();
  }

  const launchAtLogin = await appLaunchAtLogin(log.line);
  const tray = createDesktopTray({
    connector,
    windows,
    launchAtLogin,
    platform,
    log: log.line,
    restartConnector: async () => {
      await connector.stop().catch((e: Error) => log.line(`connector: stop before retry: ${e.message}`));
      await startConnector();
    },
  });
  registerIpc({
    control: connector.control,
    desktop: createDesktopApi({ windows, launchAtLogin }),
    renderer,
    log: log.line,
    window: () => trustedWindow(windows.current()),
  });
  const updates = followAutoUpdate({ log: log.line });
  updates.follow(connector.state().autoUpdate);
  const stopForwarding = forwardConnectorEvents({
    connector,
    windows,
    tray,
    updates,
    dataDir,
    log: log.line,
  });

  // Quitting waits for the connector: the tunnel stopped, the index closed, the logs flushed.
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  const shutdown = async () => {
    log.line('Porthole quitting');
    updates.stop();
    stopForwarding();
    await withTimeout(connector.stop(), STOP_TIMEOUT_MS, 'Stopping Porthole').catch((e: Error) =>
      log.line(`connector: ${e.message}`),
    );
    tray.destroy();
    await log.close();
  };
  app.on('before-quit', (event) => {
    if (phase === 'stopped') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    void shutdown().finally(() => {
      phase = 'stopped';
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  tray.refresh();
  await startConnector();
  if (shouldOpenWindowAtStart(connector.state())) windows.show();
}

/** The connector of this data dir; when it can not even be created, the log says why before run() fails. */
async function openConnector(dataDir: string, log: LogFile): Promise<Connector> {
  try {
    return createConnector({
      dataDir,
      log: log.line,
      resourcesPath: app.isPackaged ? process.resourcesPath : null,
    });
  } catch (error) {
    log.line(`connector: ${(error as Error).stack ?? error}`);
    await log.close();
    throw error;
  }
}
