import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSqliteAdapterFactory, type SqliteAdapterFactory } from './sqlite-adapter.ts';

let dir: string;
let file: string;
let factory: SqliteAdapterFactory;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'porthole-auth-'));
  file = path.join(dir, 'auth.sqlite');
  factory = createSqliteAdapterFactory(file, { purgeIntervalMs: 0 });
});

afterEach(() => {
  factory.close();
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('sqlite adapter', () => {
  it('upserts and finds by id, uid and user code, per model', async () => {
    const sessions = factory.Adapter('Session');
    await sessions.upsert('sess1', { uid: 'u1', accountId: 'a' }, 60);
    expect(await sessions.find('sess1')).toEqual({ uid: 'u1', accountId: 'a' });
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'a' });
    expect(await factory.Adapter('Interaction').find('sess1')).toBeUndefined();

    const devices = factory.Adapter('DeviceCode');
    await devices.upsert('dc1', { userCode: 'ABCD-EFGH', grantId: 'g' }, 60);
    expect(await devices.findByUserCode('ABCD-EFGH')).toMatchObject({ userCode: 'ABCD-EFGH' });
    expect(await devices.findByUserCode('nope')).toBeUndefined();

    await sessions.upsert('sess1', { uid: 'u2', accountId: 'b' }, 60);
    expect(await sessions.findByUid('u1')).toBeUndefined();
    expect(await sessions.findByUid('u2')).toEqual({ uid: 'u2', accountId: 'b' });
  });

  it('stores bearer-token ids hashed and gives jti back on find', async () => {
    const refresh = factory.Adapter('RefreshToken');
    await refresh.upsert(
      'secret-token-value',
      { jti: 'secret-token-value', grantId: 'g1', kind: 'RefreshToken' },
      60,
    );
    const raw = factory.db.prepare('SELECT id, payload FROM oidc').all() as { id: string; payload: string }[];
    expect(JSON.stringify(raw)).not.toContain('secret-token-value');
    expect(await refresh.find('secret-token-value')).toEqual({
      jti: 'secret-token-value',
      grantId: 'g1',
      kind: 'RefreshToken',
    });
  });

  it('marks consumed, and a later save does not un-consume', async () => {
    const codes = factory.Adapter('AuthorizationCode');
    await codes.upsert('c1', { jti: 'c1', grantId: 'g' }, 60);
    expect((await codes.find('c1'))?.consumed).toBeUndefined();
    await codes.consume('c1');
    const consumed = (await codes.find('c1'))?.consumed;
    expect(typeof consumed).toBe('number');
    await codes.upsert('c1', { jti: 'c1', grantId: 'g' }, 60);
    expect((await codes.find('c1'))?.consumed).toBe(consumed);
  });

  it('destroys, and revokes every grantable row of a grant but nothing else', async () => {
    await factory.Adapter('AccessToken').upsert('at', { grantId: 'g1' }, 60);
    await factory.Adapter('RefreshToken').upsert('rt', { grantId: 'g1' }, 60);
    await factory.Adapter('RefreshToken').upsert('rt2', { grantId: 'g2' }, 60);
    await factory.Adapter('Grant').upsert('g1', { accountId: 'a', clientId: 'c' }, 60);
    await factory.Adapter('AccessToken').revokeByGrantId('g1');
    expect(await factory.Adapter('AccessToken').find('at')).toBeUndefined();
    expect(await factory.Adapter('RefreshToken').find('rt')).toBeUndefined();
    expect(await factory.Adapter('RefreshToken').find('rt2')).toBeDefined();
    expect(await factory.Adapter('Grant').find('g1')).toBeDefined();
    await factory.Adapter('Grant').destroy('g1');
    expect(await factory.Adapter('Grant').find('g1')).toBeUndefined();
  });

  it('never returns expired rows and purges them on demand and on open', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const s = factory.Adapter('Session');
    await s.upsert('short', { uid: 'u' }, 10);
    await s.upsert('long', { uid: 'v' }, 1000);
    await factory.Adapter('Client').upsert('forever', { client_id: 'forever' });
    vi.setSystemTime(Date.now() + 11_000);
    expect(await s.find('short')).toBeUndefined();
    expect(await s.findByUid('u')).toBeUndefined();
    expect(await s.find('long')).toBeDefined();
    expect(factory.purgeExpired()).toBe(1);

    vi.setSystemTime(Date.now() + 2000_000);
    factory.close();
    factory = createSqliteAdapterFactory(file, { purgeIntervalMs: 0, clientPurge: false });
    const count = factory.db.prepare('SELECT COUNT(*) FROM oidc').pluck().get();
    expect(count).toBe(1); // only the client, which has no expiry
  });

  it('purges expired rows and stale clients on a timer until closed', async () => {
    factory.close();
    vi.useFakeTimers();
    factory = createSqliteAdapterFactory(file, {
      purgeIntervalMs: 1000,
      clientPurge: { neverGrantedOlderThanMs: 1500, unusedForMs: DAY },
    });
    await factory.Adapter('Session').upsert('s', { uid: 'u' }, 1);
    await factory.Adapter('Client').upsert('c', { client_id: 'c' });
    const rows = () => factory.db.prepare('SELECT COUNT(*) FROM oidc').pluck().get();
    vi.advanceTimersByTime(999);
    expect(rows()).toBe(2);
    vi.advanceTimersByTime(1001);
    expect(rows()).toBe(0);
    factory.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps data across reopen (WAL file, owner-only mode)', async () => {
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    await factory.Adapter('Client').upsert('c1', { client_id: 'c1', redirect_uris: ['https://x/cb'] });
    expect(factory.db.pragma('journal_mode', { simple: true })).toBe('wal');
    factory.close();
    factory = createSqliteAdapterFactory(file, { purgeIntervalMs: 0, clientPurge: false });
    expect(await factory.Adapter('Client').find('c1')).toEqual({
      client_id: 'c1',
      redirect_uris: ['https://x/cb'],
    });
  });
});

