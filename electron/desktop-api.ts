// The desktop-only commands the window gets next to ControlApi (DesktopApi in server/api.ts).
// Their arguments are checked before they get here (ipc.ts, server/api-schemas.ts).
import { dialog, type OpenDialogOptions } from 'electron';
import type { DesktopApi } from '../server/api.ts';
import type { LaunchAtLoginSetting } from './launch-at-login-setting.ts';
import { openExternalChecked, type WindowController } from './window.ts';

export function createDesktopApi(options: {
  windows: WindowController;
  launchAtLogin: LaunchAtLoginSetting;
}): DesktopApi {
  const { windows, launchAtLogin } = options;
  return {
    async chooseFolder() {
      const dialogOptions: OpenDialogOptions = {
        title: 'Choose a folder to share',
        buttonLabel: 'Share',
        properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
      };
      const parent = windows.current();
      const result = parent
        ? await dialog.showOpenDialog(parent, dialogOptions)
        : await dialog.showOpenDialog(dialogOptions);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    // Also changeable in the system's settings: reading it lets the tray follow what the window shows.
    getLaunchAtLogin: () => launchAtLogin.read(),
    setLaunchAtLogin: (enabled) => launchAtLogin.set(enabled),
    openExternal: (url) => openExternalChecked(url),
  };
}
