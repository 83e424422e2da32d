/**
 * The embedded actor store: one SQLite file (better-sqlite3, WAL), shared safely by several
 * processes. A commit is one IMMEDIATE transaction over statements prepared once at open:
 *
 *   commit(req) ── BEGIN IMMEDIATE (waits up to busy_timeout for other writers)
 *     1. eventId set? INSERT processed_events ON CONFLICT DO NOTHING
 *          └─ no row inserted ─────────────────────────────▶ duplicate (nothing written)
 *     2. expectedVersion 0? INSERT actors ON CONFLICT DO NOTHING
 *        else              UPDATE actors … WHERE version = expectedVersion
 *          └─ no row changed ─ ROLLBACK (undoes step 1) ───▶ conflict (nothing written)
 *     3. DELETE the actor's timers, INSERT req.timers
 *     4. INSERT event_log (kind, id, committed version)
 *     5. INSERT outbox rows (one per effect; those `omitEffects` names are left out while the
 *        other actor's row still has the version the caller read)
 *     6. add the transition's counter deltas (occupancy)
 *     7. INSERT the change log row (the new view, seq = its place in commit order)
 *   COMMIT ──────────────────────────────────────────────────▶ committed, version + 1, seq
 *
 * Duplicate is checked before version so that a retried delivery whose actor has moved on is
 * answered "duplicate", not "conflict" (which would make the host re-apply it).
 */
import type Database from 'better-sqlite3';
import type {
  ActorRecord,
  ActorStore,
  CommitRequest,
  CommitResult,
  DueTimer,
  EffectRow,
  EventLogEntry,
  TimerRecord,
} from './actor-store.js';
import { writeBatcherOf } from '../sqlite-write-batch.js';
import { createSqliteAuditLog, createSqliteRevocations } from './sqlite-access.js';
import { createSqliteCapacityLedger } from './sqlite-capacity-ledger.js';
import { createSqliteChangeLog } from './sqlite-change-log.js';
import { openSqliteDatabase, type SqliteOpenOptions } from './sqlite-schema.js';

export type { SqliteDurability, SqliteOpenOptions } from './sqlite-schema.js';

interface ActorRow {
  machine_version: number;
  version: number;
  state: string;
  updated_at: number;
}

interface TimerRow {
  key: string;
  gen: number;
  due_at: number;
  event: string;
}

interface LogRow {
  version: number;
  event_id: string | null;
  event_type: string;
  who: string;
  at: number;
  from_state: string | null;
  to_state: string;
}

interface EffectDbRow {
  effect_id: string;
  kind: string;
  actor_id: string;
  version: number;
  idx: number;
  type: string;
  payload: string;
  created_at: number;
}

interface DueTimerRow {
  kind: string;
  id: string;
  key: string;
  gen: number;
  due_at: number;
}

/** Thrown inside the commit transaction to roll back the dedupe row when the CAS fails. */
class VersionConflict extends Error {}

