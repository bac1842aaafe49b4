// npx tsx build/fetch-cloudflared.ts [--platform P --arch A | --all] [--base-url URL] [--force]
// npx tsx build/fetch-cloudflared.ts --print-checksums [--base-url URL]
// Without a target it fetches the one this machine builds (`npm run dist` does that).
// --table FILE and --dest DIR replace build/cloudflared-checksums.json and build/cloudflared
// (the tests run this script against a loopback server with a table of their own).
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
      table: { type: 'string' },
      dest: { type: 'string' },
    },
    strict: true,
  });
  const tableFile = values.table ?? here(`./${TABLE_FILE}`);
  const table = parseChecksumTable(JSON.parse(readFileSync(tableFile, 'utf8')));
  const log = (line: string) => console.error(line);
  const warn = (line: string) => console.error(`fetch-cloudflared: warning: ${line}`);
  const baseUrl = values['base-url'];

  if (values['print-checksums']) {
    const pinned = await computeChecksums(table, { baseUrl, log });
    log(
      `Compare these digit for digit with two public sources each (build/README.md), record the sources, then paste into build/${TABLE_FILE}:`,
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
    destRoot: values.dest ?? here('./cloudflared'),
    baseUrl,
    log,
    warn,
    force: values.force,
  });
}

main().catch((error: Error) => {
  console.error(`fetch-cloudflared: ${error.message}`);
  process.exitCode = 1;
});
