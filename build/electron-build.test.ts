// `npm run build` (electron-vite) produces what the installers pack: main with the library's
// workers beside it, the sandboxed preload, the dashboard. Built into a temporary folder, so the
// test never disturbs out/.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let out: string;

beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'porthole-electron-build-'));
  const bin = path.join(
    root,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite',
  );
  await promisify(execFile)(bin, ['build', '--outDir', out], {
    cwd: root,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    shell: process.platform === 'win32',
    maxBuffer: 16 * 1024 * 1024,
  });
}, 180_000);
afterAll(() => rm(out, { recursive: true, force: true }));

const mainFiles = () => readdirSync(path.join(out, 'main')).filter((f) => f.endsWith('.js'));

describe('npm run build output', () => {
  it('holds the main, preload and renderer bundles where main.ts and package.json expect them', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('out/main/main.js');
    for (const file of ['main/main.js', 'preload/preload.cjs', 'renderer/index.html'])
      expect(existsSync(path.join(out, file)), file).toBe(true);
    // The dashboard's scripts and styles resolve from index.html.
    const html = readFileSync(path.join(out, 'renderer/index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(existsSync(path.join(out, 'renderer', asset)), asset).toBe(true);
  });

  it('ships each library worker as <name>.worker.js beside the code that starts it', () => {
    const workers = mainFiles().filter((f) => f.endsWith('.worker.js'));
    expect(workers.sort()).toEqual(['index-writer.worker.js', 'search.worker.js']);
    // threads.ts resolves `./<name>.worker.js` against its own chunk: that chunk must sit in out/main too.
    const starters = readdirSync(path.join(out, 'main'), { recursive: true })
      .map(String)
      .filter(
        (f) => f.endsWith('.js') && readFileSync(path.join(out, 'main', f), 'utf8').includes('.worker.js'),
      );
    expect(starters.length).toBeGreaterThan(0);
    for (const starter of starters) expect(path.dirname(starter)).toBe('.');
  });

  it('the preload is one self-contained CommonJS file (a sandboxed preload can require only electron)', () => {
    const preload = readFileSync(path.join(out, 'preload/preload.cjs'), 'utf8');
    expect(preload).not.toMatch(/^\s*import\s/m);
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  it('main imports only Node built-ins, electron, and production dependencies (the packer ships nothing else)', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    const allowed = new Set([...Object.keys(pkg.dependencies), 'electron']);
    const builtins = new Set(builtinModules);
    const packages = new Set<string>();
    for (const file of mainFiles()) {
      const code = readFileSync(path.join(out, 'main', file), 'utf8');
      for (const match of code.matchAll(
        /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"'./][^"']*)["']/g,
      )) {
        const specifier = match[1] as string;
        if (specifier.startsWith('node:') || builtins.has(specifier.split('/')[0] as string)) continue;
        const parts = specifier.split('/');
        packages.add(specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string));
      }
    }
    expect(packages.size).toBeGreaterThan(5);
    expect([...packages].filter((p) => !allowed.has(p))).toEqual([]);
  });
});
