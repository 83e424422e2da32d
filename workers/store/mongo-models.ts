/**
 * Document shapes, schemas and models of the MongoDB adapter, bound to one connection (no global
 * mongoose handle). Two collections, one atomic unit each:
 *
 *   actors  { _id: "kind/id", version, state, timers[], nextDueAt, recentEventIds[], pending[], log[] }
 *   slots   { _id: slotId, capacity, taken, holds[] }
 *
 * Timers and holds are arrays of `{key|holdId, …}` rather than objects keyed by them because
 * their keys are data: XState delay ids contain dots, which are not safe as field names.
 * `versionKey` is off: the compare-and-set uses our own `version`, never mongoose's `__v`;
 * `minimize` is off so empty objects inside snapshots (`children: {}`) survive.
 */
import { Schema, mongo, type Connection, type Model } from 'mongoose';
import type { EffectRow, TimerRecord } from './actor-store.js';

/** One durable timer of an actor, stored as an array element. */
export interface TimerDoc {
  key: string;
  event: TimerRecord['event'];
  dueAt: number;
  gen: number;
}

/** One event-log entry; kind and id are the parent document's. */
export interface LogDoc {
  version: number;
  eventId: string | null;
  eventType: string;
  who: string;
  at: number;
  from: string | null;
  to: string;
}

/** An actor with everything one commit writes. */
export interface ActorDoc {
  _id: string;
  kind: string;
  /** Named `actorId` because `id` is mongoose's virtual for `_id`. */
  actorId: string;
  machineVersion: number;
  version: number;
  state: unknown;
  timers: TimerDoc[];
  /** Earliest timer dueAt, or null without timers; indexed for the timer sweep. */
  nextDueAt: number | null;
  /** The last RECENT_EVENT_IDS event ids, the dedupe window. */
  recentEventIds: string[];
  /** Outbox rows not yet acked. */
  pending: EffectRow[];
  log: LogDoc[];
  /** Change log entries committed but not yet numbered (the sequencer moves them to `changes`). */
  unsequenced: UnsequencedChange[];
  updatedAt: number;
}

/** A committed change waiting in its actor document for its place in the change log. */
export interface UnsequencedChange {
  version: number;
  state: string;
  status: string;
  tags: string[];
  deadline: number | null;
  eventType: string;
  at: number;
}

/** A hold inside its slot; a released hold is removed from the array. */
export interface HoldDoc {
  holdId: string;
  qty: number;
  status: 'held' | 'confirmed';
  takenAt: number;
  updatedAt: number;
  /** The visitor whose unpaid places are capped (holds taken with `takeFor`). */
  holder?: string;
}

/** A slot with its holds: a take is one conditional update of this document. */
export interface SlotDoc {
  _id: string;
  capacity: number;
  taken: number;
  holds: HoldDoc[];
}

export interface StoreModels {
  actors: Model<ActorDoc>;
  slots: Model<SlotDoc>;
  counters: Model<CounterDoc>;
}

/** How many recent event ids each actor remembers for deduplication. */
export const RECENT_EVENT_IDS = 500;

const part = { _id: false, minimize: false, versionKey: false } as const;
const { Mixed } = Schema.Types;

const timerSchema = new Schema<TimerDoc>(
  { key: String, event: { type: Mixed }, dueAt: Number, gen: Number },
  part,
);

const logSchema = new Schema<LogDoc>(
  {
    version: Number,
    eventId: { type: String, default: null },
    eventType: String,
    who: String,
    at: Number,
    from: { type: String, default: null },
    to: String,
  },
  part,
);

const effectSchema = new Schema<EffectRow>(
  {
    effectId: String,
    kind: String,
    actorId: String,
    version: Number,
    index: Number,
    type: String,
    payload: { type: Mixed },
    createdAt: Number,
  },
  part,
);

const unsequencedSchema = new Schema<UnsequencedChange>(
  { version: Number, state: String, status: String, tags: [String], deadline: { type: Number, default: null }, eventType: String, at: Number },
  part,
);

const actorSchema = new Schema<ActorDoc>(
  {
    _id: String,
    kind: String,
    actorId: String,
    machineVersion: Number,
    version: Number,
    state: { type: Mixed },
    timers: { type: [timerSchema], default: [] },
    nextDueAt: { type: Number, default: null },
    recentEventIds: { type: [String], default: [] },
    pending: { type: [effectSchema], default: [] },
    log: { type: [logSchema], default: [] },
    unsequenced: { type: [unsequencedSchema], default: [] },
    updatedAt: Number,
  },
  { minimize: false, versionKey: false, id: false, collection: 'actors' },
);
actorSchema.index({ nextDueAt: 1 });
actorSchema.index({ 'pending.createdAt': 1 });
// Sparse by nature: only actors with changes still to number have a first element.
actorSchema.index({ 'unsequenced.0.at': 1 }, { partialFilterExpression: { 'unsequenced.0': { $exists: true } } });

const holdSchema = new Schema<HoldDoc>(
  {
    holdId: String,
    qty: Number,
    status: { type: String, enum: ['held', 'confirmed'] },
    takenAt: Number,
    updatedAt: Number,
    holder: String,
  },
  part,
);

const slotSchema = new Schema<SlotDoc>(
  { _id: String, capacity: Number, taken: Number, holds: { type: [holdSchema], default: [] } },
  { minimize: false, versionKey: false, id: false, collection: 'slots' },
);
// A hold id lives in at most one slot; the partial filter leaves slots without holds out of
// the unique index (they would all share the "missing" key otherwise).
slotSchema.index(
  { 'holds.holdId': 1 },
  { unique: true, partialFilterExpression: { 'holds.holdId': { $exists: true } } },
);
slotSchema.index({ 'holds.status': 1, 'holds.takenAt': 1 });
slotSchema.index({ 'holds.holder': 1 }, { sparse: true });

/** A count moved by commits (occupancy). */
export interface CounterDoc {
  _id: string;
  value: number;
}

const counterSchema = new Schema<CounterDoc>({ _id: String, value: Number }, { versionKey: false, id: false, collection: 'counters' });

/** Registers the models on `connection` and waits until their indexes exist. */
export async function defineStoreModels(connection: Connection): Promise<StoreModels> {
  const actors = connection.model<ActorDoc>('Actor', actorSchema);
  const slots = connection.model<SlotDoc>('Slot', slotSchema);
  const counters = connection.model<CounterDoc>('Counter', counterSchema);
  await Promise.all([actors.init(), slots.init(), counters.init()]);
  return { actors, slots, counters };
}

/** True for MongoDB's E11000 duplicate key error. */
export function isDuplicateKey(err: unknown): boolean {
  return err instanceof mongo.MongoServerError && err.code === 11000;
}

/** The `_id` of an actor document (actor kinds never contain '/'). */
export function actorKey(kind: string, id: string): string {
  return `${kind}/${id}`;
}
