import type { SecretStorageState } from './api.ts';
import { KeychainSecretStore, probeKeychain, type SecretStore } from './secrets.ts';
import { FileSecretStore } from './secrets-file.ts';

// Which store keeps the secrets of a headless Porthole: the OS keychain by default; a file of the
// data folder (secrets-file.ts) where no keychain is reachable, or when the person chose it.

export type SecretStoragePreference = 'auto' | 'keychain' | 'file';
export const SECRET_STORAGE_CHOICES: readonly SecretStoragePreference[] = ['auto', 'keychain', 'file'];

export interface ChosenSecretStore {
  store: SecretStore;
  state: SecretStorageState;
}

export interface ChooseOptions {
  dataDir: string;
  preference: SecretStoragePreference;
  /** The keychain service of this data folder (secretServiceFor). */
  service: string;
  /** Where the preference came from, for the warning: "--secrets file" or "settings.json". */
  chosenBy: string;
  log?: (line: string) => void;
  /** Tests only: the keychain to try. */
  keychain?: SecretStore;
}

export async function chooseSecretStore(options: ChooseOptions): Promise<ChosenSecretStore> {
  const keychain = options.keychain ?? new KeychainSecretStore({ service: options.service });
  const file = new FileSecretStore(options.dataDir, { log: options.log });
  const inFile = (why: string): ChosenSecretStore => ({
    store: file,
    state: {
      kind: 'file',
      file: file.file,
      warning: `Secrets are kept in ${file.file} (readable by you only), not in an OS keychain: ${why}. Anyone who can read that file as you, or as root, has them.`,
    },
  });
  const inKeychain: ChosenSecretStore = {
    store: keychain,
    state: { kind: 'keychain', file: null, warning: null },
  };
  if (options.preference === 'keychain') return inKeychain;
  if (options.preference === 'file') return inFile(`chosen with ${options.chosenBy}`);
  // auto: secrets already in the file stay there (the keychain has none of them: switching would
  // make new signing keys and lose the GitHub secret); else the keychain, when it answers.
  if (file.exists())
    return inFile('they were put there when no keychain was reachable (--secrets keychain to change)');
  const probe = await probeKeychain(keychain);
  return probe.ok ? inKeychain : inFile(`no OS keychain is reachable (${probe.reason})`);
}