/** Opens (creating if needed) the SQLite file at `file` and returns the actor store over it. */
export function openSqliteActorStore(options: SqliteOpenOptions & { connection?: Database.Database }): ActorStore {
  // A lent connection (opened with openSqliteDatabase) is the store's from now on: close() closes it.
  const db = options.connection ?? openSqliteDatabase(options);
  const commitTx = prepareCommit(db);
  const writes = writeBatcherOf(db);

  const selectActor = db.prepare<[string, string], ActorRow>(
    'SELECT machine_version, version, state, updated_at FROM actors WHERE kind = ? AND id = ?',
  );
  const selectVersion = db.prepare<[string, string], { version: number }>('SELECT version FROM actors WHERE kind = ? AND id = ?');
  const selectApplied = db.prepare<[string, string, string], { one: number }>(
    'SELECT 1 AS one FROM processed_events WHERE kind = ? AND id = ? AND event_id = ?',
  );
  const selectCounter = db.prepare<[string], { value: number }>('SELECT value FROM counters WHERE name = ?');
  const selectTimers = db.prepare<[string, string], TimerRow>(
    'SELECT key, gen, due_at, event FROM timers WHERE kind = ? AND id = ?',
  );
  const selectLog = db.prepare<[string, string], LogRow>(
    `SELECT version, event_id, event_type, who, at, from_state, to_state
     FROM event_log WHERE kind = ? AND id = ? ORDER BY version`,
  );
  const selectPending = db.prepare<[number], EffectDbRow>(
    'SELECT effect_id, kind, actor_id, version, idx, type, payload, created_at FROM outbox ORDER BY seq LIMIT ?',
  );
  const selectPendingOfTypes = db.prepare<[string, number], EffectDbRow>(
    `SELECT effect_id, kind, actor_id, version, idx, type, payload, created_at FROM outbox
     WHERE type IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?`,
  );
  const deleteEffect = db.prepare<[string]>('DELETE FROM outbox WHERE effect_id = ?');
  const selectDue = db.prepare<[number, number], DueTimerRow>(
    'SELECT kind, id, key, gen, due_at FROM timers WHERE due_at <= ? ORDER BY due_at, kind, id, key LIMIT ?',
  );
  const ackTx = db.transaction((rows: readonly EffectRow[]) => {
    for (const row of rows) deleteEffect.run(row.effectId);
  });

  return {
    name: 'sqlite',
    ledger: createSqliteCapacityLedger(db, writes),
    audit: createSqliteAuditLog(db),
    revocations: createSqliteRevocations(db),
    changes: createSqliteChangeLog(db, writes),

    async load(kind, id): Promise<ActorRecord | null> {
      const row = selectActor.get(kind, id);
      if (!row) return null;
      const where = `actor ${kind}/${id}`;
      const timers = Object.fromEntries(
        selectTimers
          .all(kind, id)
          .map((t): [string, TimerRecord] => [
            t.key,
            { event: parseJson(t.event, `${where} timer ${t.key}`) as TimerRecord['event'], dueAt: t.due_at, gen: t.gen },
          ]),
      );
      return {
        kind,
        id,
        machineVersion: row.machine_version,
        version: row.version,
        state: parseJson(row.state, `${where} state`),
        timers,
        updatedAt: row.updated_at,
      };
    },

    async version(kind, id) {
      return selectVersion.get(kind, id)?.version ?? null;
    },

    async applied(kind, id, eventId) {
      return selectApplied.get(kind, id, eventId) !== undefined;
    },

    async commit(req) {
      try {
        // Group commit: concurrent commits share one transaction, each in its own savepoint.
        return await writes.run(() => commitTx(req));
      } catch (err) {
        if (err instanceof VersionConflict) return { status: 'conflict' };
        throw err;
      }
    },

    async eventLog(kind, id): Promise<EventLogEntry[]> {
      return selectLog.all(kind, id).map((r) => ({
        kind,
        id,
        version: r.version,
        eventId: r.event_id,
        eventType: r.event_type,
        who: r.who,
        at: r.at,
        from: r.from_state,
        to: r.to_state,
      }));
    },

    async counter(name) {
      return selectCounter.get(name)?.value ?? 0;
    },

    async pendingEffects(limit, types): Promise<EffectRow[]> {
      const rows = types === undefined ? selectPending.all(limit) : selectPendingOfTypes.all(JSON.stringify(types), limit);
      return rows.map((r) => ({
        effectId: r.effect_id,
        kind: r.kind,
        actorId: r.actor_id,
        version: r.version,
        index: r.idx,
        type: r.type,
        payload: parseJson(r.payload, `effect ${r.effect_id} payload`) as Record<string, unknown>,
        createdAt: r.created_at,
      }));
    },

    async ackEffects(rows) {
      if (rows.length > 0) await writes.run(() => ackTx(rows));
    },

    async dueTimers(until, limit): Promise<DueTimer[]> {
      return selectDue.all(until, limit).map((r) => ({ kind: r.kind, id: r.id, key: r.key, gen: r.gen, dueAt: r.due_at }));
    },

    async close() {
      if (db.open) db.close();
    },
  };
}

