import path from 'node:path';
import { parseArgs } from 'node:util';
import { GITHUB_COM, TUNNEL_MODES, type TunnelMode } from './api.ts';
import { defaultDataDir } from './data-dir.ts';
import { normalizeNgrokDomain } from './tunnel/ngrok.ts';

// The command line of `porthole`, read into what cli.ts runs. Kept apart from cli.ts (which loads
// the whole connector) so that reading arguments is tested in process, in milliseconds.

export const USAGE = `Usage: porthole serve [options]
       porthole status [--data-dir DIR] [--json]
       porthole folders list|add PATH…|remove PATH… [--data-dir DIR] [--json]

  --folder PATH          share this folder (repeatable; remembered in the data folder)
  --port N               port of the local MCP endpoint (0 = any free port; default from settings)
  --tunnel MODE          quick (default: a new https://….trycloudflare.com URL each start),
                         named (Cloudflare, the stable hostname set in the dashboard), ngrok (your
                         static ngrok domain; authtoken from the dashboard or NGROK_AUTHTOKEN),
                         tailscale (Tailscale Funnel, https://<machine>.<tailnet>.ts.net), or off
                         (this computer only). Remembered for the next start.
  --ngrok-domain DOMAIN  with --tunnel ngrok: your static domain (e.g. name.ngrok-free.app, on
                         dashboard.ngrok.com under Domains). Remembered for the next start.
  --data-dir DIR         settings, index and logs (default: $PORTHOLE_DATA_DIR or ${defaultDataDir()})
  --allow-login LOGIN    make this GitHub account the owner (env GITHUB_ALLOWED_LOGIN)
  --github-url URL       GitHub Enterprise Server: its web URL (default ${GITHUB_COM.webUrl})
  --github-api-url URL   GitHub Enterprise Server: its API URL (default ${GITHUB_COM.apiUrl})
  --dashboard-port N     port of the local dashboard (default: the last one, else any free port)
  --secrets WHERE        auto (default: the OS keychain; a file in the data folder, readable by
                         you only, when no keychain is reachable), keychain, or file
  --json                 one JSON object per line instead of text

Environment: GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (the GitHub OAuth App; else the one
saved with its secret in the keychain or secrets file), GITHUB_ALLOWED_LOGIN, CLOUDFLARED_BIN (path of cloudflared),
NGROK_AUTHTOKEN (--tunnel ngrok, when none is saved), TAILSCALE_BIN (path of tailscale), PORTHOLE_DATA_DIR.

\`folders\` changes the shared folders, through the running serve of that data folder if there is
one, else in its settings for the next start.

Run through npm: npm run serve -- --folder ~/Documents, npm run porthole -- status`;

/** A command line that does not make sense: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}

export type ServeArgs = ReturnType<typeof parseServeArgs>;
export type StatusArgs = ReturnType<typeof parseStatusArgs>;
export type FoldersArgs = ReturnType<typeof parseFoldersArgs>;
/** How the data folder was chosen: messages about it name that way. */
export type DataDirSource = '--data-dir' | 'PORTHOLE_DATA_DIR' | 'default';

export type Command =
  /** Print the usage; exit 1 when nothing was asked (a bare `porthole`), else 0. */
  | { kind: 'help'; exitCode: 0 | 1 }
  | { kind: 'serve'; args: ServeArgs }
  | { kind: 'status'; args: StatusArgs }
  | { kind: 'folders'; args: FoldersArgs };

