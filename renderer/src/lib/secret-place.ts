import type { SecretStorageState } from '../../../server/api.ts';

/**
 * Where a secret typed into the dashboard goes, in the words of the form beside it: the OS
 * keychain, or, where none is reachable (a headless `serve`), the data folder's secrets file.
 */
export function secretPlace(storage: SecretStorageState): { short: string; long: string } {
  return storage.kind === 'file'
    ? { short: 'the secrets file', long: 'secrets.json in the data folder (readable by you only)' }
    : { short: 'the keychain', long: 'the system keychain' };
}
