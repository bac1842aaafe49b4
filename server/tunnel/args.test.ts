import { describe, expect, it } from 'vitest';
import { buildCloudflaredArgs, buildCloudflaredEnv, configPathFor, EMPTY_CONFIG } from './args.ts';

const TOKEN = 'eyJhIjoiZmZmIiwidCI6IjEyMyIsInMiOiJzZWNyZXQifQ==';

describe('buildCloudflaredArgs', () => {
  it('runs a quick tunnel with our own config and the local URL', () => {
    expect(
      buildCloudflaredArgs({
        mode: 'quick',
        configPath: '/data/cloudflared-config.yml',
        targetUrl: 'http://127.0.0.1:4100',
      }),
    ).toEqual([
      'tunnel',
      '--no-autoupdate',
      '--config',
      '/data/cloudflared-config.yml',
      '--url',
      'http://127.0.0.1:4100',
    ]);
  });

  it('runs a named tunnel without the token anywhere on the command line', () => {
    const args = buildCloudflaredArgs({
      mode: 'named',
      configPath: configPathFor('/data'),
      targetUrl: 'http://127.0.0.1:1',
    });
    expect(args).toEqual(['tunnel', '--no-autoupdate', '--config', configPathFor('/data'), 'run']);
    expect(args.join(' ')).not.toContain(TOKEN);
    expect(args).not.toContain('--token');
  });
});

describe('buildCloudflaredEnv', () => {
  it('passes the token in TUNNEL_TOKEN for a named tunnel only', () => {
    expect(buildCloudflaredEnv({ mode: 'named', baseEnv: { PATH: '/bin' }, token: TOKEN })).toEqual({
      PATH: '/bin',
      TUNNEL_TOKEN: TOKEN,
    });
    expect(buildCloudflaredEnv({ mode: 'quick', baseEnv: { PATH: '/bin' }, token: TOKEN })).toEqual({
      PATH: '/bin',
    });
  });

  it('drops inherited TUNNEL_* variables, which are cloudflared flags in disguise', () => {
    const env = buildCloudflaredEnv({
      mode: 'quick',
      baseEnv: {
        HOME: '/home/me',
        TUNNEL_URL: 'http://evil:1',
        TUNNEL_TOKEN: 'old',
        tunnel_origin_cert: '/x',
      },
    });
    expect(env).toEqual({ HOME: '/home/me' });
  });
});

describe('EMPTY_CONFIG', () => {
  it('is an empty YAML mapping, not an empty file (cloudflared logs an error for those)', () => {
    const content = EMPTY_CONFIG.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(content).toEqual(['{}']);
  });
});
