/**
 * The capacity ledger on MongoDB. A slot and its holds are ONE document, so each operation is
 * one conditional update that the server applies atomically; reads happen only to explain a
 * refusal (sold out? not found? already held?).
 *
 *   take(slot, hold, qty)
 *     findOneAndUpdate({ _id: slot, holds.holdId ≠ hold, $expr: taken + qty <= capacity },
 *                      { $inc: taken + qty, $push: hold })
 *       ├─ updated ─────────────────────────────────▶ ok
 *       └─ no match: read ─ hold exists anywhere? ──▶ ok (taken once)
 *                         ─ slot missing? ──────────▶ slot.not_found
 *                         ─ no room? ───────────────▶ slot.sold_out
 *                         ─ room again (a release raced us) ─▶ retry
 *
 * Holds are kept as an array of `{holdId, …}` elements (a multikey index finds the slot of a
 * hold id; no escaping of hold ids as field names). A release removes the element and gives
 * its quantity back in the same update, so the array only holds live holds.
 *
 *   takeFor(slot, hold, qty, {holder, caps})   one transaction (the production replica set):
 *     touch ledger_holders{_id: holder}  ── concurrent takes of one holder write-conflict, one retries
 *     the holder's 'held' places in this slot and in all slots ≤ caps? ── else booking.hold_limit
 *     the conditional take above, the element carrying `holder`
 *
 *   move(hold, to, qty, absorb?)   one transaction: $pull the absorbed hold first (giving its places
 *     back; a refusal aborts the transaction, undoing it); read the hold's slot; the same slot: set
 *     the element's qty with $inc taken by the difference, conditional on room; another slot: $push
 *     it there conditional on room, $pull it from the source giving its places back
 */
import { Schema } from 'mongoose';
import type { ClientSession, Model } from 'mongoose';
import type { CapacityLedger, HolderLimitRefusal, HolderLimits, MoveResult, SlotHold, SlotLevel, TakeResult } from './actor-store.js';
import { assertCapacity, assertQuantity } from './ledger-checks.js';
import { isDuplicateKey, type ActorDoc, type SlotDoc } from './mongo-models.js';

interface HolderDoc {
  _id: string;
  takes: number;
}

/** Bound on retries when concurrent writers keep changing what a refusal was based on. */
const MAX_ATTEMPTS = 20;

const LEVEL = { capacity: 1, taken: 1 } as const;

