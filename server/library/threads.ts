import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * Starts one of the library's worker threads, `<name>.worker.ts` beside this module.
 * From source (tests, `npm run serve`) it is TypeScript and loads through tsx; a bundled
 * build must ship it as `<name>.worker.js` beside the bundle (see the packaging issue).
 */
export function spawnLibraryThread(
  name: string,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts'))
    return new Worker(new URL(`./${name}.worker.js`, here), { workerData, resourceLimits });
  const tsx = tsxEsmApiUrl(here);
  const entry = new URL(`./${name}.worker.ts`, here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}

/** tsx's ESM API entry, read from its exports map (require.resolve would give the CommonJS one). */
function tsxEsmApiUrl(from: string): string {
  const manifest = createRequire(from).resolve('tsx/package.json');
  const exports = JSON.parse(readFileSync(manifest, 'utf8')).exports['./esm/api'];
  return pathToFileURL(path.join(path.dirname(manifest), exports.import.default)).href;
}
