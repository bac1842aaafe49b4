// One file out of a .tgz, without a dependency: cloudflared's macOS assets are a gzipped tar
// holding the single binary. Enough of ustar (plus GNU long names and pax paths) for that.
import { gunzipSync } from 'node:zlib';

const BLOCK = 512;

/** The bytes of the regular file whose base name is `name`; throws when the archive has none. */
export function extractFileFromTgz(tgz: Uint8Array, name: string): Buffer {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz);
  } catch (error) {
    throw new Error(`the archive is not gzip data (${(error as Error).message})`);
  }
  let offset = 0;
  let nextName: string | null = null;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = parseOctal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] ?? 0);
    const body = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    if (body.length < size) throw new Error('the archive is truncated');
    const entryName = nextName ?? headerName(header);
    nextName = null;
    if (type === 'L') nextName = cString(body);
    else if (type === 'x') nextName = paxPath(body);
    else if ((type === '0' || type === '\0') && baseName(entryName) === name) return Buffer.from(body);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error(`the archive holds no file named ${name}`);
}

function headerName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const ustar = header.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = ustar ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

function parseOctal(field: Uint8Array): number {
  const text = cString(field).trim();
  const value = text === '' ? 0 : Number.parseInt(text, 8);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error('the archive has a damaged header');
  return value;
}

/** A pax extended header's `path` record ("<len> path=<value>\n"), or null. */
function paxPath(body: Buffer): string | null {
  for (const record of body.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1] ?? null;
  }
  return null;
}

function baseName(entry: string): string {
  const parts = entry.split('/').filter((part) => part !== '' && part !== '.');
  return parts.at(-1) ?? '';
}
