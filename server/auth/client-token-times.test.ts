import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClientTokenTimesStore, createClientTokenTimesStore } from './client-token-times.ts';
import { createSqliteAdapterFactory, type SqliteAdapterFactory } from './sqlite-adapter.ts';

let dir: string;
let file: string;
let factory: SqliteAdapterFactory;
let times: ClientTokenTimesStore;

const open = () => {
  factory = createSqliteAdapterFactory(file, { purgeIntervalMs: 0 });
  times = createClientTokenTimesStore(factory.db);
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'porthole-token-times-'));
  file = path.join(dir, 'auth.sqlite');
  open();
});

afterEach(() => {
  factory.close();
  rmSync(dir, { recursive: true, force: true });
});

const T = Date.UTC(2025, 2, 4);
const DAY = 86_400_000;

describe('client token times', () => {
  it('keep the last code exchange when a refresh comes, and the latest expiry', () => {
    times.recordIssuance('c1', { kind: 'code', at: T, accessExpiresAt: T + 7 * DAY });
    expect(times.get('c1')).toEqual({
      clientId: 'c1',
      lastCodeExchangeAt: T,
      lastRefreshAt: null,
      accessExpiresAt: T + 7 * DAY,
    });
    times.recordIssuance('c1', { kind: 'refresh', at: T + DAY, accessExpiresAt: T + 8 * DAY });
    times.recordIssuance('c1', { kind: 'code', at: T + 2 * DAY, accessExpiresAt: T + 9 * DAY });
    expect(times.get('c1')).toEqual({
      clientId: 'c1',
      lastCodeExchangeAt: T + 2 * DAY,
      lastRefreshAt: T + DAY,
      accessExpiresAt: T + 9 * DAY,
    });
    expect(times.get('other')).toBeNull();
  });

  it('survive closing and reopening the database', () => {
    times.recordIssuance('c1', { kind: 'refresh', at: T, accessExpiresAt: T + DAY });
    factory.close();
    open();
    expect(times.get('c1')).toMatchObject({ lastRefreshAt: T, accessExpiresAt: T + DAY });
  });

  it('are forgotten with the client, with every client, or when the client holds no grant', async () => {
    await factory.Adapter('Grant').upsert('g1', { clientId: 'granted', accountId: '1' }, 3600);
    for (const id of ['granted', 'gone', 'revoked'])
      times.recordIssuance(id, { kind: 'code', at: T, accessExpiresAt: null });
    times.forget('revoked');
    expect(times.get('revoked')).toBeNull();
    expect(times.purgeWithoutGrant()).toBe(1);
    expect(times.get('gone')).toBeNull();
    expect(times.get('granted')).not.toBeNull();
    times.forgetAll();
    expect(times.get('granted')).toBeNull();
  });
});
