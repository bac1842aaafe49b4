// The desktop shell: one instance, a tray icon, a window when there is something to set up,
// and the connector underneath. Everything that decides something lives in a pure module
// beside this one (tray.ts, notifications.ts, lifecycle.ts, ipc.ts, window.ts).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, clipboard, dialog, Menu, type OpenDialogOptions, session } from 'electron';
import type { ConnectorState, DesktopApi } from '../server/api.ts';
import { type Connector, createConnector } from '../server/connector.ts';
import { EVENT_CHANNEL } from './bridge.ts';
import { registerIpc } from './ipc.ts';
import { createLaunchAtLogin } from './launch-at-login.ts';
import { shouldOpenWindowAtStart, withTimeout } from './lifecycle.ts';
import { openLogFile } from './log.ts';
import { createNotifier } from './notifier.ts';
import { rendererLocation } from './renderer-location.ts';
import { createSystemTray } from './system-tray.ts';
import type { TrayAction } from './tray.ts';
import { type AutoUpdate, startAutoUpdateForApp } from './updater.ts';
import { createWindowController, hardenSession, hardenWebContents, openExternalChecked } from './window.ts';

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
  const devTools = !app.isPackaged;

  if (app.isPackaged) {
    // macOS needs an Edit menu for copy and paste in the window; Windows and Linux need none.
    Menu.setApplicationMenu(
      platform === 'darwin'
        ? Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }])
        : null,
    );
  }
  hardenSession(session.defaultSession, renderer);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, renderer, log.line));

  const windows = createWindowController({
    renderer,
    preloadPath: here('../preload/preload.cjs'),
    devTools,
    platform,
    log: log.line,
  });
  showWindow = () => windows.show();
  app.on('activate', () => windows.show());

  let connector: Connector;
  try {
    connector = createConnector({
      dataDir,
      log: log.line,
      resourcesPath: app.isPackaged ? process.resourcesPath : null,
    });
  } catch (error) {
    log.line(`connector: ${(error as Error).stack ?? error}`);
    await log.close();
    throw error;
  }

  const launchAtLogin = createLaunchAtLogin({
    platform,
    app,
    env: process.env,
    homeDir: os.homedir(),
    execPath: process.execPath,
    // Unpackaged, the executable is Electron itself: it needs the app's path.
    args: app.isPackaged ? [] : [app.getAppPath()],
  });
  let launchAtLoginOn = await launchAtLogin.get().catch((e: Error) => {
    log.line(`launch at login: ${e.message}`);
    return false;
  });

  const reportError = (what: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    log.line(`${what}: ${message}`);
    void dialog.showMessageBox({ type: 'error', title: 'Porthole', message: what, detail: message });
  };

  const tray = createSystemTray({
    platform,
    onClick: () => windows.show(),
    onAction: (action) => void trayAction(action).catch((e) => reportError('That did not work', e)),
  });
  const refreshTray = (state: ConnectorState = connector.state()) =>
    tray.update(state, { launchAtLogin: launchAtLoginOn, platform });

  const copyConnectorUrl = () => {
    const url = connector.state().mcpUrl;
    if (url) clipboard.writeText(url);
  };

  const signIn = async (switchAccount: boolean) => {
    const owner = connector.state().auth.owner;
    if (switchAccount && owner) {
      const { response } = await dialog.showMessageBox({
        type: 'question',
        buttons: ['Switch account', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        message: 'Sign in with another GitHub account?',
        detail:
          `The account that signs in becomes the owner of this Porthole. If it is not @${owner.login}, ` +
          'every connected client (ChatGPT and others) is disconnected and has to connect again.',
      });
      if (response !== 0) return;
    }
    const { url } = await connector.control.beginOwnerSignIn();
    await openExternalChecked(url);
  };

  const setLaunchAtLogin = async (enabled: boolean) => {
    if (typeof enabled !== 'boolean') throw new Error('Launch at login is on or off (true or false).');
    await launchAtLogin.set(enabled);
    launchAtLoginOn = enabled;
    refreshTray();
  };

  const startConnector = async () => {
    try {
      await connector.start();
    } catch (error) {
      // The connector has put the error into its state: the tray and the window show it.
      log.line(`connector: could not start: ${(error as Error).stack ?? error}`);
    }
    refreshTray();
  };

  async function trayAction(action: TrayAction): Promise<void> {
    switch (action) {
      case 'copy-url':
        return copyConnectorUrl();
      case 'open-window':
        return windows.show();
      case 'sign-in':
        return signIn(false);
      case 'switch-account':
        return signIn(true);
      case 'pause':
        return connector.control.setPaused(true);
      case 'resume':
        return connector.control.setPaused(false);
      case 'retry':
        await connector.stop().catch((e: Error) => log.line(`connector: stop before retry: ${e.message}`));
        return startConnector();
      case 'toggle-launch-at-login':
        return setLaunchAtLogin(!launchAtLoginOn);
      case 'quit':
        return app.quit();
    }
  }

  const desktop: DesktopApi = {
    async chooseFolder() {
      const options: OpenDialogOptions = {
        title: 'Choose a folder to share',
        buttonLabel: 'Share',
        properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
      };
      const parent = windows.current();
      const result = parent
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async getLaunchAtLogin() {
      // Also changeable in the system's settings: the tray follows what the window reads.
      const enabled = await launchAtLogin.get();
      if (enabled !== launchAtLoginOn) {
        launchAtLoginOn = enabled;
        refreshTray();
      }
      return enabled;
    },
    setLaunchAtLogin,
    openExternal: (url) => openExternalChecked(url),
  };
  registerIpc({
    control: connector.control,
    desktop,
    renderer,
    log: log.line,
    window: () => {
      const win = windows.current();
      return win
        ? {
            webContentsId: win.webContents.id,
            mainFrameTreeNodeId: win.webContents.mainFrame.frameTreeNodeId,
          }
        : null;
    },
  });

  const notifier = createNotifier({
    stateFile: path.join(dataDir, 'desktop-state.json'),
    log: log.line,
    onAction: (action) => {
      if (action === 'copy-url') copyConnectorUrl();
      windows.show();
    },
  });
  // Updates from GitHub Releases, following the "Automatic updates" setting as it changes.
  let updates: AutoUpdate | null = null;
  let updatesWanted: boolean | null = null;
  const followAutoUpdate = (enabled: boolean) => {
    if (enabled === updatesWanted) return;
    updatesWanted = enabled;
    updates?.stop();
    updates = null;
    if (!enabled) {
      log.line('update: off (turned off in Settings)');
      return;
    }
    void startAutoUpdateForApp({ log: log.line, enabled })
      .then((started) => {
        if (updatesWanted) updates = started;
        else started?.stop();
      })
      .catch((e: Error) => log.line(`update: ${e.message}`));
  };
  followAutoUpdate(connector.state().autoUpdate);

  const unsubscribe = connector.subscribe((event) => {
    windows.send(EVENT_CHANNEL, event);
    if (event.type === 'state') {
      refreshTray(event.state);
      followAutoUpdate(event.state.autoUpdate);
      notifier.onState(event.state);
    } else if (event.type === 'activity') {
      notifier.onActivity(event.entry);
    }
  });

  // Quitting waits for the connector: the tunnel stopped, the index closed, the logs flushed.
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  const shutdown = async () => {
    log.line('Porthole quitting');
    updates?.stop();
    unsubscribe();
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

  refreshTray();
  await startConnector();
  if (shouldOpenWindowAtStart(connector.state())) windows.show();
}
