import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtDashboardDir, dashboardIsStale } from './dashboard-build.ts';
import { removeDirs, tempDir } from './library/testing.ts';

// When `npm run serve` rebuilds the dashboard: only when its build is missing or older than a
// source. A checkout laid out in a temp folder, with file times set explicitly.

const dirs: string[] = [];
afterEach(async () => {
  await removeDirs(...dirs.splice(0));
});

function touch(file: string, secondsAgo: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, '');
  const time = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(file, time, time);
}

describe('dashboardIsStale', () => {
  it('is stale without a build, fresh after one, stale again when a source changes', async () => {
    const root = await tempDir('porthole-checkout-');
    dirs.push(root);
    touch(path.join(root, 'renderer', 'src', 'views', 'StatusView.tsx'), 100);
    touch(path.join(root, 'server', 'api.ts'), 100);
    expect(dashboardIsStale(root)).toBe(true);
    expect(builtDashboardDir(root)).toBeNull();

    touch(path.join(root, 'dist', 'renderer', 'index.html'), 50);
    expect(dashboardIsStale(root)).toBe(false);
    expect(builtDashboardDir(root)).toBe(path.join(root, 'dist', 'renderer'));

    // Not sources: the renderer's own node_modules and hidden files.
    touch(path.join(root, 'renderer', 'node_modules', '.vite', 'deps.json'), 0);
    touch(path.join(root, 'renderer', '.cache'), 0);
    expect(dashboardIsStale(root)).toBe(false);

    touch(path.join(root, 'renderer', 'src', 'views', 'StatusView.tsx'), 10);
    expect(dashboardIsStale(root)).toBe(true);
    touch(path.join(root, 'renderer', 'src', 'views', 'StatusView.tsx'), 100);
    touch(path.join(root, 'server', 'api.ts'), 10);
    expect(dashboardIsStale(root)).toBe(true);
  });

  it('is never stale where there are no sources to build from (an installed copy)', async () => {
    const root = await tempDir('porthole-installed-');
    dirs.push(root);
    expect(dashboardIsStale(root)).toBe(false);
  });
});
