// electron-builder's afterPack hook: runs once per OS and architecture, after the app folder is
// complete and before anything is signed (flipping fuses changes the Electron binary, so it has
// to come before the signature). Refuses an app that would not run on its target, then applies
// the fuses electron/fuses.ts chooses.
import path from 'node:path';
import type { FuseConfig } from '@electron/fuses';
import { type AfterPackContext, Arch } from 'electron-builder';
import { fuseSettings, toFlipFusesConfig } from '../electron/fuses.ts';
import { binaryName } from '../server/tunnel/binary.ts';
import checksums from './cloudflared-checksums.json' with { type: 'json' };
import { assetFor, parseChecksumTable, parseTarget, type Target } from './cloudflared-fetch.ts';
import {
  cloudflaredProblems,
  collectNatives,
  nativeProblems,
  readBinaryInfo,
  readHead,
} from './native-check.ts';

export async function afterPack(context: AfterPackContext): Promise<void> {
  const target = parseTarget(context.electronPlatformName, Arch[context.arch]);
  const resources = context.packager.getResourcesDir(context.appOutDir);
  const problems = await packagedAppProblems(target, resources);
  if (problems.length > 0)
    throw new Error(
      `The ${target.platform}-${target.arch} app is not fit to ship:\n  - ${problems.join('\n  - ')}`,
    );
  const fuses = await import('@electron/fuses');
  await context.packager.addElectronFuses(context, fuseConfig(target, process.env, fuses));
}

export async function packagedAppProblems(target: Target, resourcesDir: string): Promise<string[]> {
  const cloudflared = path.join(resourcesDir, 'cloudflared', binaryName(target.platform));
  const info = await readHead(cloudflared).then(readBinaryInfo, () => 'missing' as const);
  const asset = assetFor(parseChecksumTable(checksums), target);
  const natives = await collectNatives(path.join(resourcesDir, 'app.asar.unpacked'));
  return [...cloudflaredProblems(target, info, asset), ...nativeProblems(target, natives)];
}

/**
 * Flipping fuses breaks the ad-hoc signature Electron ships with; on Apple silicon an unsigned
 * binary does not start at all, so it is re-signed ad hoc (a real signature replaces it later
 * when there is an identity).
 */
export function fuseConfig(
  target: Target,
  env: NodeJS.ProcessEnv,
  fuses: Pick<typeof import('@electron/fuses'), 'FuseVersion' | 'FuseV1Options'>,
): FuseConfig {
  const config = toFlipFusesConfig(fuseSettings(env), fuses.FuseVersion, fuses.FuseV1Options);
  return {
    ...config,
    resetAdHocDarwinSignature: target.platform === 'darwin' && target.arch === 'arm64',
  } as FuseConfig;
}
