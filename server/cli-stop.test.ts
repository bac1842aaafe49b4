import { afterEach, describe, expect, it, vi } from 'vitest';
import { DUPLICATE_SIGNAL_MS, StopSignals } from './cli-stop.ts';

// How serve reacts to SIGINT/SIGTERM, with real process signals emitted in this process and the
// clock (Date.now) and timers faked: a duplicate is ignored, a later one or the deadline forces.

let signals: StopSignals | null = null;
afterEach(() => {
  signals?.dispose();
  signals = null;
  vi.useRealTimers();
});

function setUp() {
  const said: string[] = [];
  const exits: number[] = [];
  let cleaned = 0;
  signals = new StopSignals({
    onFirst: () => said.push('Stopping…'),
    forceCleanups: () => {
      cleaned++;
    },
    onForced: () => said.push('Stopped.'),
    exit: (code) => exits.push(code),
    graceMs: 10_000,
  });
  return { said, exits, cleaned: () => cleaned, signals };
}

describe('StopSignals', () => {
  it('asks to stop at the first signal, and takes one that follows at once as the same request', async () => {
    vi.useFakeTimers();
    const { said, exits, signals } = setUp();
    process.emit('SIGINT');
    process.emit('SIGINT');
    await signals.requested;
    expect(signals.stopping).toBe(true);
    expect(said).toEqual(['Stopping…']);
    expect(exits).toEqual([]);
  });

  it('forces at a later signal: cleans up, says "Stopped." and exits 130', () => {
    vi.useFakeTimers();
    const { said, exits, cleaned } = setUp();
    process.emit('SIGTERM');
    vi.advanceTimersByTime(DUPLICATE_SIGNAL_MS);
    process.emit('SIGINT');
    expect(cleaned()).toBe(1);
    expect(said).toEqual(['Stopping…', 'Stopped.']);
    expect(exits).toEqual([130]);
  });

  it('forces when the graceful stop outlasts its deadline, and not once disposed', () => {
    vi.useFakeTimers();
    const first = setUp();
    process.emit('SIGINT');
    vi.advanceTimersByTime(10_000);
    expect(first.exits).toEqual([130]);
    const second = setUp();
    process.emit('SIGINT');
    second.signals.dispose();
    vi.advanceTimersByTime(60_000);
    expect(second.exits).toEqual([]);
  });
});
