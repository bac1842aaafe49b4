import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Adapter, AdapterPayload } from 'oidc-provider';

// oidc-provider's storage on one SQLite file (`auth.sqlite` in the data dir), so clients, grants,
// sessions and refresh tokens survive a restart. One table keyed by (model, id); the payload is the
// JSON oidc-provider hands us, the other columns are the lookups it needs plus our own bookkeeping.
//
// What is sensitive in here:
// - RefreshToken, AuthorizationCode, ClientCredentials, RegistrationAccessToken, InitialAccessToken
//   and opaque AccessToken rows: the id IS the bearer value. We store only its SHA-256 and drop
//   `jti` from the stored payload (put back on find), so a copied file yields no usable token.
// - Session ids are the browser's session cookie value and Interaction ids its interaction cookie;
//   oidc-provider needs the raw Session id back from findByUid, so these stay as they are. Both are
//   short-lived and useless without the signed cookie keys, which live in the keychain.
// - Client rows of confidential DCR clients carry `client_secret` in the payload (the library needs
//   it back to check client_secret_basic/post); public clients (`none`, what MCP clients use) have none.

/** Models whose ids are bearer secrets found only by id: stored hashed (see above). */
const HASHED_ID_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'ClientCredentials',
  'InitialAccessToken',
  'RefreshToken',
  'RegistrationAccessToken',
]);

/** Models tied to a grant; revokeByGrantId removes all of them (like the library's memory adapter). */
const GRANTABLE_MODELS = [
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
];

/** Saving one of these for a client counts as that client being used (for purgeUnusedClients). */
const USE_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'ClientCredentials',
  'Grant',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/**
 * A client that refreshes twice at once (a retry after a timeout, two requests racing) sends
 * the same refresh token twice. For this long after its rotation the old refresh token is
 * reported as not yet consumed, so the second request gets tokens too instead of tripping
 * reuse detection, which would revoke the grant and cut the client off. A reuse any later is
 * a replay: refused, and the grant revoked.
 */
export const REFRESH_TOKEN_REUSE_GRACE_S = 10;

/** How often the background purge of expired rows runs. */
export const DEFAULT_PURGE_INTERVAL_MS = 10 * 60_000;

export interface ClientRow {
  clientId: string;
  /** The client's registered metadata as oidc-provider stored it (may include client_secret). */
  metadata: AdapterPayload;
  createdAt: number;
  /** Last time a grant or token was saved for this client; null if never. */
  lastUsedAt: number | null;
}

export interface PurgeClientsOptions {
  /** Delete clients that never obtained a grant and were registered longer ago than this. */
  neverGrantedOlderThanMs: number;
  /** Delete clients whose last use (or registration, if never used) is older than this. */
  unusedForMs: number;
}

/** The issue's policy: Claude registers anew on every fresh connection, so strays pile up. */
export const DEFAULT_CLIENT_PURGE: PurgeClientsOptions = {
  neverGrantedOlderThanMs: 60 * 60_000,
  unusedForMs: 30 * 24 * 60 * 60_000,
};

export interface SqliteAdapterFactoryOptions {
  /** Background purge period; 0 disables the timer (call the purge functions yourself). */
  purgeIntervalMs?: number;
  /** What the background purge does with stale clients; false leaves them alone. */
  clientPurge?: PurgeClientsOptions | false;
}

export interface SqliteAdapterFactory {
  /** Pass as oidc-provider's `adapter` option. An arrow function, so the library calls it rather than `new`s it. */
  Adapter: (name: string) => Adapter;
  /** Deletes expired rows; returns how many. */
  purgeExpired(): number;
  /** Deletes stale dynamically registered clients (and their grants and tokens); returns how many clients. */
  purgeUnusedClients(options: PurgeClientsOptions): number;
  /** Dynamically registered clients, newest first (for "connected clients" in the UI). */
  listClients(): ClientRow[];
  /** Deletes a client with every grant, token and registration token it has; true when it had any. */
  deleteClient(clientId: string): boolean;
  /** Clients holding a live grant, registered (DCR) or not (CIMD), most recently used first. */
  grantedClients(): { clientId: string; grantedAt: number; lastUsedAt: number }[];
  /** A registered client's stored metadata; null for CIMD clients (fetched, never stored). */
  clientMetadata(clientId: string): AdapterPayload | null;
  /** Deletes every grant, token, session and interaction (the owner changed); returns the grants gone. */
  revokeAllGrants(): number;
  /** Stops the purge timer and closes the database. */
  close(): void;
  readonly db: Database.Database;
}

interface Row {
  payload: string;
  consumed: number | null;
}

