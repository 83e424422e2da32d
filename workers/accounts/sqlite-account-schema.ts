/**
 * Tables of the accounts store in the embedded SQLite file. Verified addresses are unique
 * through partial indexes; unverified copies of an address may exist on several users.
 */

/** Bumped on every incompatible change of the tables below. */
export const ACCOUNT_SCHEMA_VERSION = 2;

/** Version 1 files lack `language`; they gain it (everyone English until they choose). */
export const ACCOUNT_LANGUAGE_COLUMN = "ALTER TABLE account_users ADD COLUMN language TEXT NOT NULL DEFAULT 'en'";

/** Idempotent DDL of the accounts tables. */
export const ACCOUNT_SCHEMA = `
CREATE TABLE IF NOT EXISTS account_users (
  user_id            TEXT    PRIMARY KEY,
  name               TEXT    NOT NULL,
  email              TEXT,
  phone              TEXT,
  email_verified     INTEGER NOT NULL DEFAULT 0,
  phone_verified     INTEGER NOT NULL DEFAULT 0,
  role               TEXT    NOT NULL,
  status             TEXT    NOT NULL CHECK (status IN ('active', 'suspended')),
  preferences        TEXT    NOT NULL,
  language           TEXT    NOT NULL DEFAULT 'en',
  push_subscriptions TEXT    NOT NULL,
  last_challenge_at  INTEGER,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS account_users_verified_email ON account_users (email) WHERE email_verified = 1;
CREATE UNIQUE INDEX IF NOT EXISTS account_users_verified_phone ON account_users (phone) WHERE phone_verified = 1;
CREATE TABLE IF NOT EXISTS account_challenges (
  verification_id TEXT    PRIMARY KEY,
  subject         TEXT    NOT NULL,
  user_id         TEXT,
  purpose         TEXT    NOT NULL,
  channel         TEXT    NOT NULL,
  address         TEXT    NOT NULL,
  code_hash       TEXT    NOT NULL,
  link_hash       TEXT,
  attempts        INTEGER NOT NULL,
  state           TEXT    NOT NULL CHECK (state IN ('open', 'consumed', 'superseded')),
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS account_challenges_subject ON account_challenges (subject, state);
CREATE TABLE IF NOT EXISTS account_guards (
  key          TEXT    PRIMARY KEY,
  rev          INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  count        INTEGER NOT NULL,
  last_at      INTEGER,
  locked_until INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS account_sessions (
  session_id TEXT    PRIMARY KEY,
  family_id  TEXT    NOT NULL,
  user_id    TEXT    NOT NULL,
  token_hash TEXT    NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  rotated_at INTEGER,
  revoked_at INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS account_sessions_family ON account_sessions (family_id);
CREATE INDEX IF NOT EXISTS account_sessions_user ON account_sessions (user_id);
`;
