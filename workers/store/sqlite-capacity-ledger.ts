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
 */
import type Database from 'better-sqlite3';
import type { WriteBatcher } from '../sqlite-write-batch.js';
import type { CapacityLedger, SlotHold, SlotLevel, TakeResult } from './actor-store.js';
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
  const upsertHold = db.prepare<[string, string, number, string, number, number]>(
    `INSERT INTO holds (hold_id, slot_id, qty, status, taken_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (hold_id) DO UPDATE SET slot_id = excluded.slot_id, qty = excluded.qty, status = excluded.status,
       taken_at = excluded.taken_at, updated_at = excluded.updated_at`,
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
  const selectSlotHolds = db.prepare<[string], SlotHold>(
    `SELECT hold_id AS holdId, qty, status FROM holds WHERE slot_id = ? AND status <> 'released' ORDER BY taken_at, hold_id`,
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

  const takeTx = db.transaction((slotId: string, holdId: string, qty: number, at: number, status: 'held' | 'confirmed'): TakeResult => {
    const hold = selectHold.get(holdId);
    if (hold && hold.status !== 'released') return { ok: true, remaining: remainingOf(hold.slot_id) };
    const slot = selectSlot.get(slotId);
    if (!slot) return { ok: false, code: 'slot.not_found', remaining: 0 };
    const remaining = slot.capacity - slot.taken;
    if (qty > remaining) return { ok: false, code: 'slot.sold_out', remaining };
    addTaken.run(qty, slotId);
    upsertHold.run(holdId, slotId, qty, status, at, at);
    return { ok: true, remaining: remaining - qty };
  });

  const releaseTx = db.transaction((holdId: string, at: number): boolean => {
    const released = releaseHold.get(at, holdId);
    if (!released) return false;
    addTaken.run(-released.qty, released.slot_id);
    return true;
  });
  const confirmTx = db.transaction((holdId: string, at: number): void => void confirmHold.run(at, holdId));

  return {
    async defineSlot(slotId, capacity) {
      assertCapacity(capacity);
      await write(defineTx, slotId, capacity);
    },
    async take(slotId, holdId, qty, at, confirmed = false) {
      assertQuantity(qty);
      return write(takeTx, slotId, holdId, qty, at, confirmed ? 'confirmed' : 'held');
    },
    release(holdId, at) {
      return write(releaseTx, holdId, at);
    },
    async confirm(holdId, at) {
      await write(confirmTx, holdId, at);
    },
    async level(slotId): Promise<SlotLevel | null> {
      const slot = selectSlot.get(slotId);
      return slot ? { slotId, capacity: slot.capacity, taken: slot.taken, remaining: slot.capacity - slot.taken } : null;
    },
    async orphanHolds(actorKind, olderThan, limit) {
      return selectOrphans.all(olderThan, actorKind, limit);
    },
    async holdsOf(slotId) {
      return selectSlotHolds.all(slotId);
    },
  };
}