/** Builds the ledger over the `slots` model; `actors` is read to find orphan holds. */
export function createMongoCapacityLedger(slots: Model<SlotDoc>, actors: Model<ActorDoc>): CapacityLedger {
  const remainingIn = (slot: { capacity: number; taken: number }): number => slot.capacity - slot.taken;
  // One small document per holder that every capped take writes: the transaction's conflict point.
  const holders = (slots.db.models['LedgerHolder'] as Model<HolderDoc> | undefined) ??
    slots.db.model<HolderDoc>('LedgerHolder', new Schema<HolderDoc>({ _id: String, takes: Number }, { versionKey: false, collection: 'ledger_holders' }));

  /** Unpaid places of a holder, over all slots. */
  const heldByHolder = async (holder: string, session: ClientSession): Promise<number> => {
    const [row] = await slots
      .aggregate<{ held: number }>([
        { $match: { 'holds.holder': holder } },
        { $unwind: '$holds' },
        { $match: { 'holds.holder': holder, 'holds.status': 'held' } },
        { $group: { _id: null, held: { $sum: '$holds.qty' } } },
      ])
      .session(session);
    return row?.held ?? 0;
  };

  const takeForIn = async (session: ClientSession, slotId: string, holdId: string, qty: number, at: number, limits: HolderLimits): Promise<TakeResult | HolderLimitRefusal> => {
    await holders.updateOne({ _id: limits.holder }, { $inc: { takes: 1 } }, { upsert: true, session });
    const holder = await slots.findOne({ 'holds.holdId': holdId }, LEVEL).session(session).lean();
    if (holder) return { ok: true, remaining: remainingIn(holder) };
    const slot = await slots.findById(slotId, { capacity: 1, taken: 1, holds: 1 }).session(session).lean();
    if (!slot) return { ok: false, code: 'slot.not_found', remaining: 0 };
    const remaining = remainingIn(slot);
    const inSlot = slot.holds.filter((h) => h.holder === limits.holder && h.status === 'held').reduce((sum, h) => sum + h.qty, 0);
    if (inSlot + qty > limits.maxPerSlot) return { ok: false, code: 'booking.hold_limit', scope: 'slot', held: inSlot, max: limits.maxPerSlot, remaining };
    const inAll = await heldByHolder(limits.holder, session);
    if (inAll + qty > limits.maxTotal) return { ok: false, code: 'booking.hold_limit', scope: 'total', held: inAll, max: limits.maxTotal, remaining };
    if (qty > remaining) return { ok: false, code: 'slot.sold_out', remaining };
    const taken = await slots
      .findOneAndUpdate(
        { _id: slotId, $expr: { $lte: [{ $add: ['$taken', qty] }, '$capacity'] } },
        { $inc: { taken: qty }, $push: { holds: { holdId, qty, status: 'held', takenAt: at, updatedAt: at, holder: limits.holder } } },
        { returnDocument: 'after', projection: LEVEL, session },
      )
      .lean();
    return taken ? { ok: true, remaining: remainingIn(taken) } : { ok: false, code: 'slot.sold_out', remaining: 0 };
  };

  const moveIn = async (session: ClientSession, holdId: string, toSlotId: string, qty: number, at: number, absorb?: string): Promise<MoveResult> => {
    if (absorb !== undefined && absorb !== holdId) {
      const other = await slots.findOne({ 'holds.holdId': absorb }, { holds: { $elemMatch: { holdId: absorb } } }).session(session).lean();
      const absorbed = other?.holds[0];
      if (other && absorbed) await slots.updateOne({ _id: other._id }, { $pull: { holds: { holdId: absorb } }, $inc: { taken: -absorbed.qty } }, { session });
    }
    const source = await slots.findOne({ 'holds.holdId': holdId }, { capacity: 1, taken: 1, holds: { $elemMatch: { holdId } } }).session(session).lean();
    const hold = source?.holds[0];
    if (!source || !hold) return { ok: false, code: 'hold.missing', remaining: 0 };
    const target = source._id === toSlotId ? source : await slots.findById(toSlotId, LEVEL).session(session).lean();
    if (!target) return { ok: false, code: 'slot.not_found', remaining: 0 };
    const room = remainingIn(target) + (source._id === toSlotId ? hold.qty : 0);
    if (qty > room) {
      // Nothing of a refused move may stay written, the absorbed hold's release included.
      if (absorb !== undefined) await session.abortTransaction();
      return { ok: false, code: 'slot.sold_out', remaining: remainingIn(target) };
    }
    if (source._id === toSlotId) {
      await slots.updateOne(
        { _id: toSlotId, 'holds.holdId': holdId },
        { $inc: { taken: qty - hold.qty }, $set: { 'holds.$.qty': qty, 'holds.$.updatedAt': at } },
        { session },
      );
    } else {
      await slots.updateOne({ _id: source._id }, { $pull: { holds: { holdId } }, $inc: { taken: -hold.qty } }, { session });
      await slots.updateOne({ _id: toSlotId }, { $inc: { taken: qty }, $push: { holds: { ...hold, qty, updatedAt: at } } }, { session });
    }
    return { ok: true, fromSlotId: source._id, remaining: room - qty };
  };

  /** Performs the conditional take; null when the filter did not match. */
  const tryTake = async (slotId: string, holdId: string, qty: number, at: number, status: 'held' | 'confirmed') => {
    try {
      return await slots
        .findOneAndUpdate(
          { _id: slotId, 'holds.holdId': { $ne: holdId }, $expr: { $lte: [{ $add: ['$taken', qty] }, '$capacity'] } },
          { $inc: { taken: qty }, $push: { holds: { holdId, qty, status, takenAt: at, updatedAt: at } } },
          { returnDocument: 'after', projection: LEVEL },
        )
        .lean();
    } catch (err) {
      // The unique index refused: this hold id is held in another slot. The read below says ok.
      if (isDuplicateKey(err)) return null;
      throw err;
    }
  };

  return {
    async defineSlot(slotId, capacity) {
      assertCapacity(capacity);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        try {
          await slots.updateOne(
            { _id: slotId, taken: { $lte: capacity } },
            { $set: { capacity }, $setOnInsert: { taken: 0, holds: [] } },
            { upsert: true },
          );
          return;
        } catch (err) {
          // No match made the upsert insert an existing _id: the slot exists with more taken
          // (refuse), or a concurrent define created it first (try again).
          if (!isDuplicateKey(err)) throw err;
          const slot = await slots.findById(slotId, LEVEL).lean();
          if (slot && capacity < slot.taken) {
            throw new Error(`slot ${slotId}: capacity ${capacity} is below the ${slot.taken} already taken; release holds first`);
          }
        }
      }
      throw new Error(`slot ${slotId}: defineSlot kept racing with other writers`);
    },

    async take(slotId, holdId, qty, at, confirmed = false): Promise<TakeResult> {
      assertQuantity(qty);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const taken = await tryTake(slotId, holdId, qty, at, confirmed ? 'confirmed' : 'held');
        if (taken) return { ok: true, remaining: remainingIn(taken) };
        const holder = await slots.findOne({ 'holds.holdId': holdId }, LEVEL).lean();
        if (holder) return { ok: true, remaining: remainingIn(holder) };
        const slot = await slots.findById(slotId, LEVEL).lean();
        if (!slot) return { ok: false, code: 'slot.not_found', remaining: 0 };
        if (qty > remainingIn(slot)) return { ok: false, code: 'slot.sold_out', remaining: remainingIn(slot) };
      }
      throw new Error(`slot ${slotId}: take of ${holdId} kept racing with other writers`);
    },

    async takeFor(slotId, holdId, qty, at, limits) {
      assertQuantity(qty);
      const session = await slots.db.startSession();
      try {
        // withTransaction retries on write conflicts (another take of the same holder, or of the slot).
        return await session.withTransaction(() => takeForIn(session, slotId, holdId, qty, at, limits));
      } finally {
        await session.endSession();
      }
    },

    async holdsOfHolder(holder) {
      const rows = await slots.aggregate<SlotHold & { slotId: string; takenAt: number }>([
        { $match: { 'holds.holder': holder } },
        { $unwind: '$holds' },
        { $match: { 'holds.holder': holder } },
        { $sort: { 'holds.takenAt': 1, 'holds.holdId': 1 } },
        { $project: { _id: 0, slotId: '$_id', holdId: '$holds.holdId', qty: '$holds.qty', status: '$holds.status', holder: '$holds.holder', takenAt: '$holds.takenAt' } },
      ]);
      return rows.map(({ takenAt: _takenAt, ...hold }) => hold);
    },

    async release(holdId) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const slot = await slots.findOne({ 'holds.holdId': holdId }, { holds: { $elemMatch: { holdId } } }).lean();
        const hold = slot?.holds[0];
        if (!slot || !hold) return false;
        // Conditional on the very hold we read, so two releases cannot both give it back.
        const result = await slots.updateOne(
          { _id: slot._id, holds: { $elemMatch: { holdId, qty: hold.qty, takenAt: hold.takenAt } } },
          { $pull: { holds: { holdId } }, $inc: { taken: -hold.qty } },
        );
        if (result.matchedCount === 1) return true;
      }
      throw new Error(`ledger: release of ${holdId} kept racing with other writers`);
    },

    async move(holdId, toSlotId, qty, at, absorb) {
      assertQuantity(qty);
      const session = await slots.db.startSession();
      try {
        // The reads and the writes commit together; a concurrent take or release of either slot conflicts and retries.
        return await session.withTransaction(() => moveIn(session, holdId, toSlotId, qty, at, absorb));
      } finally {
        await session.endSession();
      }
    },

    async confirm(holdId, at) {
      await slots.updateOne(
        { holds: { $elemMatch: { holdId, status: 'held' } } },
        { $set: { 'holds.$.status': 'confirmed', 'holds.$.updatedAt': at } },
      );
    },

    async level(slotId): Promise<SlotLevel | null> {
      const slot = await slots.findById(slotId, LEVEL).lean();
      return slot ? { slotId, capacity: slot.capacity, taken: slot.taken, remaining: remainingIn(slot) } : null;
    },

    async orphanHolds(actorKind, olderThan, limit) {
      const rows = await slots.aggregate<{ holdId: string }>([
        { $match: { holds: { $elemMatch: { status: 'held', takenAt: { $lt: olderThan } } } } },
        { $unwind: '$holds' },
        { $match: { 'holds.status': 'held', 'holds.takenAt': { $lt: olderThan } } },
        { $sort: { 'holds.takenAt': 1, 'holds.holdId': 1 } },
        { $addFields: { actorKey: { $concat: [{ $literal: `${actorKind}/` }, '$holds.holdId'] } } },
        {
          $lookup: {
            from: actors.collection.collectionName,
            localField: 'actorKey',
            foreignField: '_id',
            pipeline: [{ $project: { _id: 1 } }],
            as: 'actor',
          },
        },
        { $match: { actor: { $size: 0 } } },
        { $limit: limit },
        { $project: { _id: 0, holdId: '$holds.holdId' } },
      ]);
      return rows.map((row) => row.holdId);
    },

    async holdsOf(slotId): Promise<SlotHold[]> {
      // A release pulls its element, so every hold still in the array is live.
      const slot = await slots.findById(slotId, { holds: 1 }).lean();
      const holds = [...(slot?.holds ?? [])].sort((a, b) => a.takenAt - b.takenAt || (a.holdId < b.holdId ? -1 : a.holdId > b.holdId ? 1 : 0));
      return holds.map(({ holdId, qty, status, holder }) => ({ holdId, qty, status, ...(holder ? { holder } : {}) }));
    },
  };
}
