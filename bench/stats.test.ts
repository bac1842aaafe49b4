import { describe, expect, it } from 'vitest';
import { mean, nsToMs, percentile, round, summarize } from './stats.ts';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('interpolates between closest ranks', () => {
    expect(percentile(hundred, 50)).toBeCloseTo(50.5, 10);
    expect(percentile(hundred, 95)).toBeCloseTo(95.05, 10);
    expect(percentile(hundred, 99)).toBeCloseTo(99.01, 10);
    expect(percentile([1, 2], 50)).toBe(1.5);
    expect(percentile([10, 20, 30, 40], 25)).toBeCloseTo(17.5, 10);
  });

  it('gives the extremes at 0 and 100, and the value itself for one sample', () => {
    expect(percentile([5, 3, 9], 0)).toBe(3);
    expect(percentile([5, 3, 9], 100)).toBe(9);
    expect(percentile([7], 95)).toBe(7);
  });

  it('sorts numerically without touching the input', () => {
    const values = [10, 9, 100, 1];
    expect(percentile(values, 50)).toBe(9.5);
    expect(values).toEqual([10, 9, 100, 1]);
  });

  it('is NaN for no samples and refuses percentiles outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summaries', () => {
  it('summarizes latencies', () => {
    const s = summarize([4, 1, 3, 2]);
    expect(s).toEqual({
      count: 4,
      mean: 2.5,
      p50: 2.5,
      p95: expect.closeTo(3.85, 10),
      p99: expect.closeTo(3.97, 10),
      max: 4,
    });
    expect(mean([])).toBeNaN();
  });

  it('converts and rounds', () => {
    expect(nsToMs(1_500_000n)).toBe(1.5);
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(Number.NaN)).toBeNaN();
  });
});
