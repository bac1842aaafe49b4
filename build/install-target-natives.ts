// npx tsx build/install-target-natives.ts --platform darwin --arch x64
// Before building an installer for another CPU than this machine's: adds that CPU's prebuilt
// native packages at their locked versions, without touching package.json or the lockfile.
// (better-sqlite3 needs no package: electron-builder compiles it for each target arch.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseTarget } from './cloudflared-fetch.ts';
import { missingTargetPackages } from './target-natives.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function main(): void {
  const { values } = parseArgs({ options: { platform: { type: 'string' }, arch: { type: 'string' } } });
  const target = parseTarget(values.platform ?? process.platform, values.arch ?? process.arch);
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const installed = (name: string) => existsSync(path.join(root, 'node_modules', name, 'package.json'));
  const specs = missingTargetPackages(lock, target, installed);
  if (specs.length === 0) {
    console.error(`${target.platform}-${target.arch}: every native package is already installed`);
    return;
  }
  console.error(`${target.platform}-${target.arch}: installing ${specs.join(', ')}`);
  // --force: npm refuses packages for another OS/CPU otherwise. --no-save: the lockfile stays as it is.
  const args = ['install', '--no-save', '--force', '--ignore-scripts', '--no-audit', '--no-fund', ...specs];
  const npm = spawnSync('npm', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (npm.status !== 0) throw new Error(`npm install failed (exit ${npm.status ?? npm.signal})`);
  const still = specs.filter((spec) => !installed(spec.slice(0, spec.lastIndexOf('@'))));
  if (still.length > 0) throw new Error(`npm install did not install ${still.join(', ')}`);
}

try {
  main();
} catch (error) {
  console.error(`install-target-natives: ${(error as Error).message}`);
  process.exitCode = 1;
}
