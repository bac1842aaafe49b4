import path from 'node:path';
import { parseArgs } from 'node:util';
import { GITHUB_COM, type TunnelMode } from './api.ts';
import { defaultDataDir } from './settings.ts';

// The command line of `porthole`, read into what cli.ts runs. Kept apart from cli.ts (which loads
// the whole connector) so that reading arguments is tested in process, in milliseconds.

export const USAGE = `Usage: porthole serve [options]
       porthole status [--data-dir DIR] [--json]

  --folder PATH          share this folder (repeatable; remembered in the data folder)
  --port N               port of the local MCP endpoint (0 = any free port; default from settings)
  --tunnel MODE          quick (default: a new https://….trycloudflare.com URL each start),
                         named (the stable hostname set in the dashboard), or off (this computer only)
  --data-dir DIR         settings, index and logs (default: $PORTHOLE_DATA_DIR or ${defaultDataDir()})
  --allow-login LOGIN    make this GitHub account the owner (env GITHUB_ALLOWED_LOGIN)
  --github-url URL       GitHub Enterprise Server: its web URL (default ${GITHUB_COM.webUrl})
  --github-api-url URL   GitHub Enterprise Server: its API URL (default ${GITHUB_COM.apiUrl})
  --dashboard-port N     port of the local dashboard (default: any free port)
  --json                 one JSON object per line instead of text

Environment: GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (the GitHub OAuth App; else the
keychain), GITHUB_ALLOWED_LOGIN, CLOUDFLARED_BIN (path of cloudflared), PORTHOLE_DATA_DIR.

Run through npm: npm run serve -- --folder ~/Documents`;

/** A command line that does not make sense: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}

export type ServeArgs = ReturnType<typeof parseServeArgs>;
export type StatusArgs = ReturnType<typeof parseStatusArgs>;

export type Command =
  /** Print the usage; exit 1 when nothing was asked (a bare `porthole`), else 0. */
  | { kind: 'help'; exitCode: 0 | 1 }
  | { kind: 'serve'; args: ServeArgs }
  | { kind: 'status'; args: StatusArgs };

const TUNNEL_MODES: readonly TunnelMode[] = ['quick', 'named', 'off'];

/** What to run, or a UsageError. */
export function parseCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h')
    return { kind: 'help', exitCode: command === undefined ? 1 : 0 };
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', exitCode: 0 };
  if (command !== 'serve' && command !== 'status') throw new UsageError(`unknown command "${command}".`);
  try {
    if (command === 'status') return { kind: 'status', args: parseStatusArgs(rest, env) };
    return { kind: 'serve', args: parseServeArgs(rest, env) };
  } catch (error) {
    // node:util's own complaints (an unknown flag, a missing value) are usage errors too.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      throw new UsageError((error as Error).message);
    throw error;
  }
}

function portArg(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`${flag} must be 0..65535, not "${value}".`);
  return port;
}

function urlArg(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const url = URL.parse(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new UsageError(`${flag} must be a web address (https://…), not "${value}".`);
  return value.replace(/\/+$/, '');
}

function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      folder: { type: 'string', multiple: true, default: [] },
      port: { type: 'string' },
      tunnel: { type: 'string' },
      'data-dir': { type: 'string' },
      'allow-login': { type: 'string' },
      'github-url': { type: 'string' },
      'github-api-url': { type: 'string' },
      'dashboard-port': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const tunnel = values.tunnel as TunnelMode | undefined;
  if (tunnel !== undefined && !TUNNEL_MODES.includes(tunnel))
    throw new UsageError(`--tunnel must be quick, named or off, not "${values.tunnel}".`);
  const allowLogin = values['allow-login'] ?? env.GITHUB_ALLOWED_LOGIN;
  if (allowLogin !== undefined && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(allowLogin))
    throw new UsageError(`--allow-login must be a GitHub login, not "${allowLogin}".`);
  return {
    folders: values.folder ?? [],
    port: portArg(values.port, '--port'),
    dashboardPort: portArg(values['dashboard-port'], '--dashboard-port') ?? 0,
    tunnel,
    dataDir: path.resolve(values['data-dir'] ?? defaultDataDir(env)),
    allowLogin,
    githubWebUrl: urlArg(values['github-url'], '--github-url'),
    githubApiUrl: urlArg(values['github-api-url'], '--github-api-url'),
    json: values.json ?? false,
  };
}

function parseStatusArgs(argv: string[], env: NodeJS.ProcessEnv) {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: false,
  });
  return { dataDir: path.resolve(values['data-dir'] ?? defaultDataDir(env)), json: values.json ?? false };
}
