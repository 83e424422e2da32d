/**
 * The capacity-ledger half of the store contract, registered by `describeActorStoreContract`
 * inside its describe block (so each test gets the fresh store that block opened).
 */
import { describe, expect, it } from 'vitest';
import type { ActorStore, CommitRequest } from './actor-store.js';

/** A commit that creates actor `kind/id`, enough for orphan checks. */
function creation(kind: string, id: string): CommitRequest {
  const log = { kind, id, version: 1, eventId: null, eventType: 'create', who: 'test', at: 1, from: null, to: 'held' };
  return { kind, id, expectedVersion: 0, machineVersion: 1, state: {}, timers: {}, eventId: null, log, effects: [], at: 1 };
}

/** Registers the ledger tests; `current` returns the store opened for the running test. */
export function describeCapacityLedgerContract(current: () => ActorStore): void {
  describe('capacity ledger', () => {
    it('takes while there is room, then answers sold_out or not_found', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 3);
      expect(await ledger.level('slot-1')).toEqual({ slotId: 'slot-1', capacity: 3, taken: 0, remaining: 3 });
      expect(await ledger.take('slot-1', 'h1', 2, 10)).toEqual({ ok: true, remaining: 1 });
      expect(await ledger.take('slot-1', 'h2', 2, 11)).toEqual({ ok: false, code: 'slot.sold_out', remaining: 1 });
      expect(await ledger.take('slot-1', 'h3', 1, 12)).toEqual({ ok: true, remaining: 0 });
      expect(await ledger.take('slot-1', 'h4', 1, 13)).toEqual({ ok: false, code: 'slot.sold_out', remaining: 0 });
      expect(await ledger.take('nowhere', 'h5', 1, 14)).toEqual({ ok: false, code: 'slot.not_found', remaining: 0 });
      expect(await ledger.level('slot-1')).toEqual({ slotId: 'slot-1', capacity: 3, taken: 3, remaining: 0 });
      expect(await ledger.level('nowhere')).toBeNull();
      await expect(ledger.take('slot-1', 'h6', 0, 15)).rejects.toThrow(/quantity/);
    });

    it('takes once per hold id however often it is asked', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 5);
      expect(await ledger.take('slot-1', 'h1', 2, 10)).toEqual({ ok: true, remaining: 3 });
      expect(await ledger.take('slot-1', 'h1', 2, 11)).toEqual({ ok: true, remaining: 3 });
      expect(await ledger.take('slot-1', 'h1', 4, 12)).toEqual({ ok: true, remaining: 3 });
      expect((await ledger.level('slot-1'))?.taken).toBe(2);
    });

    it('moves a hold to another slot or to another size at once, and refuses what does not fit', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-a', 4);
      await ledger.defineSlot('slot-b', 3);
      await ledger.take('slot-a', 'h1', 2, 10);
      await ledger.take('slot-b', 'h2', 2, 11);
      await ledger.confirm('h1', 12);
      // No room for 2 in slot-b (1 left): nothing changes.
      expect(await ledger.move('h1', 'slot-b', 2, 20)).toEqual({ ok: false, code: 'slot.sold_out', remaining: 1 });
      expect(await ledger.move('h1', 'nowhere', 1, 21)).toEqual({ ok: false, code: 'slot.not_found', remaining: 0 });
      expect(await ledger.move('never-taken', 'slot-b', 1, 22)).toEqual({ ok: false, code: 'hold.missing', remaining: 0 });
      expect((await ledger.level('slot-a'))?.taken).toBe(2);
      expect(await ledger.move('h1', 'slot-b', 1, 23)).toEqual({ ok: true, fromSlotId: 'slot-a', remaining: 0 });
      expect((await ledger.level('slot-a'))?.taken).toBe(0);
      expect((await ledger.level('slot-b'))?.taken).toBe(3);
      // Kept its status: a confirmed hold stays confirmed where it went.
      expect(await ledger.holdsOf('slot-b')).toEqual(expect.arrayContaining([expect.objectContaining({ holdId: 'h1', qty: 1, status: 'confirmed' })]));
      expect(await ledger.holdsOf('slot-a')).toEqual([]);
      // The same slot: a new size, counting its own places as room.
      expect(await ledger.move('h2', 'slot-b', 3, 24)).toEqual({ ok: false, code: 'slot.sold_out', remaining: 0 });
      expect(await ledger.move('h2', 'slot-b', 1, 25)).toEqual({ ok: true, fromSlotId: 'slot-b', remaining: 1 });
      expect(await ledger.level('slot-b')).toEqual({ slotId: 'slot-b', capacity: 3, taken: 2, remaining: 1 });
      // Released where it is now, it gives back what it holds now.
      expect(await ledger.release('h1', 30)).toBe(true);
      expect((await ledger.level('slot-b'))?.taken).toBe(1);
      expect(await ledger.move('h1', 'slot-a', 1, 31)).toEqual({ ok: false, code: 'hold.missing', remaining: 0 });
      await expect(ledger.move('h2', 'slot-a', 0, 32)).rejects.toThrow(/quantity/);
    });

    it('moves a hold onto the places another hold reserved, giving that one back in the same step', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-a', 4);
      await ledger.defineSlot('slot-b', 3);
      await ledger.take('slot-a', 'booking', 2, 10, true);
      // A change to slot-b reserved its 3 places; nobody else can have them.
      await ledger.take('slot-b', 'booking~change', 3, 11, true);
      expect(await ledger.take('slot-b', 'other', 1, 12)).toMatchObject({ ok: false, code: 'slot.sold_out' });
      expect(await ledger.move('booking', 'slot-b', 3, 20, 'booking~change')).toEqual({ ok: true, fromSlotId: 'slot-a', remaining: 0 });
      expect(await ledger.level('slot-a')).toMatchObject({ taken: 0 });
      expect(await ledger.level('slot-b')).toMatchObject({ taken: 3 });
      expect(await ledger.holdsOf('slot-b')).toEqual([expect.objectContaining({ holdId: 'booking', qty: 3, status: 'confirmed' })]);
      expect(await ledger.release('booking~change', 21)).toBe(false);
      // The same slot: the extra places reserved for a bigger party become the hold's own.
      await ledger.defineSlot('slot-c', 5);
      await ledger.take('slot-c', 'party', 2, 30, true);
      await ledger.take('slot-c', 'party~more', 2, 31, true);
      await ledger.take('slot-c', 'walk-in', 1, 32);
      expect(await ledger.move('party', 'slot-c', 4, 33, 'party~more')).toEqual({ ok: true, fromSlotId: 'slot-c', remaining: 0 });
      expect(await ledger.level('slot-c')).toMatchObject({ taken: 5 });
      // A move that does not fit even with the absorbed places changes nothing, the absorbed hold included.
      await ledger.defineSlot('slot-d', 2);
      await ledger.take('slot-d', 'small~change', 1, 40, true);
      await ledger.take('slot-d', 'someone', 1, 41);
      expect(await ledger.move('walk-in', 'slot-d', 2, 42, 'small~change')).toEqual({ ok: false, code: 'slot.sold_out', remaining: 1 });
      expect(await ledger.level('slot-d')).toMatchObject({ taken: 2 });
      expect(await ledger.holdsOf('slot-d')).toEqual(expect.arrayContaining([expect.objectContaining({ holdId: 'small~change', qty: 1 })]));
      // An absorbed hold already gone is nothing to give back.
      expect(await ledger.move('walk-in', 'slot-d', 1, 43, 'small~change-gone')).toMatchObject({ ok: false, code: 'slot.sold_out' });
    });

    it('gives a hold back exactly once', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 2);
      await ledger.take('slot-1', 'h1', 2, 10);
      expect(await ledger.release('h1', 20)).toBe(true);
      expect(await ledger.release('h1', 21)).toBe(false);
      expect(await ledger.release('never-taken', 22)).toBe(false);
      expect(await ledger.level('slot-1')).toEqual({ slotId: 'slot-1', capacity: 2, taken: 0, remaining: 2 });
      // A released hold id may take again (e.g. a retried booking after its hold was swept).
      expect(await ledger.take('slot-1', 'h1', 1, 30)).toEqual({ ok: true, remaining: 1 });
      expect(await ledger.release('h1', 31)).toBe(true);
      expect((await ledger.level('slot-1'))?.taken).toBe(0);
    });

    it('keeps a confirmed hold taken until it is released', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 2);
      await ledger.take('slot-1', 'h1', 1, 10);
      await ledger.confirm('h1', 20);
      await ledger.confirm('h1', 21);
      await ledger.confirm('never-taken', 22);
      expect((await ledger.level('slot-1'))?.taken).toBe(1);
      expect(await ledger.orphanHolds('booking', 1_000, 10)).toEqual([]);
      expect(await ledger.take('slot-1', 'h1', 1, 23)).toEqual({ ok: true, remaining: 1 });
      expect(await ledger.release('h1', 30)).toBe(true);
      expect(await ledger.release('h1', 31)).toBe(false);
      expect((await ledger.level('slot-1'))?.taken).toBe(0);
    });

    it('takes a hold already confirmed in one step: never an orphan, listed as confirmed', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-c', 5);
      expect(await ledger.take('slot-c', 'hc', 2, 10, true)).toEqual({ ok: true, remaining: 3 });
      expect(await ledger.take('slot-c', 'hc', 2, 11, true)).toEqual({ ok: true, remaining: 3 });
      expect(await ledger.orphanHolds('booking', 1_000, 10)).toEqual([]);
      expect(await ledger.holdsOf('slot-c')).toEqual([{ holdId: 'hc', qty: 2, status: 'confirmed' }]);
      expect(await ledger.release('hc', 20)).toBe(true);
      expect((await ledger.level('slot-c'))?.taken).toBe(0);
    });

    it('lists old held holds whose actor was never created as orphans', async () => {
      const store = current();
      const { ledger } = store;
      await ledger.defineSlot('slot-1', 10);
      await ledger.take('slot-1', 'orphan-a', 1, 100);
      await ledger.take('slot-1', 'orphan-b', 1, 101);
      await ledger.take('slot-1', 'has-actor', 1, 102);
      await ledger.take('slot-1', 'too-new', 1, 900);
      await ledger.take('slot-1', 'confirmed', 1, 103);
      await ledger.take('slot-1', 'released', 1, 104);
      await store.commit(creation('booking', 'has-actor'));
      await store.commit(creation('ticket', 'orphan-b'));
      await ledger.confirm('confirmed', 200);
      await ledger.release('released', 200);

      expect(await ledger.orphanHolds('booking', 500, 10)).toEqual(['orphan-a', 'orphan-b']);
      expect(await ledger.orphanHolds('booking', 500, 1)).toEqual(['orphan-a']);
      expect(await ledger.orphanHolds('ticket', 500, 10)).toEqual(['orphan-a', 'has-actor']);
      expect(await ledger.orphanHolds('booking', 100, 10)).toEqual([]);
    });

    it('lists the live holds of a slot, oldest first, without released ones or other slots', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 10);
      await ledger.defineSlot('slot-2', 10);
      await ledger.take('slot-1', 'b-late', 2, 30);
      await ledger.take('slot-1', 'b-early', 1, 10);
      await ledger.take('slot-1', 'b-gone', 1, 20);
      await ledger.take('slot-2', 'b-other', 3, 5);
      await ledger.confirm('b-early', 40);
      await ledger.release('b-gone', 41);
      expect(await ledger.holdsOf('slot-1')).toEqual([
        { holdId: 'b-early', qty: 1, status: 'confirmed' },
        { holdId: 'b-late', qty: 2, status: 'held' },
      ]);
      expect(await ledger.holdsOf('slot-2')).toEqual([{ holdId: 'b-other', qty: 3, status: 'held' }]);
      expect(await ledger.holdsOf('nowhere')).toEqual([]);
    });

    it('changes capacity but never below what is taken', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 4);
      await ledger.take('slot-1', 'h1', 3, 10);
      await expect(ledger.defineSlot('slot-1', 2)).rejects.toThrow(/below/);
      expect(await ledger.level('slot-1')).toEqual({ slotId: 'slot-1', capacity: 4, taken: 3, remaining: 1 });
      await ledger.defineSlot('slot-1', 3);
      expect(await ledger.level('slot-1')).toEqual({ slotId: 'slot-1', capacity: 3, taken: 3, remaining: 0 });
      await ledger.defineSlot('slot-1', 8);
      expect(await ledger.take('slot-1', 'h2', 5, 11)).toEqual({ ok: true, remaining: 0 });
      await expect(ledger.defineSlot('slot-2', -1)).rejects.toThrow(/capacity/);
    });

    it('never oversells under concurrent takes', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 5);
      const distinct = Array.from({ length: 20 }, (_, i) => ledger.take('slot-1', `h${i}`, 1, 10 + i));
      const sameHold = Array.from({ length: 10 }, () => ledger.take('slot-1', 'h-repeat', 1, 50));
      const results = await Promise.all([...distinct, ...sameHold]);
      const okDistinct = results.slice(0, 20).filter((r) => r.ok).length;
      const okRepeat = results.slice(20).filter((r) => r.ok).length;
      expect(okRepeat === 0 || okRepeat === 10).toBe(true);
      expect(okDistinct + (okRepeat > 0 ? 1 : 0)).toBe(5);
      for (const r of results) if (!r.ok) expect(r).toEqual({ ok: false, code: 'slot.sold_out', remaining: 0 });
      expect(await ledger.level('slot-1')).toEqual({ slotId: 'slot-1', capacity: 5, taken: 5, remaining: 0 });
    });
  });
}
