/**
 * Refresh sessions on SQLite. Rotation is one IMMEDIATE transaction: the conditional update
 * of the old row decides the race, so of two refreshes with the same token exactly one wins.
 */
import type Database from 'better-sqlite3';
import type { SessionRecord, SessionRepository } from './account-store.js';

interface SessionRow {
  session_id: string;
  family_id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  rotated_at: number | null;
  revoked_at: number | null;
}

/** The session repository over an open database whose accounts schema is in place. */
export function createSqliteSessions(db: Database.Database): SessionRepository {
  const insert = db.prepare<[string, string, string, string, number, number, number | null, number | null]>(
    `INSERT INTO account_sessions (session_id, family_id, user_id, token_hash, created_at, expires_at, rotated_at, revoked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[string], SessionRow>('SELECT * FROM account_sessions WHERE session_id = ?');
  const byHash = db.prepare<[string], SessionRow>('SELECT * FROM account_sessions WHERE token_hash = ?');
  const markRotated = db.prepare<[number, string]>(
    'UPDATE account_sessions SET rotated_at = ? WHERE session_id = ? AND rotated_at IS NULL AND revoked_at IS NULL',
  );
  const revokeFamily = db.prepare<[number, string]>('UPDATE account_sessions SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL');
  const revokeUser = db.prepare<[number, string]>('UPDATE account_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL');

  const put = (s: SessionRecord): void => {
    insert.run(s.sessionId, s.familyId, s.userId, s.tokenHash, s.createdAt, s.expiresAt, s.rotatedAt, s.revokedAt);
  };
  const rotate = db.transaction((sessionId: string, next: SessionRecord, at: number): boolean => {
    if (markRotated.run(at, sessionId).changes === 0) return false;
    put(next);
    return true;
  });

  return {
    async insert(session) {
      put(session);
    },
    async get(sessionId) {
      const row = byId.get(sessionId);
      return row ? toSession(row) : null;
    },
    async findByTokenHash(tokenHash) {
      const row = byHash.get(tokenHash);
      return row ? toSession(row) : null;
    },
    async rotate(sessionId, next, at) {
      return rotate.immediate(sessionId, next, at);
    },
    async revokeFamily(familyId, at) {
      return revokeFamily.run(at, familyId).changes;
    },
    async revokeUser(userId, at) {
      return revokeUser.run(at, userId).changes;
    },
  };
}

function toSession(row: SessionRow): SessionRecord {
  return {
    sessionId: row.session_id,
    familyId: row.family_id,
    userId: row.user_id,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    rotatedAt: row.rotated_at,
    revokedAt: row.revoked_at,
  };
}
