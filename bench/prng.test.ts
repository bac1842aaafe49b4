import { describe, expect, it } from 'vitest';
import { mixSeed, mulberry32, Rng } from './prng.ts';

describe('prng', () => {
  it('repeats the same sequence for the same seed, and another for another seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const seqA = Array.from({ length: 20 }, a);
    expect(Array.from({ length: 20 }, b)).toEqual(seqA);
    expect(Array.from({ length: 20 }, c)).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws integers over the whole inclusive range, roughly uniformly', () => {
    const rng = new Rng(7);
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const n = rng.int(1, 6);
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const count of counts.values()) expect(count).toBeGreaterThan(850);
  });

  it('has a log-normal whose median is the one asked for', () => {
    const rng = new Rng(3);
    const values = Array.from({ length: 4001 }, () => rng.logNormal(3000, 0.8)).sort((a, b) => a - b);
    expect(values[2000]).toBeGreaterThan(2700);
    expect(values[2000]).toBeLessThan(3300);
  });

  it('mixes seeds order-sensitively', () => {
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(new Rng(mixSeed(1, 5)).letters(8)).toMatch(/^[a-z]{8}$/);
  });
});
