/**
 * The change log of the embedded store: the `changes` table, written by the commit transaction
 * (see sqlite-actor-store.ts), read here. Commits of every process on the file are serialised by
 * SQLite's write lock, so a reader never sees seq N+1 before seq N.
 *
 *   since(after) ──SELECT … WHERE seq > after ORDER BY seq──▶ changes, context parsed from the snapshot
 *   since(after, kinds) ─┬ near the head: the same walk up seq, kind tested per row
 *                        └ further back: the kinds' changes by index (changes_actor), sorted
 *   prune(before) ─DELETE superseded changes older than `before`─▶ horizon = highest seq deleted
 */
import type Database from 'better-sqlite3';
import type { ChangeLog, ChangeRecord } from './actor-store.js';
import type { WriteBatcher } from '../sqlite-write-batch.js';
import { prepareCached } from '../sqlite-write-batch.js';

interface ChangeRow {
  seq: number;
  kind: string;
  id: string;
  version: number;
  state: string;
  status: string;
  tags: string;
  deadline: number | null;
  event_type: string;
  at: number;
  snapshot: string;
}

const COLUMNS = 'seq, kind, id, version, state, status, tags, deadline, event_type, at, snapshot';

/**
 * How far behind the head a reader of some kinds may be and still walk the log by seq. Left to
 * itself SQLite answers `kind IN (…) ORDER BY seq` from the changes_actor index: it reads every
 * change of those kinds ever logged and sorts them, so a projector a few changes behind paid for the
 * whole history of tickets (1.4 ms a pass at 30,000 ticket changes) to find the last few. Walking
 * seq costs the rows behind the head instead (about 0.5 µs each), which is what a live reader is;
 * a reader further back (a rebuild, a screen resyncing from an old cursor) keeps the index, which
 * finds a rare kind without reading the rest of the log.
 */
const WALK_BEHIND_HEAD = 4_096;

/** A change row as the read side sees it. */
function toRecord(row: ChangeRow): ChangeRecord {
  let context: unknown = null;
  try {
    context = (JSON.parse(row.snapshot) as { context?: unknown }).context ?? null;
  } catch {
    throw new Error(`SQLite change log: change ${row.seq} (${row.kind}/${row.id}@${row.version}) has an unreadable snapshot`);
  }
  return {
    seq: row.seq,
    kind: row.kind,
    id: row.id,
    version: row.version,
    state: row.state,
    status: row.status,
    tags: row.tags === '' ? [] : row.tags.split(' '),
    ...(row.deadline === null ? {} : { deadline: row.deadline }),
    eventType: row.event_type,
    at: row.at,
    context,
  };
}

/** The change log over an open database (the actor store's connection and write batcher). */
export function createSqliteChangeLog(db: Database.Database, writes: WriteBatcher): ChangeLog {
  const selectSince = db.prepare<[number, number], ChangeRow>(`SELECT ${COLUMNS} FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`);
  const selectHead = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM changes');
  const selectHorizon = db.prepare<[], { value: number }>("SELECT value FROM change_log_meta WHERE key = 'horizon'");
  const pruneTx = db.transaction((before: number): number => {
    const last = db
      .prepare<[number], { seq: number | null }>(
        `SELECT MAX(c.seq) AS seq FROM changes c
         WHERE c.at < ? AND EXISTS (SELECT 1 FROM changes n WHERE n.kind = c.kind AND n.id = c.id AND n.seq > c.seq)`,
      )
      .get(before)?.seq;
    const deleted = db
      .prepare<[number]>(
        `DELETE FROM changes WHERE at < ? AND seq IN (
           SELECT c.seq FROM changes c WHERE EXISTS (SELECT 1 FROM changes n WHERE n.kind = c.kind AND n.id = c.id AND n.seq > c.seq))`,
      )
      .run(before).changes;
    if (last !== null && last !== undefined) {
      db.prepare<[number]>(
        "INSERT INTO change_log_meta (key, value) VALUES ('horizon', ?) ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)",
      ).run(last);
    }
    return deleted;
  });

  return {
    async since(after, limit, kinds) {
      if (kinds === undefined) return selectSince.all(after, limit).map(toRecord);
      const marks = kinds.map(() => '?').join(', ');
      // `+kind` keeps the kind out of index selection: the walk goes up the primary key from `after`.
      const walk = (selectHead.get()?.seq ?? 0) - after <= WALK_BEHIND_HEAD;
      const statement = prepareCached<[number, ...string[], number], ChangeRow>(
        db,
        `SELECT ${COLUMNS} FROM changes WHERE seq > ? AND ${walk ? '+kind' : 'kind'} IN (${marks}) ORDER BY seq LIMIT ?`,
      );
      return statement.all(after, ...kinds, limit).map(toRecord);
    },
    async head() {
      return selectHead.get()?.seq ?? 0;
    },
    async horizon() {
      return selectHorizon.get()?.value ?? 0;
    },
    prune(before) {
      return writes.run(() => pruneTx(before));
    },
  };
}
