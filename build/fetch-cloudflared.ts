// npx tsx build/fetch-cloudflared.ts [--platform P --arch A | --all] [--base-url URL] [--force]
// npx tsx build/fetch-cloudflared.ts --print-checksums [--base-url URL]
// Without a target it fetches the one this machine builds (`npm run dist` does that).
// The work is in cloudflared-fetch.ts; this only reads arguments and reports.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ALL_TARGETS,
  computeChecksums,
  fetchCloudflared,
  parseChecksumTable,
  parseTarget,
  TABLE_FILE,
} from './cloudflared-fetch.ts';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      platform: { type: 'string' },
      arch: { type: 'string' },
      all: { type: 'boolean', default: false },
      'base-url': { type: 'string' },
      'print-checksums': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const table = parseChecksumTable(JSON.parse(readFileSync(here(`./${TABLE_FILE}`), 'utf8')));
  const log = (line: string) => console.error(line);
  const baseUrl = values['base-url'];

  if (values['print-checksums']) {
    const pinned = await computeChecksums(table, { baseUrl, log });
    log(
      `Review these against the release notes of cloudflared ${table.version}, then paste into build/${TABLE_FILE}:`,
    );
    console.log(JSON.stringify(pinned, null, 2));
    return;
  }
  if (values.all && (values.platform || values.arch))
    throw new Error('Use --all or --platform/--arch, not both.');
  const targets = values.all
    ? ALL_TARGETS
    : [parseTarget(values.platform ?? process.platform, values.arch ?? process.arch)];
  await fetchCloudflared(targets, {
    table,
    destRoot: here('./cloudflared'),
    baseUrl,
    log,
    force: values.force,
  });
}

main().catch((error: Error) => {
  console.error(`fetch-cloudflared: ${error.message}`);
  process.exitCode = 1;
});
