// Writes the tray icons: `npx tsx electron/icons/generate.ts`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrayIconKind } from '../tray.ts';
import { drawTrayIcon, encodePng, trayIconFileName } from './draw.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const kinds: TrayIconKind[] = ['connected', 'off', 'error'];

for (const kind of kinds)
  for (const template of [false, true])
    for (const scale of [1, 2] as const) {
      const size = 16 * scale;
      const file = path.join(here, trayIconFileName(kind, { template, scale }));
      writeFileSync(file, encodePng(size, size, drawTrayIcon(kind, size, template)));
      console.log(path.relative(process.cwd(), file));
    }
