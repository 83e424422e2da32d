/**
 * Read models on the embedded store: one table per projection generation in the same SQLite file
 * as the actors, opened on its own connection.
 *
 *   read_model_generations (table_name, name, version, cursor, state: live | building)
 *   rm_<name>_<n> (key PRIMARY KEY, version, sort, text, data, f_<field> …)   data NULL = tombstone
 *   rm_<name>_<n>__counts (count_no, grp, n)   the spec's kept counts, moved by each batch with its
 *                        rows (sqlite-kept-counts.ts)
 *
 * A removed row stays as a tombstone with its version, so a late copy of an older change (another
 * process applying the same batch after this one) cannot bring it back. Writes of several
 * processes are serialised by SQLite's write lock; cursors only move forward.
 */
import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../store/sqlite-schema.js';
import { prepareCached, writeBatcherOf } from '../sqlite-write-batch.js';
import type { FieldValue, Generation, ListPage, ListQuery, ReadModelSpec, ReadModelStore, RowWrite } from './read-model.js';
import { countFor, pageCursor, readPageCursor, searchWords } from './read-model.js';
import { countsTable, createKeptCounts } from './sqlite-kept-counts.js';

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,40}$/;

interface GenerationRow {
  table_name: string;
  name: string;
  version: number;
  cursor: number;
  state: 'live' | 'building';
}

function checkName(what: string, name: string): string {
  if (!NAME.test(name)) throw new Error(`read model ${what} ${JSON.stringify(name)} must be letters, digits and _`);
  return name;
}

const column = (field: string) => `"f_${checkName('field', field)}"`;

function toGeneration(row: GenerationRow): Generation {
  return { name: row.name, table: row.table_name, version: row.version, cursor: row.cursor, state: row.state };
}

/**
 * Opens the read models in the SQLite file `file` (the actor store's file). With `connection` (the
 * actor store's) they share it, and close() leaves it open: in WAL mode a connection drops its whole
 * page cache whenever another connection has written to the file since its last transaction, so
 * two connections of one process, each writing several times a second, read every page back from
 * the OS on every commit and every projector pass. On one connection a batch's rows and cursor are
 * also written in the actors' group commit (writeBatcherOf), not in a WAL commit of their own.
 */
