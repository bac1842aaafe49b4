// The dashboard window: locked down (sandboxed, isolated, no Node), nothing navigates away
// or opens new windows, links go to the system browser only when they are http(s).
import {
  app,
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  type Session,
  shell,
  type WebContents,
} from 'electron';
import { rendererCspHeader } from './csp.ts';
import { isOurRendererUrl, type RendererLocation } from './renderer-location.ts';

export function windowOptions(options: {
  preloadPath: string;
  /** DevTools only in development. */
  devTools: boolean;
  platform: NodeJS.Platform;
}): BrowserWindowConstructorOptions {
  return {
    title: 'Porthole',
    width: 1040,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    // Shown on ready-to-show: no white flash.
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: options.platform !== 'darwin',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: options.devTools,
    },
  };
}

/** http(s) with a host and no credentials in it: the only links the system browser gets. */
export function isSafeExternalUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 4096) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.hostname !== '' &&
    !url.username &&
    !url.password
  );
}

/** Opens a checked URL in the system browser; anything else is refused with an error. */
export async function openExternalChecked(url: unknown): Promise<void> {
  if (typeof url !== 'string' || !isSafeExternalUrl(url))
    throw new Error('Porthole only opens http and https links in your browser.');
  await shell.openExternal(url);
}

/**
 * Permissions the dashboard may use: writing to the clipboard ("Copy connector URL"), and
 * only from our page. Camera, notifications, geolocation and the rest: never.
 */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string,
  renderer: RendererLocation,
): boolean {
  return permission === 'clipboard-sanitized-write' && isOurRendererUrl(requestingUrl, renderer);
}

/**
 * For every web contents the app ever creates: no navigation away from our page (an http(s)
 * link opens in the browser instead), no new windows, no <webview>.
 */
export function hardenWebContents(
  contents: WebContents,
  renderer: RendererLocation,
  log: (line: string) => void,
) {
  const sendOut = (url: string) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url).catch((e: Error) => log(`window: ${e.message}`));
    else log(`window: blocked a link to ${url.slice(0, 200)}`);
  };
  contents.on('will-navigate', (event) => {
    if (isOurRendererUrl(event.url, renderer)) return;
    event.preventDefault();
    sendOut(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isOurRendererUrl(event.url, renderer)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    sendOut(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The session our window uses: the CSP header on our pages, and the permission policy. */
export function hardenSession(session: Session, renderer: RendererLocation) {
  const csp = rendererCspHeader(renderer.kind === 'dev' ? 'development' : 'production');
  session.webRequest.onHeadersReceived((details, callback) => {
    const document = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    if (!document || !isOurRendererUrl(details.url, renderer)) {
      callback({});
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'content-security-policy',
      ),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl || contents.getURL(), renderer));
  });
  session.setPermissionCheckHandler((contents, permission, _origin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? contents?.getURL() ?? '', renderer),
  );
}

export interface WindowController {
  /** Opens the window (or brings it to the front). */
  show(): void;
  /** Sends to the page when the window is open; dropped otherwise. */
  send(channel: string, payload: unknown): void;
  /** The open window, if any. */
  current(): BrowserWindow | null;
}

export function createWindowController(options: {
  renderer: RendererLocation;
  preloadPath: string;
  devTools: boolean;
  platform: NodeJS.Platform;
  log: (line: string) => void;
}): WindowController {
  let window: BrowserWindow | null = null;

  const bringToFront = (win: BrowserWindow) => {
    if (win.isMinimized()) win.restore();
    win.show();
    // Without a dock icon Porthole is a background app on macOS: take the focus explicitly.
    if (options.platform === 'darwin') app.focus({ steal: true });
    win.focus();
  };

  const create = (): BrowserWindow => {
    const win = new BrowserWindow(windowOptions(options));
    // Windows and Linux: copy and paste work without a menu (macOS keeps its Edit menu, window-setup.ts);
    // in development the default menu stays, for its DevTools and reload shortcuts.
    if (options.platform !== 'darwin' && !options.devTools) win.removeMenu();
    win.once('ready-to-show', () => bringToFront(win));
    win.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
      if (!isMainFrame) return;
      options.log(`window: could not load ${url} (${code} ${description})`);
      // Still show it: a blank window says more than none, and the tray shows the state.
      if (!win.isVisible()) bringToFront(win);
    });
    win.webContents.on('render-process-gone', (_event, details) => {
      if (details.reason === 'clean-exit') return;
      // A blank window helps nobody; "Open Porthole" makes a fresh one.
      options.log(`window: the page's process ended (${details.reason}); closing the window`);
      if (!win.isDestroyed()) win.destroy();
    });
    win.on('closed', () => {
      if (window === win) window = null;
    });
    void win.loadURL(options.renderer.url).catch((e: Error) => options.log(`window: ${e.message}`));
    return win;
  };

  return {
    show() {
      if (window && !window.isDestroyed()) bringToFront(window);
      else window = create();
    },
    send(channel, payload) {
      if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
    },
    current: () => (window && !window.isDestroyed() ? window : null),
  };
}
