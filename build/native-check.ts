// Checks a packaged app before it is signed: every native binary it will load is built for the OS
// and CPU the installer is for, and cloudflared is in resources/cloudflared/. Without this, a build
// for the other Mac (or Windows on Arm) packs the build machine's prebuilt keyring module, and the
// app fails only on the person's computer, at the first keychain read.
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { binaryName } from '../server/tunnel/binary.ts';
import type { Target, TargetPlatform } from './cloudflared-fetch.ts';

export type BinaryFormat = 'elf' | 'mach-o' | 'pe';
export interface BinaryInfo {
  format: BinaryFormat;
  /** Node's names (x64, arm64, ia32, arm); a universal Mach-O lists each of its slices. */
  archs: string[];
}

export const EXPECTED_FORMAT: Record<TargetPlatform, BinaryFormat> = {
  linux: 'elf',
  darwin: 'mach-o',
  win32: 'pe',
};

/** Native modules the app cannot run without: each needs one binary for the target. */
export const REQUIRED_NATIVE_MODULES = ['better-sqlite3', '@napi-rs/keyring', '@parcel/watcher'] as const;

const ELF_MACHINES: Record<number, string> = { 3: 'ia32', 40: 'arm', 62: 'x64', 183: 'arm64' };
const MACHO_CPUS: Record<number, string> = { 7: 'ia32', 12: 'arm', 16777223: 'x64', 16777228: 'arm64' };
const PE_MACHINES: Record<number, string> = { 332: 'ia32', 452: 'arm', 34404: 'x64', 43620: 'arm64' };

/** Format and CPU of an executable or shared library from its first bytes (4 KiB is plenty); null if neither. */
export function readBinaryInfo(head: Uint8Array): BinaryInfo | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const name = (table: Record<number, string>, value: number) =>
    table[value] ?? `unknown(0x${value.toString(16)})`;
  if (bytes.length >= 20 && bytes.readUInt32BE(0) === 0x7f454c46) {
    const machine = bytes[5] === 2 ? bytes.readUInt16BE(18) : bytes.readUInt16LE(18);
    return { format: 'elf', archs: [name(ELF_MACHINES, machine)] };
  }
  if (bytes.length >= 8 && bytes.readUInt32LE(0) === 0xfeedfacf) {
    return { format: 'mach-o', archs: [name(MACHO_CPUS, bytes.readUInt32LE(4))] };
  }
  if (bytes.length >= 8 && (bytes.readUInt32BE(0) === 0xcafebabe || bytes.readUInt32BE(0) === 0xcafebabf)) {
    const entrySize = bytes.readUInt32BE(0) === 0xcafebabe ? 20 : 32;
    const count = bytes.readUInt32BE(4);
    const archs: string[] = [];
    for (let i = 0; i < count && 8 + (i + 1) * entrySize <= bytes.length; i++)
      archs.push(name(MACHO_CPUS, bytes.readUInt32BE(8 + i * entrySize)));
    return count > 0 && archs.length === count ? { format: 'mach-o', archs } : null;
  }
  if (bytes.length >= 0x40 && bytes.toString('latin1', 0, 2) === 'MZ') {
    const pe = bytes.readUInt32LE(0x3c);
    if (pe + 6 > bytes.length || bytes.readUInt32BE(pe) !== 0x50450000) return null;
    return { format: 'pe', archs: [name(PE_MACHINES, bytes.readUInt16LE(pe + 4))] };
  }
  return null;
}

