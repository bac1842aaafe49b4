import { describe, expect, it, vi } from 'vitest';
import { followAutoUpdate } from './auto-update-follower.ts';
import type { AutoUpdate } from './updater.ts';

// updater.ts reads the app's packaging; these tests pass their own start.
vi.mock('electron', () => ({ app: {} }));

function harness() {
  const logs: string[] = [];
  const started: { stopped: boolean }[] = [];
  const pending: ((value: AutoUpdate | null) => void)[] = [];
  const follower = followAutoUpdate({
    log: (line) => logs.push(line),
    start: () => new Promise<AutoUpdate | null>((resolve) => pending.push(resolve)),
  });
  /** Lets the oldest pending start finish with a fresh AutoUpdate. */
  const finishStart = async () => {
    const run = { stopped: false };
    started.push(run);
    pending.shift()!({ check: async () => {}, stop: () => (run.stopped = true) });
    await Promise.resolve();
    await Promise.resolve();
  };
  return { follower, logs, started, pending, finishStart };
}

describe('followAutoUpdate', () => {
  it('starts once per change to on, and stops when turned off', async () => {
    const h = harness();
    h.follower.follow(true);
    h.follower.follow(true);
    expect(h.pending).toHaveLength(1);
    await h.finishStart();
    expect(h.started[0]!.stopped).toBe(false);

    h.follower.follow(false);
    expect(h.started[0]!.stopped).toBe(true);
    expect(h.logs).toEqual(['update: off (turned off in Settings)']);
  });

  it('stops a start that finishes after the setting was turned off', async () => {
    const h = harness();
    h.follower.follow(true);
    h.follower.follow(false);
    await h.finishStart();
    expect(h.started[0]!.stopped).toBe(true);
  });

  it('stop() ends the running checks', async () => {
    const h = harness();
    h.follower.follow(true);
    await h.finishStart();
    h.follower.stop();
    expect(h.started[0]!.stopped).toBe(true);
  });

  it('logs a start that fails', async () => {
    const logs: string[] = [];
    const follower = followAutoUpdate({
      log: (l) => logs.push(l),
      start: async () => Promise.reject(new Error('no feed')),
    });
    follower.follow(true);
    await expect.poll(() => logs).toEqual(['update: no feed']);
  });
});
