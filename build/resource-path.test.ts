// The packaged layouts: extraResources puts cloudflared in <resources>/cloudflared/, and the app
// (server/tunnel/binary.ts, given process.resourcesPath) must find it there on every OS.

import { statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FileSet } from 'electron-builder';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryName, resolveCloudflaredBinary } from '../server/tunnel/binary.ts';
import config from './electron-builder.config.ts';

/** Where electron-builder copies the bundled binary, relative to resources/, per the config. */
function bundledRelative(
  section: { extraResources?: unknown } | null | undefined,
  platform: NodeJS.Platform,
) {
  const [resource] = (section?.extraResources ?? []) as FileSet[];
  return `${resource?.to ?? ''}${binaryName(platform)}`;
}

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

const isFile = (file: string) => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

describe('the packaged app finds its bundled cloudflared', () => {
  it.each([
    ['linux', config.linux, 'opt/Porthole/resources'],
    ['darwin', config.mac, 'Applications/Porthole.app/Contents/Resources'],
  ] as const)(
    '%s: <resourcesPath>/cloudflared/cloudflared, on a real folder layout',
    async (platform, section, layout) => {
      const root = await mkdtemp(path.join(os.tmpdir(), 'porthole-resources-'));
      roots.push(root);
      const resourcesPath = path.join(root, layout);
      const relative = bundledRelative(section, platform);
      expect(relative).toBe('cloudflared/cloudflared');
      await mkdir(path.join(resourcesPath, 'cloudflared'), { recursive: true });
      await writeFile(path.join(resourcesPath, relative), '#!/bin/sh\n');
      await chmod(path.join(resourcesPath, relative), 0o755);

      const found = resolveCloudflaredBinary({ platform, resourcesPath, env: { PATH: '' }, isFile });
      expect(found).toEqual({
        ok: true,
        path: path.join(resourcesPath, 'cloudflared', 'cloudflared'),
        source: 'bundled',
      });
      expect((await stat(path.join(resourcesPath, relative))).mode & 0o111).not.toBe(0);
    },
  );

  it('win32: <resourcesPath>\\cloudflared\\cloudflared.exe, with Windows paths', () => {
    const resourcesPath = 'C:\\Users\\ada\\AppData\\Local\\Programs\\Porthole\\resources';
    const relative = bundledRelative(config.win, 'win32');
    expect(relative).toBe('cloudflared/cloudflared.exe');
    const expected = path.win32.join(resourcesPath, ...relative.split('/'));
    expect(expected).toBe(
      'C:\\Users\\ada\\AppData\\Local\\Programs\\Porthole\\resources\\cloudflared\\cloudflared.exe',
    );
    const files = new Set([expected]);
    const found = resolveCloudflaredBinary({
      platform: 'win32',
      resourcesPath,
      env: { Path: 'C:\\Windows\\System32' },
      isFile: (file) => files.has(file),
    });
    expect(found).toEqual({ ok: true, path: expected, source: 'bundled' });
  });

  it('the bundled copy wins over PATH, and CLOUDFLARED_BIN or the settings path win over it', () => {
    const resourcesPath = '/opt/Porthole/resources';
    const files = new Set([
      '/opt/Porthole/resources/cloudflared/cloudflared',
      '/usr/bin/cloudflared',
      '/custom/cloudflared',
    ]);
    const resolve = (extra: object) =>
      resolveCloudflaredBinary({
        platform: 'linux',
        resourcesPath,
        env: { PATH: '/usr/bin' },
        isFile: (f) => files.has(f),
        ...extra,
      });
    expect(resolve({})).toMatchObject({ source: 'bundled' });
    expect(resolve({ env: { PATH: '/usr/bin', CLOUDFLARED_BIN: '/custom/cloudflared' } })).toMatchObject({
      source: 'env',
    });
    expect(resolve({ configured: '/custom/cloudflared' })).toMatchObject({ source: 'settings' });
  });

  it('an app packed without cloudflared falls back to PATH, then says how to install it', () => {
    const resourcesPath = '/opt/Porthole/resources';
    expect(
      resolveCloudflaredBinary({
        platform: 'linux',
        resourcesPath,
        env: { PATH: '/usr/bin' },
        isFile: (f) => f === '/usr/bin/cloudflared',
      }),
    ).toEqual({ ok: true, path: '/usr/bin/cloudflared', source: 'path' });
    const none = resolveCloudflaredBinary({
      platform: 'linux',
      resourcesPath,
      env: { PATH: '/usr/bin' },
      isFile: () => false,
    });
    expect(none.ok).toBe(false);
  });
});
