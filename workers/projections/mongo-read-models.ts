/**
 * Read models on MongoDB: one collection per projection generation, beside the actors.
 *
 *   read_model_generations { _id: collection, name, version, cursor, state: live | building }
 *   rm_<name>_<n> { _id: key, version, sort, text, data (null = tombstone), f: {field: value} }
 *
 * A row write is one conditional upsert (`version` lower than the new one, or no row yet); the
 * cursor moves with `$max` after the batch, so a crash between the two re-applies the batch, which
 * is harmless (rows never go back to an older version).
 */
import { createConnection } from 'mongoose';
import type { FieldValue, Generation, ListPage, ReadModelSpec, ReadModelStore } from './read-model.js';
import { pageCursor, readPageCursor, searchWords } from './read-model.js';
import { isDuplicateKey } from '../store/mongo-models.js';

interface GenerationDoc {
  _id: string;
  name: string;
  version: number;
  cursor: number;
  state: 'live' | 'building';
}

interface RowDoc {
  _id: string;
  version: number;
  sort: number;
  text: string;
  data: unknown;
  f: Record<string, FieldValue>;
}

const toGeneration = (doc: GenerationDoc): Generation => ({ name: doc.name, table: doc._id, version: doc.version, cursor: doc.cursor, state: doc.state });

/** A bulk write whose only failures are duplicate keys (rows a newer version already holds). */
function isBulkDuplicate(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('writeErrors' in error)) return false;
  const errors: unknown = error.writeErrors;
  return Array.isArray(errors) && errors.every((e: unknown) => typeof e === 'object' && e !== null && 'code' in e && e.code === 11000);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Connects the read models of the database at `url`. */
export async function connectMongoReadModels(options: { url: string; dbName?: string }): Promise<ReadModelStore> {
  const connection = createConnection(options.url, options.dbName === undefined ? {} : { dbName: options.dbName });
  await connection.asPromise();
  const generations = connection.collection<GenerationDoc>('read_model_generations');
  await generations.createIndex({ name: 1, state: 1 });

  async function newGeneration(spec: ReadModelSpec, state: 'live' | 'building'): Promise<Generation> {
    for (let n = (await generations.countDocuments({ name: spec.name })) + 1; ; n++) {
      const doc: GenerationDoc = { _id: `rm_${spec.name}_${n}`, name: spec.name, version: spec.version, cursor: 0, state };
      try {
        await generations.insertOne(doc);
      } catch (error) {
        if (isDuplicateKey(error)) continue;
        throw error;
      }
      const rows = connection.collection<RowDoc>(doc._id);
      await rows.createIndex({ sort: -1, _id: 1 });
      for (const field of spec.fields) await rows.createIndex({ [`f.${field}`]: 1, sort: -1, _id: 1 });
      return toGeneration(doc);
    }
  }

  async function live(spec: ReadModelSpec): Promise<Generation> {
    const doc = await generations.findOne({ name: spec.name, state: 'live' });
    return doc ? toGeneration(doc) : newGeneration(spec, 'live');
  }

  function filterOf(spec: ReadModelSpec, filters: Readonly<Record<string, FieldValue>> | undefined, text: string | undefined): Record<string, unknown> {
    const filter: Record<string, unknown> = { data: { $ne: null } };
    for (const [field, value] of Object.entries(filters ?? {})) {
      if (!spec.fields.includes(field)) throw new Error(`read model ${spec.name} has no field ${field}`);
      filter[`f.${field}`] = value;
    }
    const words = searchWords(text ?? '');
    if (words.length > 0) filter['$and'] = words.map((w) => ({ text: { $regex: escapeRegex(w) } }));
    return filter;
  }

  return {
    live,
    startGeneration: (spec) => newGeneration(spec, 'building'),
    async promote(generation) {
      const old = await generations.findOne({ name: generation.name, state: 'live' });
      await generations.updateOne({ _id: generation.table }, { $set: { state: 'live' } });
      if (old && old._id !== generation.table) {
        await generations.deleteOne({ _id: old._id });
        await connection.collection(old._id).drop().catch(() => undefined);
      }
    },
    async apply(_spec, generation, writes, cursor) {
      const rows = connection.collection<RowDoc>(generation.table);
      if (writes.length > 0) {
        await rows
          .bulkWrite(
            writes.map((write) => {
              const row = write.row;
              const doc = row === null ? { version: write.version, sort: 0, text: '', data: null, f: {} } : { version: row.version, sort: row.sort, text: row.text, data: row.data, f: { ...row.fields } };
              return { updateOne: { filter: { _id: write.key, version: { $lt: write.version } }, update: { $set: doc }, upsert: true } };
            }),
            { ordered: false },
          )
          .catch((error: unknown) => {
            // A newer row already there makes the conditional upsert try an insert of an existing _id: nothing to do.
            if (!isDuplicateKey(error) && !isBulkDuplicate(error)) throw error;
          });
      }
      await generations.updateOne({ _id: generation.table }, { $max: { cursor } });
    },
    async cursorOf(generation) {
      return (await generations.findOne({ _id: generation.table }))?.cursor ?? 0;
    },
    async list(spec, query): Promise<ListPage> {
      const generation = await live(spec);
      const filter = filterOf(spec, query.filters, query.text);
      const after = query.after === undefined ? null : readPageCursor(query.after);
      if (after) filter['$or'] = [{ sort: { $lt: after.sort } }, { sort: after.sort, _id: { $gt: after.key } }];
      const docs = await connection
        .collection<RowDoc>(generation.table)
        .find(filter)
        .sort({ sort: -1, _id: 1 })
        .limit(query.limit + 1)
        .toArray();
      const shown = docs.slice(0, query.limit);
      const last = shown.at(-1);
      return { rows: shown.map((d) => d.data), cursor: generation.cursor, ...(docs.length > query.limit && last ? { next: pageCursor(last.sort, last._id) } : {}) };
    },
    async countBy(spec, field, filters) {
      // Counted on every read with an aggregation over the fields' index; `spec.counts` is kept by the SQLite store only.
      const generation = await live(spec);
      const groups = await connection
        .collection<RowDoc>(generation.table)
        .aggregate<{ _id: FieldValue; n: number }>([{ $match: filterOf(spec, filters, undefined) }, { $group: { _id: `$f.${field}`, n: { $sum: 1 } } }])
        .toArray();
      return Object.fromEntries(groups.map((g) => [String(g._id), g.n]));
    },
    async close() {
      await connection.close();
    },
  };
}
