import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type KeychainEntry,
  KeychainSecretStore,
  KeychainUnavailableError,
  MemorySecretStore,
  probeKeychain,
  type SecretStore,
} from './secrets.ts';

const SECRET = 'hunter2-very-secret-value';

/** What every SecretStore must do; run against memory and against the real keychain. */
function contract(makeStore: () => SecretStore, track: (name: string) => string = (n) => n) {
  it('stores, overwrites, reads back and deletes', async () => {
    const store = makeStore();
    const name = track('roundtrip');
    expect(await store.get(name)).toBeNull();
    await store.set(name, SECRET);
    expect(await store.get(name)).toBe(SECRET);
    await store.set(name, 'second');
    expect(await store.get(name)).toBe('second');
    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeNull();
    expect(await store.delete(name)).toBe(false);
  });

  it('keeps unicode, empty and long values exactly', async () => {
    const store = makeStore();
    for (const value of ['ünïcødé ✓ 🔑', '', 'x'.repeat(20_000), '{"kty":"EC","d":"a\\nb"}']) {
      const name = track('values');
      await store.set(name, value);
      expect(await store.get(name)).toBe(value);
    }
    await store.delete(track('values'));
  });

  it('keeps names apart', async () => {
    const store = makeStore();
    await store.set(track('a'), '1');
    await store.set(track('b'), '2');
    expect([await store.get(track('a')), await store.get(track('b'))]).toEqual(['1', '2']);
    await store.delete(track('a'));
    expect(await store.get(track('b'))).toBe('2');
    await store.delete(track('b'));
  });
}

describe('MemorySecretStore', () => {
  contract(() => new MemorySecretStore());
  it('passes the probe', async () => {
    expect(await probeKeychain(new MemorySecretStore())).toEqual({ ok: true });
  });
});

describe('KeychainUnavailableError', () => {
  it('tells a Linux user what to install and check, and keeps the cause', () => {
    const cause = new Error('Platform failure: DBus error');
    const err = new KeychainUnavailableError('no D-Bus', { cause }, 'linux');
    expect(err.message).toMatch(/No OS keychain is reachable.*\(no D-Bus\)/);
    expect(err.message).toMatch(/gnome-keyring \(Secret Service\) or KWallet/);
    expect(err.message).toMatch(/D-Bus session/);
    expect(err.cause).toBe(cause);
    expect(err.reason).toBe('no D-Bus');
  });
  it('gives platform advice on macOS and Windows', () => {
    expect(new KeychainUnavailableError('x', {}, 'darwin').message).toMatch(/login keychain/);
    expect(new KeychainUnavailableError('x', {}, 'win32').message).toMatch(/Credential Manager/);
  });
});

