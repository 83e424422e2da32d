/**
 * The production actor store: MongoDB through mongoose. The atomic unit is ONE actor document,
 * so a commit needs no multi-document transaction (and no replica set for correctness):
 *
 *   commit(req)
 *     expectedVersion 0 ── insertOne { _id: "kind/id", version: 1, … }
 *                            └─ E11000 ─┐
 *     otherwise ────────── updateOne(
 *                            { _id, version: expected, recentEventIds: { $ne: eventId } },
 *                            { $set: version + 1, state, timers, nextDueAt
 *                              $push: log, pending effects, eventId ($slice: last 500) })
 *                            └─ 0 matched ─┤
 *                                          ▼
 *                    read: eventId in recentEventIds? ── yes ──▶ duplicate
 *                                                    └─ no ───▶ conflict
 *
 * The event log is an uncapped `log` array in the actor document: it is written in the same
 * atomic update (never lost, never ahead of the state) at the cost of document growth: small
 * for short-lived actors (bookings, tickets: tens of events); long-lived ones (lockers,
 * wristbands) may later want their log moved to its own collection. The dedupe window is the
 * actor's last 500 event ids (SQLite keeps them all). Effects wait in `pending` until acked.
 *
 * Counters (occupancy) live in their own documents and are moved by `$inc` right after the commit
 * that moved them: unlike SQLite this is a second write, so a crash between the two loses that
 * delta (a recount from the tickets' states restores it).
 * The change log entry waits in `unsequenced` until the change log's sequencer numbers it
 * (mongo-change-log.ts); a commit answers `seq: 0` (not numbered yet).
 * A request's `omitEffects` is not honoured: the other actor's version is in another document, out
 * of reach of the one-document update, so every effect is written (their handlers re-check).
 */
import { createConnection } from 'mongoose';
import type {
  ActorRecord,
  ActorStore,
  CommitRequest,
  CommitResult,
  DueTimer,
  EffectRow,
  EventLogEntry,
  TimerRecord,
} from './actor-store.js';
import { defineMongoAccess } from './mongo-access.js';
import { createMongoCapacityLedger } from './mongo-capacity-ledger.js';
import { createMongoChangeLog } from './mongo-change-log.js';
import {
  RECENT_EVENT_IDS,
  actorKey,
  defineStoreModels,
  isDuplicateKey,
  type ActorDoc,
  type LogDoc,
  type TimerDoc,
  type UnsequencedChange,
} from './mongo-models.js';

export interface MongoActorStoreOptions {
  url: string;
  /** Database name; defaults to the one in the URL. */
  dbName?: string;
}

