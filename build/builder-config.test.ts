import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { FileSet, PlatformSpecificBuildOptions } from 'electron-builder';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { binaryName } from '../server/tunnel/binary.ts';
import { afterPack } from './after-pack.ts';
import { ALL_TARGETS, targetKey } from './cloudflared-fetch.ts';
import config, {
  APP_ID,
  createConfig,
  NATIVE_UNPACK,
  RELEASES_PLACEHOLDER,
  releasesRepository,
} from './electron-builder.config.ts';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));

describe('the electron-builder config', () => {
  it('validates against electron-builder’s own JSON schema (scheme.json) with ajv', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // scheme.json marks hooks as {"typeof": "function"} (an ajv-keywords keyword): check it for real.
    ajv.addKeyword({ keyword: 'typeof', validate: (type: string, data: unknown) => typeof data === type });
    const validate = ajv.compile(schema);
    const valid = validate(createConfig({}));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // And the schema does catch mistakes: a misspelt option is refused.
    expect(validate({ ...createConfig({}), mac: { hardenedRuntme: true } })).toBe(false);
  });

  it('passes electron-builder’s own validation, loaded the way `electron-builder --config` loads it', async () => {
    const { getConfig } = require('app-builder-lib/out/util/config/load.js');
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const request = {
      packageKey: 'build',
      configFilename: 'electron-builder',
      projectDir: root,
      packageMetadata: null,
    };
    const { result } = await getConfig(request, 'build/electron-builder.config.ts');
    await validateConfiguration(result, { isEnabled: false, add() {} });
    expect(result.appId).toBe(APP_ID);
    expect(typeof result.afterPack).toBe('function');
  });

  it('uses the app id electron/main.ts gives Windows notifications', () => {
    const main = readFileSync(path.join(root, 'electron/main.ts'), 'utf8');
    expect(/export const APP_ID = '([^']+)'/.exec(main)?.[1]).toBe(APP_ID);
    expect(config).toMatchObject({ appId: 'app.porthole', productName: 'Porthole' });
  });

  it('packs electron-vite’s output and the app’s package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(config.files).toEqual(expect.arrayContaining(['out/**/*', 'package.json']));
    expect(minimatch(pkg.main, 'out/**/*')).toBe(true);
    expect(config.directories).toMatchObject({ buildResources: 'build', output: 'dist/electron' });
  });

  it('macOS: a hardened, Dock-less tray app with minimal entitlements; dmg plus the zip the updater needs', () => {
    expect(config.mac).toMatchObject({
      target: ['dmg', 'zip'],
      hardenedRuntime: true,
      entitlements: 'build/entitlements.mac.plist',
      entitlementsInherit: 'build/entitlements.mac.plist',
      extendInfo: { LSUIElement: true },
    });
    const plist = readFileSync(path.join(root, 'build/entitlements.mac.plist'), 'utf8').replace(
      /<!--[\s\S]*?-->/g,
      '',
    );
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    expect(keys).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.network.client',
      'com.apple.security.network.server',
    ]);
  });

  it('one installer type per OS: NSIS on Windows, AppImage and deb on Linux', () => {
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    // No CPU in the targets: `npm run dist` builds this machine's, the release workflow passes --x64/--arm64.
    for (const os of [config.mac, config.win, config.linux])
      for (const t of (os?.target ?? []) as string[]) expect(t).not.toContain(':');
  });

  it('every icon it names exists', () => {
    for (const icon of [config.mac?.icon, config.win?.icon, config.linux?.icon])
      expect(existsSync(path.join(root, icon as string)), String(icon)).toBe(true);
  });

  it('unpacks the native modules from the asar, and nothing that runs fine inside it', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toBe(NATIVE_UNPACK);
    const unpacked = (file: string) =>
      NATIVE_UNPACK.some((pattern) => minimatch(file, pattern, { dot: true }));
    for (const file of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/@napi-rs/keyring-darwin-arm64/keyring.darwin-arm64.node',
      'node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node',
      'node_modules/@parcel/watcher-linux-x64-glibc/watcher.node',
      'node_modules/@parcel/watcher/build/Release/watcher.node',
      'node_modules/@napi-rs/canvas-darwin-x64/skia.darwin-x64.node',
    ])
      expect(unpacked(file), file).toBe(true);
    // Workers and pdf.js data are read through Electron's asar support (workers have it since Electron 18).
    for (const file of [
      'out/main/main.js',
      'out/main/index-writer.worker.js',
      'out/main/search.worker.js',
      'node_modules/pdfjs-dist/cmaps/78-H.bcmap',
      'node_modules/pdfjs-dist/standard_fonts/FoxitSerif.pfb',
      'node_modules/@napi-rs/keyring/index.js',
    ])
      expect(unpacked(file), file).toBe(false);
    expect(config.npmRebuild).toBe(true);
    expect(config.nodeGypRebuild).toBe(false);
  });

  it('leaves out of node_modules only what nothing loads (electron-builder’s own matcher decides)', () => {
    const { getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher.js');
    const packager = { config, debugLogger: { isEnabled: false } };
    const matcher = getNodeModuleFileMatcher(root, 'app', (s: string) => s, {}, packager);
    const filter = matcher.createFilter();
    const kept = (file: string) =>
      filter(path.join(root, file), { isDirectory: () => false, moduleFullFilePath: file }) as boolean;
    for (const file of [
      'node_modules/pdfjs-dist/legacy/build/pdf.mjs',
      'node_modules/pdfjs-dist/legacy/build/pdf.worker.mjs',
      'node_modules/pdfjs-dist/cmaps/78-H.bcmap',
      'node_modules/pdfjs-dist/standard_fonts/FoxitSerif.pfb',
      'node_modules/pdfjs-dist/package.json',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3/lib/database.js',
      'node_modules/@parcel/watcher/index.js',
    ])
      expect(kept(file), file).toBe(true);
    for (const file of [
      'node_modules/pdfjs-dist/build/pdf.mjs',
      'node_modules/pdfjs-dist/web/pdf_viewer.mjs',
      'node_modules/pdfjs-dist/legacy/build/pdf.mjs.map',
      'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c',
      'node_modules/better-sqlite3/src/better_sqlite3.cpp',
      'node_modules/better-sqlite3/build/Release/test_extension.node',
    ])
      expect(kept(file), file).toBe(false);
  });

  it('puts cloudflared where the app looks for it, from where fetch-cloudflared puts it', () => {
    const sections = { darwin: config.mac, win32: config.win, linux: config.linux } as Record<
      string,
      PlatformSpecificBuildOptions | null | undefined
    >;
    for (const target of ALL_TARGETS) {
      const [resource] = (sections[target.platform]?.extraResources ?? []) as FileSet[];
      // biome-ignore lint/suspicious/noTemplateCurlyInString: electron-builder's macro, expanded per arch
      const from = (resource?.from ?? '').replace('${arch}', target.arch);
      expect(from).toBe(`build/cloudflared/${targetKey(target)}/`);
      expect(resource?.to).toBe('cloudflared/');
      expect(resource?.filter).toContain(binaryName(target.platform));
    }
    expect(config.extraResources).toBeUndefined();
  });

  it('applies fuses (and the fit-to-ship checks) after packing, not with electron-builder’s own fuse option', () => {
    expect(config.afterPack).toBe(afterPack);
    expect(config.electronFuses).toBeUndefined();
  });

  it('publishes drafts to GitHub Releases of the repository it is built in', () => {
    expect(createConfig({ GITHUB_REPOSITORY: 'octo/porthole' }).publish).toEqual([
      { provider: 'github', owner: 'octo', repo: 'porthole', releaseType: 'draft' },
    ]);
    expect(
      releasesRepository({ PORTHOLE_RELEASES_REPO: 'me/fork', GITHUB_REPOSITORY: 'octo/porthole' }),
    ).toEqual({
      owner: 'me',
      repo: 'fork',
    });
    expect(releasesRepository({})).toEqual({ owner: 'OWNER', repo: 'porthole' });
    expect(RELEASES_PLACEHOLDER).toBe('OWNER/porthole');
    expect(() => releasesRepository({ GITHUB_REPOSITORY: 'not a repo' })).toThrow('must be owner/repo');
  });
});
