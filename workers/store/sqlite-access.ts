/**
 * Audit trail and revocation list on the embedded SQLite file (same database as the actors).
 */
import type Database from 'better-sqlite3';
import type { AuditEntry, AuditLog, RevocationList } from './actor-store.js';

interface AuditRow {
  at: number;
  who: string;
  role: string;
  action: string;
  target: string | null;
  outcome: AuditEntry['outcome'];
  code: string | null;
  detail: string | null;
}

/** Append-only audit log over the `audit_log` table. */
export function createSqliteAuditLog(db: Database.Database): AuditLog {
  const insert = db.prepare<[number, string, string, string, string | null, string, string | null, string | null]>(
    'INSERT INTO audit_log (at, who, role, action, target, outcome, code, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const newest = db.prepare<[number, number], AuditRow>('SELECT at, who, role, action, target, outcome, code, detail FROM audit_log WHERE at >= ? ORDER BY seq DESC LIMIT ?');
  const newestOf = db.prepare<[string, number, number], AuditRow>(
    'SELECT at, who, role, action, target, outcome, code, detail FROM audit_log WHERE who = ? AND at >= ? ORDER BY seq DESC LIMIT ?',
  );
  return {
    async append(e) {
      insert.run(e.at, e.who, e.role, e.action, e.target, e.outcome, e.code, e.detail === null ? null : JSON.stringify(e.detail));
    },
    async list({ limit, since = 0, who }) {
      const rows = who === undefined ? newest.all(since, limit) : newestOf.all(who, since, limit);
      return rows.map((r) => ({ ...r, detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>) }));
    },
  };
}

/** Revocation cut-offs per subject; a later revocation only ever moves the cut-off forward. */
export function createSqliteRevocations(db: Database.Database): RevocationList {
  const upsert = db.prepare<[string, number, string, string, number]>(
    `INSERT INTO revocations (subject, before, reason, by_who, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (subject) DO UPDATE SET before = max(before, excluded.before), reason = excluded.reason,
       by_who = excluded.by_who, at = excluded.at`,
  );
  const select = db.prepare<[string], { before: number }>('SELECT before FROM revocations WHERE subject = ?');
  return {
    async revoke(subject, before, reason, by, at) {
      upsert.run(subject, before, reason, by, at);
    },
    async revokedBefore(subject) {
      return select.get(subject)?.before ?? null;
    },
  };
}
