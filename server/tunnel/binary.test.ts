import { describe, expect, it } from 'vitest';
import { resolveCloudflaredBinary } from './binary.ts';

const only =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file);

describe('resolveCloudflaredBinary', () => {
  it('prefers the path from settings, then CLOUDFLARED_BIN, then the bundled copy, then PATH', () => {
    const everywhere = only(
      '/home/me/bin/cloudflared',
      '/opt/cf/cloudflared',
      '/opt/Porthole/resources/cloudflared/cloudflared',
      '/usr/local/bin/cloudflared',
    );
    const base = {
      env: { CLOUDFLARED_BIN: '/opt/cf/cloudflared', PATH: '/usr/bin:/usr/local/bin' },
      resourcesPath: '/opt/Porthole/resources',
      platform: 'linux' as const,
      isFile: everywhere,
    };
    expect(resolveCloudflaredBinary({ ...base, configured: '/home/me/bin/cloudflared' })).toEqual({
      ok: true,
      path: '/home/me/bin/cloudflared',
      source: 'settings',
    });
    expect(resolveCloudflaredBinary(base)).toMatchObject({ path: '/opt/cf/cloudflared', source: 'env' });
    expect(resolveCloudflaredBinary({ ...base, env: { PATH: base.env.PATH } })).toMatchObject({
      path: '/opt/Porthole/resources/cloudflared/cloudflared',
      source: 'bundled',
    });
    expect(
      resolveCloudflaredBinary({ ...base, env: { PATH: base.env.PATH }, resourcesPath: null }),
    ).toMatchObject({
      path: '/usr/local/bin/cloudflared',
      source: 'path',
    });
  });

  it('finds the bundled copy in a macOS app bundle', () => {
    const resources = '/Applications/Porthole.app/Contents/Resources';
    expect(
      resolveCloudflaredBinary({
        env: { PATH: '/usr/bin:/bin' },
        resourcesPath: resources,
        platform: 'darwin',
        isFile: only(`${resources}/cloudflared/cloudflared`),
      }),
    ).toEqual({ ok: true, path: `${resources}/cloudflared/cloudflared`, source: 'bundled' });
  });

  it('uses Windows names and separators: cloudflared.exe, backslashes, ; in Path', () => {
    const resources = 'C:\\Program Files\\Porthole\\resources';
    expect(
      resolveCloudflaredBinary({
        env: {},
        resourcesPath: resources,
        platform: 'win32',
        isFile: only(`${resources}\\cloudflared\\cloudflared.exe`),
      }),
    ).toEqual({ ok: true, path: `${resources}\\cloudflared\\cloudflared.exe`, source: 'bundled' });
    expect(
      resolveCloudflaredBinary({
        env: { Path: 'C:\\Windows\\system32;C:\\Program Files (x86)\\cloudflared' },
        platform: 'win32',
        isFile: only('C:\\Program Files (x86)\\cloudflared\\cloudflared.exe'),
      }),
    ).toEqual({ ok: true, path: 'C:\\Program Files (x86)\\cloudflared\\cloudflared.exe', source: 'path' });
  });

  it('says how to fix a missing binary', () => {
    const result = resolveCloudflaredBinary({
      env: { PATH: '/usr/bin' },
      platform: 'linux',
      isFile: () => false,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/Install it/);
    expect(result.message).toMatch(/CLOUDFLARED_BIN/);
  });

  it('does not fall back when an explicitly chosen path is wrong', () => {
    const onPath = only('/usr/bin/cloudflared');
    const fromSettings = resolveCloudflaredBinary({
      configured: '/nope/cloudflared',
      env: { PATH: '/usr/bin' },
      platform: 'linux',
      isFile: onPath,
    });
    expect(fromSettings).toMatchObject({ ok: false, message: expect.stringContaining('/nope/cloudflared') });
    const fromEnv = resolveCloudflaredBinary({
      env: { CLOUDFLARED_BIN: '/gone/cloudflared', PATH: '/usr/bin' },
      platform: 'linux',
      isFile: onPath,
    });
    expect(fromEnv).toMatchObject({ ok: false, message: expect.stringContaining('CLOUDFLARED_BIN') });
  });
});
