/**
 * The per-holder caps of the capacity ledger (`takeFor`), registered by `describeActorStoreContract`
 * next to the ledger's own tests: a visitor's unpaid places are capped in one slot and over all
 * slots, in the same atomic step as the take, so concurrent holds cannot slip past the cap.
 */
import { describe, expect, it } from 'vitest';
import type { ActorStore } from './actor-store.js';

const caps = (holder: string, maxPerSlot = 4, maxTotal = 6) => ({ holder, maxPerSlot, maxTotal });

/** Registers the holder-limit tests; `current` returns the store opened for the running test. */
export function describeHolderLimitsContract(current: () => ActorStore): void {
  describe('capacity ledger: holder limits', () => {
    it('caps a holder’s unpaid places in one slot and over all slots; others are not affected', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 100);
      await ledger.defineSlot('slot-2', 100);
      expect(await ledger.takeFor('slot-1', 'a1', 3, 10, caps('vis-a'))).toEqual({ ok: true, remaining: 97 });
      expect(await ledger.takeFor('slot-1', 'a2', 2, 11, caps('vis-a'))).toEqual({ ok: false, code: 'booking.hold_limit', scope: 'slot', held: 3, max: 4, remaining: 97 });
      expect(await ledger.takeFor('slot-1', 'a2', 1, 12, caps('vis-a'))).toEqual({ ok: true, remaining: 96 });
      expect(await ledger.takeFor('slot-2', 'a3', 3, 13, caps('vis-a'))).toEqual({ ok: false, code: 'booking.hold_limit', scope: 'total', held: 4, max: 6, remaining: 100 });
      expect(await ledger.takeFor('slot-2', 'a3', 2, 14, caps('vis-a'))).toEqual({ ok: true, remaining: 98 });
      expect(await ledger.takeFor('slot-1', 'b1', 4, 15, caps('vis-b'))).toEqual({ ok: true, remaining: 92 });
      // The same hold id again is the same hold, whatever the caps say now.
      expect(await ledger.takeFor('slot-1', 'a1', 3, 16, caps('vis-a'))).toEqual({ ok: true, remaining: 92 });
      expect(await ledger.level('slot-1')).toMatchObject({ taken: 8 });
    });

    it('paid (confirmed) and released places no longer count against the caps', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 100);
      await ledger.takeFor('slot-1', 'a1', 4, 10, caps('vis-a'));
      expect(await ledger.takeFor('slot-1', 'a2', 1, 11, caps('vis-a'))).toMatchObject({ ok: false, code: 'booking.hold_limit', scope: 'slot' });
      await ledger.confirm('a1', 12);
      expect(await ledger.takeFor('slot-1', 'a2', 4, 13, caps('vis-a'))).toEqual({ ok: true, remaining: 92 });
      expect(await ledger.release('a2', 14)).toBe(true);
      expect(await ledger.takeFor('slot-1', 'a3', 4, 15, caps('vis-a'))).toEqual({ ok: true, remaining: 92 });
    });

    it('refuses a sold-out slot and an unknown one as take does', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 2);
      expect(await ledger.takeFor('slot-1', 'a1', 3, 10, caps('vis-a'))).toEqual({ ok: false, code: 'slot.sold_out', remaining: 2 });
      expect(await ledger.takeFor('nowhere', 'a2', 1, 11, caps('vis-a'))).toEqual({ ok: false, code: 'slot.not_found', remaining: 0 });
    });

    it('never lets concurrent holds of one holder past the caps', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 100);
      await ledger.defineSlot('slot-2', 100);
      const racing = await Promise.all(
        Array.from({ length: 20 }, (_, i) => ledger.takeFor(i % 2 === 0 ? 'slot-1' : 'slot-2', `r${i}`, 1, 10 + i, caps('vis-r', 4, 6))),
      );
      expect(racing.filter((r) => r.ok)).toHaveLength(6);
      const holds = await ledger.holdsOfHolder('vis-r');
      expect(holds.reduce((sum, h) => sum + h.qty, 0)).toBe(6);
      for (const slotId of ['slot-1', 'slot-2']) expect(holds.filter((h) => h.slotId === slotId).length).toBeLessThanOrEqual(4);
    });

    it('shows who holds what: per slot and per holder', async () => {
      const { ledger } = current();
      await ledger.defineSlot('slot-1', 100);
      await ledger.defineSlot('slot-2', 100);
      await ledger.takeFor('slot-1', 'a1', 2, 10, caps('vis-a'));
      await ledger.take('slot-1', 'walk-in', 1, 11);
      await ledger.takeFor('slot-2', 'a2', 1, 12, caps('vis-a'));
      await ledger.confirm('a2', 13);
      expect(await ledger.holdsOf('slot-1')).toEqual([
        { holdId: 'a1', qty: 2, status: 'held', holder: 'vis-a' },
        { holdId: 'walk-in', qty: 1, status: 'held' },
      ]);
      expect(await ledger.holdsOfHolder('vis-a')).toEqual([
        { slotId: 'slot-1', holdId: 'a1', qty: 2, status: 'held', holder: 'vis-a' },
        { slotId: 'slot-2', holdId: 'a2', qty: 1, status: 'confirmed', holder: 'vis-a' },
      ]);
      expect(await ledger.holdsOfHolder('nobody')).toEqual([]);
    });
  });
}
