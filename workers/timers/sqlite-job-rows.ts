/**
 * Row codec for the `agenda_jobs` table: the schema, and the mapping between agenda's
 * `JobParameters` (Dates, booleans, any JSON data) and SQLite values (ms integers, 0/1, JSON text).
 *
 *   JobParameters ──encodeJobColumns──▶ JobColumns (named params) ──▶ agenda_jobs
 *   agenda_jobs ──▶ JobRow ──decodeJobRow──▶ JobParameters
 *
 * Absent optional fields are written as NULL, as the MongoDB backend writes `null`, so a save
 * replaces every field it carries (including processor fields such as lockedAt).
 */
import { toJobId } from 'agenda';
import type { JobParameters } from 'agenda';

/** The job table shared by every process that opens the same SQLite file. */
export const JOBS_TABLE = 'agenda_jobs';

/** DDL run on connect; idempotent, so concurrent processes may all run it. */
export const JOBS_SCHEMA = `
CREATE TABLE IF NOT EXISTS ${JOBS_TABLE} (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  next_run_at INTEGER,
  type TEXT NOT NULL DEFAULT 'normal',
  locked_at INTEGER,
  last_run_at INTEGER,
  last_finished_at INTEGER,
  failed_at INTEGER,
  fail_count INTEGER,
  fail_reason TEXT,
  repeat_interval,
  repeat_timezone TEXT,
  repeat_at TEXT,
  disabled INTEGER,
  progress REAL,
  data TEXT,
  unique_key TEXT,
  debounce_started_at INTEGER,
  fork INTEGER,
  start_date INTEGER,
  end_date INTEGER,
  skip_days TEXT,
  last_modified_by TEXT
);
CREATE INDEX IF NOT EXISTS ${JOBS_TABLE}_name_next_run ON ${JOBS_TABLE} (name, next_run_at, priority DESC);
CREATE INDEX IF NOT EXISTS ${JOBS_TABLE}_name_locked ON ${JOBS_TABLE} (name, locked_at);
CREATE UNIQUE INDEX IF NOT EXISTS ${JOBS_TABLE}_name_unique_key ON ${JOBS_TABLE} (name, unique_key)
  WHERE unique_key IS NOT NULL;
`;
// `repeat_interval` has no declared type on purpose: agenda stores a number (ms) or a string
// (cron / human interval) there, and a column without affinity keeps whichever it was given.

/** Values better-sqlite3 binds. */
export type SqlValue = string | number | bigint | Buffer | null;

/** Every column a save writes, keyed by column name (bound as `@column`). */
export interface JobColumns {
  name: string;
  priority: number;
  next_run_at: number | null;
  type: string;
  locked_at: number | null;
  last_run_at: number | null;
  last_finished_at: number | null;
  failed_at: number | null;
  fail_count: number | null;
  fail_reason: string | null;
  repeat_interval: string | number | null;
  repeat_timezone: string | null;
  repeat_at: string | null;
  disabled: number | null;
  progress: number | null;
  data: string | null;
  debounce_started_at: number | null;
  fork: number | null;
  start_date: number | null;
  end_date: number | null;
  skip_days: string | null;
  last_modified_by: string | null;
}

/** A full `agenda_jobs` row as SQLite returns it. */
export interface JobRow extends JobColumns {
  id: string;
  unique_key: string | null;
}

/** Columns a save overwrites, in a fixed order for generated SQL. */
export const SAVED_COLUMNS = [
  'name',
  'priority',
  'next_run_at',
  'type',
  'locked_at',
  'last_run_at',
  'last_finished_at',
  'failed_at',
  'fail_count',
  'fail_reason',
  'repeat_interval',
  'repeat_timezone',
  'repeat_at',
  'disabled',
  'progress',
  'data',
  'debounce_started_at',
  'fork',
  'start_date',
  'end_date',
  'skip_days',
  'last_modified_by',
] as const satisfies readonly (keyof JobColumns)[];

