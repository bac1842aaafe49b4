// The two icon containers the installers want, written by hand: both are a header, a table and
// the images. ICNS (macOS) holds PNGs; ICO (Windows) holds a PNG for 256 px and uncompressed
// bitmaps below, the layout Windows' own guidelines use and every tool (rcedit, NSIS) reads.

/** ICNS entry types that hold a PNG, with the pixel size each expects (…@2x types are double). */
export const ICNS_TYPES: ReadonlyArray<readonly [type: string, pixels: number]> = [
  ['icp4', 16],
  ['ic11', 32],
  ['icp5', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic14', 512],
  ['ic09', 512],
  ['ic10', 1024],
];

export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** From this size up an ICO entry is a PNG (Windows Vista and later); below, a bitmap. */
const ICO_PNG_FROM = 64;

/** `pngOf(pixels)` gives the PNG of the icon at that size. */
export function encodeIcns(pngOf: (pixels: number) => Buffer): Buffer {
  const entries = ICNS_TYPES.map(([type, pixels]) => {
    const png = pngOf(pixels);
    const head = Buffer.alloc(8);
    head.write(type, 0, 4, 'latin1');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(entries);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 4, 'latin1');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}

export function encodeIco(rgbaOf: (pixels: number) => Uint8Array, pngOf: (pixels: number) => Buffer): Buffer {
  const images = ICO_SIZES.map((size) => (size >= ICO_PNG_FROM ? pngOf(size) : bitmap(size, rgbaOf(size))));
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach((image, i) => {
    const size = ICO_SIZES[i] as number;
    const at = 6 + 16 * i;
    header[at] = size >= 256 ? 0 : size; // 0 means 256
    header[at + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(image.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += image.length;
  });
  return Buffer.concat([header, ...images]);
}

/** A 32-bit BGRA DIB as ICO wants it: double height (colour rows, then the AND mask), bottom-up. */
function bitmap(size: number, rgba: Uint8Array): Buffer {
  const maskRow = Math.ceil(size / 32) * 4;
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8);
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  info.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(maskRow * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y;
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = (row * size + x) * 4;
      pixels[to] = rgba[from + 2] as number;
      pixels[to + 1] = rgba[from + 1] as number;
      pixels[to + 2] = rgba[from] as number;
      pixels[to + 3] = rgba[from + 3] as number;
      // Mask bit 1 = transparent, for readers that ignore the alpha channel.
      const bit = row * maskRow + (x >> 3);
      if (rgba[from + 3] === 0) mask[bit] = (mask[bit] ?? 0) | (0x80 >> (x & 7));
    }
  }
  return Buffer.concat([info, pixels, mask]);
}
