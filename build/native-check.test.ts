import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as fuses from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';
import { afterAll, describe, expect, it } from 'vitest';
import lock from '../package-lock.json' with { type: 'json' };
import { afterPack, fuseConfig, packagedAppProblems } from './after-pack.ts';
import { parseTarget } from './cloudflared-fetch.ts';
import {
  cloudflaredProblems,
  collectNatives,
  declaresOtherTarget,
  nativeProblems,
  type PackagedNative,
  readBinaryInfo,
  readHead,
} from './native-check.ts';
import { missingTargetPackages } from './target-natives.ts';

/** The first bytes of a binary of each kind, as far as readBinaryInfo looks. */
function elf(machine: number): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2;
  b[5] = 1; // little-endian
  b.writeUInt16LE(machine, 18);
  return b;
}
function macho(cpu: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(0xfeedfacf, 0);
  b.writeUInt32LE(cpu, 4);
  return b;
}
function fat(...cpus: number[]): Buffer {
  const b = Buffer.alloc(8 + 20 * cpus.length);
  b.writeUInt32BE(0xcafebabe, 0);
  b.writeUInt32BE(cpus.length, 4);
  for (const [i, cpu] of cpus.entries()) b.writeUInt32BE(cpu, 8 + 20 * i);
  return b;
}
function pe(machine: number): Buffer {
  const b = Buffer.alloc(0x100);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.writeUInt32BE(0x50450000, 0x80);
  b.writeUInt16LE(machine, 0x84);
  return b;
}
const BIN = {
  linuxX64: elf(0x3e),
  linuxArm64: elf(0xb7),
  macX64: macho(0x01000007),
  macArm64: macho(0x0100000c),
  macUniversal: fat(0x01000007, 0x0100000c),
  winX64: pe(0x8664),
  winArm64: pe(0xaa64),
};

describe('readBinaryInfo', () => {
  it('tells format and CPU of ELF, Mach-O (thin and universal) and PE', () => {
    expect(readBinaryInfo(BIN.linuxX64)).toEqual({ format: 'elf', archs: ['x64'] });
    expect(readBinaryInfo(BIN.linuxArm64)).toEqual({ format: 'elf', archs: ['arm64'] });
    expect(readBinaryInfo(BIN.macX64)).toEqual({ format: 'mach-o', archs: ['x64'] });
    expect(readBinaryInfo(BIN.macArm64)).toEqual({ format: 'mach-o', archs: ['arm64'] });
    expect(readBinaryInfo(BIN.macUniversal)).toEqual({ format: 'mach-o', archs: ['x64', 'arm64'] });
    expect(readBinaryInfo(BIN.winX64)).toEqual({ format: 'pe', archs: ['x64'] });
    expect(readBinaryInfo(BIN.winArm64)).toEqual({ format: 'pe', archs: ['arm64'] });
    expect(readBinaryInfo(Buffer.from('#!/bin/sh\necho hi\n'))).toBeNull();
  });

  it('reads this machine’s own Node binary', async () => {
    const info = readBinaryInfo(await readHead(process.execPath));
    const format = { linux: 'elf', darwin: 'mach-o', win32: 'pe' }[process.platform as string];
    expect(info?.format).toBe(format);
    expect(info?.archs).toContain(process.arch);
  });
});

const keyring = (suffix: string, os: string, cpu: string, libc?: string): PackagedNative => ({
  file: `node_modules/@napi-rs/keyring-${suffix}/keyring.${suffix}.node`,
  info: readBinaryInfo(
    {
      darwin: { x64: BIN.macX64, arm64: BIN.macArm64 },
      linux: { x64: BIN.linuxX64, arm64: BIN.linuxArm64 },
      win32: { x64: BIN.winX64, arm64: BIN.winArm64 },
    }[os]![cpu as 'x64']!,
  ),
  pkg: { name: `@napi-rs/keyring-${suffix}`, os: [os], cpu: [cpu], ...(libc ? { libc: [libc] } : {}) },
});
const sqlite = (bin: Buffer): PackagedNative => ({
  file: 'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  info: readBinaryInfo(bin),
  pkg: { name: 'better-sqlite3' },
});
const watcher = (bin: Buffer, suffix: string, os: string, cpu: string): PackagedNative => ({
  file: `node_modules/@parcel/watcher-${suffix}/watcher.node`,
  info: readBinaryInfo(bin),
  pkg: { name: `@parcel/watcher-${suffix}`, os: [os], cpu: [cpu] },
});

