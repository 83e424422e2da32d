/**
 * The accounts store on the embedded SQLite file (its own connection to the same WAL file as
 * the actor store). Multi-statement writes are IMMEDIATE transactions, so a write in another
 * process waits for the lock instead of deciding on a stale read.
 */
import Database from 'better-sqlite3';
import { Language } from '../../machines/contract/accounts.js';
import { PERSON_ROLES } from '../../machines/contract/wire.js';
import type { PersonRole } from '../../machines/contract/wire.js';
import { applyComponentSchema } from '../sqlite-component-schema.js';
import { openSqliteDatabase, type SqliteOpenOptions } from '../store/sqlite-schema.js';
import { definedFields } from './account-store.js';
import type { AccountStore, AddressField, ChallengeRecord, GuardRecord, UserPatch, UserRecord } from './account-store.js';
import { ACCOUNT_LANGUAGE_COLUMN, ACCOUNT_SCHEMA, ACCOUNT_SCHEMA_VERSION } from './sqlite-account-schema.js';
import { createSqliteSessions } from './sqlite-account-sessions.js';
import type { Channel, PushSubscriptionRecord } from './contact-directory.js';

interface UserRow {
  user_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  email_verified: number;
  phone_verified: number;
  role: string;
  status: UserRecord['status'];
  preferences: string;
  language: string;
  push_subscriptions: string;
  created_at: number;
  updated_at: number;
}

interface ChallengeRow {
  verification_id: string;
  subject: string;
  user_id: string | null;
  purpose: ChallengeRecord['purpose'];
  channel: ChallengeRecord['channel'];
  address: string;
  code_hash: string;
  link_hash: string | null;
  attempts: number;
  state: ChallengeRecord['state'];
  created_at: number;
  expires_at: number;
}

interface GuardRow {
  key: string;
  rev: number;
  window_start: number;
  count: number;
  last_at: number | null;
  locked_until: number | null;
}

const USER_COLUMNS =
  'user_id, name, email, phone, email_verified, phone_verified, role, status, preferences, language, push_subscriptions, created_at, updated_at';

