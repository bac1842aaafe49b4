// The installers: `npm run dist` (this machine's OS and CPU), the release workflow (all of them).
// electron-builder loads this file itself (through jiti), so it may import TypeScript.
import type { Configuration } from 'electron-builder';
import { afterPack } from './after-pack.ts';

/** The same id electron/main.ts gives Windows for notifications (APP_ID there); macOS's bundle id. */
export const APP_ID = 'app.porthole';

/**
 * Where releases (and so auto-updates) live. The release workflow builds with GITHUB_REPOSITORY
 * set, so its installers point at the repository they were built in; set PORTHOLE_RELEASES_REPO
 * to publish elsewhere. OWNER/porthole is a placeholder: a local build with it checks a release
 * feed that does not exist, fails quietly, and updates nothing.
 */
export const RELEASES_PLACEHOLDER = 'OWNER/porthole';

export function releasesRepository(env: NodeJS.ProcessEnv): { owner: string; repo: string } {
  const spec = env.PORTHOLE_RELEASES_REPO || env.GITHUB_REPOSITORY || RELEASES_PLACEHOLDER;
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(spec);
  if (!match) throw new Error(`PORTHOLE_RELEASES_REPO/GITHUB_REPOSITORY must be owner/repo, not "${spec}"`);
  return { owner: match[1] as string, repo: match[2] as string };
}

/**
 * Real files beside app.asar: a native module is loaded with dlopen, which cannot read inside an
 * archive (Electron redirects the load to app.asar.unpacked). The loaders' JavaScript stays in
 * the asar; the per-platform packages napi-rs and @parcel/watcher publish are unpacked whole.
 */
export const NATIVE_UNPACK = [
  '**/node_modules/better-sqlite3/**',
  '**/node_modules/@napi-rs/keyring-*/**',
  '**/node_modules/@parcel/watcher/**',
  '**/node_modules/@parcel/watcher-*/**',
  '**/node_modules/@napi-rs/canvas-*/**',
  '**/*.node',
];

// biome-ignore lint/suspicious/noTemplateCurlyInString: electron-builder expands its own ${…} macros
const ARTIFACT_PER_ARCH = '${productName}-${version}-${arch}.${ext}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: electron-builder expands its own ${…} macros
const WINDOWS_SETUP = '${productName}-Setup-${version}.${ext}'; // one installer for x64 and arm64

/** Where each OS's installer finds cloudflared (put there by fetch-cloudflared.ts). */
const cloudflared = (platform: 'darwin' | 'win32' | 'linux') => [
  {
    from: `build/cloudflared/${platform}-\${arch}/`,
    to: 'cloudflared/',
    filter: ['cloudflared', 'cloudflared.exe'],
  },
];

export function createConfig(env: NodeJS.ProcessEnv = process.env): Configuration {
  return {
    appId: APP_ID,
    productName: 'Porthole',
    copyright: 'Copyright © Porthole contributors',
    directories: {
      buildResources: 'build',
      // dist/renderer is the headless dashboard's build; installers go beside it.
      output: 'dist/electron',
    },
    files: [
      // electron-vite's output: out/main (with the library's *.worker.js beside main.js), out/preload, out/renderer.
      'out/**/*',
      'package.json',
      '!**/*.map',
      // pdf.js: only legacy/build (the Node build server/library/extract/pdf.ts imports) and its data.
      '!**/node_modules/pdfjs-dist/{build,web,image_decoders,types}/**',
      '!**/node_modules/pdfjs-dist/legacy/{web,image_decoders}/**',
      // better-sqlite3: the compiled module is all it needs at run time, not SQLite's sources.
      '!**/node_modules/better-sqlite3/{deps,src}/**',
      '!**/node_modules/better-sqlite3/build/{deps,Release/obj}/**',
      '!**/node_modules/better-sqlite3/build/Release/{test_extension.node,*.a}',
      '!**/node_modules/@parcel/watcher/{src,scripts}/**',
    ],
    asar: true,
    asarUnpack: NATIVE_UNPACK,
    // better-sqlite3 is compiled against Electron's Node ABI for each architecture (@electron/rebuild);
    // the N-API modules (keyring, watcher, canvas) are prebuilt and load in any ABI.
    npmRebuild: true,
    nodeGypRebuild: false,
    buildDependenciesFromSource: false,
    // Fuses and the fit-to-ship checks; electron-builder's own `electronFuses` stays unset so
    // electron/fuses.ts is the one place that says which fuses are flipped.
    afterPack,
    publish: [{ provider: 'github', ...releasesRepository(env), releaseType: 'draft' }],

    mac: {
      target: ['dmg', 'zip'], // zip: what electron-updater downloads on macOS
      category: 'public.app-category.productivity',
      icon: 'build/icons/icon.icns',
      hardenedRuntime: true,
      entitlements: 'build/entitlements.mac.plist',
      entitlementsInherit: 'build/entitlements.mac.plist',
      // A tray app: no Dock icon, no app menu taking over the menu bar.
      extendInfo: { LSUIElement: true },
      extraResources: cloudflared('darwin'),
    },
    dmg: { artifactName: ARTIFACT_PER_ARCH },
    win: {
      target: ['nsis'],
      icon: 'build/icons/icon.ico',
      extraResources: cloudflared('win32'),
    },
    nsis: {
      artifactName: WINDOWS_SETUP,
      oneClick: true,
      perMachine: false,
      runAfterFinish: true,
      createDesktopShortcut: false,
      deleteAppDataOnUninstall: false,
    },
    linux: {
      target: ['AppImage', 'deb'],
      icon: 'build/icons/icon.png',
      category: 'Utility',
      executableName: 'porthole',
      synopsis: 'Let ChatGPT search folders on this computer',
      maintainer: 'Porthole contributors <porthole@users.noreply.github.com>',
      extraResources: cloudflared('linux'),
    },
    appImage: { artifactName: ARTIFACT_PER_ARCH },
  };
}

export default createConfig();
