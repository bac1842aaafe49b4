import path from 'node:path';

// The command line and environment cloudflared runs with. The named-tunnel token travels only in the
// TUNNEL_TOKEN environment variable: a command line is readable by every user of the machine (ps,
// /proc/<pid>/cmdline), a process environment only by its owner.

export type CloudflaredMode = 'quick' | 'named';

export const CONFIG_FILE_NAME = 'cloudflared-config.yml';

/**
 * Our own config file, always passed with --config, so that a person's ~/.cloudflared/config.yml
 * (ingress rules, a `tunnel:` id, a `url:`) cannot redirect the tunnel somewhere else. An empty
 * mapping rather than an empty file: cloudflared logs an ERR line for an empty one.
 */
export const EMPTY_CONFIG =
  '# Written by Porthole: keeps cloudflared from reading ~/.cloudflared/config.yml. Edits are overwritten.\n{}\n';

export function configPathFor(stateDir: string): string {
  return path.join(stateDir, CONFIG_FILE_NAME);
}

export function buildCloudflaredArgs(options: {
  mode: CloudflaredMode;
  configPath: string;
  targetUrl: string;
}): string[] {
  const common = ['tunnel', '--no-autoupdate', '--config', options.configPath];
  // Named tunnels get their ingress (hostname → local URL) from the Cloudflare dashboard.
  return options.mode === 'quick' ? [...common, '--url', options.targetUrl] : [...common, 'run'];
}

/**
 * The child's environment: the parent's without any TUNNEL_* variable (each one is a cloudflared flag,
 * e.g. TUNNEL_URL, TUNNEL_ORIGIN_CERT, TUNNEL_TOKEN, and could change what runs), plus the token for
 * a named tunnel.
 */
export function buildCloudflaredEnv(options: {
  mode: CloudflaredMode;
  baseEnv: NodeJS.ProcessEnv;
  token?: string | null;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.baseEnv)) {
    if (!key.toUpperCase().startsWith('TUNNEL_') && value !== undefined) env[key] = value;
  }
  if (options.mode === 'named' && options.token) env.TUNNEL_TOKEN = options.token;
  return env;
}
