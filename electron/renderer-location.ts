// Where the dashboard comes from, and the one test every other check builds on: is this
// URL a page of ours? IPC sender checks, navigation, the CSP header and permissions all ask it.
import { pathToFileURL } from 'node:url';

export type RendererLocation =
  /** `electron-vite dev`: the Vite dev server on loopback. */
  | { kind: 'dev'; url: string }
  /** A build: `out/renderer/index.html`, loaded as a file: URL. */
  | { kind: 'file'; url: string };

/**
 * The dev server only in an unpackaged app, and only on loopback: an environment variable
 * must never point the packaged app (and its bridge to your folders) at another page.
 */
export function rendererLocation(options: {
  devServerUrl: string | undefined;
  isPackaged: boolean;
  indexHtmlPath: string;
}): RendererLocation {
  if (options.devServerUrl && !options.isPackaged && isLoopbackHttpUrl(options.devServerUrl))
    return { kind: 'dev', url: options.devServerUrl };
  return { kind: 'file', url: pathToFileURL(options.indexHtmlPath).href };
}

function isLoopbackHttpUrl(value: string): boolean {
  const url = parse(value);
  return (
    url?.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname.toLowerCase())
  );
}

/**
 * True for the dashboard's own pages: the dev server's origin, or exactly our index.html
 * (any query or fragment). Every other file: URL is someone else's page.
 */
export function isOurRendererUrl(value: string, renderer: RendererLocation): boolean {
  const url = parse(value);
  const ours = parse(renderer.url);
  if (!url || !ours) return false;
  if (renderer.kind === 'dev') return url.origin === ours.origin;
  return (
    url.protocol === 'file:' &&
    url.host === ours.host &&
    decodePath(url.pathname) !== null &&
    decodePath(url.pathname) === decodePath(ours.pathname)
  );
}

function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
