import { afterAll, describe, expect, it } from 'vitest';
import { removeDirs, tempDir } from '../library/testing.ts';
import { MemorySecretStore } from '../secrets.ts';
import { SettingsFile } from '../settings.ts';
import { NGROK_AUTHTOKEN_NAME, saveTunnelChoice, TUNNEL_TOKEN_NAME } from './slot.ts';

// Saving the tunnel a person chose: a named tunnel's hostname is read by the same normalizer the
// supervisor uses, so what Settings accepts is what cloudflared is started with.

const dirs: string[] = [];
afterAll(() => removeDirs(...dirs));

async function fresh() {
  const dir = await tempDir('porthole-tunnel-choice-');
  dirs.push(dir);
  return { settings: SettingsFile.open(dir, { log: () => {} }), secrets: new MemorySecretStore() };
}

describe('saveTunnelChoice', () => {
  it('saves a named tunnel however its hostname was pasted, and its token (trimmed) in the keychain', async () => {
    const { settings, secrets } = await fresh();
    await saveTunnelChoice(
      { mode: 'named', hostname: 'https://Files.Example.com/', token: ' tok-123 ' },
      settings,
      secrets,
    );
    expect(settings.get().tunnel).toMatchObject({ mode: 'named', hostname: 'files.example.com' });
    expect(await secrets.get(TUNNEL_TOKEN_NAME)).toBe('tok-123');
  });

  it('keeps the saved hostname and token when the person only switches back to named', async () => {
    const { settings, secrets } = await fresh();
    await saveTunnelChoice({ mode: 'named', hostname: 'files.example.com', token: 'tok' }, settings, secrets);
    await saveTunnelChoice({ mode: 'quick' }, settings, secrets);
    expect(settings.get().tunnel).toMatchObject({ mode: 'quick', hostname: 'files.example.com' });
    await saveTunnelChoice({ mode: 'named' }, settings, secrets);
    expect(settings.get().tunnel).toMatchObject({ mode: 'named', hostname: 'files.example.com' });
    expect(await secrets.get(TUNNEL_TOKEN_NAME)).toBe('tok');
  });

  it('refuses a hostname the supervisor would refuse, and stores nothing', async () => {
    const { settings, secrets } = await fresh();
    for (const hostname of [`${'a'.repeat(64)}.example.com`, '192.168.1.10', 'localhost', '']) {
      await expect(
        saveTunnelChoice({ mode: 'named', hostname, token: 'tok' }, settings, secrets),
      ).rejects.toThrow(/public hostname/);
    }
    expect(settings.get().tunnel.mode).toBe('quick');
    expect(await secrets.get(TUNNEL_TOKEN_NAME)).toBeNull();
  });

  it('refuses a named tunnel without a token, given or saved', async () => {
    const { settings, secrets } = await fresh();
    await expect(
      saveTunnelChoice({ mode: 'named', hostname: 'files.example.com', token: '  ' }, settings, secrets),
    ).rejects.toThrow(/needs its token/);
    expect(settings.get().tunnel.mode).toBe('quick');
  });
});

describe('saveTunnelChoice for ngrok', () => {
  it('keeps the authtoken in the keychain and the domain, however it was pasted, in settings', async () => {
    const { settings, secrets } = await fresh();
    await saveTunnelChoice(
      { mode: 'ngrok', ngrokAuthtoken: ' 2abc_token ', ngrokDomain: 'https://Mona.ngrok-free.app/' },
      settings,
      secrets,
    );
    expect(settings.get().tunnel).toMatchObject({ mode: 'ngrok', ngrokDomain: 'mona.ngrok-free.app' });
    expect(await secrets.get(NGROK_AUTHTOKEN_NAME)).toBe('2abc_token');
    expect(JSON.stringify(settings.get())).not.toContain('2abc_token');
    await saveTunnelChoice({ mode: 'quick' }, settings, secrets);
    await saveTunnelChoice({ mode: 'ngrok' }, settings, secrets);
    expect(settings.get().tunnel).toMatchObject({ mode: 'ngrok', ngrokDomain: 'mona.ngrok-free.app' });
  });

  it('refuses ngrok without an authtoken, given or saved, and a domain that is not one', async () => {
    const { settings, secrets } = await fresh();
    await expect(
      saveTunnelChoice({ mode: 'ngrok', ngrokDomain: 'mona.ngrok-free.app' }, settings, secrets),
    ).rejects.toThrow(/authtoken/);
    await expect(
      saveTunnelChoice(
        { mode: 'ngrok', ngrokAuthtoken: 'tok', ngrokDomain: 'not a domain' },
        settings,
        secrets,
      ),
    ).rejects.toThrow(/is not a domain/);
    expect(settings.get().tunnel.mode).toBe('quick');
    expect(await secrets.get(NGROK_AUTHTOKEN_NAME)).toBeNull();
  });
});
