// Window wiring for main.ts: the application menu, the hardening of every web contents and of
// the session, and the one dashboard window (window.ts decides how each of these behaves).
import { app, Menu, session } from 'electron';
import type { RendererLocation } from './renderer-location.ts';
import { createWindowController, hardenSession, hardenWebContents, type WindowController } from './window.ts';

export function setUpWindow(options: {
  renderer: RendererLocation;
  preloadPath: string;
  platform: NodeJS.Platform;
  log: (line: string) => void;
}): WindowController {
  const { renderer, platform, log } = options;
  if (app.isPackaged) {
    // macOS needs an Edit menu for copy and paste in the window; Windows and Linux need none.
    Menu.setApplicationMenu(
      platform === 'darwin'
        ? Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }])
        : null,
    );
  }
  hardenSession(session.defaultSession, renderer);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, renderer, log));

  const windows = createWindowController({
    renderer,
    preloadPath: options.preloadPath,
    // DevTools only in development.
    devTools: !app.isPackaged,
    platform,
    log,
  });
  app.on('activate', () => windows.show());
  return windows;
}