/** Opens (creating if needed) the accounts tables in the SQLite file at `options.file`. */
export function openSqliteAccountStore(options: SqliteOpenOptions): AccountStore {
  const db = openSqliteDatabase(options);
  db.transaction(() => {
    // A file of schema version 1 has the table without `language`: add it before the DDL runs.
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('account_users')").all();
    if (columns.length > 0 && !columns.some((c) => c.name === 'language')) db.exec(ACCOUNT_LANGUAGE_COLUMN);
  }).immediate();
  applyComponentSchema(db, 'accounts', ACCOUNT_SCHEMA_VERSION, ACCOUNT_SCHEMA);

  const selectUser = db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM account_users WHERE user_id = ?`);
  const selectVerified = {
    email: db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM account_users WHERE email = ? AND email_verified = 1`),
    phone: db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM account_users WHERE phone = ? AND phone_verified = 1`),
  };
  const insertUser = db.prepare<[string, string, string | null, string | null, number, number, string, string, string, string, string, number, number, number | null]>(
    `INSERT INTO account_users (${USER_COLUMNS}, last_challenge_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateUser = db.prepare<[string, string, string, string, string, string, number, string]>(
    'UPDATE account_users SET name = ?, role = ?, status = ?, preferences = ?, language = ?, push_subscriptions = ?, updated_at = ? WHERE user_id = ?',
  );
  const stampUser = db.prepare<[number, string]>('UPDATE account_users SET last_challenge_at = ? WHERE user_id = ?');
  const markVerified = {
    email: db.prepare<[string, number, string]>('UPDATE account_users SET email = ?, email_verified = 1, updated_at = ? WHERE user_id = ?'),
    phone: db.prepare<[string, number, string]>('UPDATE account_users SET phone = ?, phone_verified = 1, updated_at = ? WHERE user_id = ?'),
  };

  const insertChallenge = db.prepare<[string, string, string | null, string, string, string, string, string | null, number, string, number, number]>(
    `INSERT INTO account_challenges (verification_id, subject, user_id, purpose, channel, address, code_hash, link_hash, attempts, state, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const supersede = db.prepare<[string, string]>(
    "UPDATE account_challenges SET state = 'superseded' WHERE subject = ? AND state = 'open' AND verification_id <> ?",
  );
  const selectChallenge = db.prepare<[string], ChallengeRow>('SELECT * FROM account_challenges WHERE verification_id = ?');
  const reserve = db.prepare<[string, number], ChallengeRow>(
    "UPDATE account_challenges SET attempts = attempts + 1 WHERE verification_id = ? AND state = 'open' AND attempts < ? RETURNING *",
  );
  const consume = db.prepare<[string]>("UPDATE account_challenges SET state = 'consumed' WHERE verification_id = ? AND state = 'open'");

  const selectGuard = db.prepare<[string], GuardRow>('SELECT * FROM account_guards WHERE key = ?');
  const insertGuard = db.prepare<[string, number, number, number, number | null, number | null]>(
    'INSERT INTO account_guards (key, rev, window_start, count, last_at, locked_until) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
  );
  const updateGuard = db.prepare<[number, number, number, number | null, number | null, string, number]>(
    'UPDATE account_guards SET rev = ?, window_start = ?, count = ?, last_at = ?, locked_until = ? WHERE key = ? AND rev = ?',
  );

  const getUser = (userId: string): UserRecord | null => {
    const row = selectUser.get(userId);
    return row ? toUser(row) : null;
  };
  const writeUser = (user: UserRecord): void => {
    updateUser.run(user.name, user.role, user.status, JSON.stringify(user.preferences), user.language, JSON.stringify(user.pushSubscriptions), user.updatedAt, user.userId);
  };
  /** Read-modify-write of one user under the write lock. */
  const modifyUser = db.transaction((userId: string, change: (user: UserRecord) => UserRecord): UserRecord | null => {
    const user = getUser(userId);
    if (!user) return null;
    const next = change(user);
    writeUser(next);
    return next;
  });

  const putUser = (u: UserRecord, lastChallengeAt: number | null): void => {
    insertUser.run(u.userId, u.name, u.email, u.phone, Number(u.emailVerified), Number(u.phoneVerified), u.role, u.status, JSON.stringify(u.preferences), u.language, JSON.stringify(u.pushSubscriptions), u.createdAt, u.updatedAt, lastChallengeAt);
  };
  const openChallenge = db.transaction((c: ChallengeRecord, newUser: UserRecord | null, at: number) => {
    if (newUser) {
      putUser(newUser, at);
    } else if (c.userId !== null) {
      stampUser.run(at, c.userId);
    }
    insertChallenge.run(c.verificationId, c.subject, c.userId, c.purpose, c.channel, c.address, c.codeHash, c.linkHash, c.attempts, c.state, c.createdAt, c.expiresAt);
    supersede.run(c.subject, c.verificationId);
  });

  const putGuard = db.transaction((g: GuardRecord, expectedRev: number): boolean => {
    if (expectedRev === 0) return insertGuard.run(g.key, 1, g.windowStart, g.count, g.lastAt, g.lockedUntil).changes === 1;
    return updateGuard.run(expectedRev + 1, g.windowStart, g.count, g.lastAt, g.lockedUntil, g.key, expectedRev).changes === 1;
  });

  return {
    name: 'sqlite',
    users: {
      async create(user) {
        try {
          putUser(user, null);
          return true;
        } catch (error) {
          if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
          throw error;
        }
      },
      async get(userId) {
        return getUser(userId);
      },
      async findVerified(field: AddressField, address) {
        const row = selectVerified[field].get(address);
        return row ? toUser(row) : null;
      },
      async update(userId, patch: UserPatch, at) {
        return modifyUser.immediate(userId, (user) => ({ ...user, ...definedFields(patch), updatedAt: at }));
      },
      async markVerified(userId, field, address, at) {
        try {
          return markVerified[field].run(address, at, userId).changes === 1 ? 'ok' : 'not_found';
        } catch (error) {
          if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') return 'taken';
          throw error;
        }
      },
      async addPush(userId, subscription, max, at) {
        return modifyUser.immediate(userId, (user) => ({ ...user, pushSubscriptions: withPush(user.pushSubscriptions, subscription, max), updatedAt: at }));
      },
      async removePush(userId, endpoint, at) {
        return modifyUser.immediate(userId, (user) => ({ ...user, pushSubscriptions: user.pushSubscriptions.filter((s) => s.endpoint !== endpoint), updatedAt: at }));
      },
    },
    challenges: {
      async open(challenge, newUser, at) {
        openChallenge.immediate(challenge, newUser, at);
      },
      async get(verificationId) {
        const row = selectChallenge.get(verificationId);
        return row ? toChallenge(row) : null;
      },
      async reserveAttempt(verificationId, max) {
        const row = reserve.get(verificationId, max);
        return row ? toChallenge(row) : null;
      },
      async consume(verificationId) {
        return consume.run(verificationId).changes === 1;
      },
    },
    guards: {
      async get(key) {
        const row = selectGuard.get(key);
        return row ? { key, rev: row.rev, windowStart: row.window_start, count: row.count, lastAt: row.last_at, lockedUntil: row.locked_until } : null;
      },
      async put(next, expectedRev) {
        return putGuard.immediate(next, expectedRev);
      },
    },
    sessions: createSqliteSessions(db),
    async close() {
      if (db.open) db.close();
    },
  };
}

/** The subscriptions with `subscription` added or replaced by endpoint, newest last, at most `max`. */
export function withPush(list: readonly PushSubscriptionRecord[], subscription: PushSubscriptionRecord, max: number): PushSubscriptionRecord[] {
  return [...list.filter((s) => s.endpoint !== subscription.endpoint), subscription].slice(-max);
}

function toUser(row: UserRow): UserRecord {
  return {
    userId: row.user_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    emailVerified: row.email_verified === 1,
    phoneVerified: row.phone_verified === 1,
    role: toRole(row.role),
    status: row.status,
    preferences: parseJson(row.preferences, `user ${row.user_id} preferences`) as Record<Channel, boolean>,
    language: toLanguage(row.language),
    pushSubscriptions: parseJson(row.push_subscriptions, `user ${row.user_id} push subscriptions`) as PushSubscriptionRecord[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toChallenge(row: ChallengeRow): ChallengeRecord {
  return {
    verificationId: row.verification_id,
    subject: row.subject,
    userId: row.user_id,
    purpose: row.purpose,
    channel: row.channel,
    address: row.address,
    codeHash: row.code_hash,
    linkHash: row.link_hash,
    attempts: row.attempts,
    state: row.state,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

function toLanguage(language: string): Language {
  const parsed = Language.safeParse(language);
  if (!parsed.success) throw new Error(`accounts store: unknown language ${language}`);
  return parsed.data;
}

function toRole(role: string): PersonRole {
  const found = PERSON_ROLES.find((r) => r === role);
  if (found === undefined) throw new Error(`accounts store: unknown role ${role}`);
  return found;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`accounts store: ${what} is not valid JSON`, { cause: err });
  }
}

