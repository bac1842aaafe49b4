import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { rendererCspHeader, rendererCspMeta } from './csp.ts';
import { isOurRendererUrl, type RendererLocation, rendererLocation } from './renderer-location.ts';
import {
  hardenSession,
  hardenWebContents,
  isPermissionAllowed,
  isSafeExternalUrl,
  openExternalChecked,
  windowOptions,
} from './window.ts';

const electron = vi.hoisted(() => ({ opened: [] as string[] }));
vi.mock('electron', () => ({
  app: {},
  BrowserWindow: class {},
  shell: {
    openExternal: async (url: string) => {
      electron.opened.push(url);
    },
  },
}));

beforeEach(() => {
  electron.opened.length = 0;
});

const built: RendererLocation = {
  kind: 'file',
  url: 'file:///Applications/Porthole.app/out/renderer/index.html',
};
const dev: RendererLocation = { kind: 'dev', url: 'http://localhost:5173/' };

describe('windowOptions', () => {
  const options = windowOptions({
    preloadPath: '/app/out/preload/preload.cjs',
    devTools: false,
    platform: 'linux',
  });

  it('isolates and sandboxes the page, without Node', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('waits for ready-to-show', () => {
    expect(options.show).toBe(false);
  });

  it('DevTools only when asked (development)', () => {
    expect(
      windowOptions({ preloadPath: 'p', devTools: true, platform: 'darwin' }).webPreferences?.devTools,
    ).toBe(true);
  });
});

describe('isSafeExternalUrl', () => {
  it('accepts http and https links', () => {
    expect(isSafeExternalUrl('https://github.com/settings/applications/new')).toBe(true);
    expect(isSafeExternalUrl('http://127.0.0.1:48213/oauth/github/start?x=1')).toBe(true);
  });

  it('refuses every other scheme', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'data:text/html,<script>1</script>',
      'vscode://file/x',
      'mailto:a@b.c',
    ])
      expect(isSafeExternalUrl(url), url).toBe(false);
  });

  it('refuses credentials in the URL, no host, garbage and non-strings', () => {
    expect(isSafeExternalUrl('https://user:pass@github.com/')).toBe(false);
    expect(isSafeExternalUrl('https://github.com@evil.example/')).toBe(false);
    expect(isSafeExternalUrl('not a url')).toBe(false);
    expect(isSafeExternalUrl('')).toBe(false);
    expect(isSafeExternalUrl(42)).toBe(false);
    expect(isSafeExternalUrl(`https://x.example/${'a'.repeat(5000)}`)).toBe(false);
  });

  it('openExternalChecked opens only safe URLs', async () => {
    await openExternalChecked('https://github.com/');
    await expect(openExternalChecked('file:///etc/passwd')).rejects.toThrow(/only opens http and https/);
    expect(electron.opened).toEqual(['https://github.com/']);
  });
});

describe('rendererLocation and isOurRendererUrl', () => {
  it('uses the dev server only when unpackaged and on loopback', () => {
    const indexHtmlPath = '/app/out/renderer/index.html';
    expect(
      rendererLocation({ devServerUrl: 'http://localhost:5173/', isPackaged: false, indexHtmlPath }),
    ).toEqual(dev);
    expect(
      rendererLocation({ devServerUrl: 'http://localhost:5173/', isPackaged: true, indexHtmlPath }),
    ).toEqual({
      kind: 'file',
      url: 'file:///app/out/renderer/index.html',
    });
    expect(
      rendererLocation({ devServerUrl: 'https://evil.example/', isPackaged: false, indexHtmlPath }).kind,
    ).toBe('file');
    expect(rendererLocation({ devServerUrl: undefined, isPackaged: false, indexHtmlPath }).kind).toBe('file');
  });

  it('matches our index.html with any fragment, nothing else', () => {
    expect(isOurRendererUrl(`${built.url}#/activity`, built)).toBe(true);
    expect(isOurRendererUrl('file:///Applications/Porthole.app/out/renderer/other.html', built)).toBe(false);
    expect(isOurRendererUrl('file:///Applications/Porthole.app/out/renderer/', built)).toBe(false);
    expect(isOurRendererUrl('https://x.example/', built)).toBe(false);
    expect(isOurRendererUrl('garbage', built)).toBe(false);
    expect(isOurRendererUrl('file:///Applications/Porthole.app/out/renderer/%E0%A4%A.html', built)).toBe(
      false,
    );
  });

  it('matches the dev server origin', () => {
    expect(isOurRendererUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isOurRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isOurRendererUrl('http://localhost:5173.evil.example/', dev)).toBe(false);
  });
});

