/**
 * agenda 6 job repository on SQLite (better-sqlite3), the embedded twin of
 * `@agendajs/mongo-backend`'s MongoJobRepository: same queries, same locking rules.
 *
 *   process A ─┐  BEGIN IMMEDIATE                                   ┌─▶ job runs in A
 *              ├─▶ SELECT next due/stale-locked job ─▶ SET locked_at ┤
 *   process B ─┘  (B waits on the write lock, then sees it locked)  └─▶ B finds nothing
 *
 * Several OS processes may open the same file: WAL lets readers run beside the one writer, and
 * busy_timeout makes a writer wait for the lock instead of failing. There is no notification
 * channel, so agenda polls every `processEvery`.
 */
import { cached, createWriteBatcher, prepareCached } from '../sqlite-write-batch.js';
import type { WriteBatcher } from '../sqlite-write-batch.js';
import Database from 'better-sqlite3';
import type {
  AgendaBackend,
  JobId,
  JobParameters,
  JobRepository,
  JobRepositoryOptions,
  JobsOverview,
  JobsQueryOptions,
  JobsResult,
  RemoveJobsOptions,
} from 'agenda';
import { JOBS_SCHEMA, JOBS_TABLE, decodeJobRow, encodeJobColumns, toMs } from './sqlite-job-rows.js';
import type { JobRow, SqlValue } from './sqlite-job-rows.js';
import { orderBySql, queryFilter, selectorFilter, whereSql } from './sqlite-job-filters.js';
import type { SqlFilter } from './sqlite-job-filters.js';
import { saveById, saveNew, saveSingle, saveUnique } from './sqlite-job-save.js';
import { overviewOf, withState } from './sqlite-job-states.js';
import type { StateRow } from './sqlite-job-states.js';

const T = JOBS_TABLE;

/** Where the repository keeps its jobs. */
export interface SqliteJobRepositoryOptions {
  /** Path of the SQLite file (created if missing); shared by every process that schedules jobs. */
  file: string;
}

/** agenda `JobRepository` over one SQLite file, mirroring the MongoDB backend's semantics. */
export class SqliteJobRepository implements JobRepository {
  private readonly file: string;
  private db: Database.Database | undefined;

  constructor(options: SqliteJobRepositoryOptions) {
    this.file = options.file;
  }