export interface PackageTargets {
  name: string;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

export interface PackagedNative {
  /** Relative to app.asar.unpacked, with forward slashes. */
  file: string;
  info: BinaryInfo | null;
  /** The package.json nearest the binary, if it was unpacked with it. */
  pkg: PackageTargets | null;
}

/**
 * Does a package say it is for another OS, CPU or C library (napi-rs and @parcel/watcher publish
 * one package per platform)? Such packages ride along unused. Linux installers are for glibc.
 */
export function declaresOtherTarget(pkg: PackageTargets | null, target: Target): boolean {
  if (!pkg) return false;
  // npm's rules: "!x" excludes x; a list of plain names allows only those.
  const excludes = (list: string[] | undefined, value: string) => {
    if (!Array.isArray(list)) return false;
    if (list.includes(`!${value}`)) return true;
    const allowed = list.filter((entry) => !entry.startsWith('!'));
    return allowed.length > 0 && !allowed.includes(value);
  };
  return (
    excludes(pkg.os, target.platform) ||
    excludes(pkg.cpu, target.arch) ||
    (target.platform === 'linux' && excludes(pkg.libc, 'glibc'))
  );
}

const describeBinary = (info: BinaryInfo) => `${info.format} ${info.archs.join('+')}`;
const fits = (info: BinaryInfo | null, target: Target, arch = target.arch) =>
  info !== null && info.format === EXPECTED_FORMAT[target.platform] && info.archs.includes(arch);

export function nativeProblems(target: Target, natives: readonly PackagedNative[]): string[] {
  const key = `${target.platform}-${target.arch}`;
  const problems: string[] = [];
  const used = natives.filter((n) => !declaresOtherTarget(n.pkg, target));
  for (const native of used) {
    if (!native.info) problems.push(`${native.file}: not a binary this check can read`);
    else if (!fits(native.info, target))
      problems.push(`${native.file} is built for ${describeBinary(native.info)}, not ${key}`);
  }
  for (const module of REQUIRED_NATIVE_MODULES) {
    const found = used.some((n) => belongsTo(n.file, module) && fits(n.info, target));
    if (!found)
      problems.push(
        `no ${module} binary for ${key} in the app: install the target's optional packages first ` +
          `(npx tsx build/install-target-natives.ts --platform ${target.platform} --arch ${target.arch}) ` +
          `or build on a ${key} machine`,
      );
  }
  return problems;
}

/** `node_modules/<module>/…` or one of its per-platform packages, `node_modules/<module>-<platform>…/`. */
function belongsTo(file: string, module: string): boolean {
  const marker = `node_modules/${module}`;
  const at = file.lastIndexOf(marker);
  if (at === -1) return false;
  const next = file[at + marker.length];
  return next === '/' || next === '-';
}

/**
 * cloudflared as the installer ships it: present, and runnable on the target. Windows on Arm
 * gets the x64 build (cloudflared publishes no arm64 one; Windows emulates x64).
 */
export function cloudflaredProblems(
  target: Target,
  info: BinaryInfo | null | 'missing',
  asset: string,
): string[] {
  const file = `resources/cloudflared/${binaryName(target.platform)}`;
  const key = `${target.platform}-${target.arch}`;
  if (info === 'missing')
    return [
      `${file} is missing: run \`npx tsx build/fetch-cloudflared.ts --platform ${target.platform} ` +
        `--arch ${target.arch}\` before packaging`,
    ];
  const arch = /amd64|x86_64/.test(asset) ? 'x64' : /arm64|aarch64/.test(asset) ? 'arm64' : target.arch;
  if (info === null) return [`${file} is not an executable this check can read`];
  if (!fits(info, target, arch))
    return [`${file} is built for ${describeBinary(info)}, not ${key} (expected ${asset})`];
  return [];
}

/** Every `.node` file under app.asar.unpacked, with its format and nearest package.json. */
export async function collectNatives(unpackedRoot: string): Promise<PackagedNative[]> {
  let entries: string[];
  try {
    entries = (await readdir(unpackedRoot, { recursive: true })).map(String);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const natives: PackagedNative[] = [];
  for (const entry of entries.filter((e) => e.endsWith('.node')).sort()) {
    const absolute = path.join(unpackedRoot, entry);
    natives.push({
      file: entry.split(path.sep).join('/'),
      info: readBinaryInfo(await readHead(absolute)),
      pkg: await nearestPackage(path.dirname(absolute), unpackedRoot),
    });
  }
  return natives;
}

export async function readHead(file: string, length = 4096): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function nearestPackage(dir: string, root: string): Promise<PackageTargets | null> {
  for (let current = dir; current.startsWith(root) && current !== root; current = path.dirname(current)) {
    try {
      const manifest = JSON.parse(await readFile(path.join(current, 'package.json'), 'utf8'));
      // A nested package.json without a name only marks a module type (e.g. {"type":"commonjs"}).
      if (typeof manifest.name === 'string') return manifest;
    } catch {
      // none here: look one level up
    }
  }
  return null;
}
