import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The dashboard `porthole serve` serves is built by Vite into dist/renderer. `npm run serve`
// used to build it before every start (about 10 s, even for --help); now serve builds it only
// when the build is missing or older than a source it is made from.

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The built dashboard's directory, when `npm run build:renderer` (or serve) has built it. */
export function builtDashboardDir(root = repoRoot): string | null {
  const dir = path.join(root, 'dist', 'renderer');
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : null;
}

/** What the build is made from: the renderer's files and the contract it imports. */
export function dashboardSources(root = repoRoot): string[] {
  return [path.join(root, 'renderer'), path.join(root, 'server', 'api.ts')];
}

/**
 * True when the built index.html is missing or older than any source file. False when there
 * are no sources (an installed copy without them has nothing to build from).
 */
export function dashboardIsStale(root = repoRoot): boolean {
  const sources = dashboardSources(root);
  if (!sources.some((source) => fs.existsSync(source))) return false;
  const built = fs.statSync(path.join(root, 'dist', 'renderer', 'index.html'), { throwIfNoEntry: false });
  if (!built) return true;
  return sources.some((source) => newerThan(source, built.mtimeMs));
}

function newerThan(file: string, time: number): boolean {
  const info = fs.statSync(file, { throwIfNoEntry: false });
  if (!info) return false;
  if (!info.isDirectory()) return info.mtimeMs > time;
  return fs
    .readdirSync(file)
    .some(
      (name) => name !== 'node_modules' && !name.startsWith('.') && newerThan(path.join(file, name), time),
    );
}

/** Builds the dashboard with Vite when it is stale. Resolves false (after saying why) when it could not. */
export async function buildDashboardIfStale(log: (line: string) => void, root = repoRoot): Promise<boolean> {
  if (!dashboardIsStale(root)) return true;
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(vite)) return false;
  log('Building the dashboard (its sources changed since the last build)…');
  const config = path.join(root, 'renderer', 'vite.config.ts');
  const child = spawn(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'error'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (exitCode) => resolve(exitCode));
    child.on('error', () => resolve(null));
  });
  if (code !== 0) log('The dashboard could not be built (see above); serving without it.');
  return code === 0;
}
