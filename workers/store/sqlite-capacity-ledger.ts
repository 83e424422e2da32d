/**
 * The capacity ledger on SQLite. Every write runs inside an IMMEDIATE transaction (its own, or
 * the store's group commit of this turn), so it takes the file's write lock before reading: a take in another process waits (busy_timeout) instead of
 * deciding on a stale level. The slots table's CHECK (taken <= capacity) backs this up.
 *
 *   take(slot, hold, qty)
 *     BEGIN IMMEDIATE
 *       hold exists, not released? ──▶ ok (same hold, nothing taken twice)
 *       slot missing?              ──▶ slot.not_found
 *       taken + qty > capacity?    ──▶ slot.sold_out
 *       slots.taken += qty; upsert hold 'held'
 *     COMMIT ──▶ ok
 *
 *   takeFor(slot, hold, qty, {holder, maxPerSlot, maxTotal})   the same, and before taking:
 *       Σ qty of the holder's 'held' holds in this slot + qty > maxPerSlot? ──▶ booking.hold_limit (slot)
 *       Σ qty of the holder's 'held' holds anywhere + qty > maxTotal?       ──▶ booking.hold_limit (total)
 *     (one transaction: concurrent takes of one holder cannot both slip under the cap)
 *
 *   move(hold, to, qty, absorb?)   a booking changed to another slot or party size
 *     BEGIN IMMEDIATE
 *       no live hold?                              ──▶ hold.missing
 *       absorb: that hold released, its places given back (rolled back with the rest on a refusal)
 *       target missing?                            ──▶ slot.not_found
 *       target's room (+ the hold's own places when it is the same slot) < qty? ──▶ slot.sold_out
 *       target.taken += qty; source.taken −= old qty; hold → (to, qty), status and holder kept
 *     COMMIT ──▶ ok
 */
import type Database from 'better-sqlite3';
import type { WriteBatcher } from '../sqlite-write-batch.js';
import type { CapacityLedger, HolderLimitRefusal, HolderLimits, MoveResult, SlotHold, SlotLevel, TakeResult } from './actor-store.js';
import { assertCapacity, assertQuantity } from './ledger-checks.js';

interface SlotRow {
  capacity: number;
  taken: number;
}

interface HoldRow {
  slot_id: string;
  qty: number;
  status: 'held' | 'confirmed' | 'released';
}

interface HoldRowOut {
  holdId: string;
  qty: number;
  status: 'held' | 'confirmed';
  holder: string | null;
}

interface HoldOfHolderRow extends HoldRowOut {
  slotId: string;
}

/** Thrown inside a move to roll back the absorbed hold's release when the move does not fit. */
class MoveRefused extends Error {
  constructor(readonly remaining: number) {
    super('the move does not fit');
  }
}

/** A hold as the port answers it: `holder` only when the hold has one. */
function withHolder<T extends Omit<SlotHold, 'holder'>>(hold: T, holder: string | null): T & { holder?: string } {
  return holder === null ? hold : { ...hold, holder };
}

/**
 * Builds the ledger over an open database whose schema is in place. With `writes` (the store's
 * group commit), writes of one event-loop turn share one immediate transaction with the actor
 * commits of that turn, each in its own savepoint; without it each is its own transaction.
 */