export function createSqliteAdapterFactory(
  file: string,
  options: SqliteAdapterFactoryOptions = {},
): SqliteAdapterFactory {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  // Grants, sessions and client secrets: readable by this user only (SQLite gives -wal/-shm the same mode).
  if (process.platform !== 'win32') chmodSync(file, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS oidc (
      model TEXT NOT NULL,
      id TEXT NOT NULL,
      payload TEXT NOT NULL,
      expiresAt INTEGER,
      grantId TEXT,
      userCode TEXT,
      uid TEXT,
      clientId TEXT,
      consumed INTEGER,
      createdAt INTEGER NOT NULL,
      lastUsedAt INTEGER,
      PRIMARY KEY (model, id)
    );
    CREATE INDEX IF NOT EXISTS oidc_grant ON oidc (grantId) WHERE grantId IS NOT NULL;
    CREATE INDEX IF NOT EXISTS oidc_user_code ON oidc (model, userCode) WHERE userCode IS NOT NULL;
    CREATE INDEX IF NOT EXISTS oidc_uid ON oidc (model, uid) WHERE uid IS NOT NULL;
    CREATE INDEX IF NOT EXISTS oidc_client ON oidc (clientId) WHERE clientId IS NOT NULL;
    CREATE INDEX IF NOT EXISTS oidc_expires ON oidc (expiresAt) WHERE expiresAt IS NOT NULL;
  `);

  const live = '(expiresAt IS NULL OR expiresAt > @now)';
  const upsertRow = db.prepare(`
    INSERT INTO oidc (model, id, payload, expiresAt, grantId, userCode, uid, clientId, consumed, createdAt)
    VALUES (@model, @id, @payload, @expiresAt, @grantId, @userCode, @uid, @clientId, @consumed, @now)
    ON CONFLICT (model, id) DO UPDATE SET
      payload = excluded.payload, expiresAt = excluded.expiresAt, grantId = excluded.grantId,
      userCode = excluded.userCode, uid = excluded.uid, clientId = excluded.clientId,
      -- once consumed, always consumed: a re-save must not make a used code or refresh token usable again
      consumed = COALESCE(excluded.consumed, oidc.consumed)`);
  const touchClient = db.prepare(
    `UPDATE oidc SET lastUsedAt = @now WHERE model = 'Client' AND id = @clientId`,
  );
  const findRow = db.prepare<{ model: string; id: string; now: number }, Row>(
    `SELECT payload, consumed FROM oidc WHERE model = @model AND id = @id AND ${live}`,
  );
  const findByUserCodeRow = db.prepare<{ model: string; userCode: string; now: number }, Row>(
    `SELECT payload, consumed FROM oidc WHERE model = @model AND userCode = @userCode AND ${live}`,
  );
  const findByUidRow = db.prepare<{ model: string; uid: string; now: number }, Row>(
    `SELECT payload, consumed FROM oidc WHERE model = @model AND uid = @uid AND ${live}`,
  );
  const consumeRow = db.prepare(
    'UPDATE oidc SET consumed = @consumed WHERE model = @model AND id = @id AND consumed IS NULL',
  );
  const destroyRow = db.prepare('DELETE FROM oidc WHERE model = @model AND id = @id');
  const revokeGrant = db.prepare(
    `DELETE FROM oidc WHERE grantId = @grantId AND model IN (${GRANTABLE_MODELS.map((m) => `'${m}'`).join(', ')})`,
  );
  const purgeExpiredRows = db.prepare('DELETE FROM oidc WHERE expiresAt IS NOT NULL AND expiresAt <= @now');
  const staleClients = db.prepare<
    { now: number; neverGrantedBefore: number; unusedBefore: number },
    { id: string }
  >(`
    SELECT c.id FROM oidc c WHERE c.model = 'Client' AND (
      (c.createdAt < @neverGrantedBefore AND c.lastUsedAt IS NULL AND NOT EXISTS (
        SELECT 1 FROM oidc g WHERE g.model = 'Grant' AND g.clientId = c.id
          AND (g.expiresAt IS NULL OR g.expiresAt > @now)))
      OR COALESCE(c.lastUsedAt, c.createdAt) < @unusedBefore)`);
  const deleteClientRows = db.prepare(
    `DELETE FROM oidc WHERE (model = 'Client' AND id = @clientId) OR (model != 'Client' AND clientId = @clientId)`,
  );
  const clientExists = db.prepare(`SELECT 1 FROM oidc WHERE model = 'Client' AND id = ?`).pluck();
  const clientRows = db.prepare<
    [],
    { id: string; payload: string; createdAt: number; lastUsedAt: number | null }
  >(`SELECT id, payload, createdAt, lastUsedAt FROM oidc WHERE model = 'Client' ORDER BY createdAt DESC`);

  const deleteClient = db.transaction((clientId: string): boolean => {
    const existed = clientExists.get(clientId) !== undefined;
    return deleteClientRows.run({ clientId }).changes > 0 || existed;
  });
  const grantedClientRows = db.prepare<
    { now: number },
    { clientId: string; grantedAt: number; lastUsedAt: number }
  >(`
    SELECT clientId, MIN(CASE WHEN model = 'Grant' THEN createdAt END) AS grantedAt, MAX(createdAt) AS lastUsedAt
    FROM oidc WHERE clientId IS NOT NULL AND model != 'Client' AND ${live}
    GROUP BY clientId HAVING SUM(model = 'Grant') > 0 ORDER BY lastUsedAt DESC`);
  const clientPayload = db.prepare<[string], { payload: string }>(
    `SELECT payload FROM oidc WHERE model = 'Client' AND id = ?`,
  );
  const deleteAllGrants = db.prepare(
    `DELETE FROM oidc WHERE model IN ('Grant', 'Session', 'Interaction', ${GRANTABLE_MODELS.map((m) => `'${m}'`).join(', ')})`,
  );
  const countGrants = db.prepare(`SELECT COUNT(*) FROM oidc WHERE model = 'Grant'`).pluck();
  const revokeAllGrants = db.transaction((): number => {
    const grants = countGrants.get() as number;
    deleteAllGrants.run();
    return grants;
  });

  const saveRow = db.transaction((model: string, id: string, payload: AdapterPayload, expiresIn?: number) => {
    const now = Date.now();
    const stored = HASHED_ID_MODELS.has(model) ? withoutJti(payload) : payload;
    const clientId = typeof payload.clientId === 'string' ? payload.clientId : null;
    upsertRow.run({
      model,
      id: keyFor(model, id),
      payload: JSON.stringify(stored),
      expiresAt: typeof expiresIn === 'number' ? now + expiresIn * 1000 : null,
      grantId: stringOrNull(payload.grantId),
      userCode: stringOrNull(payload.userCode),
      uid: stringOrNull(payload.uid),
      clientId,
      consumed: typeof payload.consumed === 'number' ? payload.consumed : null,
      now,
    });
    if (clientId !== null && USE_MODELS.has(model)) touchClient.run({ now, clientId });
  });

  const purgeExpired = (): number => purgeExpiredRows.run({ now: Date.now() }).changes;

  const purgeUnusedClients = db.transaction((opts: PurgeClientsOptions): number => {
    const now = Date.now();
    const stale = staleClients.all({
      now,
      neverGrantedBefore: now - opts.neverGrantedOlderThanMs,
      unusedBefore: now - opts.unusedForMs,
    });
    for (const { id } of stale) deleteClientRows.run({ clientId: id });
    return stale.length;
  });

  class SqliteAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      saveRow(this.model, id, payload, expiresIn);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const row = findRow.get({ model: this.model, id: keyFor(this.model, id), now: Date.now() });
      const payload = row && revive(row, HASHED_ID_MODELS.has(this.model) ? id : undefined);
      // `consumed` is kept in seconds, so the window is at most the grace, never longer.
      if (this.model === 'RefreshToken' && typeof payload?.consumed === 'number') {
        if (Date.now() / 1000 - payload.consumed < REFRESH_TOKEN_REUSE_GRACE_S) delete payload.consumed;
      }
      return payload;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const row = findByUserCodeRow.get({ model: this.model, userCode, now: Date.now() });
      return row && revive(row);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const row = findByUidRow.get({ model: this.model, uid, now: Date.now() });
      return row && revive(row);
    }

    async consume(id: string): Promise<void> {
      const consumed = Math.floor(Date.now() / 1000);
      consumeRow.run({ model: this.model, id: keyFor(this.model, id), consumed });
    }

    async destroy(id: string): Promise<void> {
      destroyRow.run({ model: this.model, id: keyFor(this.model, id) });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      revokeGrant.run({ grantId });
    }
  }

  const clientPurge = options.clientPurge ?? DEFAULT_CLIENT_PURGE;
  const purgeAll = () => {
    purgeExpired();
    if (clientPurge) purgeUnusedClients(clientPurge);
  };
  purgeAll();
  const interval = options.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS;
  let timer: NodeJS.Timeout | undefined;
  if (interval > 0) {
    timer = setInterval(() => {
      try {
        purgeAll();
      } catch {
        // A busy or closing database: the next run, or the next start, purges instead.
      }
    }, interval);
    timer.unref();
  }

  return {
    Adapter: (name: string) => new SqliteAdapter(name),
    purgeExpired,
    purgeUnusedClients,
    listClients: () =>
      clientRows.all().map((r) => ({
        clientId: r.id,
        metadata: JSON.parse(r.payload) as AdapterPayload,
        createdAt: r.createdAt,
        lastUsedAt: r.lastUsedAt,
      })),
    deleteClient,
    grantedClients: () => grantedClientRows.all({ now: Date.now() }),
    clientMetadata: (clientId) => {
      const row = clientPayload.get(clientId);
      return row ? (JSON.parse(row.payload) as AdapterPayload) : null;
    },
    revokeAllGrants,
    close() {
      clearInterval(timer);
      if (db.open) db.close();
    },
    db,
  };
}

function keyFor(model: string, id: string): string {
  return HASHED_ID_MODELS.has(model) ? createHash('sha256').update(id).digest('base64url') : id;
}

function withoutJti(payload: AdapterPayload): AdapterPayload {
  const { jti: _jti, ...rest } = payload;
  return rest;
}

function revive(row: Row, jti?: string): AdapterPayload {
  const payload = JSON.parse(row.payload) as AdapterPayload;
  if (jti !== undefined) payload.jti = jti;
  if (row.consumed !== null) payload.consumed = row.consumed;
  return payload;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
