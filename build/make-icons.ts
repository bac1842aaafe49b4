// npx tsx build/make-icons.ts: build/icon-source.svg → build/icons/icon.png (1024), icon.icns, icon.ico.
// Offline and dependency-free (icon-render.ts draws, electron/icons/draw.ts encodes PNG). The
// output is deterministic, and committed; a test checks it matches the source.
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { encodePng } from '../electron/icons/draw.ts';
import { encodeIcns, encodeIco } from './icon-formats.ts';
import { parseSvg, renderSvg } from './icon-render.ts';

export const ICON_SOURCE = fileURLToPath(new URL('./icon-source.svg', import.meta.url));
export const ICONS_DIR = fileURLToPath(new URL('./icons/', import.meta.url));

export function makeIcons(svg: string): { png: Buffer; icns: Buffer; ico: Buffer } {
  const image = parseSvg(svg);
  // Each size is drawn from the vector shapes, not scaled down from 1024, so small icons stay sharp.
  const rgbaOf = memo((size) => renderSvg(image, size));
  const pngOf = memo((size) => encodePng(size, size, rgbaOf(size)));
  return { png: pngOf(1024), icns: encodeIcns(pngOf), ico: encodeIco(rgbaOf, pngOf) };
}

/** Several entries share a size (ICNS has 256 px twice); each is drawn and encoded once. */
function memo<T>(make: (size: number) => T): (size: number) => T {
  const made = new Map<number, T>();
  return (size) => {
    const known = made.get(size);
    if (known !== undefined) return known;
    const value = make(size);
    made.set(size, value);
    return value;
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const icons = makeIcons(readFileSync(ICON_SOURCE, 'utf8'));
  await mkdir(ICONS_DIR, { recursive: true });
  for (const [name, bytes] of Object.entries({
    'icon.png': icons.png,
    'icon.icns': icons.icns,
    'icon.ico': icons.ico,
  })) {
    writeFileSync(`${ICONS_DIR}${name}`, bytes);
    console.log(`build/icons/${name}: ${bytes.length} bytes`);
  }
}
