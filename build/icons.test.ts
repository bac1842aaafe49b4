import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES } from './icon-formats.ts';
import { parseSvg, renderSvg } from './icon-render.ts';
import { ICON_SOURCE, ICONS_DIR, makeIcons } from './make-icons.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const icon = (name: string) => readFileSync(path.join(ICONS_DIR, name));

/** Width and height from a PNG's IHDR; throws if it is no PNG. */
function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the generated icons', () => {
  it('icon.png is a 1024 × 1024 RGBA PNG whose pixels decode', () => {
    const png = icon('icon.png');
    expect(pngSize(png)).toEqual({ width: 1024, height: 1024 });
    expect(png[25]).toBe(6); // colour type: RGBA
    const idat = png.indexOf('IDAT');
    const rows = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect(rows.length).toBe(1024 * (1024 * 4 + 1));
    // Transparent corner (outside the rounded tile), opaque centre (the glass).
    expect(rows[1 + 3]).toBe(0);
    const centre = 512 * (1024 * 4 + 1) + 1 + 512 * 4;
    expect(rows[centre + 3]).toBe(255);
  });

  it('icon.ico: header, one entry per size, PNG from 64 px, bitmaps below', () => {
    const ico = icon('icon.ico');
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(ICO_SIZES.length);
    let end = 6 + 16 * ICO_SIZES.length;
    ICO_SIZES.forEach((size, i) => {
      const at = 6 + 16 * i;
      expect(ico[at] || 256).toBe(size);
      expect(ico[at + 1] || 256).toBe(size);
      expect(ico.readUInt16LE(at + 6)).toBe(32);
      const length = ico.readUInt32LE(at + 8);
      const offset = ico.readUInt32LE(at + 12);
      expect(offset).toBe(end);
      end += length;
      const image = ico.subarray(offset, offset + length);
      if (size >= 64) expect(pngSize(image)).toEqual({ width: size, height: size });
      else {
        expect(image.readUInt32LE(0)).toBe(40);
        expect([image.readInt32LE(4), image.readInt32LE(8), image.readUInt16LE(14)]).toEqual([
          size,
          size * 2,
          32,
        ]);
        expect(length).toBe(40 + size * size * 4 + Math.ceil(size / 32) * 4 * size);
      }
    });
    expect(end).toBe(ico.length);
    expect(ICO_SIZES.at(-1)).toBe(256);
  });

  it('icon.icns: header, length, and a PNG of the right size in every entry up to 1024', () => {
    const icns = icon('icon.icns');
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const seen: string[] = [];
    for (let at = 8; at < icns.length; ) {
      const type = icns.toString('latin1', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      const pixels = ICNS_TYPES.find(([t]) => t === type)?.[1];
      expect(pixels, type).toBeDefined();
      expect(pngSize(icns.subarray(at + 8, at + length))).toEqual({ width: pixels, height: pixels });
      seen.push(type);
      at += length;
    }
    expect(seen).toEqual(ICNS_TYPES.map(([t]) => t));
    expect(seen).toContain('ic10');
  });

  it('are what make-icons.ts makes from icon-source.svg today (run it after changing the source)', () => {
    const made = makeIcons(readFileSync(ICON_SOURCE, 'utf8'));
    expect(made.png.equals(icon('icon.png'))).toBe(true);
    expect(made.icns.equals(icon('icon.icns'))).toBe(true);
    expect(made.ico.equals(icon('icon.ico'))).toBe(true);
  });
});

describe('the SVG renderer', () => {
  it('draws circles, rings and rounded rectangles with soft edges', () => {
    const image = parseSvg(
      '<svg viewBox="0 0 8 8"><rect x="0" y="0" width="8" height="8" rx="2" fill="#ff0000"/>' +
        '<circle cx="4" cy="4" r="2" fill="none" stroke="#0000ff" stroke-width="1"/></svg>',
    );
    const px = renderSvg(image, 8);
    const at = (x: number, y: number) => Array.from(px.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 4));
    expect(at(0, 0)[3]).toBeLessThan(128); // rounded-off corner
    expect(at(4, 0)).toEqual([255, 0, 0, 255]); // tile edge
    expect(at(4, 4)).toEqual([255, 0, 0, 255]); // inside the ring: no fill
    expect(at(4, 1)[2]).toBeGreaterThan(100); // on the ring: blue
  });

  it('refuses what it cannot draw, so the source and the icons never differ', () => {
    expect(() => parseSvg('<svg viewBox="0 0 8 8"><path d="M0 0L8 8"/></svg>')).toThrow(
      '<path> is not supported',
    );
    expect(() => parseSvg('<svg viewBox="0 0 8 8"><circle cx="1" cy="1" r="1" fill="red"/></svg>')).toThrow(
      'colour "red" is not supported',
    );
    expect(() => parseSvg('<svg width="8"></svg>')).toThrow('viewBox');
  });
});
