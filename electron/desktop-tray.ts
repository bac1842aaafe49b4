// Tray wiring for main.ts: the tray icon (system-tray.ts) kept up to date, and what each of
// its menu items does (tray.ts decides which items there are).
import { app, clipboard, dialog } from 'electron';
import type { ConnectorState } from '../server/api.ts';
import type { Connector } from '../server/connector.ts';
import type { LaunchAtLoginSetting } from './launch-at-login-setting.ts';
import { createSystemTray } from './system-tray.ts';
import type { TrayAction } from './tray.ts';
import { openExternalChecked, type WindowController } from './window.ts';

export interface DesktopTray {
  /** Shows `state` (default: the connector's current one). */
  refresh(state?: ConnectorState): void;
  destroy(): void;
}

type ShellConnector = Pick<Connector, 'state' | 'control'>;

/** "Copy connector URL", from the tray or a notification. */
export function copyConnectorUrl(connector: ShellConnector): void {
  const url = connector.state().mcpUrl;
  if (url) clipboard.writeText(url);
}

export function createDesktopTray(options: {
  connector: ShellConnector;
  windows: WindowController;
  launchAtLogin: LaunchAtLoginSetting;
  /** "Retry" after Porthole failed to start: stop what is left and start again. */
  restartConnector: () => Promise<void>;
  platform: NodeJS.Platform;
  log: (line: string) => void;
}): DesktopTray {
  const { connector, windows, launchAtLogin, platform } = options;

  const reportError = (what: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    options.log(`${what}: ${message}`);
    void dialog.showMessageBox({ type: 'error', title: 'Porthole', message: what, detail: message });
  };

  const act = async (action: TrayAction): Promise<void> => {
    switch (action) {
      case 'copy-url':
        return copyConnectorUrl(connector);
      case 'open-window':
        return windows.show();
      case 'sign-in':
        return signIn(connector, false);
      case 'switch-account':
        return signIn(connector, true);
      case 'pause':
        return connector.control.setPaused(true);
      case 'resume':
        return connector.control.setPaused(false);
      case 'retry':
        return options.restartConnector();
      case 'toggle-launch-at-login':
        return launchAtLogin.set(!launchAtLogin.on);
      case 'quit':
        return app.quit();
    }
  };

  const tray = createSystemTray({
    platform,
    onClick: () => windows.show(),
    onAction: (action) => void act(action).catch((e) => reportError('That did not work', e)),
  });
  // The smoke test (electron/smoke.test.ts) waits for this line: the tray exists.
  options.log('tray: created');
  const refresh = (state: ConnectorState = connector.state()) =>
    tray.update(state, { launchAtLogin: launchAtLogin.on, platform });
  launchAtLogin.onChange(() => refresh());
  return { refresh, destroy: () => tray.destroy() };
}

/** Opens the owner sign-in in the browser; switching to another account asks first. */
async function signIn(connector: ShellConnector, switchAccount: boolean): Promise<void> {
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
}
