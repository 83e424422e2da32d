/**
 * Kept counts of the embedded read models (ReadModelSpec.counts): a table beside each generation's
 * rows, moved by the batch that writes the rows, in the same savepoint.
 *
 *   rm_<name>_<n>__counts (count_no, grp, n)   count_no: the spec's count (by position);
 *                                              grp: a JSON array of the row's `by` values
 *
 *   batch: for each row write ─▶ the old row's group (one read by key) ─▶ upsert ─▶ written? ─▶ −1 old, +1 new
 *          after the rows ─▶ one upsert per group that moved
 *
 * The rows' table is written only by a batch (ReadModelStore.apply), so counting there keeps the
 * counts equal to the rows: an upsert the version guard refuses moves nothing, a tombstone leaves
 * its group. Triggers on the rows' table would do the same for any writer, but a statement that
 * fires a trigger gets a statement journal, a temporary file on disk: 60 µs more per row written
 * (a projector pass of 500 ticket changes: 30 ms more).
 */
import type Database from 'better-sqlite3';
import { prepareCached } from '../sqlite-write-batch.js';
import type { CountSpec, FieldValue, ReadModelSpec } from './read-model.js';

/** The table of a generation's kept counts. */
export const countsTable = (table: string) => `${table}__counts`;

/** The counting of one batch of row writes. */
export interface BatchTally {
  /** The groups the row `key` is counted in now (before its write). */
  before(key: string): readonly (string | null)[];
  /** The row was written: leaves the `before` groups, joins those of `fields` (null: a tombstone). */
  moved(before: readonly (string | null)[], fields: Readonly<Record<string, FieldValue>> | null): void;
  /** Writes what moved. */
  write(): void;
}

/** The kept counts of the read models on one connection. */
export interface KeptCounts {
  /** Creates the (empty) counts of a new generation. */
  create(spec: ReadModelSpec, table: string): void;
  /** Gives a generation kept before its spec counted anything its counts, filled from its rows. */
  ensure(spec: ReadModelSpec, table: string): void;
  /** The counting of a batch; undefined when the spec keeps no counts. */
  tally(spec: ReadModelSpec, table: string): BatchTally | undefined;
  /** `countBy(field, filters)` from `count`: its groups that the filters on `by` fields keep, summed by `field`. */
  read(spec: ReadModelSpec, table: string, count: CountSpec, field: string, filters: Readonly<Record<string, FieldValue>>): Record<string, number>;
}

/** The group a row with `fields` is counted in by each of the spec's counts (null: not counted). */
function groupsOf(counts: readonly CountSpec[], fields: Readonly<Record<string, FieldValue>>): (string | null)[] {
  return counts.map((count) => {
    for (const [name, value] of Object.entries(count.where)) if (fields[name] !== value) return null;
    return JSON.stringify(count.by.map((name) => fields[name] ?? null));
  });
}

/** The fields the counts read, as `"f_<field>" AS "<field>"`. */
function countedColumns(counts: readonly CountSpec[], column: (field: string) => string): string {
  const fields = new Set(counts.flatMap((count) => [...count.by, ...Object.keys(count.where)]));
  return [...fields].map((field) => `${column(field)} AS "${field}"`).join(', ');
}

/** Kept counts on `db`; `column` names a field's column (checked). */
export function createKeptCounts(db: Database.Database, column: (field: string) => string): KeptCounts {
  /** Generations whose counts are known to exist. */
  const known = new Set<string>();

  function createTable(table: string): void {
    db.exec(`CREATE TABLE IF NOT EXISTS "${countsTable(table)}" (count_no INTEGER NOT NULL, grp TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (count_no, grp)) WITHOUT ROWID`);
  }

  const add = (table: string) =>
    prepareCached<[number, string, number]>(db, `INSERT INTO "${countsTable(table)}" (count_no, grp, n) VALUES (?, ?, ?) ON CONFLICT (count_no, grp) DO UPDATE SET n = n + excluded.n`);

  function fill(counts: readonly CountSpec[], table: string): void {
    const totals = new Map<string, [number, string, number]>();
    for (const row of db.prepare<[], Record<string, FieldValue>>(`SELECT ${countedColumns(counts, column)} FROM "${table}" WHERE data IS NOT NULL`).iterate()) {
      groupsOf(counts, row).forEach((grp, i) => {
        if (grp === null) return;
        const total = totals.get(`${i}\n${grp}`);
        if (total) total[2]++;
        else totals.set(`${i}\n${grp}`, [i, grp, 1]);
      });
    }
    for (const total of totals.values()) add(table).run(...total);
  }

  return {
    create(spec, table) {
      if (spec.counts === undefined || spec.counts.length === 0) return;
      createTable(table);
      known.add(table);
    },
    ensure(spec, table) {
      const counts = spec.counts ?? [];
      if (counts.length === 0 || known.has(table)) return;
      // The table and its first counts in one transaction: no batch falls between them.
      db.transaction(() => {
        const exists = db.prepare<[string], { one: number }>("SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = ?").get(countsTable(table));
        if (exists) return;
        createTable(table);
        fill(counts, table);
      }).immediate();
      known.add(table);
    },
    tally(spec, table) {
      const counts = spec.counts ?? [];
      if (counts.length === 0) return undefined;
      const selectOld = prepareCached<[string], Record<string, FieldValue>>(db, `SELECT ${countedColumns(counts, column)} FROM "${table}" WHERE key = ? AND data IS NOT NULL`);
      const none = counts.map(() => null);
      const deltas = new Map<string, [number, string, number]>();
      const move = (i: number, grp: string | null, by: number) => {
        if (grp === null) return;
        const delta = deltas.get(`${i}\n${grp}`);
        if (delta) delta[2] += by;
        else deltas.set(`${i}\n${grp}`, [i, grp, by]);
      };
      return {
        before(key) {
          const old = selectOld.get(key);
          return old === undefined ? none : groupsOf(counts, old);
        },
        moved(before, fields) {
          before.forEach((grp, i) => move(i, grp, -1));
          if (fields !== null) groupsOf(counts, fields).forEach((grp, i) => move(i, grp, 1));
        },
        write() {
          for (const delta of deltas.values()) if (delta[2] !== 0) add(table).run(...delta);
        },
      };
    },
    read(spec, table, count, field, filters) {
      const groups = prepareCached<[number], { grp: string; n: number }>(db, `SELECT grp, n FROM "${countsTable(table)}" WHERE count_no = ? AND n > 0`).all(spec.counts?.indexOf(count) ?? -1);
      const at = (name: string) => count.by.indexOf(name);
      const tests = Object.entries(filters)
        .filter(([name]) => !Object.hasOwn(count.where, name))
        .map(([name, value]) => [at(name), value] as const);
      const out: Record<string, number> = {};
      for (const { grp, n } of groups) {
        const values = JSON.parse(grp) as FieldValue[];
        if (!tests.every(([i, value]) => values[i] === value)) continue;
        const key = String(values[at(field)]);
        out[key] = (out[key] ?? 0) + n;
      }
      return out;
    },
  };
}