describe('nativeProblems', () => {
  const macX64 = parseTarget('darwin', 'x64');
  const macArm = parseTarget('darwin', 'arm64');

  it('an Intel Mac app packed on Apple silicon without the x64 packages is refused', () => {
    const natives = [
      sqlite(BIN.macX64), // electron-builder rebuilt it for the target
      keyring('darwin-arm64', 'darwin', 'arm64'),
      watcher(BIN.macArm64, 'darwin-arm64', 'darwin', 'arm64'),
    ];
    const problems = nativeProblems(macX64, natives);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('no @napi-rs/keyring binary for darwin-x64');
    expect(problems[0]).toContain('npx tsx build/install-target-natives.ts --platform darwin --arch x64');
    expect(problems[1]).toContain('no @parcel/watcher binary for darwin-x64');
  });

  it('with both CPUs’ packages present, each app uses its own and ignores the other', () => {
    const natives = [
      keyring('darwin-arm64', 'darwin', 'arm64'),
      keyring('darwin-x64', 'darwin', 'x64'),
      watcher(BIN.macArm64, 'darwin-arm64', 'darwin', 'arm64'),
      watcher(BIN.macX64, 'darwin-x64', 'darwin', 'x64'),
    ];
    expect(nativeProblems(macX64, [sqlite(BIN.macX64), ...natives])).toEqual([]);
    expect(nativeProblems(macArm, [sqlite(BIN.macUniversal), ...natives])).toEqual([]);
  });

  it('a module without a platform in its package.json must match: better-sqlite3 left for the build machine is refused', () => {
    const natives = [
      sqlite(BIN.macArm64),
      keyring('darwin-x64', 'darwin', 'x64'),
      watcher(BIN.macX64, 'darwin-x64', 'darwin', 'x64'),
    ];
    expect(nativeProblems(macX64, natives)).toEqual([
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node is built for mach-o arm64, not darwin-x64',
      expect.stringContaining('no better-sqlite3 binary for darwin-x64'),
    ]);
  });

  it('@parcel/watcher compiled into its own build/Release counts for the watcher', () => {
    const rebuilt: PackagedNative = {
      file: 'node_modules/@parcel/watcher/build/Release/watcher.node',
      info: readBinaryInfo(BIN.winArm64),
      pkg: { name: '@parcel/watcher' },
    };
    const winArm = parseTarget('win32', 'arm64');
    expect(
      nativeProblems(winArm, [sqlite(BIN.winArm64), keyring('win32-arm64-msvc', 'win32', 'arm64'), rebuilt]),
    ).toEqual([]);
  });

  it('Linux installers are for glibc: a musl package does not count, a Linux binary in a Windows app is refused', () => {
    const linux = parseTarget('linux', 'x64');
    const musl = keyring('linux-x64-musl', 'linux', 'x64', 'musl');
    expect(declaresOtherTarget(musl.pkg, linux)).toBe(true);
    expect(
      nativeProblems(linux, [
        sqlite(BIN.linuxX64),
        musl,
        watcher(BIN.linuxX64, 'linux-x64-glibc', 'linux', 'x64'),
      ]),
    ).toEqual([expect.stringContaining('no @napi-rs/keyring binary for linux-x64')]);
    const win = parseTarget('win32', 'x64');
    expect(nativeProblems(win, [sqlite(BIN.linuxX64)])[0]).toBe(
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node is built for elf x64, not win32-x64',
    );
  });

  it('npm’s "!os" form is understood', () => {
    expect(declaresOtherTarget({ name: 'x', os: ['!win32'] }, parseTarget('win32', 'x64'))).toBe(true);
    expect(declaresOtherTarget({ name: 'x', os: ['!win32'] }, parseTarget('linux', 'x64'))).toBe(false);
  });
});

