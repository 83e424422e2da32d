/**
 * The change log of the MongoDB adapter. A commit is one actor document, so it cannot also take a
 * global number: it leaves its change in the document's `unsequenced` array, and a sequencer
 * numbers those changes and moves them to the `changes` collection. Readers only read `changes`.
 *
 *   commit ─▶ actors.unsequenced += change          (same atomic update as the snapshot)
 *   sequence() (one node at a time: a lease in change_log_meta)
 *     ├─ actors with unsequenced changes, oldest first (bounded batch)
 *     ├─ counter += n ─▶ seq range, in (at, actor, version) order
 *     ├─ changes.insert {_id: kind/id@version, seq, …}   (upsert by _id: a retried move keeps its first seq)
 *     └─ actors.unsequenced -= the moved versions
 *   since / head ─▶ sequence() first (best effort), then read `changes` by seq
 *
 * Only the lease holder inserts, in increasing seq order, so a reader never sees seq N+1 before
 * seq N appears. A holder that stalls past the lease could interleave with the next one; the
 * lease (30 s) is far longer than one bounded batch.
 */
import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import type { ChangeLog, ChangeRecord } from './actor-store.js';
import type { ActorDoc, UnsequencedChange } from './mongo-models.js';
import { isDuplicateKey } from './mongo-models.js';

interface ChangeDoc {
  _id: string;
  seq: number;
  kind: string;
  actorId: string;
  version: number;
  state: string;
  status: string;
  tags: string[];
  deadline: number | null;
  eventType: string;
  at: number;
  context: unknown;
}

interface MetaDoc {
  _id: string;
  value?: number;
  owner?: string;
  until?: number;
}

const LEASE_MS = 30_000;
const BATCH = 200;

/** The change log over the adapter's connection and actors model. */
export function createMongoChangeLog(connection: Connection, actors: Model<ActorDoc>): ChangeLog {
  const changes = connection.collection<ChangeDoc>('changes');
  const meta = connection.collection<MetaDoc>('change_log_meta');
  const me = randomUUID();
  const indexes = Promise.all([changes.createIndex({ seq: 1 }, { unique: true }), changes.createIndex({ kind: 1, seq: 1 })]);

  async function takeLease(): Promise<boolean> {
    const now = Date.now();
    try {
      await meta.findOneAndUpdate({ _id: 'lease', $or: [{ until: { $lt: now } }, { owner: me }] }, { $set: { owner: me, until: now + LEASE_MS } }, { upsert: true });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false; // another node holds it
      throw error;
    }
  }

  /** Numbers waiting changes; returns how many were moved. */
  async function sequence(): Promise<number> {
    await indexes;
    if (!(await takeLease())) return 0;
    let moved = 0;
    for (;;) {
      const docs = await actors
        .find({ 'unsequenced.0': { $exists: true } }, { kind: 1, actorId: 1, state: 1, unsequenced: 1 })
        .sort({ 'unsequenced.0.at': 1 })
        .limit(BATCH)
        .lean();
      if (docs.length === 0) return moved;
      const waiting = docs
        .flatMap((doc) => doc.unsequenced.map((change: UnsequencedChange) => ({ doc, change })))
        .sort((a, b) => a.change.at - b.change.at || a.doc._id.localeCompare(b.doc._id) || a.change.version - b.change.version);
      const counter = await meta.findOneAndUpdate({ _id: 'counter' }, { $inc: { value: waiting.length } }, { upsert: true, returnDocument: 'after' });
      let seq = (counter?.value ?? waiting.length) - waiting.length;
      for (const { doc, change } of waiting) {
        seq++;
        // The context of the latest version is the document's; earlier ones waiting beside it carry the same
        // (state-based read side: only the newest view of an actor matters).
        const context = (doc.state as { context?: unknown } | null)?.context ?? null;
        await changes.updateOne(
          { _id: `${doc._id}@${change.version}` },
          { $setOnInsert: { seq, kind: doc.kind, actorId: doc.actorId, ...change, context } },
          { upsert: true },
        );
      }
      await actors.bulkWrite(
        docs.map((doc) => ({
          updateOne: { filter: { _id: doc._id }, update: { $pull: { unsequenced: { version: { $in: doc.unsequenced.map((c) => c.version) } } } } },
        })),
        { ordered: false },
      );
      moved += waiting.length;
      if (docs.length < BATCH) return moved;
    }
  }

  const toRecord = (doc: ChangeDoc): ChangeRecord => ({
    seq: doc.seq,
    kind: doc.kind,
    id: doc.actorId,
    version: doc.version,
    state: doc.state,
    status: doc.status,
    tags: doc.tags,
    ...(doc.deadline === null ? {} : { deadline: doc.deadline }),
    eventType: doc.eventType,
    at: doc.at,
    context: doc.context,
  });

  return {
    async since(after, limit, kinds) {
      await sequence();
      const filter = kinds === undefined ? { seq: { $gt: after } } : { seq: { $gt: after }, kind: { $in: [...kinds] } };
      const docs = await changes.find(filter).sort({ seq: 1 }).limit(limit).toArray();
      return docs.map(toRecord);
    },
    async head() {
      await sequence();
      const last = await changes.find({}, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).toArray();
      return last[0]?.seq ?? 0;
    },
    async horizon() {
      return (await meta.findOne({ _id: 'horizon' }))?.value ?? 0;
    },
    async prune(before) {
      await sequence();
      const latest = await changes.aggregate<{ _id: string; seq: number }>([{ $group: { _id: { k: '$kind', i: '$actorId' }, seq: { $max: '$seq' } } }]).toArray();
      const keep = latest.map((l) => l.seq);
      const doomed = await changes.find({ at: { $lt: before }, seq: { $nin: keep } }, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).toArray();
      const result = await changes.deleteMany({ at: { $lt: before }, seq: { $nin: keep } });
      const last = doomed[0]?.seq;
      if (last !== undefined) await meta.updateOne({ _id: 'horizon' }, { $max: { value: last } }, { upsert: true });
      return result.deletedCount;
    },
  };
}
