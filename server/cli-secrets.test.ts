import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killClis, runCli, runInProcess } from './cli-testing.ts';
import { createControlClient } from './control/client.ts';
import { readControlInfo } from './control/info.ts';
import { GITHUB_SECRET_NAME } from './github/app.ts';
import { removeDirs, tempDir } from './library/testing.ts';

// Where `porthole serve` keeps its secrets: the OS keychain when one answers (here: a
// gnome-keyring of its own under dbus-run-session), else a file of the data folder readable by
// this user only, with a warning wherever the state is shown. GitHub is never contacted: its
// URLs point at a closed loopback port, and nothing here signs in.

const dirs: string[] = [];
afterEach(async () => {
  killClis();
  await removeDirs(...dirs.splice(0));
});

const NO_GITHUB = ['--github-url', 'http://127.0.0.1:9', '--github-api-url', 'http://127.0.0.1:9'];

function envWith(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DBUS_SESSION_BUS_ADDRESS: _, ...withoutBus } = process.env;
  return { ...withoutBus, ...extra };
}

function readAll(dir: string): string {
  let text = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) text += fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1');
  return text;
}

describe('secrets without an OS keychain (no D-Bus session)', () => {
  it('keeps them in a 0600 file of the data folder, says so everywhere, and never logs them or puts them in settings.json', async () => {
    const data = await tempDir('porthole-data-');
    dirs.push(data);
    const envSecret = `env-${randomBytes(16).toString('hex')}`;
    const savedSecret = `saved-${randomBytes(16).toString('hex')}`;
    const proc = runCli(
      ['serve', '--port', '0', '--data-dir', data, '--tunnel', 'off', '--json', ...NO_GITHUB],
      {
        env: envWith({ GITHUB_CLIENT_ID: 'Iv1.fromenv', GITHUB_CLIENT_SECRET: envSecret }),
      },
    );
    const [line] = await proc.waitFor(/\{"event":"ready".*\}/);
    const ready = JSON.parse(line!);
    const file = path.join(data, 'secrets.json');
    expect(ready.authMode).toBe('oauth');
    expect(ready.secretStorage).toMatchObject({ kind: 'file', file });
    expect(ready.secretStorage.warning).toMatch(/no OS keychain is reachable/);

    // A secret saved from a UI goes to the same file.
    const info = readControlInfo(data)!;
    const control = createControlClient({ baseUrl: info.url, token: info.token });
    await control.setGitHubApp({ clientId: 'Iv1.saved', clientSecret: savedSecret });

    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(data).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')).secrets as Record<string, string>;
    expect(stored[GITHUB_SECRET_NAME]).toBe(savedSecret);
    expect(Object.keys(stored)).toEqual(expect.arrayContaining(['auth.signing-keys', 'auth.cookie-keys']));

    const status = await runInProcess(['status', '--data-dir', data]);
    expect(status.out).toContain(`Secrets: in the file ${file}`);
    expect(status.out).toMatch(/Warning: Secrets are kept in .*secrets\.json \(readable by you only\)/);

    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    // Nothing secret anywhere but secrets.json: not settings.json, the activity log or the output.
    const secrets = [envSecret, savedSecret, ...Object.values(stored)];
    const elsewhere = [
      fs.readFileSync(path.join(data, 'settings.json'), 'utf8'),
      readAll(path.join(data, 'activity')),
      proc.out(),
      proc.err(),
      status.out,
    ].join('\n');
    for (const secret of secrets) expect(elsewhere).not.toContain(secret);
    expect(fs.readFileSync(path.join(data, 'settings.json'), 'utf8')).toContain('"clientId": "Iv1.saved"');
  });

  it('refuses to start with --secrets keychain, and says how to use the file instead', async () => {
    const data = await tempDir('porthole-data-');
    dirs.push(data);
    const proc = runCli(
      ['serve', '--port', '0', '--data-dir', data, '--tunnel', 'off', '--secrets', 'keychain', ...NO_GITHUB],
      {
        env: envWith({ GITHUB_CLIENT_ID: 'Iv1.fromenv', GITHUB_CLIENT_SECRET: 'x'.repeat(40) }),
      },
    );
    expect(await proc.exited).toBe(1);
    expect(proc.err()).toMatch(
      /^porthole: could not start: No OS keychain is reachable.* Or keep the secrets in a file: --secrets file\.$/m,
    );
    expect(fs.existsSync(path.join(data, 'secrets.json'))).toBe(false);
  });
});

function hasTools(...names: string[]): boolean {
  return names.every((name) => {
    try {
      execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

const keyringTools = process.platform === 'linux' && hasTools('dbus-run-session', 'gnome-keyring-daemon');
if (!keyringTools && process.env.PORTHOLE_REQUIRE_KEYCHAIN === '1')
  throw new Error('PORTHOLE_REQUIRE_KEYCHAIN=1 but dbus-run-session or gnome-keyring-daemon is missing');
if (!keyringTools)
  console.warn(
    'cli-secrets.test: skipping the keychain case: dbus-run-session or gnome-keyring-daemon is missing',
  );

describe.runIf(keyringTools)('secrets with an OS keychain', () => {
  it('keeps them in the keychain: no secrets file, no warning', async () => {
    const data = await tempDir('porthole-data-');
    const keyrings = await tempDir('porthole-keyrings-');
    dirs.push(data, keyrings);
    // A keyring of its own, unlocked, in a D-Bus session of its own, as .ci/run does.
    const unlockThenRun =
      'echo -n test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"';
    const proc = runCli(
      ['serve', '--port', '0', '--data-dir', data, '--tunnel', 'off', '--json', ...NO_GITHUB],
      {
        env: envWith({
          XDG_DATA_HOME: keyrings,
          GITHUB_CLIENT_ID: 'Iv1.fromenv',
          GITHUB_CLIENT_SECRET: 'y'.repeat(40),
        }),
        wrapper: ['dbus-run-session', '--', 'bash', '-c', unlockThenRun, 'bash'],
      },
    );
    const [line] = await proc.waitFor(/\{"event":"ready".*\}/);
    const ready = JSON.parse(line!);
    expect(ready.authMode).toBe('oauth');
    expect(ready.secretStorage).toEqual({ kind: 'keychain', file: null, warning: null });
    expect(fs.existsSync(path.join(data, 'secrets.json'))).toBe(false);
    // The signal goes to serve itself (dbus-run-session would not pass it on); the session ends with it.
    process.kill(readControlInfo(data)!.pid, 'SIGINT');
    expect(await proc.exited).toBe(0);
  });
});
