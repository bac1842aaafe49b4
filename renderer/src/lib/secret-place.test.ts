import { describe, expect, it } from 'vitest';
import { secretPlace } from './secret-place.ts';

describe('secretPlace', () => {
  it('names the keychain, or the secrets file where there is none', () => {
    expect(secretPlace({ kind: 'keychain', file: null, warning: null })).toEqual({
      short: 'the keychain',
      long: 'the system keychain',
    });
    expect(secretPlace({ kind: 'file', file: '/data/secrets.json', warning: 'no keychain' }).long).toBe(
      'secrets.json in the data folder (readable by you only)',
    );
  });
});
