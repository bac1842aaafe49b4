import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDirs, tempDir } from './library/testing.ts';
import { chooseSecretStore } from './secret-storage.ts';
import { MemorySecretStore, type SecretStore } from './secrets.ts';
import { FileSecretStore, SECRETS_FILE } from './secrets-file.ts';

// The secrets file (for machines without a keychain) on the real file system, and the choice
// between it and the keychain (a stand-in keychain that works or fails, like the real one).

const dirs: string[] = [];
afterEach(async () => {
  await removeDirs(...dirs.splice(0));
});

async function dataDir(): Promise<string> {
  const dir = await tempDir('porthole-secrets-');
  dirs.push(dir);
  return dir;
}

const SECRET = 's3cr3t-value-that-must-not-leak';

describe('FileSecretStore', () => {
  it('stores, reads and deletes, in a file readable by this user only, replaced whole', async () => {
    const dir = path.join(await dataDir(), 'new-data');
    const store = new FileSecretStore(dir);
    expect(store.exists()).toBe(false);
    expect(await store.get('a')).toBeNull();
    await store.set('a', SECRET);
    await store.set('b', 'other');
    expect(await store.get('a')).toBe(SECRET);
    expect(fs.statSync(path.join(dir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(dir)).toEqual([SECRETS_FILE]); // no temp file left by the atomic write
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect(await new FileSecretStore(dir).get('b')).toBe('other');
  });

  it.runIf(process.platform !== 'win32')(
    'narrows a file others could read, and says so without the secret',
    async () => {
      const dir = await dataDir();
      const lines: string[] = [];
      const store = new FileSecretStore(dir, { log: (line) => lines.push(line) });
      await store.set('a', SECRET);
      fs.chmodSync(store.file, 0o644);
      expect(await store.get('a')).toBe(SECRET);
      expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
      expect(lines).toEqual([
        expect.stringMatching(/was readable by others \(mode 644\); it is now readable by you only/),
      ]);
      expect(lines.join()).not.toContain(SECRET);
    },
  );

  it('refuses a damaged file without quoting it', async () => {
    const dir = await dataDir();
    fs.writeFileSync(path.join(dir, SECRETS_FILE), `{"version":1,"secrets":{"a":"${SECRET}"`);
    const error = await new FileSecretStore(dir).get('a').catch((e: Error) => e);
    expect((error as Error).message).toMatch(/is damaged/);
    expect((error as Error).message).not.toContain(SECRET);
  });
});

/** A keychain that cannot be reached, as @napi-rs/keyring reports it without D-Bus. */
const unreachable: SecretStore = {
  get: () => Promise.reject(new Error('Platform failure: DBus error: no bus')),
  set: () => Promise.reject(new Error('Platform failure: DBus error: no bus')),
  delete: () => Promise.reject(new Error('Platform failure: DBus error: no bus')),
};

describe('chooseSecretStore', () => {
  const base = { service: 'Porthole test', chosenBy: '--secrets file' };

  it('auto: the keychain when it works, with no warning', async () => {
    const dataDir_ = await dataDir();
    const keychain = new MemorySecretStore();
    const chosen = await chooseSecretStore({ ...base, dataDir: dataDir_, preference: 'auto', keychain });
    expect(chosen.store).toBe(keychain);
    expect(chosen.state).toEqual({ kind: 'keychain', file: null, warning: null });
  });

  it('auto: the file when no keychain answers, with a warning that says why', async () => {
    const dir = await dataDir();
    const chosen = await chooseSecretStore({
      ...base,
      dataDir: dir,
      preference: 'auto',
      keychain: unreachable,
    });
    expect(chosen.store).toBeInstanceOf(FileSecretStore);
    expect(chosen.state.kind).toBe('file');
    expect(chosen.state.file).toBe(path.join(dir, SECRETS_FILE));
    expect(chosen.state.warning).toMatch(
      /no OS keychain is reachable \(Platform failure: DBus error: no bus\)/,
    );
  });

  it('auto: stays with the file once secrets are in it, even when a keychain answers later', async () => {
    const dir = await dataDir();
    await new FileSecretStore(dir).set('auth.signing-keys', SECRET);
    const chosen = await chooseSecretStore({
      ...base,
      dataDir: dir,
      preference: 'auto',
      keychain: new MemorySecretStore(),
    });
    expect(chosen.state.kind).toBe('file');
    expect(await chosen.store.get('auth.signing-keys')).toBe(SECRET);
  });

  it('keychain and file: as chosen, whatever the keychain does', async () => {
    const dir = await dataDir();
    const keychain = await chooseSecretStore({
      ...base,
      dataDir: dir,
      preference: 'keychain',
      keychain: unreachable,
    });
    expect(keychain.store).toBe(unreachable);
    const file = await chooseSecretStore({
      ...base,
      dataDir: dir,
      preference: 'file',
      keychain: new MemorySecretStore(),
    });
    expect(file.state.kind).toBe('file');
    expect(file.state.warning).toMatch(/chosen with --secrets file/);
  });
});