// Error mapping with a stand-in entry: these failures cannot be produced on demand with a real keychain.
describe('KeychainSecretStore error mapping', () => {
  const failing = (message: string): KeychainEntry => {
    const fail = async () => {
      throw Object.assign(new Error(message), { code: 'GenericFailure' });
    };
    return { getPassword: fail, setPassword: fail, deleteCredential: fail };
  };
  const storeWith = (entry: () => KeychainEntry, timeoutMs?: number) =>
    new KeychainSecretStore({ service: 'test', createEntry: entry, timeoutMs });

  it('maps "not found" to null and false', async () => {
    const store = storeWith(() => failing('No matching entry found in secure storage'));
    expect(await store.get('x')).toBeNull();
    expect(await store.delete('x')).toBe(false);
  });

  it.each([
    'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled',
    "Couldn't access platform storage: Secret Service: unlock prompt was dismissed",
  ])('maps platform failures to KeychainUnavailableError: %s', async (message) => {
    const store = storeWith(() => failing(message));
    for (const op of [store.get('x'), store.set('x', SECRET), store.delete('x')]) {
      await expect(op).rejects.toThrow(KeychainUnavailableError);
    }
    await expect(store.get('x')).rejects.toThrow(message);
  });

  it('maps a store that cannot even be opened (constructor throws)', async () => {
    const store = storeWith(() => {
      throw new Error('Platform failure: DBus error: no session');
    });
    await expect(store.get('x')).rejects.toThrow(KeychainUnavailableError);
  });

  it('passes other keychain errors through as plain errors naming the secret', async () => {
    const store = storeWith(() => failing('Entry is matched by 2 credentials'));
    const err = await store.get('signing-key').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(KeychainUnavailableError);
    expect((err as Error).message).toMatch(/refused to read the secret "signing-key": Entry is matched by 2/);
  });

  it('never puts the value in an error message, even if the keychain echoes it', async () => {
    const store = storeWith(() => failing(`Platform failure: could not store ${SECRET}`));
    const err = (await store.set('x', SECRET).catch((e: unknown) => e)) as KeychainUnavailableError;
    expect(err).toBeInstanceOf(KeychainUnavailableError);
    expect(err.message).not.toContain(SECRET);
    expect(err.cause).toBeUndefined();
  });

  it('gives up on a keychain that never answers', async () => {
    let signal: AbortSignal | undefined;
    const hanging: KeychainEntry = {
      getPassword: (s) => {
        signal = s;
        return new Promise(() => {});
      },
      setPassword: () => new Promise(() => {}),
      deleteCredential: () => new Promise(() => {}),
    };
    const err = await storeWith(() => hanging, 50)
      .get('x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeychainUnavailableError);
    expect((err as Error).message).toMatch(/did not answer within 0.05 s/);
    expect(signal?.aborted).toBe(true);
  });

  it('rejects empty names', async () => {
    await expect(new MemorySecretStore().get('')).resolves.toBeNull();
    await expect(storeWith(() => failing('unused')).get('')).rejects.toThrow(TypeError);
  });
});

// --- The real OS keychain -------------------------------------------------------------------------

const service = `Porthole-test-${process.pid}-${randomBytes(4).toString('hex')}`;
const used = new Set<string>();
const track = (name: string) => {
  used.add(name);
  return name;
};
const probe = await probeKeychain(new KeychainSecretStore({ service }));
const required = process.env.PORTHOLE_REQUIRE_KEYCHAIN === '1';
if (!probe.ok && !required) {
  console.warn(
    `secrets.test: skipping the real-keychain tests: ${probe.reason}\n` +
      "Run them under: dbus-run-session -- bash -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run server/secrets.test.ts'",
  );
}

describe.skipIf(!probe.ok && !required)('KeychainSecretStore (real OS keychain)', () => {
  afterAll(async () => {
    const store = new KeychainSecretStore({ service });
    for (const name of used) await store.delete(name).catch(() => {});
  });

  it('is reachable (PORTHOLE_REQUIRE_KEYCHAIN=1 makes this fail instead of skip)', () => {
    if (!probe.ok) throw new Error(`PORTHOLE_REQUIRE_KEYCHAIN=1 but ${probe.reason}`);
  });

  contract(() => new KeychainSecretStore({ service }), track);

  it('keeps services apart', async () => {
    const other = new KeychainSecretStore({ service: `${service}-other` });
    await new KeychainSecretStore({ service }).set(track('shared-name'), 'mine');
    expect(await other.get('shared-name')).toBeNull();
    expect(await other.delete('shared-name')).toBe(false);
  });
});

// --- No D-Bus session ----------------------------------------------------------------------------

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);

// The D-Bus address is read by native code, so the case runs in a child with its own environment.
async function inChildWithout(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-secrets-'));
  const script = path.join(dir, 'child.mts');
  fs.writeFileSync(
    script,
    `import { KeychainSecretStore, KeychainUnavailableError, probeKeychain } from ${JSON.stringify(
      pathToFileURL(path.join(here, 'secrets.ts')).href,
    )};
    const store = new KeychainSecretStore({ service: 'Porthole-test-nodbus' });
    const out: Record<string, string> = {};
    const ops = { get: () => store.get('a'), set: () => store.set('a', ${JSON.stringify(SECRET)}), delete: () => store.delete('a') };
    for (const [op, run] of Object.entries(ops)) {
      try { out[op] = 'ok: ' + JSON.stringify(await run()); }
      catch (e) { out[op] = (e instanceof KeychainUnavailableError ? 'unavailable: ' : 'other: ') + (e as Error).message; }
    }
    const p = await probeKeychain(store);
    out.probe = p.ok ? 'ok' : p.reason;
    console.log(JSON.stringify(out));`,
  );
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      cwd: repo,
      env,
      timeout: 30_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) as string);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe.runIf(process.platform === 'linux')('KeychainSecretStore without a D-Bus session', () => {
  const { DBUS_SESSION_BUS_ADDRESS: _, ...withoutBus } = process.env;

  it.each([
    ['unset', withoutBus],
    ['pointing nowhere', { ...withoutBus, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/porthole-bus' }],
  ])('raises KeychainUnavailableError with advice when the address is %s', async (_label, env) => {
    const out = await inChildWithout(env);
    for (const op of ['get', 'set', 'delete']) {
      expect(out[op]).toMatch(/^unavailable: No OS keychain is reachable/);
      expect(out[op]).toMatch(/gnome-keyring \(Secret Service\) or KWallet.*D-Bus session/);
      expect(out[op]).not.toContain(SECRET);
    }
    // The probe says what the keychain said, without the advice: its caller says what to do.
    expect(out.probe).toMatch(/dbus/i);
    expect(out.probe).not.toMatch(/No OS keychain is reachable/);
  });
});
