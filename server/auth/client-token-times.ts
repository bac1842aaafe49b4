import type Database from 'better-sqlite3';

// When each client last exchanged a code, last refreshed, and when its latest access token expires:
// what the dashboard shows, so a client that never refreshes is visible as such. Its own table in
// auth.sqlite, so it survives a restart; it holds times only, never a token.

export interface ClientTokenTimes {
  clientId: string;
  /** Milliseconds since the epoch, or null when it never happened. */
  lastCodeExchangeAt: number | null;
  lastRefreshAt: number | null;
  accessExpiresAt: number | null;
}

export interface ClientTokenTimesStore {
  /** Records one token response: a code exchange or a refresh, and the new access token's expiry. */
  recordIssuance(
    clientId: string,
    issuance: { kind: 'code' | 'refresh'; at: number; accessExpiresAt: number | null },
  ): void;
  get(clientId: string): ClientTokenTimes | null;
  /** The client is revoked: what it did before says nothing about a new connection. */
  forget(clientId: string): void;
  forgetAll(): void;
  /** Deletes the times of clients that hold no grant any more (expired, purged); returns how many. */
  purgeWithoutGrant(): number;
}

export function createClientTokenTimesStore(db: Database.Database): ClientTokenTimesStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS client_token_times (
      clientId TEXT PRIMARY KEY,
      lastCodeExchangeAt INTEGER,
      lastRefreshAt INTEGER,
      accessExpiresAt INTEGER
    );
  `);
  const record = db.prepare<{
    clientId: string;
    code: number | null;
    refresh: number | null;
    accessExpiresAt: number | null;
  }>(`
    INSERT INTO client_token_times (clientId, lastCodeExchangeAt, lastRefreshAt, accessExpiresAt)
    VALUES (@clientId, @code, @refresh, @accessExpiresAt)
    ON CONFLICT (clientId) DO UPDATE SET
      lastCodeExchangeAt = COALESCE(excluded.lastCodeExchangeAt, lastCodeExchangeAt),
      lastRefreshAt = COALESCE(excluded.lastRefreshAt, lastRefreshAt),
      accessExpiresAt = excluded.accessExpiresAt`);
  const find = db.prepare<[string], ClientTokenTimes>(
    'SELECT clientId, lastCodeExchangeAt, lastRefreshAt, accessExpiresAt FROM client_token_times WHERE clientId = ?',
  );
  const remove = db.prepare('DELETE FROM client_token_times WHERE clientId = ?');
  const removeAll = db.prepare('DELETE FROM client_token_times');
  const removeWithoutGrant = db.prepare(`
    DELETE FROM client_token_times WHERE clientId NOT IN (
      SELECT clientId FROM oidc WHERE model = 'Grant' AND clientId IS NOT NULL)`);
  return {
    recordIssuance(clientId, { kind, at, accessExpiresAt }) {
      record.run({
        clientId,
        code: kind === 'code' ? at : null,
        refresh: kind === 'refresh' ? at : null,
        accessExpiresAt,
      });
    },
    get: (clientId) => find.get(clientId) ?? null,
    forget: (clientId) => void remove.run(clientId),
    forgetAll: () => void removeAll.run(),
    purgeWithoutGrant: () => removeWithoutGrant.run().changes,
  };
}
