import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { clip } from './errors.ts';

// The built dashboard (renderer/dist). It holds no data, so it needs no token; every path is
// checked to stay inside the folder before anything is opened.

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Porthole</title></head>
<body><h1>Porthole</h1>
<p>The dashboard is not built. Run <code>npm run build:renderer</code>, then start Porthole again.</p>
<p>The control API at <code>/api/</code> works without it.</p></body></html>
`;

export function staticDashboard(staticDir: string | null, log: (line: string) => void): RequestHandler {
  const root = staticDir ? fs.realpathSync(staticDir) : null;
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      res.status(405).type('text/plain').send('Method not allowed.\n');
      return;
    }
    if (root === null) {
      if (req.path !== '/') {
        res.status(404).type('text/plain').send('Not found.\n');
        return;
      }
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(NOT_BUILT_PAGE);
      return;
    }
    const relative = safeRelativePath(req.path);
    if (relative === null) {
      log(`control: refused ${req.method} ${clip(req.path)}: path leaves the dashboard folder`);
      res.status(400).type('text/plain').send('Bad path.\n');
      return;
    }
    try {
      const file = relative === '' ? null : await fileInside(root, relative);
      if (file) {
        // Vite names its bundles by content hash: they never change under the same name.
        const immutable = relative.startsWith('assets/');
        res.sendFile(file, {
          dotfiles: 'allow',
          headers: { 'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' },
        });
        return;
      }
      // Single-page app: every other path is a client-side route, answered by index.html.
      const index = await fileInside(root, 'index.html');
      if (!index) {
        res.status(404).type('text/plain').send('index.html is missing: run npm run build:renderer.\n');
        return;
      }
      res.sendFile(index, { dotfiles: 'allow', headers: { 'Cache-Control': 'no-cache' } });
    } catch (error) {
      next(error);
    }
  };
}

/**
 * The request path as a relative, '/'-separated path, or null when it could leave the folder:
 * `..` segments (also percent-encoded), NUL bytes, backslashes (Windows separators), bad escapes.
 */
export function safeRelativePath(requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || /^[a-zA-Z]:/.test(s))) return null;
  return segments.join('/');
}

/** The real path of a regular file under root (symlinks resolved, whole segments compared), else null. */
async function fileInside(root: string, relative: string): Promise<string | null> {
  try {
    const real = await fs.promises.realpath(path.join(root, relative));
    if (!real.startsWith(root + path.sep)) return null;
    return (await fs.promises.stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}
