import { describe, expect, it, vi } from 'vitest';
import { withTimeout } from './timeout.ts';

describe('withTimeout', () => {
  it('passes the result through when the work is quick', async () => {
    await expect(withTimeout(Promise.resolve(42), 1000, 'slow')).resolves.toBe(42);
  });

  it('rejects with the message and tells the worker to stop', async () => {
    const stop = vi.fn();
    const never = new Promise<never>(() => {});
    await expect(withTimeout(never, 20, 'too slow', stop)).rejects.toThrow('too slow');
    expect(stop).toHaveBeenCalledOnce();
  });

  it('keeps the work’s own error', async () => {
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000, 'slow')).rejects.toThrow('boom');
  });
});