describe('cloudflaredProblems', () => {
  it('missing: says how to fetch it', () => {
    expect(cloudflaredProblems(parseTarget('linux', 'arm64'), 'missing', 'cloudflared-linux-arm64')).toEqual([
      'resources/cloudflared/cloudflared is missing: run `npx tsx build/fetch-cloudflared.ts --platform linux --arch arm64` before packaging',
    ]);
  });

  it('Windows on Arm ships the x64 exe; anything else must match the target', () => {
    expect(
      cloudflaredProblems(
        parseTarget('win32', 'arm64'),
        readBinaryInfo(BIN.winX64),
        'cloudflared-windows-amd64.exe',
      ),
    ).toEqual([]);
    expect(
      cloudflaredProblems(
        parseTarget('darwin', 'arm64'),
        readBinaryInfo(BIN.macArm64),
        'cloudflared-darwin-arm64.tgz',
      ),
    ).toEqual([]);
    expect(
      cloudflaredProblems(
        parseTarget('linux', 'x64'),
        readBinaryInfo(BIN.linuxArm64),
        'cloudflared-linux-amd64',
      ),
    ).toEqual([
      'resources/cloudflared/cloudflared is built for elf arm64, not linux-x64 (expected cloudflared-linux-amd64)',
    ]);
    expect(
      cloudflaredProblems(parseTarget('win32', 'x64'), null, 'cloudflared-windows-amd64.exe')[0],
    ).toContain('not an executable');
  });
});

describe('missingTargetPackages (install-target-natives)', () => {
  it('from the real lockfile: the Intel Mac’s prebuilt packages, production only, at locked versions', () => {
    const specs = missingTargetPackages(lock, parseTarget('darwin', 'x64'), () => false);
    expect(specs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^@napi-rs\/keyring-darwin-x64@\d/),
        expect.stringMatching(/^@parcel\/watcher-darwin-x64@\d/),
      ]),
    );
    // Build tools' platform packages (esbuild, rollup…) are dev dependencies: never packed, never installed.
    // Each is for the Intel Mac: built for x64, or universal (@ngrok/ngrok-darwin-universal).
    expect(specs.every((s) => /darwin-(x64|universal)@/.test(s))).toBe(true);
    expect(specs.some((s) => s.startsWith('@esbuild/') || s.startsWith('@rollup/'))).toBe(false);
  });

  it('Linux arm64 gets the glibc packages, and nothing already installed', () => {
    const specs = missingTargetPackages(lock, parseTarget('linux', 'arm64'), (name) =>
      name.includes('watcher'),
    );
    expect(specs.some((s) => s.startsWith('@napi-rs/keyring-linux-arm64-gnu@'))).toBe(true);
    expect(specs.some((s) => s.includes('musl') || s.includes('watcher'))).toBe(false);
  });
});

