// The tray icons, drawn in code: a dot per state. `npx tsx electron/icons/generate.ts`
// writes them as PNGs beside this file; replace those files to change the artwork.
import { deflateSync } from 'node:zlib';
import type { TrayIconKind } from '../tray.ts';

const COLOURS: Record<TrayIconKind, [number, number, number]> = {
  connected: [0x2e, 0xa0, 0x43],
  off: [0x8b, 0x94, 0x9e],
  error: [0xcf, 0x22, 0x2e],
};

/**
 * Is (x, y) (in units of the icon's size, 0..1) ink? connected: a filled dot; off: a ring;
 * error: a dot with a bar cut out ("no entry"). Shapes, not only colours, tell them apart,
 * so the black macOS template images work too.
 */
function ink(kind: TrayIconKind, x: number, y: number): boolean {
  const dx = x - 0.5;
  const dy = y - 0.5;
  const r = Math.hypot(dx, dy);
  const outer = 0.4;
  if (r > outer) return false;
  if (kind === 'off') return r >= outer * 0.6;
  if (kind === 'error') return !(Math.abs(dy) < outer * 0.17 && Math.abs(dx) < outer * 0.62);
  return true;
}

/** RGBA pixels, 4×4 supersampled edges. Template images are black; the rest coloured. */
export function drawTrayIcon(kind: TrayIconKind, size: number, template: boolean): Uint8Array {
  const [red, green, blue] = template ? [0, 0, 0] : COLOURS[kind];
  const pixels = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++)
          if (ink(kind, (px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)) covered++;
      const at = (py * size + px) * 4;
      pixels[at] = red;
      pixels[at + 1] = green;
      pixels[at + 2] = blue;
      pixels[at + 3] = Math.round((covered / (n * n)) * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG (no filtering: the images are tiny). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** File names of the icon files: `<kind>[Template][@2x].png`. */
export function trayIconFileName(kind: TrayIconKind, options: { template: boolean; scale: 1 | 2 }): string {
  return `${kind}${options.template ? 'Template' : ''}${options.scale === 2 ? '@2x' : ''}.png`;
}
