import { expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

it('doubles from 500 ms and stops at 60 s', () => {
  const delays = Array.from({ length: 10 }, (_, i) => backoffDelay(i + 1, DEFAULT_BACKOFF));
  expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  expect(backoffDelay(10_000, DEFAULT_BACKOFF)).toBe(60_000);
});
