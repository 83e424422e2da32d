/**
 * The catalog store on the embedded SQLite file (its own connection to the actor store's WAL
 * file). Entities are small JSON documents in one table keyed by (kind, id) with the activity
 * indexed; slots have their own table, indexed by activity and date and by start time. A write and
 * its realm's next revision are one transaction, so revisions follow the order of the writes.
 */
import { applyComponentSchema } from '../sqlite-component-schema.js';
import { openSqliteDatabase, type SqliteOpenOptions } from '../store/sqlite-schema.js';
import { activityOf, idOf, realmOf, type CatalogEntities, type CatalogKind, type Slot } from './catalog-schemas.js';
import type { CatalogStore } from './catalog-store.js';

/** Bumped on every change of the tables below (2: catalog_revisions). */
export const CATALOG_SCHEMA_VERSION = 2;

const CATALOG_SCHEMA = `
CREATE TABLE IF NOT EXISTS catalog_items (
  kind        TEXT    NOT NULL,
  id          TEXT    NOT NULL,
  activity_id TEXT,
  data        TEXT    NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_items_activity ON catalog_items (kind, activity_id, id);
CREATE TABLE IF NOT EXISTS catalog_slots (
  slot_id     TEXT    PRIMARY KEY,
  activity_id TEXT    NOT NULL,
  schedule_id TEXT    NOT NULL,
  date        TEXT    NOT NULL,
  start_time  TEXT    NOT NULL,
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  capacity    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_slots_activity_date ON catalog_slots (activity_id, date, starts_at);
CREATE INDEX IF NOT EXISTS catalog_slots_starts_at ON catalog_slots (starts_at);
CREATE TABLE IF NOT EXISTS catalog_revisions (
  realm    TEXT    PRIMARY KEY,
  revision INTEGER NOT NULL
) WITHOUT ROWID;
`;

interface SlotRow {
  slot_id: string;
  activity_id: string;
  schedule_id: string;
  date: string;
  start_time: string;
  starts_at: number;
  ends_at: number;
  capacity: number;
}

/** Opens (creating if needed) the catalog tables in the SQLite file at `options.file`. */
export function openSqliteCatalogStore(options: SqliteOpenOptions): CatalogStore {
  const db = openSqliteDatabase(options);
  applyComponentSchema(db, 'catalog', CATALOG_SCHEMA_VERSION, CATALOG_SCHEMA);

  const insertItem = db.prepare<[string, string, string | null, string, number]>(
    'INSERT INTO catalog_items (kind, id, activity_id, data, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO NOTHING',
  );
  const replaceItem = db.prepare<[string | null, string, number, string, string]>(
    'UPDATE catalog_items SET activity_id = ?, data = ?, updated_at = ? WHERE kind = ? AND id = ?',
  );
  const selectItem = db.prepare<[string, string], string>('SELECT data FROM catalog_items WHERE kind = ? AND id = ?').pluck();
  const selectKind = db.prepare<[string], string>('SELECT data FROM catalog_items WHERE kind = ? ORDER BY id').pluck();
  const selectKindOf = db.prepare<[string, string], string>('SELECT data FROM catalog_items WHERE kind = ? AND activity_id = ? ORDER BY id').pluck();
  const nextRevision = db
    .prepare<[string], number>('INSERT INTO catalog_revisions (realm, revision) VALUES (?, 1) ON CONFLICT (realm) DO UPDATE SET revision = revision + 1 RETURNING revision')
    .pluck();
  const selectRevision = db.prepare<[string], number>('SELECT revision FROM catalog_revisions WHERE realm = ?').pluck();
  /** Runs a write and, when it wrote, takes the realm's next revision in the same transaction. */
  const revised = db.transaction((kind: CatalogKind, write: () => number): number | null => (write() === 1 ? (nextRevision.get(realmOf(kind)) ?? null) : null));

  const insertSlot = db.prepare<[string, string, string, string, string, number, number, number]>(
    `INSERT INTO catalog_slots (slot_id, activity_id, schedule_id, date, start_time, starts_at, ends_at, capacity)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slot_id) DO NOTHING`,
  );
  const selectSlot = db.prepare<[string], SlotRow>('SELECT * FROM catalog_slots WHERE slot_id = ?');
  const selectDay = db.prepare<[string, string], SlotRow>('SELECT * FROM catalog_slots WHERE activity_id = ? AND date = ? ORDER BY starts_at, slot_id');
  const selectBetween = db.prepare<[number, number], SlotRow>('SELECT * FROM catalog_slots WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, slot_id');
  const insertSlots = db.transaction((slots: readonly Slot[]): string[] =>
    slots
      .filter((s) => insertSlot.run(s.slotId, s.activityId, s.scheduleId, s.date, s.startTime, s.startsAt, s.endsAt, s.capacity).changes === 1)
      .map((s) => s.slotId),
  );

  const decode = <K extends CatalogKind>(data: string): CatalogEntities[K] => JSON.parse(data) as CatalogEntities[K];

  return {
    name: 'sqlite',
    items: {
      async insert(kind, item, at) {
        return revised.immediate(kind, () => insertItem.run(kind, idOf(kind, item), activityOf(kind, item), JSON.stringify(item), at).changes);
      },
      async replace(kind, item, at) {
        return revised.immediate(kind, () => replaceItem.run(activityOf(kind, item), JSON.stringify(item), at, kind, idOf(kind, item)).changes);
      },
      async revision(realm) {
        return selectRevision.get(realm) ?? 0;
      },
      async get(kind, id) {
        const data = selectItem.get(kind, id);
        return data === undefined ? null : decode<typeof kind>(data);
      },
      async list(kind, activityId) {
        const rows = activityId === undefined ? selectKind.all(kind) : selectKindOf.all(kind, activityId);
        return rows.map((data) => decode<typeof kind>(data));
      },
    },
    slots: {
      async insertMissing(slots) {
        return insertSlots.immediate(slots);
      },
      async get(slotId) {
        const row = selectSlot.get(slotId);
        return row ? toSlot(row) : null;
      },
      async list(activityId, date) {
        return selectDay.all(activityId, date).map(toSlot);
      },
      async startingBetween(from, to) {
        return selectBetween.all(from, to).map(toSlot);
      },
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

function toSlot(row: SlotRow): Slot {
  return {
    slotId: row.slot_id,
    activityId: row.activity_id,
    scheduleId: row.schedule_id,
    date: row.date,
    startTime: row.start_time,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    capacity: row.capacity,
  };
}
