/**
 * `saveJob` for the SQLite job repository, branch for branch as the MongoDB backend does it:
 *
 *   has _id          ─▶ overwrite that row (same name); a vanished row returns the job unchanged
 *   type 'single'    ─▶ one row per name: update it (keeping a due nextRunAt) or insert
 *   unique query     ─▶ one row per (name, unique_key): debounce, insertOnly or update; else insert
 *   otherwise        ─▶ insert
 *
 * Every function here runs inside the caller's IMMEDIATE transaction, so the look-up and the
 * write that follows are atomic across processes sharing the file.
 */
import { cached } from '../sqlite-write-batch.js';
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { DebounceOptions, UniqueOpts } from 'agenda';
import { JOBS_TABLE, SAVED_COLUMNS } from './sqlite-job-rows.js';
import type { JobColumns, JobRow } from './sqlite-job-rows.js';
import { uniqueKeyOf } from './sqlite-job-filters.js';

type Db = Database.Database;
type RowKey = { id: string; unique_key?: string | null };

const SET_COLUMNS = SAVED_COLUMNS.map((column) => `${column} = @${column}`).join(', ');
const INSERT_SQL = `INSERT INTO ${JOBS_TABLE} (id, unique_key, ${SAVED_COLUMNS.join(', ')})
  VALUES (@id, @unique_key, ${SAVED_COLUMNS.map((column) => `@${column}`).join(', ')}) RETURNING *`;

function insert(db: Db, columns: JobColumns, uniqueKey: string | null): JobRow | undefined {
  return cached(db)
    .prepare<[JobColumns & RowKey], JobRow>(INSERT_SQL)
    .get({ ...columns, id: randomUUID(), unique_key: uniqueKey });
}

function update(db: Db, id: string, columns: JobColumns, sameName = false): JobRow | undefined {
  const where = sameName ? 'id = @id AND name = @name' : 'id = @id';
  return cached(db)
    .prepare<[JobColumns & RowKey], JobRow>(`UPDATE ${JOBS_TABLE} SET ${SET_COLUMNS} WHERE ${where} RETURNING *`)
    .get({ ...columns, id });
}

/** Overwrites the job with this id; `undefined` when it no longer exists. */
export function saveById(db: Db, id: string, columns: JobColumns): JobRow | undefined {
  return update(db, id, columns, true);
}

/**
 * One row per name for `every()` jobs. A nextRunAt that is already due is not written over an
 * existing row (Mongo's `$setOnInsert`), so re-declaring `every()` at start-up keeps the schedule.
 */
export function saveSingle(db: Db, columns: JobColumns, now: number): JobRow | undefined {
  const existing = cached(db)
    .prepare<[string], JobRow>(`SELECT * FROM ${JOBS_TABLE} WHERE name = ? AND type = 'single' LIMIT 1`)
    .get(columns.name);
  if (!existing) return insert(db, columns, null);
  const due = columns.next_run_at !== null && columns.next_run_at <= now;
  return update(db, existing.id, { ...columns, next_run_at: due ? existing.next_run_at : columns.next_run_at });
}

function saveDebounced(
  db: Db,
  columns: JobColumns,
  uniqueKey: string,
  existing: JobRow | undefined,
  debounce: DebounceOptions,
  now: number,
): JobRow | undefined {
  if (!existing) {
    // Leading runs at the given time; trailing waits one quiet period.
    return debounce.strategy === 'leading'
      ? insert(db, { ...columns, debounce_started_at: now }, uniqueKey)
      : insert(db, { ...columns, next_run_at: now + debounce.delay, debounce_started_at: now }, uniqueKey);
  }
  const startedAt = existing.debounce_started_at ?? now;
  if (debounce.strategy === 'leading') {
    return update(db, existing.id, { ...columns, next_run_at: existing.next_run_at, debounce_started_at: startedAt });
  }
  if (debounce.maxWait && now - startedAt >= debounce.maxWait) {
    return update(db, existing.id, { ...columns, next_run_at: now, debounce_started_at: null });
  }
  return update(db, existing.id, { ...columns, next_run_at: now + debounce.delay, debounce_started_at: startedAt });
}

/** Upsert keyed by (name, canonical unique query). */
export function saveUnique(
  db: Db,
  columns: JobColumns,
  unique: Record<string, unknown>,
  opts: UniqueOpts | undefined,
  now: number,
): JobRow | undefined {
  const uniqueKey = uniqueKeyOf(unique);
  const existing = cached(db)
    .prepare<[string, string], JobRow>(`SELECT * FROM ${JOBS_TABLE} WHERE name = ? AND unique_key = ?`)
    .get(columns.name, uniqueKey);
  if (opts?.debounce) return saveDebounced(db, columns, uniqueKey, existing, opts.debounce, now);
  if (!existing) return insert(db, columns, uniqueKey);
  if (opts?.insertOnly) return existing;
  return update(db, existing.id, columns);
}

/** Plain insert of a new job. */
export function saveNew(db: Db, columns: JobColumns): JobRow | undefined {
  return insert(db, columns, null);
}
