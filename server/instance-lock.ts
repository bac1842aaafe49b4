import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// One `porthole serve` per data folder: two would write the same settings, index and activity log,
// and `porthole status` would find whichever wrote control.json last.
//
// Why a pid file of our own and not proper-lockfile (npm): proper-lockfile decides staleness by the
// lock's mtime, which its holder must keep touching; a holder that stalls longer than `stale` loses
// the lock, and one killed with SIGKILL keeps it for `stale` more seconds. It also records nothing
// about the holder, while a refusal here must say which process holds the folder. Our data folder
// is local and per user, so the holder's pid is meaningful: the lock is a file created with O_EXCL
// (`wx`) holding {pid, startedAt}; it is stale when that process no longer exists (or the pid now
// belongs to another process, which on Linux shows as a different start time).

export const INSTANCE_LOCK_FILE = 'instance.lock';

export interface LockHolder {
  pid: number;
  /** ISO time the holding process took the lock. */
  startedAt: string;
  /** Its command, for the message (e.g. "porthole serve"). */
  command: string;
}

/** The data folder is in use by another running process. */
export class InstanceLockedError extends Error {
  override name = 'InstanceLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `Another Porthole (${holder.command}, pid ${holder.pid}, running since ${holder.startedAt}) ` +
        `is using the data folder ${dataDir}. Stop it first, or choose another folder with --data-dir.`,
    );
  }
}

export interface InstanceLock {
  readonly file: string;
  /** Removes the lock if it is still ours. Safe to call more than once, and from an exit handler. */
  release(): void;
}

export function lockFile(dataDir: string): string {
  return path.join(dataDir, INSTANCE_LOCK_FILE);
}

/** Takes the data folder's lock, taking over a stale one; throws InstanceLockedError when held. */
export function acquireInstanceLock(dataDir: string, command: string): InstanceLock {
  const file = lockFile(dataDir);
  const me: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o600 });
      return ownLock(file, me);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const raw = readRaw(file);
    if (raw === null) continue; // removed between our create and our read: try again
    const holder = parseHolder(raw);
    if (holder && isAlive(holder)) throw new InstanceLockedError(dataDir, holder);
    takeOverStale(file, raw);
  }
  throw new Error(`Could not take the lock ${file}: it keeps changing. Is another Porthole starting?`);
}

/** Who holds the data folder now, or null (no lock, or a stale one). */
export function readLockHolder(dataDir: string): LockHolder | null {
  const raw = readRaw(lockFile(dataDir));
  const holder = raw === null ? null : parseHolder(raw);
  return holder && isAlive(holder) ? holder : null;
}

function ownLock(file: string, me: LockHolder): InstanceLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const raw = readRaw(file);
    if (raw !== null && parseHolder(raw)?.pid === me.pid) fs.rmSync(file, { force: true });
  };
  // However the process ends (short of SIGKILL, which the liveness check covers), the lock goes.
  process.on('exit', release);
  return { file, release };
}

/**
 * Moves a stale lock aside with rename, which only one of two racing processes can do to the same
 * file. The one that moved it checks that what it moved is the stale lock it read; if a third
 * process had meanwhile taken the lock, it puts that lock back (link fails rather than overwrite).
 */
function takeOverStale(file: string, staleRaw: string): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readRaw(aside) !== staleRaw) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // Someone took it again in between: theirs stands.
    }
  }
  fs.rmSync(aside, { force: true });
}

function readRaw(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return null;
    return {
      pid: value.pid as number,
      startedAt: typeof value.startedAt === 'string' ? value.startedAt : 'an unknown time',
      command: typeof value.command === 'string' ? value.command : 'porthole',
    };
  } catch {
    // Half-written or not ours: not a live holder.
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  // Our own pid in a lock we are only now taking: left by an earlier process that had our pid
  // (containers restart with the same small pids).
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !pidReused(holder);
}

/**
 * Linux only: the pid's process started well after the lock was taken, so it is another process
 * that got the same pid. /proc/PID/stat field 22 is the start time in clock ticks since boot
 * (USER_HZ, 100 on every mainstream kernel), /proc/stat's btime the boot time (proc(5)).
 */
function pidReused(holder: LockHolder): boolean {
  if (os.platform() !== 'linux') return false;
  const lockedAt = Date.parse(holder.startedAt);
  if (Number.isNaN(lockedAt)) return false;
  try {
    const stat = fs.readFileSync(`/proc/${holder.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    const btime = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(startTicks) || !Number.isFinite(btime)) return false;
    const startedMs = (btime + startTicks / 100) * 1000;
    // A process takes its lock after it starts; one that started later than that cannot hold it.
    return startedMs > lockedAt + 2000;
  } catch {
    return false;
  }
}
