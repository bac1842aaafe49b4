import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandLineOf, looksLikeOurCloudflared, pidfilePath, readPidfile, writePidfile } from './orphans.ts';

const CONFIG = '/home/me/.config/Porthole/cloudflared-config.yml';

describe('looksLikeOurCloudflared', () => {
  it('recognises our cloudflared and its watchdog', () => {
    expect(
      looksLikeOurCloudflared(
        `/usr/local/bin/cloudflared tunnel --no-autoupdate --config ${CONFIG} --url http://127.0.0.1:4100`,
        CONFIG,
      ),
    ).toBe(true);
    expect(
      looksLikeOurCloudflared(
        `/bin/sh -c trap … porthole-cloudflared-watchdog /opt/Porthole/resources/cloudflared/cloudflared tunnel --no-autoupdate --config ${CONFIG} run`,
        CONFIG,
      ),
    ).toBe(true);
  });

  it('refuses anything else, including another cloudflared', () => {
    expect(looksLikeOurCloudflared('/usr/bin/sleep 30', CONFIG)).toBe(false);
    expect(looksLikeOurCloudflared('cloudflared tunnel run my-tunnel', CONFIG)).toBe(false);
    expect(looksLikeOurCloudflared(`cloudflared tunnel --config ${CONFIG}.bak run`, CONFIG)).toBe(false);
    expect(looksLikeOurCloudflared(`vim ${CONFIG}`, CONFIG)).toBe(false);
  });
});

describe('pidfile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'porthole-pidfile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips, and reads garbage as no pidfile', () => {
    expect(readPidfile(dir)).toBeNull();
    const record = { pid: 1234, wrapperPid: 1233, configPath: CONFIG, startedAt: '2024-09-02T08:00:00.000Z' };
    writePidfile(dir, record);
    expect(readPidfile(dir)).toEqual(record);
    writeFileSync(pidfilePath(dir), 'not json');
    expect(readPidfile(dir)).toBeNull();
    writeFileSync(pidfilePath(dir), '{"pid":"12"}');
    expect(readPidfile(dir)).toBeNull();
  });
});

it.runIf(process.platform === 'linux')('reads a command line from /proc', () => {
  expect(commandLineOf(process.pid)).toContain(process.execPath.split('/').pop());
  expect(commandLineOf(2 ** 22 + 17)).toBeNull();
});
