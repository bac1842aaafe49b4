// The prebuilt native packages another OS/CPU needs, read from package-lock.json. npm installs
// only the build machine's (e.g. @napi-rs/keyring-darwin-arm64 on an Apple silicon runner), so
// building the Intel Mac or Windows-on-Arm installer on that machine first adds the target's
// (@napi-rs/keyring-darwin-x64 …) at the locked versions. install-target-natives.ts runs it.

import type { Target } from './cloudflared-fetch.ts';
import { declaresOtherTarget } from './native-check.ts';

interface LockEntry {
  version?: string;
  dev?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

export interface PackageLock {
  lockfileVersion?: number;
  packages?: Record<string, LockEntry>;
}

/** `name@version` of every production package locked for exactly this platform that is not installed yet. */
export function missingTargetPackages(
  lock: PackageLock,
  target: Target,
  isInstalled: (name: string) => boolean,
): string[] {
  if (!lock.packages)
    throw new Error('package-lock.json has no "packages" (lockfileVersion 2 or later is needed)');
  const specs: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    // Top-level packages only: a nested one would need its parent's folder, and none exist today.
    const parts = key.split('node_modules/');
    if (parts.length !== 2 || parts[0] !== '') continue;
    const name = parts[1] as string;
    if (entry.dev || !entry.version || (!entry.os && !entry.cpu)) continue;
    if (declaresOtherTarget({ name, os: entry.os, cpu: entry.cpu, libc: entry.libc }, target)) continue;
    if (!isInstalled(name)) specs.push(`${name}@${entry.version}`);
  }
  return specs.sort();
}