describe('purgeUnusedClients', () => {
  const opts = { neverGrantedOlderThanMs: HOUR, unusedForMs: 30 * DAY };

  it('deletes never-granted clients after an hour and unused ones after 30 days, with their rows', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const clients = factory.Adapter('Client');
    await clients.upsert('idle', { client_id: 'idle' });
    await clients.upsert('granted', { client_id: 'granted' });
    await clients.upsert('used', { client_id: 'used' });
    // Registration saves a registration access token; that is not a use.
    await factory.Adapter('RegistrationAccessToken').upsert('rat', { clientId: 'idle' });
    await factory.Adapter('Grant').upsert('g1', { clientId: 'granted', accountId: 'a' }, 365 * 86_400);
    await factory.Adapter('RefreshToken').upsert('rt', { clientId: 'granted', grantId: 'g1' }, 30 * 86_400);
    await factory.Adapter('Grant').upsert('g2', { clientId: 'used', accountId: 'a' }, 60);

    vi.setSystemTime(Date.now() + 30 * 60_000);
    expect(factory.purgeUnusedClients(opts)).toBe(0);

    vi.setSystemTime(Date.now() + 31 * 60_000);
    expect(factory.purgeUnusedClients(opts)).toBe(1); // idle; 'used' had a grant (now expired) so it stays
    expect(await clients.find('idle')).toBeUndefined();
    expect(factory.db.prepare("SELECT COUNT(*) FROM oidc WHERE clientId = 'idle'").pluck().get()).toBe(0);
    expect(
      factory
        .listClients()
        .map((c) => c.clientId)
        .sort(),
    ).toEqual(['granted', 'used']);

    // 'granted' keeps being used (refresh every 20 days); 'used' never comes back.
    vi.setSystemTime(Date.now() + 20 * DAY);
    await factory.Adapter('RefreshToken').upsert('rt2', { clientId: 'granted', grantId: 'g1' }, 30 * 86_400);
    vi.setSystemTime(Date.now() + 11 * DAY);
    expect(factory.purgeUnusedClients(opts)).toBe(1);
    expect(await clients.find('used')).toBeUndefined();
    const [granted] = factory.listClients();
    expect(granted?.clientId).toBe('granted');
    expect(granted?.lastUsedAt).toBe(Date.now() - 11 * DAY);

    vi.setSystemTime(Date.now() + 30 * DAY);
    expect(factory.purgeUnusedClients(opts)).toBe(1);
    expect(factory.db.prepare('SELECT COUNT(*) FROM oidc').pluck().get()).toBe(0);
  });

  it('deleteClient removes the client, its grants and tokens', async () => {
    await factory.Adapter('Client').upsert('c', { client_id: 'c' });
    await factory.Adapter('Grant').upsert('g', { clientId: 'c' }, 60);
    await factory.Adapter('AccessToken').upsert('at', { clientId: 'c', grantId: 'g' }, 60);
    await factory.Adapter('AccessToken').upsert('other', { clientId: 'd', grantId: 'h' }, 60);
    expect(factory.deleteClient('c')).toBe(true);
    expect(factory.deleteClient('c')).toBe(false);
    expect(factory.db.prepare('SELECT COUNT(*) FROM oidc').pluck().get()).toBe(1);
  });
});
