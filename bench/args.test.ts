import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './args.ts';

describe('arguments', () => {
  it('has defaults and reads every option', () => {
    expect(parseBenchArgs([])).toEqual({
      files: 100_000,
      corpus: null,
      queries: 200,
      seed: 1,
      json: false,
      keep: false,
    });
    expect(
      parseBenchArgs(['--files', '2000', '--corpus', '/d', '--queries', '50', '--json', '--keep']),
    ).toMatchObject({
      files: 2000,
      corpus: '/d',
      queries: 50,
      json: true,
      keep: true,
    });
    expect(parseBenchArgs(['--help'])).toBe('help');
  });

  it('refuses nonsense with a clear message', () => {
    expect(() => parseBenchArgs(['--files', '0'])).toThrow(/--files must be a positive whole number/);
    expect(() => parseBenchArgs(['--files', 'lots'])).toThrow(/--files/);
    expect(() => parseBenchArgs(['--bogus'])).toThrow();
  });
});