export function createSqliteCapacityLedger(db: Database.Database, writes?: WriteBatcher): CapacityLedger {
  const write = <A extends unknown[], T>(tx: Database.Transaction<(...args: A) => T>, ...args: A): Promise<T> =>
    writes === undefined ? Promise.resolve(tx.immediate(...args)) : writes.run(() => tx(...args));
  const selectSlot = db.prepare<[string], SlotRow>('SELECT capacity, taken FROM slots WHERE slot_id = ?');
  const selectHold = db.prepare<[string], HoldRow>('SELECT slot_id, qty, status FROM holds WHERE hold_id = ?');
  const upsertSlot = db.prepare<[string, number]>(
    'INSERT INTO slots (slot_id, capacity) VALUES (?, ?) ON CONFLICT (slot_id) DO UPDATE SET capacity = excluded.capacity',
  );
  const addTaken = db.prepare<[number, string]>('UPDATE slots SET taken = taken + ? WHERE slot_id = ?');
  const upsertHold = db.prepare<[string, string, number, string, number, number, string | null]>(
    `INSERT INTO holds (hold_id, slot_id, qty, status, taken_at, updated_at, holder) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (hold_id) DO UPDATE SET slot_id = excluded.slot_id, qty = excluded.qty, status = excluded.status,
       taken_at = excluded.taken_at, updated_at = excluded.updated_at, holder = excluded.holder`,
  );
  const heldInSlot = db
    .prepare<[string, string], number>(`SELECT coalesce(sum(qty), 0) FROM holds WHERE holder = ? AND slot_id = ? AND status = 'held'`)
    .pluck();
  const heldInAll = db.prepare<[string], number>(`SELECT coalesce(sum(qty), 0) FROM holds WHERE holder = ? AND status = 'held'`).pluck();
  const selectHolderHolds = db.prepare<[string], HoldOfHolderRow>(
    `SELECT hold_id AS holdId, slot_id AS slotId, qty, status, holder FROM holds
     WHERE holder = ? AND status <> 'released' ORDER BY taken_at, hold_id`,
  );
  const releaseHold = db.prepare<[number, string], { slot_id: string; qty: number }>(
    `UPDATE holds SET status = 'released', updated_at = ? WHERE hold_id = ? AND status <> 'released'
     RETURNING slot_id, qty`,
  );
  const confirmHold = db.prepare<[number, string]>(
    `UPDATE holds SET status = 'confirmed', updated_at = ? WHERE hold_id = ? AND status = 'held'`,
  );
  const selectOrphans = db
    .prepare<[number, string, number], string>(
      `SELECT h.hold_id FROM holds h
       WHERE h.status = 'held' AND h.taken_at < ?
         AND NOT EXISTS (SELECT 1 FROM actors a WHERE a.kind = ? AND a.id = h.hold_id)
       ORDER BY h.taken_at LIMIT ?`,
    )
    .pluck();
  const selectSlotHolds = db.prepare<[string], HoldRowOut>(
    `SELECT hold_id AS holdId, qty, status, holder FROM holds WHERE slot_id = ? AND status <> 'released' ORDER BY taken_at, hold_id`,
  );

  const remainingOf = (slotId: string): number => {
    const slot = selectSlot.get(slotId);
    return slot ? slot.capacity - slot.taken : 0;
  };

  const defineTx = db.transaction((slotId: string, capacity: number): void => {
    const slot = selectSlot.get(slotId);
    if (slot && capacity < slot.taken) {
      throw new Error(`slot ${slotId}: capacity ${capacity} is below the ${slot.taken} already taken; release holds first`);
    }
    upsertSlot.run(slotId, capacity);
  });

  const takeTx = db.transaction(
    (slotId: string, holdId: string, qty: number, at: number, status: 'held' | 'confirmed', limits?: HolderLimits): TakeResult | HolderLimitRefusal => {
      const hold = selectHold.get(holdId);
      if (hold && hold.status !== 'released') return { ok: true, remaining: remainingOf(hold.slot_id) };
      const slot = selectSlot.get(slotId);
      if (!slot) return { ok: false, code: 'slot.not_found', remaining: 0 };
      const remaining = slot.capacity - slot.taken;
      if (limits) {
        const inSlot = heldInSlot.get(limits.holder, slotId) ?? 0;
        if (inSlot + qty > limits.maxPerSlot) return { ok: false, code: 'booking.hold_limit', scope: 'slot', held: inSlot, max: limits.maxPerSlot, remaining };
        const inAll = heldInAll.get(limits.holder) ?? 0;
        if (inAll + qty > limits.maxTotal) return { ok: false, code: 'booking.hold_limit', scope: 'total', held: inAll, max: limits.maxTotal, remaining };
      }
      if (qty > remaining) return { ok: false, code: 'slot.sold_out', remaining };
      addTaken.run(qty, slotId);
      upsertHold.run(holdId, slotId, qty, status, at, at, limits?.holder ?? null);
      return { ok: true, remaining: remaining - qty };
    },
  );

  const releaseTx = db.transaction((holdId: string, at: number): boolean => {
    const released = releaseHold.get(at, holdId);
    if (!released) return false;
    addTaken.run(-released.qty, released.slot_id);
    return true;
  });
  const confirmTx = db.transaction((holdId: string, at: number): void => void confirmHold.run(at, holdId));
  const moveHold = db.prepare<[string, number, number, string]>('UPDATE holds SET slot_id = ?, qty = ?, updated_at = ? WHERE hold_id = ?');
  const moveTx = db.transaction((holdId: string, toSlotId: string, qty: number, at: number, absorb?: string): MoveResult => {
    const hold = selectHold.get(holdId);
    if (!hold || hold.status === 'released') return { ok: false, code: 'hold.missing', remaining: 0 };
    const target = selectSlot.get(toSlotId);
    if (!target) return { ok: false, code: 'slot.not_found', remaining: 0 };
    // A refusal after this must undo the release: throwing rolls the transaction back.
    const absorbed = absorb === undefined || absorb === holdId ? undefined : releaseHold.get(at, absorb);
    if (absorbed) addTaken.run(-absorbed.qty, absorbed.slot_id);
    const taken = target.taken - (absorbed?.slot_id === toSlotId ? absorbed.qty : 0);
    const room = target.capacity - taken + (hold.slot_id === toSlotId ? hold.qty : 0);
    if (qty > room) {
      if (absorbed) throw new MoveRefused(target.capacity - taken);
      return { ok: false, code: 'slot.sold_out', remaining: target.capacity - target.taken };
    }
    addTaken.run(-hold.qty, hold.slot_id);
    addTaken.run(qty, toSlotId);
    moveHold.run(toSlotId, qty, at, holdId);
    return { ok: true, fromSlotId: hold.slot_id, remaining: room - qty };
  });

  return {
    async defineSlot(slotId, capacity) {
      assertCapacity(capacity);
      await write(defineTx, slotId, capacity);
    },
    async take(slotId, holdId, qty, at, confirmed = false) {
      assertQuantity(qty);
      // Without limits the transaction never answers booking.hold_limit.
      return (await write(takeTx, slotId, holdId, qty, at, confirmed ? 'confirmed' : 'held')) as TakeResult;
    },
    async takeFor(slotId, holdId, qty, at, limits) {
      assertQuantity(qty);
      return write(takeTx, slotId, holdId, qty, at, 'held', limits);
    },
    async holdsOfHolder(holder) {
      return selectHolderHolds.all(holder).map(({ holder: _holder, ...hold }) => withHolder(hold, holder));
    },
    release(holdId, at) {
      return write(releaseTx, holdId, at);
    },
    async confirm(holdId, at) {
      await write(confirmTx, holdId, at);
    },
    async move(holdId, toSlotId, qty, at, absorb) {
      assertQuantity(qty);
      try {
        return await write(moveTx, holdId, toSlotId, qty, at, absorb);
      } catch (error) {
        if (error instanceof MoveRefused) return { ok: false, code: 'slot.sold_out', remaining: error.remaining };
        throw error;
      }
    },
    async level(slotId): Promise<SlotLevel | null> {
      const slot = selectSlot.get(slotId);
      return slot ? { slotId, capacity: slot.capacity, taken: slot.taken, remaining: slot.capacity - slot.taken } : null;
    },
    async orphanHolds(actorKind, olderThan, limit) {
      return selectOrphans.all(olderThan, actorKind, limit);
    },
    async holdsOf(slotId) {
      return selectSlotHolds.all(slotId).map(({ holder, ...hold }) => withHolder(hold, holder));
    },
  };
}