/** Connects to MongoDB, ensures the indexes and returns the actor store over that database. */
export async function connectMongoActorStore(options: MongoActorStoreOptions): Promise<ActorStore> {
  const connection = createConnection(options.url, options.dbName === undefined ? {} : { dbName: options.dbName });
  await connection.asPromise();
  const { actors, slots, counters } = await defineStoreModels(connection).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });

  /** Tells a refused commit apart: the event was already applied, or the version moved. */
  const refusal = async (key: string, eventId: string | null): Promise<CommitResult> => {
    if (eventId === null) return { status: 'conflict' };
    const seen = await actors.exists({ _id: key, recentEventIds: eventId });
    return seen ? { status: 'duplicate' } : { status: 'conflict' };
  };

  const access = await defineMongoAccess(connection);

  const addCounters = async (req: CommitRequest): Promise<void> => {
    const moves = Object.entries(req.counters ?? {}).filter(([, delta]) => delta !== 0);
    if (moves.length === 0) return;
    await counters.bulkWrite(moves.map(([name, delta]) => ({ updateOne: { filter: { _id: name }, update: { $inc: { value: delta } }, upsert: true } })));
  };

  return {
    name: 'mongo',
    ledger: createMongoCapacityLedger(slots, actors),
    audit: access.audit,
    revocations: access.revocations,
    changes: createMongoChangeLog(connection, actors),

    async load(kind, id): Promise<ActorRecord | null> {
      const doc = await actors.findById(actorKey(kind, id), { log: 0, pending: 0, recentEventIds: 0, unsequenced: 0 }).lean();
      if (!doc) return null;
      return {
        kind,
        id,
        machineVersion: doc.machineVersion,
        version: doc.version,
        state: doc.state,
        timers: Object.fromEntries(
          doc.timers.map((t): [string, TimerRecord] => [t.key, { event: t.event, dueAt: t.dueAt, gen: t.gen }]),
        ),
        updatedAt: doc.updatedAt,
      };
    },

    async version(kind, id) {
      const doc = await actors.findById(actorKey(kind, id), { version: 1 }).lean();
      return doc ? doc.version : null;
    },

    async applied(kind, id, eventId) {
      // Matched inside the one document on the server; the log itself never travels.
      const key = actorKey(kind, id);
      return (await actors.exists({ _id: key, $or: [{ recentEventIds: eventId }, { 'log.eventId': eventId }] })) !== null;
    },

    async commit(req) {
      const key = actorKey(req.kind, req.id);
      const version = req.expectedVersion + 1;
      const timers = toTimerDocs(req.timers);
      const nextDueAt = timers.length === 0 ? null : Math.min(...timers.map((t) => t.dueAt));
      const log = toLogDoc(req, version);
      const change = toUnsequenced(req, version);

      if (req.expectedVersion === 0) {
        const doc: ActorDoc = {
          _id: key,
          kind: req.kind,
          actorId: req.id,
          machineVersion: req.machineVersion,
          version,
          state: req.state,
          timers,
          nextDueAt,
          recentEventIds: req.eventId === null ? [] : [req.eventId],
          pending: req.effects,
          log: [log],
          unsequenced: [change],
          updatedAt: req.at,
        };
        try {
          await actors.insertOne(doc);
          await addCounters(req);
          return { status: 'committed', version, seq: 0 };
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          return refusal(key, req.eventId);
        }
      }

      const filter =
        req.eventId === null
          ? { _id: key, version: req.expectedVersion }
          : { _id: key, version: req.expectedVersion, recentEventIds: { $ne: req.eventId } };
      const result = await actors.updateOne(filter, {
        $set: { machineVersion: req.machineVersion, version, state: req.state, timers, nextDueAt, updatedAt: req.at },
        $push: {
          log,
          unsequenced: change,
          pending: { $each: req.effects },
          ...(req.eventId === null ? {} : { recentEventIds: { $each: [req.eventId], $slice: -RECENT_EVENT_IDS } }),
        },
      });
      if (result.matchedCount !== 1) return refusal(key, req.eventId);
      await addCounters(req);
      return { status: 'committed', version, seq: 0 };
    },

    async counter(name) {
      return (await counters.findById(name).lean())?.value ?? 0;
    },

    async eventLog(kind, id): Promise<EventLogEntry[]> {
      const doc = await actors.findById(actorKey(kind, id), { log: 1 }).lean();
      return (doc?.log ?? []).map((entry) => ({ kind, id, ...entry }));
    },

    async pendingEffects(limit, types): Promise<EffectRow[]> {
      // The first $match runs on the multikey index (createdAt is epoch ms, so the range skips
      // actors whose outbox is empty); the outbox is drained continuously and stays small.
      const match =
        types === undefined
          ? { 'pending.createdAt': { $gte: 0 } }
          : { pending: { $elemMatch: { createdAt: { $gte: 0 }, type: { $in: types } } } };
      return actors.aggregate<EffectRow>([
        { $match: match },
        { $unwind: '$pending' },
        ...(types === undefined ? [] : [{ $match: { 'pending.type': { $in: types } } }]),
        { $replaceRoot: { newRoot: '$pending' } },
        { $sort: { createdAt: 1, kind: 1, actorId: 1, version: 1, index: 1 } },
        { $limit: limit },
      ]);
    },

    async ackEffects(rows) {
      const byActor = new Map<string, string[]>();
      for (const row of rows) {
        const key = actorKey(row.kind, row.actorId);
        byActor.set(key, [...(byActor.get(key) ?? []), row.effectId]);
      }
      if (byActor.size === 0) return;
      await actors.bulkWrite(
        [...byActor].map(([key, effectIds]) => ({
          updateOne: { filter: { _id: key }, update: { $pull: { pending: { effectId: { $in: effectIds } } } } },
        })),
        { ordered: false },
      );
    },

    async dueTimers(until, limit): Promise<DueTimer[]> {
      // Same argument as pendingEffects: actors ordered by their earliest timer.
      const docs = await actors
        .find({ nextDueAt: { $lte: until } }, { kind: 1, actorId: 1, timers: 1 })
        .sort({ nextDueAt: 1 })
        .limit(limit)
        .lean();
      return docs
        .flatMap((doc) =>
          doc.timers
            .filter((t) => t.dueAt <= until)
            .map((t) => ({ kind: doc.kind, id: doc.actorId, key: t.key, gen: t.gen, dueAt: t.dueAt })),
        )
        .sort((a, b) => a.dueAt - b.dueAt || compare(a.kind, b.kind) || compare(a.id, b.id) || compare(a.key, b.key))
        .slice(0, limit);
    },

    async close() {
      await connection.close();
    },
  };
}

function toTimerDocs(timers: Record<string, TimerRecord>): TimerDoc[] {
  return Object.entries(timers).map(([key, t]) => ({ key, event: t.event, dueAt: t.dueAt, gen: t.gen }));
}

/** The log entry as stored: filed under the committed version, whatever the caller computed. */
function toLogDoc(req: CommitRequest, version: number): LogDoc {
  const { eventId, eventType, who, at, from, to } = req.log;
  return { version, eventId, eventType, who, at, from, to };
}

/** The change log entry a commit leaves in its actor document for the sequencer. */
function toUnsequenced(req: CommitRequest, version: number): UnsequencedChange {
  const view = req.view ?? { state: req.log.to, status: 'active', tags: [] };
  return { version, state: view.state, status: view.status, tags: view.tags, deadline: view.deadline ?? null, eventType: req.log.eventType, at: req.at };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
