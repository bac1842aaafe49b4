// What electron/smoke.test.ts starts, and whether it can: the built app (out/main/main.js) on
// the electron package's binary, or a packed app (electron-builder --dir) named by
// PORTHOLE_SMOKE_EXECUTABLE. Where there is no Electron binary (these development machines) the
// test skips and says why; PORTHOLE_REQUIRE_ELECTRON=1 (the desktop workflow) turns that into
// a failure, so CI can not pass by skipping.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import checksums from '../build/cloudflared-checksums.json' with { type: 'json' };

export const root = fileURLToPath(new URL('..', import.meta.url));
export const mainJs = path.join(root, 'out', 'main', 'main.js');
const indexHtml = path.join(root, 'out', 'renderer', 'index.html');

/**
 * Where the electron package put its binary, found the way its index.js does, without
 * requiring it: require('electron') tries to download a missing binary.
 */
export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override
    ? path.join(override, relative ?? 'electron')
    : relative
      ? path.join(pkg, 'dist', relative)
      : null;
  return binary && existsSync(binary) ? binary : null;
}

export interface SmokeTarget {
  executablePath: string;
  /** The built app's main script for the bare Electron binary; nothing for a packed app. */
  args: string[];
  packed: boolean;
}

export type SmokePlan = { target: SmokeTarget; skipReason: null } | { target: null; skipReason: string };

export function smokePlan(env: NodeJS.ProcessEnv = process.env, platform = process.platform): SmokePlan {
  const plan = planFor(env, platform);
  if (plan.skipReason !== null && env.PORTHOLE_REQUIRE_ELECTRON === '1')
    throw new Error(`PORTHOLE_REQUIRE_ELECTRON=1 but the smoke test can not run: ${plan.skipReason}`);
  return plan;
}

function planFor(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): SmokePlan {
  const noDisplay = platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY;
  const packed = env.PORTHOLE_SMOKE_EXECUTABLE;
  if (packed) {
    // Asked for explicitly: a missing file is a broken pack, never a reason to skip.
    if (!existsSync(packed)) throw new Error(`PORTHOLE_SMOKE_EXECUTABLE=${packed} does not exist`);
    if (noDisplay) return { target: null, skipReason: 'no display (run under xvfb-run)' };
    return { target: { executablePath: packed, args: [], packed: true }, skipReason: null };
  }
  const binary = electronBinary(env);
  if (!binary)
    return {
      target: null,
      skipReason:
        'no Electron binary in node_modules/electron (it was not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD)',
    };
  if (!existsSync(mainJs) || !existsSync(indexHtml))
    return { target: null, skipReason: 'the app is not built (run `npm run build`)' };
  if (noDisplay) return { target: null, skipReason: 'no display (run under xvfb-run)' };
  return { target: { executablePath: binary, args: [mainJs], packed: false }, skipReason: null };
}

/**
 * The SHA-256 the pinned cloudflared binary for this OS and CPU must have: the raw asset's, or
 * for a macOS .tgz the binary's inside it (build/cloudflared-checksums.json).
 */
export function pinnedBinarySha256(platform: string, arch: string): string | undefined {
  const asset = (checksums.targets as Record<string, string>)[`${platform}-${arch}`];
  const pin = asset
    ? (checksums.assets as Record<string, { sha256: string; binarySha256?: string }>)[asset]
    : undefined;
  return pin?.binarySha256 ?? pin?.sha256;
}