export function openSqliteReadModels(options: { file: string; connection?: Database.Database }): ReadModelStore {
  const owned = options.connection === undefined;
  const db = options.connection ?? openSqliteDatabase({ file: options.file });
  db.exec(`CREATE TABLE IF NOT EXISTS read_model_generations (
    table_name TEXT PRIMARY KEY,
    name       TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    cursor     INTEGER NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('live', 'building'))
  ) WITHOUT ROWID`);
  const selectLive = db.prepare<[string], GenerationRow>("SELECT * FROM read_model_generations WHERE name = ? AND state = 'live'");
  const selectCursor = db.prepare<[string], { cursor: number }>('SELECT cursor FROM read_model_generations WHERE table_name = ?');
  const batcher = writeBatcherOf(db);
  const moveCursor = db.prepare<[number, string]>('UPDATE read_model_generations SET cursor = MAX(cursor, ?) WHERE table_name = ?');
  const kept = createKeptCounts(db, column);

  function createTable(spec: ReadModelSpec, table: string): void {
    const fields = spec.fields.map((f) => `${column(f)}`).join(', ');
    db.exec(`CREATE TABLE IF NOT EXISTS "${table}" (
      key TEXT PRIMARY KEY, version INTEGER NOT NULL, sort INTEGER NOT NULL, text TEXT NOT NULL, data TEXT${fields === '' ? '' : `, ${fields}`}
    ) WITHOUT ROWID`);
    db.exec(`CREATE INDEX IF NOT EXISTS "${table}_sort" ON "${table}" (sort DESC, key)`);
    for (const field of spec.fields) db.exec(`CREATE INDEX IF NOT EXISTS "${table}_${field}" ON "${table}" (${column(field)}, sort DESC, key)`);
    kept.create(spec, table);
  }

  const newGeneration = db.transaction((spec: ReadModelSpec, state: 'live' | 'building'): Generation => {
    const taken = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM read_model_generations WHERE name = ?').get(spec.name)?.n ?? 0;
    let n = taken + 1;
    let table = `rm_${checkName('name', spec.name)}_${n}`;
    while (db.prepare<[string], { one: number }>("SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)) table = `rm_${spec.name}_${++n}`;
    createTable(spec, table);
    db.prepare<[string, string, number, number, string]>('INSERT INTO read_model_generations VALUES (?, ?, ?, ?, ?)').run(table, spec.name, spec.version, 0, state);
    return { name: spec.name, table, version: spec.version, cursor: 0, state };
  });

  /** A batch's rows and its cursor; run by the write batcher, which gives it a savepoint of its own (all or nothing). */
  const applyRows = (spec: ReadModelSpec, generation: Generation, writes: readonly RowWrite[], cursor: number): void => {
    const fields = spec.fields;
    const cols = fields.map(column);
    const tally = kept.tally(spec, generation.table);
    const upsert = prepareCached<FieldValue[]>(
      db,
      `INSERT INTO "${generation.table}" (key, version, sort, text, data${cols.map((c) => `, ${c}`).join('')})
       VALUES (?, ?, ?, ?, ?${cols.map(() => ', ?').join('')})
       ON CONFLICT (key) DO UPDATE SET version = excluded.version, sort = excluded.sort, text = excluded.text, data = excluded.data${cols
         .map((c) => `, ${c} = excluded.${c}`)
         .join('')}
       WHERE excluded.version > "${generation.table}".version`,
    );
    for (const write of writes) {
      const row = write.row;
      const before = tally?.before(write.key);
      const written =
        row === null
          ? upsert.run(write.key, write.version, 0, '', null, ...fields.map(() => null))
          : upsert.run(row.key, row.version, row.sort, row.text, JSON.stringify(row.data), ...fields.map((f) => row.fields[f] ?? null));
      // Refused by the version guard (an older change): nothing moved.
      if (before !== undefined && written.changes > 0) tally?.moved(before, row === null ? null : row.fields);
    }
    tally?.write();
    moveCursor.run(cursor, generation.table);
  };

  function where(spec: ReadModelSpec, filters: Readonly<Record<string, FieldValue>> | undefined, text: string | undefined): { sql: string; params: FieldValue[] } {
    const clauses = ['data IS NOT NULL'];
    const params: FieldValue[] = [];
    for (const [field, value] of Object.entries(filters ?? {})) {
      if (!spec.fields.includes(field)) throw new Error(`read model ${spec.name} has no field ${field}`);
      if (value === null) clauses.push(`${column(field)} IS NULL`);
      else {
        clauses.push(`${column(field)} = ?`);
        params.push(value);
      }
    }
    for (const word of searchWords(text ?? '')) {
      clauses.push("text LIKE ? ESCAPE '\\'");
      params.push(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    return { sql: clauses.join(' AND '), params };
  }

  async function live(spec: ReadModelSpec): Promise<Generation> {
    const row = selectLive.get(spec.name);
    if (!row) return newGeneration.immediate(spec, 'live');
    kept.ensure(spec, row.table_name);
    return toGeneration(row);
  }

  return {
    live,
    async startGeneration(spec) {
      return newGeneration.immediate(spec, 'building');
    },
    async promote(generation) {
      db.transaction(() => {
        const old = selectLive.get(generation.name);
        db.prepare<[string]>("UPDATE read_model_generations SET state = 'live' WHERE table_name = ?").run(generation.table);
        if (old && old.table_name !== generation.table) {
          db.prepare<[string]>('DELETE FROM read_model_generations WHERE table_name = ?').run(old.table_name);
          db.exec(`DROP TABLE IF EXISTS "${old.table_name}"`);
          db.exec(`DROP TABLE IF EXISTS "${countsTable(old.table_name)}"`);
        }
      }).immediate();
    },
    async apply(spec, generation, writes, cursor) {
      kept.ensure(spec, generation.table);
      // The rows, their counts and the cursor in one savepoint of the connection's group commit (with the actors' commits of that turn).
      await batcher.run(() => applyRows(spec, generation, writes, cursor));
    },
    async cursorOf(generation) {
      return selectCursor.get(generation.table)?.cursor ?? 0;
    },
    async list(spec, query: ListQuery): Promise<ListPage> {
      const generation = await live(spec);
      const { sql, params } = where(spec, query.filters, query.text);
      const after = query.after === undefined ? null : readPageCursor(query.after);
      const page = after === null ? '' : ' AND (sort < ? OR (sort = ? AND key > ?))';
      const statement = prepareCached<FieldValue[], { key: string; sort: number; data: string }>(
        db,
        `SELECT key, sort, data FROM "${generation.table}" WHERE ${sql}${page} ORDER BY sort DESC, key LIMIT ?`,
      );
      const rows = statement.all(...params, ...(after === null ? [] : [after.sort, after.sort, after.key]), query.limit + 1);
      const shown = rows.slice(0, query.limit);
      const last = shown.at(-1);
      return {
        rows: shown.map((r) => JSON.parse(r.data) as unknown),
        cursor: generation.cursor,
        ...(rows.length > query.limit && last ? { next: pageCursor(last.sort, last.key) } : {}),
      };
    },
    async countBy(spec, field, filters) {
      const generation = await live(spec);
      const count = countFor(spec, field, filters);
      if (count) return kept.read(spec, generation.table, count, field, filters ?? {});
      const { sql, params } = where(spec, filters, undefined);
      const statement = prepareCached<FieldValue[], { value: FieldValue; n: number }>(
        db,
        `SELECT ${column(field)} AS value, COUNT(*) AS n FROM "${generation.table}" WHERE ${sql} GROUP BY ${column(field)}`,
      );
      return Object.fromEntries(statement.all(...params).map((r) => [String(r.value), r.n]));
    },
    async close() {
      if (owned && db.open) db.close();
    },
  };
}