/** Date (or date-like value agenda may hand over) to epoch ms; absent stays null. */
export function toMs(value: Date | string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) throw new Error(`agenda job carries an invalid date: ${String(value)}`);
  return ms;
}

function toDate(ms: number | null): Date | undefined {
  return ms === null ? undefined : new Date(ms);
}

function toFlag(value: boolean | undefined): number | null {
  return value === undefined || value === null ? null : value ? 1 : 0;
}

function fromFlag(value: number | null): boolean | undefined {
  return value === null ? undefined : value !== 0;
}

/** JSON text for the data column; `undefined` data is stored as NULL and read back as undefined. */
export function encodeData(data: unknown): string | null {
  const text: string | undefined = JSON.stringify(data);
  return text === undefined ? null : text;
}

function parseJson(text: string, id: string, column: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${JOBS_TABLE} row ${id} holds invalid JSON in ${column}`, { cause: error });
  }
}

function decodeSkipDays(row: JobRow): number[] | undefined {
  if (row.skip_days === null) return undefined;
  const days = parseJson(row.skip_days, row.id, 'skip_days');
  return Array.isArray(days) ? days.filter((day): day is number => typeof day === 'number') : undefined;
}

/** Encodes the persisted fields of a job (not `_id`, `unique`, `uniqueOpts`) as named parameters. */
export function encodeJobColumns(job: Omit<JobParameters, '_id'>, lastModifiedBy: string | undefined): JobColumns {
  return {
    name: job.name,
    priority: job.priority ?? 0,
    next_run_at: toMs(job.nextRunAt),
    type: job.type ?? 'normal',
    locked_at: toMs(job.lockedAt),
    last_run_at: toMs(job.lastRunAt),
    last_finished_at: toMs(job.lastFinishedAt),
    failed_at: toMs(job.failedAt),
    fail_count: job.failCount ?? null,
    fail_reason: job.failReason ?? null,
    repeat_interval: job.repeatInterval ?? null,
    repeat_timezone: job.repeatTimezone ?? null,
    repeat_at: job.repeatAt ?? null,
    disabled: toFlag(job.disabled),
    progress: job.progress ?? null,
    data: encodeData(job.data),
    debounce_started_at: toMs(job.debounceStartedAt),
    fork: toFlag(job.fork),
    start_date: toMs(job.startDate),
    end_date: toMs(job.endDate),
    skip_days: job.skipDays === undefined || job.skipDays === null ? null : JSON.stringify(job.skipDays),
    last_modified_by: lastModifiedBy ?? null,
  };
}

/** Decodes a row into the shape the MongoDB backend returns (absent fields are `undefined`). */
export function decodeJobRow(row: JobRow): JobParameters {
  return {
    _id: toJobId(row.id),
    name: row.name,
    priority: row.priority,
    nextRunAt: row.next_run_at === null ? null : new Date(row.next_run_at),
    type: row.type === 'single' ? 'single' : 'normal',
    data: row.data === null ? undefined : parseJson(row.data, row.id, 'data'),
    lockedAt: toDate(row.locked_at),
    lastFinishedAt: toDate(row.last_finished_at),
    failedAt: toDate(row.failed_at),
    failCount: row.fail_count ?? undefined,
    failReason: row.fail_reason ?? undefined,
    repeatTimezone: row.repeat_timezone ?? undefined,
    lastRunAt: toDate(row.last_run_at),
    repeatInterval: row.repeat_interval ?? undefined,
    repeatAt: row.repeat_at ?? undefined,
    disabled: fromFlag(row.disabled),
    progress: row.progress ?? undefined,
    // Like the MongoDB backend, the unique query is not read back onto the job.
    unique: undefined,
    uniqueOpts: undefined,
    lastModifiedBy: row.last_modified_by ?? undefined,
    fork: fromFlag(row.fork),
    debounceStartedAt: toDate(row.debounce_started_at),
    startDate: toDate(row.start_date),
    endDate: toDate(row.end_date),
    skipDays: decodeSkipDays(row),
  };
}