/** What to run, or a UsageError. */
export function parseCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h')
    return { kind: 'help', exitCode: command === undefined ? 1 : 0 };
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', exitCode: 0 };
  if (command !== 'serve' && command !== 'status' && command !== 'folders')
    throw new UsageError(`unknown command "${command}".`);
  try {
    if (command === 'status') return { kind: 'status', args: parseStatusArgs(rest, env) };
    if (command === 'folders') return { kind: 'folders', args: parseFoldersArgs(rest, env) };
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
      'ngrok-domain': { type: 'string' },
      'data-dir': { type: 'string' },
      'allow-login': { type: 'string' },
      'github-url': { type: 'string' },
      'github-api-url': { type: 'string' },
      'dashboard-port': { type: 'string' },
      secrets: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const tunnel = values.tunnel as TunnelMode | undefined;
  if (tunnel !== undefined && !TUNNEL_MODES.includes(tunnel))
    throw new UsageError(
      `--tunnel must be ${TUNNEL_MODES.slice(0, -1).join(', ')} or ${TUNNEL_MODES.at(-1)}, not "${values.tunnel}".`,
    );
  const ngrokDomain = ngrokDomainArg(values['ngrok-domain'], tunnel);
  const allowLogin = values['allow-login'] ?? env.GITHUB_ALLOWED_LOGIN;
  if (allowLogin !== undefined && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(allowLogin))
    throw new UsageError(`--allow-login must be a GitHub login, not "${allowLogin}".`);
  return {
    folders: values.folder ?? [],
    port: portArg(values.port, '--port'),
    /** Undefined: the last port (settings.dashboardPort), else any free one. */
    dashboardPort: portArg(values['dashboard-port'], '--dashboard-port'),
    tunnel,
    ngrokDomain,
    ...dataDirArg(values['data-dir'], env),
    secrets: secretsArg(values.secrets),
    allowLogin,
    githubWebUrl: urlArg(values['github-url'], '--github-url'),
    githubApiUrl: urlArg(values['github-api-url'], '--github-api-url'),
    json: values.json ?? false,
  };
}

function ngrokDomainArg(value: string | undefined, tunnel: TunnelMode | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (tunnel !== 'ngrok') throw new UsageError('--ngrok-domain goes with --tunnel ngrok.');
  const domain = normalizeNgrokDomain(value);
  if (domain === null)
    throw new UsageError(`--ngrok-domain must be a domain such as name.ngrok-free.app, not "${value}".`);
  return domain;
}

function parseStatusArgs(argv: string[], env: NodeJS.ProcessEnv) {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: false,
  });
  return { ...dataDirArg(values['data-dir'], env), json: values.json ?? false };
}

const FOLDERS_ACTIONS = ['list', 'add', 'remove'] as const;

function parseFoldersArgs(argv: string[], env: NodeJS.ProcessEnv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  const [action, ...paths] = positionals;
  if (!FOLDERS_ACTIONS.includes(action as (typeof FOLDERS_ACTIONS)[number]))
    throw new UsageError(
      action === undefined
        ? 'folders needs list, add or remove.'
        : `folders needs list, add or remove, not "${action}".`,
    );
  if (action === 'list' && paths.length > 0) throw new UsageError('folders list takes no path.');
  if (action !== 'list' && paths.length === 0) throw new UsageError(`folders ${action} needs a PATH.`);
  return {
    action: action as (typeof FOLDERS_ACTIONS)[number],
    paths,
    ...dataDirArg(values['data-dir'], env),
    json: values.json ?? false,
  };
}

function dataDirArg(flag: string | undefined, env: NodeJS.ProcessEnv) {
  const dataDirFrom: DataDirSource =
    flag !== undefined ? '--data-dir' : env.PORTHOLE_DATA_DIR ? 'PORTHOLE_DATA_DIR' : 'default';
  return { dataDir: path.resolve(flag ?? defaultDataDir(env)), dataDirFrom };
}

const SECRETS_CHOICES = ['auto', 'keychain', 'file'] as const;

/** Undefined: the setting `secretStorage` decides. */
function secretsArg(value: string | undefined): (typeof SECRETS_CHOICES)[number] | undefined {
  if (value === undefined) return undefined;
  if (!SECRETS_CHOICES.includes(value as (typeof SECRETS_CHOICES)[number]))
    throw new UsageError(`--secrets must be auto, keychain or file, not "${value}".`);
  return value as (typeof SECRETS_CHOICES)[number];
}
