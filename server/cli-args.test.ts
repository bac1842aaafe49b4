import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Command, parseCommand, USAGE, UsageError } from './cli-args.ts';

// The command line, read in process. What the CLI does with it (exit codes, output) is in cli.test.ts.

const env = { PORTHOLE_DATA_DIR: '/tmp/porthole-default' };

function serveArgs(argv: string[], environment: NodeJS.ProcessEnv = env) {
  const command = parseCommand(['serve', ...argv], environment);
  if (command.kind !== 'serve') throw new Error(`expected serve, got ${command.kind}`);
  return command.args;
}

function usageError(argv: string[], environment: NodeJS.ProcessEnv = env): string {
  try {
    parseCommand(argv, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('porthole serve arguments', () => {
  it('reads every option', () => {
    expect(
      serveArgs([
        '--folder',
        'notes',
        '--folder',
        '/srv/docs',
        '--port',
        '8080',
        '--tunnel',
        'named',
        '--data-dir',
        'data',
        '--allow-login',
        'octo-cat',
        '--github-url',
        'https://github.example.com/',
        '--github-api-url',
        'https://github.example.com/api/v3',
        '--dashboard-port',
        '9000',
        '--secrets',
        'file',
        '--json',
      ]),
    ).toEqual({
      folders: ['notes', '/srv/docs'],
      port: 8080,
      dashboardPort: 9000,
      tunnel: 'named',
      dataDir: path.resolve('data'),
      dataDirFrom: '--data-dir',
      secrets: 'file',
      allowLogin: 'octo-cat',
      githubWebUrl: 'https://github.example.com',
      githubApiUrl: 'https://github.example.com/api/v3',
      json: true,
    });
  });

  it('leaves what is not given to the settings, the environment and the defaults', () => {
    expect(serveArgs([], { ...env, GITHUB_ALLOWED_LOGIN: 'mona' })).toEqual({
      folders: [],
      port: undefined,
      dashboardPort: undefined,
      tunnel: undefined,
      dataDir: '/tmp/porthole-default',
      dataDirFrom: 'PORTHOLE_DATA_DIR',
      secrets: undefined,
      allowLogin: 'mona',
      githubWebUrl: undefined,
      githubApiUrl: undefined,
      json: false,
    });
  });

  it('rejects bad ports and unknown flags', () => {
    expect(usageError(['serve', '--port', 'eighty'])).toBe('--port must be 0..65535, not "eighty".');
    expect(usageError(['serve', '--port', '65536'])).toMatch(/--port must be/);
    expect(usageError(['serve', '--dashboard-port', '1.5'])).toMatch(/--dashboard-port must be/);
    expect(usageError(['serve', '--colour'])).toMatch(/Unknown option '--colour'/);
    expect(usageError(['serve', 'extra'])).toMatch(/Unexpected argument 'extra'/);
  });

  it('takes an ngrok static domain with --tunnel ngrok, as a bare host name', () => {
    expect(
      serveArgs(['--tunnel', 'ngrok', '--ngrok-domain', 'https://Porthole-Test.ngrok-free.app/']),
    ).toMatchObject({ tunnel: 'ngrok', ngrokDomain: 'porthole-test.ngrok-free.app' });
    expect(usageError(['serve', '--ngrok-domain', 'porthole-test.ngrok-free.app'])).toBe(
      '--ngrok-domain goes with --tunnel ngrok.',
    );
    expect(usageError(['serve', '--tunnel', 'ngrok', '--ngrok-domain', 'not a domain'])).toMatch(
      /--ngrok-domain must be a domain such as name\.ngrok-free\.app/,
    );
  });

  it('rejects a bad --tunnel, --allow-login or --github-url', () => {
    expect(usageError(['serve', '--tunnel', 'fast'])).toBe(
      '--tunnel must be quick, named, ngrok, tailscale or off, not "fast".',
    );
    expect(usageError(['serve', '--allow-login', 'not a login'])).toMatch(/--allow-login must be/);
    expect(usageError(['serve'], { ...env, GITHUB_ALLOWED_LOGIN: '-dash' })).toMatch(/--allow-login must be/);
    expect(usageError(['serve', '--github-url', 'ftp://example.com'])).toMatch(/--github-url must be/);
    expect(usageError(['serve', '--github-api-url', 'nope'])).toMatch(/--github-api-url must be/);
    expect(usageError(['serve', '--secrets', 'vault'])).toBe(
      '--secrets must be auto, keychain or file, not "vault".',
    );
  });
});

describe('porthole status arguments', () => {
  it('reads the data folder and --json, and nothing else', () => {
    expect(parseCommand(['status', '--data-dir', 'data', '--json'], env)).toEqual<Command>({
      kind: 'status',
      args: { dataDir: path.resolve('data'), dataDirFrom: '--data-dir', json: true },
    });
    expect(parseCommand(['status'], env)).toEqual<Command>({
      kind: 'status',
      args: { dataDir: '/tmp/porthole-default', dataDirFrom: 'PORTHOLE_DATA_DIR', json: false },
    });
    expect(parseCommand(['status'], { HOME: '/home/mona' })).toMatchObject({
      args: { dataDir: '/home/mona/.config/porthole', dataDirFrom: 'default' },
    });
    expect(usageError(['status', '--folder', 'x'])).toMatch(/Unknown option '--folder'/);
  });
});

describe('porthole folders arguments', () => {
  it('reads the action, its paths, the data folder and --json', () => {
    expect(parseCommand(['folders', 'add', 'a', '/b', '--data-dir', 'data'], env)).toEqual<Command>({
      kind: 'folders',
      args: {
        action: 'add',
        paths: ['a', '/b'],
        dataDir: path.resolve('data'),
        dataDirFrom: '--data-dir',
        json: false,
      },
    });
    expect(parseCommand(['folders', 'list', '--json'], env)).toMatchObject({
      kind: 'folders',
      args: { action: 'list', paths: [], json: true },
    });
    expect(parseCommand(['folders', 'remove', 'a'], env)).toMatchObject({ args: { action: 'remove' } });
  });

  it('refuses a missing or unknown action, and paths where they make no sense', () => {
    expect(usageError(['folders'])).toBe('folders needs list, add or remove.');
    expect(usageError(['folders', 'rm', 'x'])).toBe('folders needs list, add or remove, not "rm".');
    expect(usageError(['folders', 'list', 'x'])).toBe('folders list takes no path.');
    expect(usageError(['folders', 'add'])).toBe('folders add needs a PATH.');
    expect(usageError(['folders', 'remove'])).toBe('folders remove needs a PATH.');
  });
});

describe('commands and help', () => {
  it('prints the usage: exit 0 when asked, 1 for a bare porthole', () => {
    expect(parseCommand([], env)).toEqual({ kind: 'help', exitCode: 1 });
    for (const argv of [['help'], ['--help'], ['-h'], ['serve', '--help'], ['status', '-h']])
      expect(parseCommand(argv, env)).toEqual({ kind: 'help', exitCode: 0 });
  });

  it('rejects an unknown command', () => {
    expect(usageError(['start'])).toBe('unknown command "start".');
  });

  it('documents every option and the defaults it falls back on', () => {
    for (const flag of [
      '--folder',
      '--port',
      '--tunnel',
      '--data-dir',
      '--allow-login',
      '--github-url',
      '--github-api-url',
      '--dashboard-port',
      '--secrets',
      'porthole folders',
      '--json',
    ])
      expect(USAGE).toContain(flag);
    expect(USAGE).toContain('(default https://github.com)');
    expect(USAGE).toContain('(default https://api.github.com)');
  });
});
