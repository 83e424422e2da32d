/**
 * Opening the SQLite file: pragmas and the idempotent schema shared by the actor store and the
 * capacity ledger. Several OS processes may open the same file at once, so every step here is
 * safe to repeat and the schema is created inside one IMMEDIATE transaction.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** Bumped on every incompatible change of the tables below; stored in `PRAGMA user_version`. */
export const SQLITE_SCHEMA_VERSION = 4;

/**
 * `normal`: WAL + synchronous=NORMAL, a commit is atomic and survives a crash of the process
 * (kill -9) but the last transactions may be lost on power failure or OS crash; it skips one
 * fsync per commit and is several times faster. `full`: fsync the WAL on every commit.
 */
export type SqliteDurability = 'normal' | 'full';

/**
 * Page cache per connection (KiB, SQLite's negative cache_size). SQLite's default of 2 MiB holds a
 * small part of a venue day's B-trees (the check-in bench's file is 160 MB for 30,000 tickets):
 * every commit and read walked pages back in from the OS with a read call each (6 % of the hub's
 * CPU at 500 scans/s). Pages are allocated as they are used, up to this.
 */
const CACHE_KIB = 32 * 1024;

/**
 * WAL pages after which a commit checkpoints (SQLite's default is 1,000). A checkpoint copies every
 * page written since the last one back into the file and fsyncs it; between two checkpoints a hot
 * page (a B-tree's root and inner pages, the counters, the tail of the change log) is copied once
 * however often it was written, so fewer, larger checkpoints copy and sync less per commit (7 % of
 * the hub's CPU at 500 scans/s went to checkpoints of 1,000 pages). The WAL grows to about 32 MB.
 */
const WAL_AUTOCHECKPOINT_PAGES = 8_192;

export interface SqliteOpenOptions {
  file: string;
  durability?: SqliteDurability;
  /** How long a writer waits for another process's write lock before failing, ms. */
  busyTimeoutMs?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS actors (
  kind            TEXT    NOT NULL,
  id              TEXT    NOT NULL,
  machine_version INTEGER NOT NULL,
  version         INTEGER NOT NULL,
  state           TEXT    NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS timers (
  kind   TEXT    NOT NULL,
  id     TEXT    NOT NULL,
  key    TEXT    NOT NULL,
  gen    INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  event  TEXT    NOT NULL,
  PRIMARY KEY (kind, id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS timers_due_at ON timers (due_at);
CREATE TABLE IF NOT EXISTS event_log (
  kind       TEXT    NOT NULL,
  id         TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  event_id   TEXT,
  event_type TEXT    NOT NULL,
  who        TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  from_state TEXT,
  to_state   TEXT    NOT NULL,
  PRIMARY KEY (kind, id, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS processed_events (
  kind     TEXT NOT NULL,
  id       TEXT NOT NULL,
  event_id TEXT NOT NULL,
  PRIMARY KEY (kind, id, event_id)
) WITHOUT ROWID;
-- seq is an explicit INTEGER PRIMARY KEY (commit order) because VACUUM may renumber an
-- implicit rowid, and pendingEffects must stay oldest first.
CREATE TABLE IF NOT EXISTS outbox (
  seq        INTEGER PRIMARY KEY,
  effect_id  TEXT    NOT NULL UNIQUE,
  kind       TEXT    NOT NULL,
  actor_id   TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  idx        INTEGER NOT NULL,
  type       TEXT    NOT NULL,
  payload    TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
-- A relay asks for the types it handles, oldest first; rows of other types must not be scanned.
CREATE INDEX IF NOT EXISTS outbox_type_seq ON outbox (type, seq);
-- The CHECK is the last line of defence: no code path can ever store an oversold slot.
CREATE TABLE IF NOT EXISTS slots (
  slot_id  TEXT    PRIMARY KEY,
  capacity INTEGER NOT NULL CHECK (capacity >= 0),
  taken    INTEGER NOT NULL DEFAULT 0,
  CHECK (taken >= 0 AND taken <= capacity)
);
CREATE TABLE IF NOT EXISTS holds (
  hold_id    TEXT    PRIMARY KEY,
  slot_id    TEXT    NOT NULL,
  qty        INTEGER NOT NULL CHECK (qty > 0),
  status     TEXT    NOT NULL CHECK (status IN ('held', 'confirmed', 'released')),
  taken_at   INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  holder     TEXT
);
CREATE INDEX IF NOT EXISTS holds_status_taken_at ON holds (status, taken_at);
CREATE INDEX IF NOT EXISTS holds_slot_id ON holds (slot_id);
-- Counts moved by commits (occupancy: occupancy:zone:<id>, occupancy:slot:<id>), in the commit's transaction.
CREATE TABLE IF NOT EXISTS counters (
  name  TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_log (
  seq     INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  who     TEXT    NOT NULL,
  role    TEXT    NOT NULL,
  action  TEXT    NOT NULL,
  target  TEXT,
  outcome TEXT    NOT NULL CHECK (outcome IN ('allowed', 'denied', 'failed')),
  code    TEXT,
  detail  TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE INDEX IF NOT EXISTS audit_log_who ON audit_log (who, at);
-- The change log (schema 2): each commit's resulting view in commit order; seq is the read side's
-- cursor. The snapshot column is the same JSON as actors.state (its context is read from it).
-- seq is never reused: pruning keeps each actor's latest change, so the highest seq is never deleted.
CREATE TABLE IF NOT EXISTS changes (
  seq        INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL,
  id         TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  state      TEXT    NOT NULL,
  status     TEXT    NOT NULL,
  tags       TEXT    NOT NULL,
  deadline   INTEGER,
  event_type TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  snapshot   TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_actor ON changes (kind, id, seq);
CREATE TABLE IF NOT EXISTS change_log_meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS revocations (
  subject TEXT    PRIMARY KEY,
  before  INTEGER NOT NULL,
  reason  TEXT    NOT NULL,
  by_who  TEXT    NOT NULL,
  at      INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Opens (creating the parent directory, the file and the schema if missing) a WAL-mode database. */
export function openSqliteDatabase(options: SqliteOpenOptions): Database.Database {
  mkdirSync(dirname(options.file), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const db = new Database(options.file, { timeout: busyTimeoutMs });
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`SQLite store ${options.file}: could not enable WAL (journal_mode is ${String(mode)})`);
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    migrate(db, options.file);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Version 2: a hold names its holder (a visitor's unpaid places are capped). Version 1 files get
 * the column here; the index is created after it exists, so both paths end with the same schema.
 */
function addHoldHolder(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(holds)').all();
  if (!columns.some((c) => c.name === 'holder')) db.exec('ALTER TABLE holds ADD COLUMN holder TEXT');
  db.exec("CREATE INDEX IF NOT EXISTS holds_holder ON holds (holder, status) WHERE holder IS NOT NULL");
}

function migrate(db: Database.Database, file: string): void {
  db.transaction(() => {
    const found = Number(db.pragma('user_version', { simple: true }));
    if (found > SQLITE_SCHEMA_VERSION) {
      throw new Error(
        `SQLite store ${file} has schema version ${found}, newer than ${SQLITE_SCHEMA_VERSION}: run a newer build or use another data directory`,
      );
    }
    db.exec(SCHEMA);
    addHoldHolder(db);
    // Versions 1 and 2 counted occupancy as confirmed holds in the capacity ledger: carry the counts over.
    if (found === 1 || found === 2) db.exec("INSERT OR IGNORE INTO counters (name, value) SELECT slot_id, taken FROM slots WHERE slot_id LIKE 'occupancy:%'");
    if (found < SQLITE_SCHEMA_VERSION) db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}