/** Prepares the commit statements once and returns the transaction drawn in the header. */
function prepareCommit(db: Database.Database): Database.Transaction<(req: CommitRequest) => CommitResult> {
  const insertProcessed = db.prepare<[string, string, string]>(
    'INSERT INTO processed_events (kind, id, event_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const insertActor = db.prepare<[string, string, number, number, string, number]>(
    `INSERT INTO actors (kind, id, machine_version, version, state, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, id) DO NOTHING`,
  );
  const updateActor = db.prepare<[number, number, string, number, string, string, number]>(
    `UPDATE actors SET machine_version = ?, version = ?, state = ?, updated_at = ?
     WHERE kind = ? AND id = ? AND version = ?`,
  );
  const deleteTimers = db.prepare<[string, string]>('DELETE FROM timers WHERE kind = ? AND id = ?');
  const insertTimer = db.prepare<[string, string, string, number, number, string]>(
    'INSERT INTO timers (kind, id, key, gen, due_at, event) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertLog = db.prepare<[string, string, number, string | null, string, string, number, string | null, string]>(
    `INSERT INTO event_log (kind, id, version, event_id, event_type, who, at, from_state, to_state)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const addCounter = db.prepare<[string, number]>(
    'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
  );
  const insertEffect = db.prepare<[string, string, string, number, number, string, string, number]>(
    `INSERT INTO outbox (effect_id, kind, actor_id, version, idx, type, payload, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectOtherVersion = db.prepare<[string, string], { version: number }>('SELECT version FROM actors WHERE kind = ? AND id = ?');
  const insertChange = db.prepare<[string, string, number, string, string, string, number | null, string, number, string]>(
    `INSERT INTO changes (kind, id, version, state, status, tags, deadline, event_type, at, snapshot)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  return db.transaction((req: CommitRequest): CommitResult => {
    const { kind, id, eventId, expectedVersion } = req;
    if (eventId !== null && insertProcessed.run(kind, id, eventId).changes === 0) return { status: 'duplicate' };
    const version = expectedVersion + 1;
    const state = JSON.stringify(req.state);
    const written =
      expectedVersion === 0
        ? insertActor.run(kind, id, req.machineVersion, version, state, req.at)
        : updateActor.run(req.machineVersion, version, state, req.at, kind, id, expectedVersion);
    if (written.changes === 0) {
      // The dedupe row from step 1 must not survive a refused commit: roll the transaction back.
      if (eventId !== null) throw new VersionConflict();
      return { status: 'conflict' };
    }
    if (expectedVersion !== 0) deleteTimers.run(kind, id);
    for (const [key, timer] of Object.entries(req.timers)) {
      insertTimer.run(kind, id, key, timer.gen, timer.dueAt, JSON.stringify(timer.event));
    }
    // The store files the entry under the committed version, whatever the caller computed.
    const log = req.log;
    insertLog.run(kind, id, version, log.eventId, log.eventType, log.who, log.at, log.from, log.to);
    // Read under this transaction's write lock: no other commit can move the other actor before COMMIT.
    const omit = req.omitEffects;
    const unchanged = omit !== undefined && selectOtherVersion.get(omit.whileUnchanged.kind, omit.whileUnchanged.id)?.version === omit.whileUnchanged.version;
    let omittedEffects = 0;
    for (const e of req.effects) {
      if (unchanged && omit.types.includes(e.type)) {
        omittedEffects++;
        continue;
      }
      insertEffect.run(e.effectId, e.kind, e.actorId, e.version, e.index, e.type, JSON.stringify(e.payload), e.createdAt);
    }
    for (const [name, delta] of Object.entries(req.counters ?? {})) if (delta !== 0) addCounter.run(name, delta);
    // The snapshot JSON is the one just written to actors: the log reads the context from it.
    const view = req.view ?? { state: log.to, status: 'active', tags: [] };
    const seq = insertChange.run(kind, id, version, view.state, view.status, view.tags.join(' '), view.deadline ?? null, log.eventType, req.at, state).lastInsertRowid;
    return { status: 'committed', version, seq: Number(seq), ...(omittedEffects > 0 ? { omittedEffects } : {}) };
  });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`SQLite store: ${what} is not valid JSON`, { cause: err });
  }
}
