// The Electron build (`npm run build`, `npm start`): main process, sandboxed preload and the
// dashboard, into out/main, out/preload and out/renderer.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { rendererCspMeta } from './electron/csp.ts';

const at = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The dashboard's CSP as a meta in index.html (the main process also sends it as a header):
 * the strict one in the build, Vite's needs (inline preamble, WebSocket) in the dev server.
 * An existing CSP meta is replaced, so there is always exactly one.
 */
function contentSecurityPolicy(): Plugin {
  let mode: 'production' | 'development' = 'production';
  return {
    name: 'porthole-electron-csp',
    configResolved(config) {
      mode = config.command === 'serve' ? 'development' : 'production';
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const content = rendererCspMeta(mode);
        const existing = /<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>/i;
        const meta = `<meta http-equiv="Content-Security-Policy" content="${content}" />`;
        if (existing.test(html)) return html.replace(existing, meta);
        // After <meta charset>, which has to come first.
        const charset = /<meta\s+charset=[^>]*>/i;
        if (charset.test(html)) return html.replace(charset, (tag) => `${tag}\n    ${meta}`);
        return html.replace(/<head>/i, `<head>\n    ${meta}`);
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      // Every package.json dependency stays in node_modules (native ones must: better-sqlite3,
      // @napi-rs/keyring, @parcel/watcher; oidc-provider and pdfjs-dist load files of their own).
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          main: at('electron/main.ts'),
          // server/library/threads.ts starts `<name>.worker.js` beside itself in a bundled build.
          'index-writer.worker': at('server/library/index-writer.worker.ts'),
          'search.worker': at('server/library/search.worker.ts'),
        },
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          // Shared chunks beside the entries too: whichever chunk holds threads.ts, the
          // workers are `./<name>.worker.js` from it.
          chunkFileNames: '[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can not import anything: one self-contained CommonJS file.
      // (.cjs, because package.json says "type": "module".)
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: at('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    plugins: [react(), contentSecurityPolicy()],
    build: {
      rolldownOptions: { input: at('renderer/index.html') },
      // electron-vite leaves the renderer unminified; the same bundle the headless dashboard ships.
      minify: true,
    },
  },
});
