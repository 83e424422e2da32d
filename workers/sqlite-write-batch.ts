/**
 * Two habits every SQLite writer here shares.
 *
 * Statement cache: preparing SQL costs more than running it; dynamic SQL built from a small
 * set of shapes is prepared once per connection.
 *
 * Group commit: writers in the same turn of the event loop share ONE immediate transaction,
 * each inside its own savepoint, so a refused write (conflict, constraint) rolls back alone
 * while the WAL commit is paid once per batch instead of once per write. Nobody is answered
 * before the shared transaction has committed.
 *
 *   run(w1) ┐
 *   run(w2) ├─ setImmediate ─▶ BEGIN IMMEDIATE; SAVEPOINT w1 … ; SAVEPOINT w2 … ; COMMIT ─▶ resolve/reject each
 *   run(w3) ┘
 */
import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement<unknown[], unknown>>>();

/** `db.prepare(sql)`, prepared once per connection and SQL text. */
export function prepareCached<P extends unknown[] = unknown[], R = unknown>(db: Database.Database, sql: string): Database.Statement<P, R> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare<unknown[], unknown>(sql);
    cache.set(sql, statement);
  }
  return statement as unknown as Database.Statement<P, R>;
}

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Runs synchronous write work in shared transactions, one per event-loop turn. */
export interface WriteBatcher {
  run<T>(work: () => T): Promise<T>;
}

/** Creates a batcher over one connection; `maxBatch` bounds how long one transaction holds the write lock. */
export function createWriteBatcher(db: Database.Database, maxBatch = 512): WriteBatcher {
  const queue: Pending[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = queue.splice(0, maxBatch);
    if (queue.length > 0) schedule();
    if (!db.open) {
      for (const item of batch) item.reject(new Error('SQLite connection is closed'));
      return;
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      db.transaction(() => {
        for (const item of batch) {
          try {
            // A nested transaction is a SAVEPOINT: a throw undoes this item only.
            outcomes.push({ ok: true, value: db.transaction(item.work)() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      // The shared transaction itself failed (e.g. the file stayed locked): nothing was written.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
  };
}

const batchers = new WeakMap<Database.Database, WriteBatcher>();

/**
 * The one batcher of a connection: every writer on it (the actor store, the ledger, the change log,
 * the read models) joins the same group commit, so a turn of the event loop pays one WAL commit
 * for all of them, and a pass of the projector is not a transaction of its own.
 */
export function writeBatcherOf(db: Database.Database): WriteBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = createWriteBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher;
}

/** A view of `db` whose `prepare` goes through the statement cache. */
export function cached(db: Database.Database): { prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> } {
  return { prepare: <P extends unknown[] = unknown[], R = unknown>(sql: string) => prepareCached<P, R>(db, sql) };
}