describe('afterPack', () => {
  const roots: string[] = [];
  afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

  /** A linux-x64 app folder: resources with unpacked natives and cloudflared, and an "Electron" with a fuse wire. */
  async function packedApp(options: { cloudflared?: Buffer | null } = {}) {
    const root = await mkdtemp(path.join(os.tmpdir(), 'porthole-afterpack-'));
    roots.push(root);
    const resources = path.join(root, 'resources');
    const put = async (relative: string, data: Buffer | string) => {
      await mkdir(path.dirname(path.join(resources, relative)), { recursive: true });
      await writeFile(path.join(resources, relative), data);
    };
    const unpacked = 'app.asar.unpacked/node_modules';
    await put(`${unpacked}/better-sqlite3/package.json`, '{"name":"better-sqlite3"}');
    await put(`${unpacked}/better-sqlite3/build/Release/better_sqlite3.node`, BIN.linuxX64);
    await put(
      `${unpacked}/@napi-rs/keyring-linux-x64-gnu/package.json`,
      '{"name":"@napi-rs/keyring-linux-x64-gnu","os":["linux"],"cpu":["x64"],"libc":["glibc"]}',
    );
    await put(`${unpacked}/@napi-rs/keyring-linux-x64-gnu/keyring.linux-x64-gnu.node`, BIN.linuxX64);
    await put(
      `${unpacked}/@parcel/watcher-linux-x64-glibc/package.json`,
      '{"name":"@parcel/watcher-linux-x64-glibc","os":["linux"],"cpu":["x64"]}',
    );
    await put(`${unpacked}/@parcel/watcher-linux-x64-glibc/watcher.node`, BIN.linuxX64);
    if (options.cloudflared !== null)
      await put('cloudflared/cloudflared', options.cloudflared ?? BIN.linuxX64);
    // Electron's fuse wire: sentinel, version 1, 9 fuses, as Electron ships them.
    const electron = path.join(root, 'porthole');
    await writeFile(
      electron,
      Buffer.concat([
        BIN.linuxX64,
        Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX\x01\x09101100011', 'latin1'),
      ]),
    );
    const flipped: unknown[] = [];
    const context = {
      appOutDir: root,
      electronPlatformName: 'linux',
      arch: 1, // Arch.x64
      packager: {
        getResourcesDir: (appOutDir: string) => path.join(appOutDir, 'resources'),
        addElectronFuses: async (_context: unknown, config: fuses.FuseConfig) => {
          flipped.push(config);
          return fuses.flipFuses(electron, config);
        },
      },
    } as unknown as AfterPackContext;
    return { root, resources, electron, context, flipped };
  }

  it('a fit app: no problems, and the fuses electron/fuses.ts chooses are flipped in the binary', async () => {
    const app = await packedApp();
    expect(await packagedAppProblems(parseTarget('linux', 'x64'), app.resources)).toEqual([]);
    await afterPack(app.context);
    expect(app.flipped).toHaveLength(1);
    const wire = await fuses.getCurrentFuseWire(app.electron);
    const { FuseV1Options, FuseState } = fuses;
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    // Left alone: the dashboard is served from file:// and needs its privileges.
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.ENABLE);
    expect((await collectNatives(path.join(app.resources, 'app.asar.unpacked'))).map((n) => n.file)).toEqual([
      'node_modules/@napi-rs/keyring-linux-x64-gnu/keyring.linux-x64-gnu.node',
      'node_modules/@parcel/watcher-linux-x64-glibc/watcher.node',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    ]);
  });

  it('an unfit app (no cloudflared, or one for another CPU) fails before any fuse is flipped', async () => {
    const missing = await packedApp({ cloudflared: null });
    await expect(afterPack(missing.context)).rejects.toThrow(
      /The linux-x64 app is not fit to ship:\n {2}- resources\/cloudflared\/cloudflared is missing/,
    );
    const wrong = await packedApp({ cloudflared: BIN.linuxArm64 });
    await expect(afterPack(wrong.context)).rejects.toThrow('built for elf arm64, not linux-x64');
    expect([...missing.flipped, ...wrong.flipped]).toEqual([]);
    expect((await readFile(wrong.electron)).subarray(-9).toString('latin1')).toBe('101100011');
  });

  it('Apple silicon builds reset the ad-hoc signature the flip breaks; test builds keep the inspector', () => {
    const { FuseV1Options } = fuses;
    expect(fuseConfig(parseTarget('darwin', 'arm64'), {}, fuses)).toMatchObject({
      version: '1',
      resetAdHocDarwinSignature: true,
      [FuseV1Options.RunAsNode]: false,
    });
    expect(fuseConfig(parseTarget('darwin', 'x64'), {}, fuses).resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfig(parseTarget('linux', 'x64'), { PORTHOLE_TEST_BUILD: '1' }, fuses)).toMatchObject({
      [FuseV1Options.EnableNodeCliInspectArguments]: true,
    });
  });
});
