// The tray icon: tray.ts decides what it shows, this puts it on screen. A click opens the
// window on macOS and Windows (right-click for the menu); Linux trays only have the menu.
import { readFileSync } from 'node:fs';
import { Menu, type NativeImage, nativeImage, Tray } from 'electron';
import type { ConnectorState } from '../server/api.ts';
import connected2x from './icons/connected@2x.png?asset';
import connected from './icons/connected.png?asset';
import connectedTemplate2x from './icons/connectedTemplate@2x.png?asset';
import connectedTemplate from './icons/connectedTemplate.png?asset';
import error2x from './icons/error@2x.png?asset';
import error from './icons/error.png?asset';
import errorTemplate2x from './icons/errorTemplate@2x.png?asset';
import errorTemplate from './icons/errorTemplate.png?asset';
import off2x from './icons/off@2x.png?asset';
import off from './icons/off.png?asset';
import offTemplate2x from './icons/offTemplate@2x.png?asset';
import offTemplate from './icons/offTemplate.png?asset';
import {
  buildTrayMenu,
  menuTemplate,
  type TrayAction,
  type TrayExtras,
  type TrayIconKind,
  trayIconKind,
  trayTooltip,
} from './tray.ts';

const FILES: Record<TrayIconKind, { colour: [string, string]; template: [string, string] }> = {
  connected: { colour: [connected, connected2x], template: [connectedTemplate, connectedTemplate2x] },
  off: { colour: [off, off2x], template: [offTemplate, offTemplate2x] },
  error: { colour: [error, error2x], template: [errorTemplate, errorTemplate2x] },
};

/**
 * The build renames the files (hashes), so macOS's `*Template@2x.png` conventions can not
 * apply: both sizes are added by hand and the template flag set explicitly.
 */
function trayImage(kind: TrayIconKind, platform: NodeJS.Platform): NativeImage {
  const image = nativeImage.createEmpty();
  if (platform === 'linux') {
    // Panels draw the icon at 22–24 px whatever the scale: give them the larger one.
    image.addRepresentation({ scaleFactor: 1, buffer: readFileSync(FILES[kind].colour[1]) });
    return image;
  }
  const [one, two] = platform === 'darwin' ? FILES[kind].template : FILES[kind].colour;
  image.addRepresentation({ scaleFactor: 1, buffer: readFileSync(one) });
  image.addRepresentation({ scaleFactor: 2, buffer: readFileSync(two) });
  if (platform === 'darwin') image.setTemplateImage(true);
  return image;
}

export interface SystemTray {
  update(state: ConnectorState, extras: TrayExtras): void;
  destroy(): void;
}

export function createSystemTray(options: {
  platform: NodeJS.Platform;
  onAction: (action: TrayAction) => void;
  onClick: () => void;
}): SystemTray {
  const { platform } = options;
  const images = new Map<TrayIconKind, NativeImage>();
  const image = (kind: TrayIconKind) => {
    let found = images.get(kind);
    if (!found) {
      found = trayImage(kind, platform);
      images.set(kind, found);
    }
    return found;
  };

  const tray = new Tray(image('off'));
  tray.setToolTip('Porthole');
  let menu = Menu.buildFromTemplate([{ label: 'Porthole is starting…', enabled: false }]);
  let shown = { menu: '', kind: 'off' as TrayIconKind, tooltip: '' };

  if (platform === 'darwin') {
    tray.on('click', options.onClick);
    tray.on('right-click', () => tray.popUpContextMenu(menu));
  } else {
    tray.setContextMenu(menu);
    if (platform === 'win32') tray.on('click', options.onClick);
  }

  return {
    update(state, extras) {
      if (tray.isDestroyed()) return;
      const specs = buildTrayMenu(state, extras);
      const key = JSON.stringify(specs);
      // Rebuilt only when it changed: Linux sends the whole menu over D-Bus every time.
      if (key !== shown.menu) {
        menu = Menu.buildFromTemplate(menuTemplate(specs, options.onAction));
        if (platform !== 'darwin') tray.setContextMenu(menu);
      }
      const kind = trayIconKind(state);
      if (kind !== shown.kind) tray.setImage(image(kind));
      const tooltip = trayTooltip(state);
      if (tooltip !== shown.tooltip) tray.setToolTip(tooltip);
      shown = { menu: key, kind, tooltip };
    },
    destroy() {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
