import Database from 'better-sqlite3';

/** Settings every connection to the index uses: WAL (readers never wait for the writer), no fsync per commit. */
export function configure(db: Database.Database): Database.Database {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

export function openWriteConnection(file: string): Database.Database {
  return configure(new Database(file));
}

/** A read-only connection (search threads): never takes a write lock. */
export function configureReader(db: Database.Database): Database.Database {
  db.pragma('busy_timeout = 5000');
  return db;
}
