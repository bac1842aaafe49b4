// Secrets (GitHub client secret, signing keys, cookie keys, tunnel token) live in the OS keychain:
// macOS Keychain, Windows Credential Manager, Secret Service (gnome-keyring, KWallet) on Linux. A
// headless Porthole without one keeps them in a file instead (secrets-file.ts, secret-storage.ts).
import { randomBytes } from 'node:crypto';
import { AsyncEntry } from '@napi-rs/keyring';

export interface SecretStore {
  /** The stored value, or null when there is none. */
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  /** True when something was deleted, false when there was nothing to delete. */
  delete(name: string): Promise<boolean>;
}

export const DEFAULT_SECRET_SERVICE = 'Porthole';

/**
 * Secrets belong to a data folder: the default one uses the plain service name; another
 * (a second instance, a test) gets its own, so two Portholes never share signing keys.
 */
export function secretServiceFor(dataDir: string, defaultDir: string): string {
  return dataDir === defaultDir ? DEFAULT_SECRET_SERVICE : `${DEFAULT_SECRET_SERVICE} ${dataDir}`;
}

/** No usable OS keychain: not installed, not running, locked, or no D-Bus session to reach it. */
export class KeychainUnavailableError extends Error {
  override name = 'KeychainUnavailableError';
  constructor(
    /** What the keychain said, without the advice. */
    readonly reason: string,
    options?: ErrorOptions,
    platform: NodeJS.Platform = process.platform,
  ) {
    super(
      `No OS keychain is reachable, so Porthole cannot keep its secrets (${reason}). ${advice(platform)}`,
      options,
    );
  }
}

function advice(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Make sure your login keychain exists and is unlocked (Keychain Access).';
  if (platform === 'win32') return 'Make sure Windows Credential Manager is available for your user account.';
  return (
    'Install and unlock gnome-keyring (Secret Service) or KWallet, and make sure a D-Bus session is running ' +
    '(DBUS_SESSION_BUS_ADDRESS is set; on a headless machine start Porthole under dbus-run-session).'
  );
}

/** The part of @napi-rs/keyring's AsyncEntry we use; tests substitute it to simulate failures. */
export interface KeychainEntry {
  getPassword(signal?: AbortSignal): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
  deleteCredential(signal?: AbortSignal): Promise<boolean>;
}

export interface KeychainOptions {
  /** Keychain service name; entries are (service, name). Tests use a unique one per run. */
  service?: string;
  /**
   * How long one operation may take before the keychain counts as unavailable. A locked keychain
   * shows an unlock prompt and waits for the person, so this is generous.
   */
  timeoutMs?: number;
  /** Replaces the real keychain entry (tests only). */
  createEntry?: (service: string, account: string) => KeychainEntry;
}

// On Linux the binding's default silently falls back to the kernel keyring when Secret Service is
// missing: that store forgets everything at reboot (and is often denied in containers). Pinning
// makes a missing Secret Service an error we can explain. The option is ignored on other platforms.
const realEntry = (service: string, account: string): KeychainEntry =>
  new AsyncEntry(service, account, { linux: { store: 'secret-service' } });

export class KeychainSecretStore implements SecretStore {
  readonly service: string;
  readonly #timeoutMs: number;
  readonly #createEntry: (service: string, account: string) => KeychainEntry;

  constructor(opts: KeychainOptions = {}) {
    this.service = opts.service ?? DEFAULT_SECRET_SERVICE;
    this.#timeoutMs = opts.timeoutMs ?? 60_000;
    this.#createEntry = opts.createEntry ?? realEntry;
  }

  get(name: string): Promise<string | null> {
    return this.#run(name, 'read', null, (e, signal) => e.getPassword(signal));
  }

  async set(name: string, value: string): Promise<void> {
    if (typeof value !== 'string') throw new TypeError('secret value must be a string');
    return await this.#run(name, 'store', value, (e, signal) => e.setPassword(value, signal));
  }

  delete(name: string): Promise<boolean> {
    return this.#run(name, 'delete', null, (e, signal) => e.deleteCredential(signal));
  }

  async #run<T>(
    name: string,
    verb: string,
    value: string | null,
    op: (entry: KeychainEntry, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (typeof name !== 'string' || name === '')
      throw new TypeError('secret name must be a non-empty string');
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(
          new KeychainUnavailableError(`the keychain did not answer within ${this.#timeoutMs / 1000} s`),
        );
      }, this.#timeoutMs);
    });
    try {
      // Entry creation connects to the store (D-Bus on Linux) and is where a missing one shows up.
      return await Promise.race([op(this.#createEntry(this.service, name), abort.signal), timeout]);
    } catch (err) {
      if (err instanceof KeychainUnavailableError) throw err;
      const message = errorText(err);
      if (/No matching entry/i.test(message)) return (verb === 'read' ? null : false) as T;
      // Values are never echoed by the keychain, but make sure none reaches a log through us.
      const leaked = value !== null && value !== '' && message.includes(value);
      const reason = leaked ? message.split(value).join('[secret]') : message;
      const cause = leaked ? undefined : { cause: err };
      // keyring-rs: PlatformFailure / NoStorageAccess mean the store itself is unusable.
      if (/Platform failure|Couldn't access platform storage/i.test(message)) {
        throw new KeychainUnavailableError(reason, cause);
      }
      throw new Error(`The keychain refused to ${verb} the secret "${name}": ${reason}`, cause);
    } finally {
      clearTimeout(timer);
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** In-memory store, for tests only: secrets are kept in the keychain or in the secrets file. */
export class MemorySecretStore implements SecretStore {
  readonly #values = new Map<string, string>();

  async get(name: string): Promise<string | null> {
    return this.#values.get(name) ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    this.#values.set(name, value);
  }

  async delete(name: string): Promise<boolean> {
    return this.#values.delete(name);
  }
}

/**
 * Checks that the keychain can store, read back and delete a throwaway secret. Writing matters:
 * a locked gnome-keyring still answers reads (with "not found") and only fails on write.
 */
export async function probeKeychain(
  store: SecretStore = new KeychainSecretStore(),
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const name = `probe-${randomBytes(6).toString('hex')}`;
  const value = randomBytes(16).toString('base64url');
  try {
    await store.set(name, value);
    const back = await store.get(name);
    await store.delete(name);
    if (back !== value) return { ok: false, reason: 'the keychain accepted a secret but did not return it' };
    return { ok: true };
  } catch (err) {
    // What the keychain said, without the advice (the caller says what to do).
    return { ok: false, reason: err instanceof KeychainUnavailableError ? err.reason : errorText(err) };
  }
}
