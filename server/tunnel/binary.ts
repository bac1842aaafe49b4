import path from 'node:path';

// Where the cloudflared binary comes from, in order: the path in settings, $CLOUDFLARED_BIN, the copy
// bundled with a packaged app (build/fetch-cloudflared puts it in resources/cloudflared/), then PATH.
// Pure: the file system is asked through `isFile`, so every platform's layout can be tested anywhere.

export type BinarySource = 'settings' | 'env' | 'bundled' | 'path';

export type BinaryResolution =
  | { ok: true; path: string; source: BinarySource }
  | { ok: false; message: string };

export interface ResolveBinaryOptions {
  /** The path from settings, if the person chose one. */
  configured?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Electron's `process.resourcesPath` in a packaged build; null/undefined elsewhere. */
  resourcesPath?: string | null;
  platform?: NodeJS.Platform;
  isFile: (file: string) => boolean;
}

export const INSTALL_URL =
  'https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/';

export function binaryName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'cloudflared.exe' : 'cloudflared';
}

export function resolveCloudflaredBinary(options: ResolveBinaryOptions): BinaryResolution {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? {};
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const name = binaryName(platform);

  // A path the person set explicitly must not silently fall back to another copy: they chose it.
  const configured = options.configured?.trim();
  if (configured) {
    return options.isFile(configured)
      ? { ok: true, path: configured, source: 'settings' }
      : {
          ok: false,
          message: `cloudflared was not found at ${configured} (the path in settings). Fix or clear it.`,
        };
  }
  const fromEnv = env.CLOUDFLARED_BIN?.trim();
  if (fromEnv) {
    return options.isFile(fromEnv)
      ? { ok: true, path: fromEnv, source: 'env' }
      : { ok: false, message: `cloudflared was not found at ${fromEnv} (CLOUDFLARED_BIN). Fix or unset it.` };
  }
  if (options.resourcesPath) {
    const bundled = paths.join(options.resourcesPath, 'cloudflared', name);
    if (options.isFile(bundled)) return { ok: true, path: bundled, source: 'bundled' };
  }
  // Windows spells it Path; Node's env object is case-insensitive there, a plain object is not.
  const searchPath = env.PATH ?? env.Path ?? '';
  for (const dir of searchPath.split(paths.delimiter)) {
    if (!dir) continue;
    const candidate = paths.join(dir, name);
    if (options.isFile(candidate)) return { ok: true, path: candidate, source: 'path' };
  }
  return {
    ok: false,
    message: `cloudflared was not found. Install it (${INSTALL_URL}) or set CLOUDFLARED_BIN to its path.`,
  };
}
