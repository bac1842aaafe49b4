import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { drawTrayIcon, encodePng, trayIconFileName } from './draw.ts';

/** Width, height and the alpha of (x, y) of an unfiltered 8-bit RGBA PNG, checking the CRCs. */
function decode(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(idat));
  expect(rows.length).toBe(height * (width * 4 + 1));
  const pixel = (x: number, y: number) => {
    const i = y * (width * 4 + 1) + 1 + x * 4;
    return [rows[i], rows[i + 1], rows[i + 2], rows[i + 3]];
  };
  return { width, height, pixel };
}

describe('tray icons', () => {
  it('encodes a PNG that decodes to the drawn pixels', () => {
    const png = decode(encodePng(16, 16, drawTrayIcon('connected', 16, false)));
    expect([png.width, png.height]).toEqual([16, 16]);
    expect(png.pixel(8, 8)).toEqual([0x2e, 0xa0, 0x43, 255]);
    expect(png.pixel(0, 0)[3]).toBe(0);
  });

  it('tells the states apart by shape: a dot, a ring, a dot with a bar', () => {
    const centre = (kind: 'connected' | 'off' | 'error') =>
      decode(encodePng(32, 32, drawTrayIcon(kind, 32, true)));
    expect(centre('connected').pixel(16, 16)).toEqual([0, 0, 0, 255]);
    expect(centre('off').pixel(16, 16)[3]).toBe(0);
    expect(centre('off').pixel(16, 5)[3]).toBe(255);
    expect(centre('error').pixel(16, 16)[3]).toBe(0);
    expect(centre('error').pixel(16, 9)[3]).toBe(255);
  });

  it('the shipped files are PNGs of the right size', () => {
    const dir = path.dirname(fileURLToPath(import.meta.url));
    for (const kind of ['connected', 'off', 'error'] as const)
      for (const template of [false, true])
        for (const scale of [1, 2] as const) {
          const png = decode(readFileSync(path.join(dir, trayIconFileName(kind, { template, scale }))));
          expect([png.width, png.height]).toEqual([16 * scale, 16 * scale]);
        }
  });
});
