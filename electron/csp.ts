// The dashboard's Content Security Policy. No electron import: electron.vite.config.ts
// reads it too, to put the same policy into the built index.html.

/** GitHub avatars of the owner; everything else the dashboard shows is its own. */
const AVATARS = 'https://avatars.githubusercontent.com';

function policy(mode: 'production' | 'development'): [string, string[]][] {
  // In development Vite injects inline styles and the React refresh preamble, and talks to
  // its dev server over a WebSocket; a build has no inline code and no network.
  const dev = mode === 'development';
  return [
    ['default-src', ["'none'"]],
    ['script-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['style-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['img-src', ["'self'", 'data:', AVATARS]],
    ['font-src', ["'self'"]],
    ['connect-src', dev ? ["'self'", 'ws://localhost:*', 'ws://127.0.0.1:*'] : ["'self'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['object-src', ["'none'"]],
  ];
}

/**
 * For `<meta http-equiv="Content-Security-Policy">` in renderer/index.html. A meta can not
 * carry frame-ancestors (browsers ignore it there), so that one is only in the header.
 */
export function rendererCspMeta(mode: 'production' | 'development' = 'production'): string {
  return policy(mode)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

/** The same policy as the meta, plus frame-ancestors: set as a response header on our pages. */
export function rendererCspHeader(mode: 'production' | 'development' = 'production'): string {
  return `${rendererCspMeta(mode)}; frame-ancestors 'none'`;
}