  /** Opens the file (WAL, busy_timeout 5000) and creates the table and indexes if missing. */
  async connect(): Promise<void> {
    if (this.db) return;
    const db = new Database(this.file);
    try {
      // busy_timeout first: switching to WAL and creating the schema may meet another process.
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.transaction(() => db.exec(JOBS_SCHEMA)).immediate();
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
  }

  /** Closes the file; `connect()` may open it again. */
  async disconnect(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    db?.close();
  }

  private conn(): Database.Database {
    if (!this.db) throw new Error('SQLite job repository is not connected');
    return this.db;
  }

  private batcher: { db: Database.Database; batcher: WriteBatcher } | undefined;

  private writes(db: Database.Database): WriteBatcher {
    if (this.batcher?.db !== db) this.batcher = { db, batcher: createWriteBatcher(db) };
    return this.batcher.batcher;
  }

  private immediate<R>(work: (db: Database.Database) => R): R {
    const db = this.conn();
    return db.transaction(() => work(db)).immediate();
  }

  private rows(sql: string, params: readonly SqlValue[]): JobRow[] {
    return prepareCached<SqlValue[], JobRow>(this.conn(), sql).all(...params);
  }

  private count(sql: string, params: readonly SqlValue[]): number {
    return prepareCached<SqlValue[], { n: number }>(this.conn(), sql).get(...params)?.n ?? 0;
  }

  private run(sql: string, params: readonly SqlValue[]): number {
    return prepareCached<SqlValue[]>(this.conn(), sql).run(...params).changes;
  }

  /** Dashboard query: filters in SQL; a state filter is computed per row, then paginated. */
  async queryJobs(options: JobsQueryOptions = {}): Promise<JobsResult> {
    const now = new Date();
    const filter = queryFilter(options);
    const where = whereSql(filter);
    const order = orderBySql(options.sort);
    const skip = Math.max(0, Math.floor(options.skip ?? 0));
    const limit = Math.max(0, Math.floor(options.limit ?? 0));
    const { state } = options;
    // One read transaction, so the page and the total come from the same snapshot.
    return this.conn().transaction((): JobsResult => {
      if (!state) {
        const page = this.rows(`SELECT * FROM ${T} ${where} ${order} LIMIT ? OFFSET ?`, [
          ...filter.params,
          limit > 0 ? limit : -1,
          skip,
        ]);
        const total = this.count(`SELECT COUNT(*) AS n FROM ${T} ${where}`, filter.params);
        return { jobs: page.map((row) => withState(row, now)), total };
      }
      const matching = this.rows(`SELECT * FROM ${T} ${where} ${order}`, filter.params)
        .map((row) => withState(row, now))
        .filter((job) => (state === 'paused' ? job.disabled === true : job.state === state));
      return { jobs: matching.slice(skip, limit > 0 ? skip + limit : undefined), total: matching.length };
    })();
  }

  /** Per job name: total and counts per computed state (`paused` counts disabled jobs on top). */
  async getJobsOverview(): Promise<JobsOverview[]> {
    const now = new Date();
    const rows = cached(this.conn())
      .prepare<[], StateRow>(
        `SELECT name, next_run_at, locked_at, last_finished_at, failed_at, repeat_interval, disabled
         FROM ${T} ORDER BY name`,
      )
      .all();
    return overviewOf(rows, now);
  }

  /** Every job name present in the table, sorted. */
  async getDistinctJobNames(): Promise<string[]> {
    return prepareCached<[], { name: string }>(this.conn(), `SELECT DISTINCT name FROM ${T} ORDER BY name`).all().map((r) => r.name);
  }

  /** One job, or null. */
  async getJobById(id: string): Promise<JobParameters | null> {
    const row = this.rows(`SELECT * FROM ${T} WHERE id = ?`, [id])[0];
    return row ? decodeJobRow(row) : null;
  }

  /** Jobs whose nextRunAt has passed (locked or not, as in the MongoDB backend). */
  async getQueueSize(): Promise<number> {
    return this.count(`SELECT COUNT(*) AS n FROM ${T} WHERE next_run_at < ?`, [Date.now()]);
  }

  /** Deletes the selected jobs; an empty selector deletes nothing. */
  async removeJobs(options: RemoveJobsOptions): Promise<number> {
    const filter = selectorFilter(options);
    return filter ? this.run(`DELETE FROM ${T} ${whereSql(filter)}`, filter.params) : 0;
  }

  private setDisabled(options: RemoveJobsOptions, disabled: 0 | 1): number {
    const filter = selectorFilter(options);
    if (!filter) return 0;
    // Count only rows that change, like Mongo's modifiedCount.
    const changing: SqlFilter = { clauses: [...filter.clauses, 'disabled IS NOT ?'], params: [...filter.params, disabled] };
    return this.run(`UPDATE ${T} SET disabled = ${disabled} ${whereSql(changing)}`, changing.params);
  }

  /** Marks the selected jobs disabled so no processor picks them. */
  async disableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, 1);
  }

  /** Clears the disabled mark on the selected jobs. */
  async enableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, 0);
  }

  /** Deletes every job. */
  async purgeAllJobs(): Promise<number> {
    return this.run(`DELETE FROM ${T}`, []);
  }

  /** Insert or update per agenda's rules (see sqlite-job-save.ts). */
  async saveJob<DATA = unknown>(
    job: JobParameters<DATA>,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters<DATA>> {
    const { _id, unique, uniqueOpts, ...props } = job;
    const columns = encodeJobColumns(props, options?.lastModifiedBy);
    const now = Date.now();
    const db = this.conn();
    // Saves are group-committed: many timers mirrored in one turn share one transaction.
    const saved = await this.writes(db).run(() => {
      if (_id) return saveById(db, String(_id), columns);
      if (props.type === 'single') return saveSingle(db, columns, now);
      if (unique) return saveUnique(db, columns, unique, uniqueOpts, now);
      return saveNew(db, columns);
    });
    // A job removed while its holder still had it: hand the caller's data back (as Mongo does).
    // The cast only re-attaches the caller's DATA type to the JSON that was written from it.
    return saved ? (decodeJobRow(saved) as JobParameters<DATA>) : job;
  }

  /** Writes the processor-managed fields; throws if the job no longer exists. */
  async saveJobState(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<void> {
    if (!job._id) throw new Error('Cannot save job state without job ID');
    const c = encodeJobColumns(job, options?.lastModifiedBy);
    const changes = this.run(
      `UPDATE ${T} SET locked_at = ?, next_run_at = ?, last_run_at = ?, progress = ?, fail_reason = ?,
         fail_count = ?, failed_at = ?, last_finished_at = ?, last_modified_by = ?
       WHERE id = ? AND name = ?`,
      [c.locked_at, c.next_run_at, c.last_run_at, c.progress, c.fail_reason, c.fail_count, c.failed_at,
        c.last_finished_at, c.last_modified_by, String(job._id), job.name],
    );
    if (changes !== 1) {
      throw new Error(`job ${job._id} (name: ${job.name}) cannot be updated in the database, maybe it does not exist anymore?`);
    }
  }

  /** Locks this exact job if it is unlocked, enabled and still due at the nextRunAt it carries. */
  async lockJob(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<JobParameters | undefined> {
    if (!job._id) return undefined;
    const row = this.immediate((db) =>
      cached(db)
        .prepare<SqlValue[], JobRow>(
          `UPDATE ${T} SET locked_at = ?, last_modified_by = ?
           WHERE id = ? AND name = ? AND locked_at IS NULL AND next_run_at IS ? AND disabled IS NOT 1
           RETURNING *`,
        )
        .get(Date.now(), options?.lastModifiedBy ?? null, String(job._id), job.name, toMs(job.nextRunAt)),
    );
    return row ? decodeJobRow(row) : undefined;
  }

  /** Releases a lock unless the job is mid-run (a running one-off job has nextRunAt null). */
  async unlockJob(job: JobParameters): Promise<void> {
    if (!job._id) return;
    this.run(`UPDATE ${T} SET locked_at = NULL WHERE id = ? AND next_run_at IS NOT NULL`, [String(job._id)]);
  }

  /** Releases the locks of these jobs whatever their state (agenda's stop()). */
  async unlockJobs(jobIds: (JobId | string)[]): Promise<void> {
    if (jobIds.length === 0) return;
    this.run(`UPDATE ${T} SET locked_at = NULL WHERE id IN (SELECT value FROM json_each(?))`, [
      JSON.stringify(jobIds.map(String)),
    ]);
  }

  /**
   * Atomically finds and locks the next job of this name: enabled, and either unlocked and due
   * before the next scan or holding a lock older than the deadline; soonest first, then highest
   * priority.
   */
  async getNextJobToRun(
    jobName: string,
    nextScanAt: Date,
    lockDeadline: Date,
    now: Date | undefined,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters | undefined> {
    const lockTime = (now ?? new Date()).getTime();
    const row = this.immediate((db) => {
      const next = cached(db)
        .prepare<SqlValue[], { id: string }>(
          `SELECT id FROM ${T}
           WHERE name = ? AND disabled IS NOT 1
             AND ((locked_at IS NULL AND next_run_at <= ?) OR locked_at <= ?)
           ORDER BY next_run_at ASC, priority DESC
           LIMIT 1`,
        )
        .get(jobName, nextScanAt.getTime(), lockDeadline.getTime());
      if (!next) return undefined;
      return cached(db)
        .prepare<SqlValue[], JobRow>(`UPDATE ${T} SET locked_at = ?, last_modified_by = ? WHERE id = ? RETURNING *`)
        .get(lockTime, options?.lastModifiedBy ?? null, next.id);
    });
    return row ? decodeJobRow(row) : undefined;
  }
}

/** An agenda backend whose repository is the SQLite one (exposed for sweepers and tests). */
export interface SqliteAgendaBackend extends AgendaBackend {
  readonly repository: SqliteJobRepository;
}

/**
 * agenda backend for the embedded deployment: `new Agenda({ backend: createSqliteAgendaBackend({ file }) })`.
 * It owns its connection, so `agenda.stop()` closes the file.
 */
export function createSqliteAgendaBackend(options: SqliteJobRepositoryOptions): SqliteAgendaBackend {
  const repository = new SqliteJobRepository(options);
  return {
    name: 'SQLite',
    repository,
    notificationChannel: undefined,
    ownsConnection: true,
    connect: () => repository.connect(),
    disconnect: () => repository.disconnect(),
  };
}
