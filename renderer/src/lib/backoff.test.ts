import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './backoff.ts';

describe('reconnectDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10, 1000].map((n) => reconnectDelay(n, { random: mid }))).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000,
    ]);
  });

  it('jitters by a quarter either way, never above the cap', () => {
    expect(reconnectDelay(0, { random: () => 0 })).toBe(375);
    expect(reconnectDelay(0, { random: () => 1 })).toBe(625);
    expect(reconnectDelay(20, { random: () => 1 })).toBe(15000);
    expect(reconnectDelay(1, { initialMs: 100, maxMs: 150, random: () => 0.5 })).toBe(150);
  });
});