describe('isPermissionAllowed', () => {
  it('only clipboard writes, only from our page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', built.url, built)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', built)).toBe(false);
    for (const permission of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal'])
      expect(isPermissionAllowed(permission, built.url, built), permission).toBe(false);
  });
});

describe('hardenWebContents', () => {
  class FakeContents extends EventEmitter {
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(fn: (details: { url: string }) => { action: string }) {
      this.openHandler = fn;
    }
  }

  function navigate(contents: FakeContents, name: string, url: string) {
    const event = {
      url,
      defaultPrevented: false,
      preventDefault: () => {
        event.defaultPrevented = true;
      },
    };
    contents.emit(name, event);
    return event.defaultPrevented;
  }

  it('blocks navigation away and new windows; http(s) links go to the browser', async () => {
    const contents = new FakeContents();
    const logged: string[] = [];
    hardenWebContents(contents as never, built, (l) => logged.push(l));

    expect(navigate(contents, 'will-navigate', `${built.url}#/x`)).toBe(false);
    expect(navigate(contents, 'will-navigate', 'https://github.com/login')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.openHandler!({ url: 'https://docs.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(navigate(contents, 'will-attach-webview', '')).toBe(true);

    await Promise.resolve();
    expect(electron.opened).toEqual(['https://github.com/login', 'https://docs.example/']);
    expect(logged.filter((l) => l.includes('blocked'))).toHaveLength(2);
  });
});

describe('hardenSession', () => {
  function fakeSession() {
    const s = {
      headers: null as null | ((details: unknown, cb: (r: unknown) => void) => void),
      request: null as null | ((...args: unknown[]) => void),
      check: null as null | ((...args: unknown[]) => boolean),
      webRequest: {
        onHeadersReceived: (fn: (details: unknown, cb: (r: unknown) => void) => void) => {
          s.headers = fn;
        },
      },
      setPermissionRequestHandler: (fn: (...args: unknown[]) => void) => {
        s.request = fn;
      },
      setPermissionCheckHandler: (fn: (...args: unknown[]) => boolean) => {
        s.check = fn;
      },
    };
    return s;
  }

  function headersFor(s: ReturnType<typeof fakeSession>, details: object) {
    let result: unknown;
    s.headers!(details, (r) => {
      result = r;
    });
    return result;
  }

  it('puts our CSP on our documents, replacing any other, and leaves the rest alone', () => {
    const s = fakeSession();
    hardenSession(s as never, built);
    expect(
      headersFor(s, {
        url: built.url,
        resourceType: 'mainFrame',
        responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] },
      }),
    ).toEqual({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [rendererCspHeader()] } });
    expect(
      headersFor(s, { url: 'https://avatars.githubusercontent.com/u/1', resourceType: 'image' }),
    ).toEqual({});
    expect(headersFor(s, { url: 'https://evil.example/', resourceType: 'mainFrame' })).toEqual({});
  });

  it('uses the development CSP with the dev server', () => {
    const s = fakeSession();
    hardenSession(s as never, dev);
    expect(
      headersFor(s, { url: 'http://localhost:5173/', resourceType: 'mainFrame', responseHeaders: {} }),
    ).toEqual({
      responseHeaders: { 'Content-Security-Policy': [rendererCspHeader('development')] },
    });
  });

  it('denies permissions except clipboard writes from our page', () => {
    const s = fakeSession();
    hardenSession(s as never, built);
    const answers: boolean[] = [];
    const contents = { getURL: () => built.url };
    s.request!(contents, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: built.url });
    s.request!(contents, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), {
      requestingUrl: built.url,
    });
    expect(answers).toEqual([false, true]);
    expect(s.check!(contents, 'clipboard-sanitized-write', 'file:///', { requestingUrl: built.url })).toBe(
      true,
    );
    expect(s.check!(contents, 'notifications', 'file:///', { requestingUrl: built.url })).toBe(false);
    expect(s.check!(null, 'clipboard-sanitized-write', '', {})).toBe(false);
  });
});

describe('the CSP', () => {
  it('production: nothing inline, nothing remote but GitHub avatars', () => {
    const meta = rendererCspMeta();
    expect(meta).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; " +
        "img-src 'self' data: https://avatars.githubusercontent.com; font-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; object-src 'none'",
    );
    expect(meta).not.toContain('unsafe');
    expect(meta).not.toContain('frame-ancestors');
    expect(rendererCspHeader()).toBe(`${meta}; frame-ancestors 'none'`);
  });

  it('development allows what Vite needs', () => {
    expect(rendererCspMeta('development')).toContain("script-src 'self' 'unsafe-inline'");
    expect(rendererCspMeta('development')).toContain('ws://localhost:*');
  });
});
