import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killQuietly } from './process.ts';

// A pidfile in the state dir remembers the cloudflared we started. If Porthole died in a way the
// watchdog could not handle (Windows, a killed watchdog, a power cut mid-write), the next start finds
// the process still running and stops it, but only when its command line is unmistakably ours (the
// `tunnel` command with our own --config path): pids get reused, and we never kill a stranger.

export const PIDFILE_NAME = 'cloudflared.pid';

export interface PidRecord {
  pid: number;
  /** The /bin/sh watchdog around it (POSIX), or null. */
  wrapperPid: number | null;
  configPath: string;
  startedAt: string;
}

export function pidfilePath(stateDir: string): string {
  return path.join(stateDir, PIDFILE_NAME);
}

export function writePidfile(stateDir: string, record: PidRecord): void {
  writeFileSync(pidfilePath(stateDir), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

export function readPidfile(stateDir: string): PidRecord | null {
  try {
    const value = JSON.parse(readFileSync(pidfilePath(stateDir), 'utf8')) as Partial<PidRecord>;
    if (!Number.isInteger(value.pid) || typeof value.configPath !== 'string') return null;
    return {
      pid: value.pid as number,
      wrapperPid: Number.isInteger(value.wrapperPid) ? (value.wrapperPid as number) : null,
      configPath: value.configPath,
      startedAt: String(value.startedAt ?? ''),
    };
  } catch {
    return null;
  }
}

export function removePidfile(stateDir: string): void {
  rmSync(pidfilePath(stateDir), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a running process, arguments separated by spaces; null when unknown. */
export function commandLineOf(pid: number, platform: NodeJS.Platform = process.platform): string | null {
  try {
    if (platform === 'linux') {
      const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return raw ? raw.split('\0').join(' ').trim() : null;
    }
    if (platform === 'win32') return null;
    return (
      execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 }).trim() ||
      null
    );
  } catch {
    return null;
  }
}

/** Pure: whether a command line is a cloudflared tunnel we started with this config file. */
export function looksLikeOurCloudflared(commandLine: string, configPath: string): boolean {
  if (!/cloudflared/i.test(commandLine) || !/(^|\s)tunnel(\s|$)/.test(commandLine)) return false;
  // The whole path, not a prefix of another one (cloudflared-config.yml.bak).
  for (const flag of [`--config ${configPath}`, `--config=${configPath}`]) {
    for (let at = commandLine.indexOf(flag); at >= 0; at = commandLine.indexOf(flag, at + 1)) {
      const next = commandLine[at + flag.length];
      if (next === undefined || /\s/.test(next)) return true;
    }
  }
  return false;
}

/**
 * Stops the cloudflared (and its watchdog) a previous run left behind, if the pidfile names one that
 * is still ours. Returns the pids stopped. Always removes the pidfile.
 */
export async function killLeftover(
  stateDir: string,
  configPath: string,
  log: (line: string) => void,
  platform: NodeJS.Platform = process.platform,
): Promise<number[]> {
  const record = readPidfile(stateDir);
  removePidfile(stateDir);
  if (!record) return [];
  const killed: number[] = [];
  for (const pid of [record.pid, record.wrapperPid]) {
    if (pid === null || pid === process.pid || !isAlive(pid)) continue;
    const commandLine = commandLineOf(pid, platform);
    if (!commandLine || !looksLikeOurCloudflared(commandLine, configPath)) {
      log(`tunnel: pid ${pid} from the pidfile is running but is not our cloudflared; left alone`);
      continue;
    }
    log(
      `tunnel: found a cloudflared left over from a previous run (pid ${pid}, started ${record.startedAt}); stopping it`,
    );
    killQuietly(pid, 'SIGTERM');
    killed.push(pid);
  }
  for (let waited = 0; waited < 3000 && killed.some(isAlive); waited += 100) await sleep(100);
  for (const pid of killed) if (isAlive(pid)) killQuietly(pid, 'SIGKILL');
  return killed;
}
