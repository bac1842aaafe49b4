import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireInstanceLock,
  INSTANCE_LOCK_FILE,
  InstanceLockedError,
  readLockHolder,
} from './instance-lock.ts';
import { removeDirs, tempDir } from './library/testing.ts';

// The lock of one data folder, on the real file system. The holder of a lock written by hand is
// this test's parent process (alive, and not this process) or a process that has exited.

const dirs: string[] = [];
afterEach(async () => {
  await removeDirs(...dirs.splice(0));
});

async function dataDir(): Promise<string> {
  const dir = await tempDir('porthole-lock-');
  dirs.push(dir);
  return dir;
}

function writeLock(dir: string, holder: object): void {
  fs.writeFileSync(path.join(dir, INSTANCE_LOCK_FILE), JSON.stringify(holder));
}

/** A pid that just exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

describe('the instance lock', () => {
  it('is taken with a file naming this process, released only by its holder', async () => {
    const dir = await dataDir();
    const lock = acquireInstanceLock(dir, 'porthole serve');
    const written = JSON.parse(fs.readFileSync(lock.file, 'utf8'));
    expect(written).toMatchObject({ pid: process.pid, command: 'porthole serve' });
    expect(Date.parse(written.startedAt)).not.toBeNaN();
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
    // A lock another process took meanwhile is not ours to remove.
    const again = acquireInstanceLock(dir, 'porthole serve');
    writeLock(dir, { pid: process.ppid, startedAt: new Date().toISOString(), command: 'other' });
    again.release();
    expect(fs.existsSync(again.file)).toBe(true);
  });

  it('refuses while a live process holds it, and says which', async () => {
    const dir = await dataDir();
    const since = new Date().toISOString();
    writeLock(dir, { pid: process.ppid, startedAt: since, command: 'porthole serve' });
    expect(() => acquireInstanceLock(dir, 'porthole serve')).toThrow(InstanceLockedError);
    expect(() => acquireInstanceLock(dir, 'porthole serve')).toThrow(
      `Another Porthole (porthole serve, pid ${process.ppid}, running since ${since}) is using the data folder ${dir}.`,
    );
    expect(readLockHolder(dir)).toEqual({ pid: process.ppid, startedAt: since, command: 'porthole serve' });
  });

  it('takes over a lock whose process is gone, a damaged one, and one left by an earlier process with our pid', async () => {
    for (const stale of [
      { pid: deadPid(), startedAt: new Date().toISOString(), command: 'porthole serve' },
      'half-writ',
      { pid: process.pid, startedAt: '2020-01-01T00:00:00.000Z', command: 'porthole serve' },
    ]) {
      const dir = await dataDir();
      fs.writeFileSync(
        path.join(dir, INSTANCE_LOCK_FILE),
        typeof stale === 'string' ? stale : JSON.stringify(stale),
      );
      expect(readLockHolder(dir)).toBeNull();
      const lock = acquireInstanceLock(dir, 'porthole serve');
      expect(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
      expect(fs.readdirSync(dir)).toEqual([INSTANCE_LOCK_FILE]); // nothing moved aside is left
      lock.release();
    }
  });

  it.runIf(process.platform === 'linux')(
    'takes over a lock whose pid now belongs to a process started later',
    async () => {
      const dir = await dataDir();
      // Our parent is alive, but it started after this lock was taken: it cannot be the one that took it.
      writeLock(dir, { pid: process.ppid, startedAt: '2000-01-01T00:00:00.000Z', command: 'porthole serve' });
      expect(readLockHolder(dir)).toBeNull();
    },
  );
});
