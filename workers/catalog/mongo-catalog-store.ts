/**
 * The catalog store on MongoDB through mongoose:
 *
 *   catalog_items  { _id: "<kind>/<id>", kind, itemId, activityId, data, updatedAt }
 *   catalog_slots  { _id: slotId, activityId, scheduleId, date, startTime, startsAt, endsAt, capacity }
 *   catalog_revisions { _id: realm, revision }   $inc after each write of the realm
 *
 * A revision is taken after its write is stored, so what is read after a revision includes that
 * write. Two writes of one realm on two nodes in the same instant may take their revisions in the
 * other order than they were stored (SQLite takes both in one transaction); a screen that follows
 * the menu then misses at most that step until its next reload.
 *
 * Slots are inserted with an unordered insertMany that ignores duplicate-key errors, so the
 * first writer of a slot wins on every node, mirroring SQLite's ON CONFLICT DO NOTHING.
 */
import { createConnection, mongo, Schema } from 'mongoose';
import { isDuplicateKey } from '../store/mongo-models.js';
import { activityOf, idOf, realmOf, type CatalogEntities, type CatalogKind, type Slot } from './catalog-schemas.js';
import type { CatalogStore } from './catalog-store.js';

interface ItemDoc {
  _id: string;
  kind: string;
  itemId: string;
  activityId: string | null;
  data: unknown;
  updatedAt: number;
}

type SlotDoc = Omit<Slot, 'slotId'> & { _id: string };

interface RevisionDoc {
  _id: string;
  revision: number;
}

const revisionSchema = new Schema<RevisionDoc>({ _id: String, revision: Number }, { versionKey: false, id: false, collection: 'catalog_revisions' });

const itemSchema = new Schema<ItemDoc>(
  { _id: String, kind: String, itemId: String, activityId: { type: String, default: null }, data: { type: Schema.Types.Mixed }, updatedAt: Number },
  { minimize: false, versionKey: false, id: false, collection: 'catalog_items' },
);
itemSchema.index({ kind: 1, activityId: 1, itemId: 1 });
itemSchema.index({ kind: 1, itemId: 1 });

const slotSchema = new Schema<SlotDoc>(
  { _id: String, activityId: String, scheduleId: String, date: String, startTime: String, startsAt: Number, endsAt: Number, capacity: Number },
  { versionKey: false, id: false, collection: 'catalog_slots' },
);
slotSchema.index({ activityId: 1, date: 1, startsAt: 1 });
slotSchema.index({ startsAt: 1 });

/** Where the catalog lives. */
export interface MongoCatalogStoreOptions {
  url: string;
  /** Database name; defaults to the one in the URL. */
  dbName?: string;
}

/** Connects, ensures the indexes and returns the catalog store over that database. */
export async function connectMongoCatalogStore(options: MongoCatalogStoreOptions): Promise<CatalogStore> {
  const connection = createConnection(options.url, options.dbName === undefined ? {} : { dbName: options.dbName });
  await connection.asPromise();
  const items = connection.model<ItemDoc>('CatalogItem', itemSchema);
  const slots = connection.model<SlotDoc>('CatalogSlot', slotSchema);
  const revisions = connection.model<RevisionDoc>('CatalogRevision', revisionSchema);
  await Promise.all([items.init(), slots.init(), revisions.init()]).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  const key = (kind: CatalogKind, id: string) => `${kind}/${id}`;
  const decode = <K extends CatalogKind>(doc: { data: unknown }): CatalogEntities[K] => doc.data as CatalogEntities[K];
  const nextRevision = async (kind: CatalogKind): Promise<number> => {
    const doc = await revisions.findOneAndUpdate({ _id: realmOf(kind) }, { $inc: { revision: 1 } }, { upsert: true, new: true }).lean<RevisionDoc>();
    if (!doc) throw new Error(`no revision for ${realmOf(kind)}`);
    return doc.revision;
  };

  return {
    name: 'mongo',
    items: {
      async insert(kind, item, at) {
        const id = idOf(kind, item);
        try {
          await items.create({ _id: key(kind, id), kind, itemId: id, activityId: activityOf(kind, item), data: item, updatedAt: at });
        } catch (err) {
          if (isDuplicateKey(err)) return null;
          throw err;
        }
        return nextRevision(kind);
      },
      async replace(kind, item, at) {
        const result = await items.updateOne({ _id: key(kind, idOf(kind, item)) }, { $set: { activityId: activityOf(kind, item), data: item, updatedAt: at } });
        return result.matchedCount === 1 ? nextRevision(kind) : null;
      },
      async revision(realm) {
        const doc = await revisions.findById(realm).lean<RevisionDoc>();
        return doc?.revision ?? 0;
      },
      async get(kind, id) {
        const doc = await items.findById(key(kind, id), { data: 1 }).lean<{ data: unknown }>();
        return doc ? decode<typeof kind>(doc) : null;
      },
      async list(kind, activityId) {
        const filter = activityId === undefined ? { kind } : { kind, activityId };
        const docs = await items.find(filter, { data: 1 }).sort({ itemId: 1 }).lean<Array<{ data: unknown }>>();
        return docs.map((doc) => decode<typeof kind>(doc));
      },
    },
    slots: {
      async insertMissing(list) {
        if (list.length === 0) return [];
        try {
          const inserted = await slots.insertMany(list.map(({ slotId, ...rest }) => ({ _id: slotId, ...rest })), { ordered: false, lean: true });
          return inserted.map((doc) => String(doc._id));
        } catch (err) {
          if (!(err instanceof mongo.MongoBulkWriteError)) throw err;
          const errors = [err.writeErrors].flat();
          if (errors.some((e) => e.code !== 11000)) throw err;
          // Duplicates are slots another node (or an earlier run) created first.
          const existed = new Set(errors.map((e) => e.index));
          return list.filter((_, i) => !existed.has(i)).map((s) => s.slotId);
        }
      },
      async get(slotId) {
        return toSlot(await slots.findById(slotId).lean<SlotDoc>());
      },
      async list(activityId, date) {
        const docs = await slots.find({ activityId, date }).sort({ startsAt: 1, _id: 1 }).lean<SlotDoc[]>();
        return docs.map((doc) => toSlot(doc) as Slot);
      },
      async startingBetween(from, to) {
        const docs = await slots.find({ startsAt: { $gte: from, $lt: to } }).sort({ startsAt: 1, _id: 1 }).lean<SlotDoc[]>();
        return docs.map((doc) => toSlot(doc) as Slot);
      },
    },
    async close() {
      await connection.close();
    },
  };
}

function toSlot(doc: SlotDoc | null): Slot | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { slotId: _id, ...rest };
}
