// The dashboard: served by the headless control listener (`porthole serve`) and loaded by the
// Electron window. `base: './'` keeps asset URLs relative, so the same build works from
// http://127.0.0.1:PORT/ and from a file:// or app:// URL.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

// Only in the built page: the dev server injects an inline script (React refresh) that it would block.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'porthole-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}

// `PORTHOLE_API=http://127.0.0.1:PORT npm run dev:renderer` points the dev server's /api at a
// running `porthole serve`, so the real headless API can be used with hot reload.
const api = process.env.PORTHOLE_API;
const proxy: Record<string, ProxyOptions> | undefined = api
  ? { '/api': { target: api, changeOrigin: true } }
  : undefined;

export default defineConfig({
  root,
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1', proxy },
  preview: { host: '127.0.0.1' },
});
