/**
 * The contract every CatalogStore adapter passes: `describeCatalogStoreContract(name, open)` is
 * called from each adapter's test file. Each test opens a fresh, empty store and closes it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MenuCategory, MenuItem } from '../../machines/contract/food.js';
import type { Activity, Slot, TicketType } from './catalog-schemas.js';
import type { CatalogStore } from './catalog-store.js';

const activity = (activityId: string, fields: Partial<Activity> = {}): Activity => ({ activityId, name: activityId, description: '', zone: 'waterpark', active: true, ...fields });
const ticketType = (ticketTypeId: string, activityId: string): TicketType => ({
  ticketTypeId, activityId, name: ticketTypeId, price: 100, requiresApproval: false, minPerBooking: 0, maxPerBooking: 10, admits: 1, reentry: true, active: true,
});
const category = (categoryId: string): MenuCategory => MenuCategory.parse({ categoryId, name: categoryId });
const menuItem = (itemId: string, categoryId: string, fields: Partial<MenuItem> = {}): MenuItem =>
  MenuItem.parse({
    itemId, categoryId, name: itemId, price: 3_500, station: 'grill', prepMinutes: 8, allergens: ['gluten'], dietary: ['halal'],
    modifiers: [{ modifierId: 'size', name: 'Size', min: 1, max: 1, choices: [{ choiceId: 'regular', name: 'Regular' }, { choiceId: 'large', name: 'Large', price: 500 }] }],
    windows: [{ days: ['fri', 'sat'], from: '11:00', to: '16:00' }],
    ...fields,
  });
const slot = (activityId: string, date: string, hhmm: string, startsAt: number): Slot => ({
  slotId: `${activityId}-${date}-${hhmm}`, activityId, scheduleId: `${activityId}-daily`, date, startTime: `${hhmm.slice(0, 2)}:${hhmm.slice(2)}`, startsAt, endsAt: startsAt + 3_600_000, capacity: 50,
});

/** Registers the shared contract tests for one adapter. */
export function describeCatalogStoreContract(name: string, open: () => Promise<CatalogStore>): void {
  describe(`CatalogStore contract: ${name}`, () => {
    let store: CatalogStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('inserts once, replaces only what exists, and keeps kinds apart', async () => {
      expect(await store.items.insert('activity', activity('pool'), 1)).toBe(1);
      expect(await store.items.insert('activity', activity('pool', { name: 'again' }), 2)).toBeNull();
      expect(await store.items.get('activity', 'pool')).toEqual(activity('pool'));
      expect(await store.items.replace('activity', activity('pool', { name: 'Pool', active: false }), 3)).toBe(2);
      expect(await store.items.get('activity', 'pool')).toEqual(activity('pool', { name: 'Pool', active: false }));
      expect(await store.items.replace('activity', activity('missing'), 4)).toBeNull();
      expect(await store.items.get('ticket_type', 'pool')).toBeNull();
      expect(await store.items.insert('add_on', { addOnId: 'pool', kind: 'locker', name: 'Locker', description: '', price: 2500, active: true }, 5)).toBe(1);
      expect(await store.items.list('add_on')).toHaveLength(1);
    });

    it('counts revisions per realm: every write of it takes the next, a write that did not happen takes none', async () => {
      expect(await store.items.revision('menu')).toBe(0);
      expect(await store.items.insert('menu_category', category('mains'), 1)).toBe(1);
      expect(await store.items.insert('menu_item', menuItem('burger', 'mains'), 1)).toBe(2);
      expect(await store.items.insert('menu_item', menuItem('burger', 'mains'), 1)).toBeNull();
      expect(await store.items.replace('menu_item', menuItem('fries', 'mains'), 1)).toBeNull();
      expect(await store.items.replace('menu_item', menuItem('burger', 'mains', { soldOut: true }), 2)).toBe(3);
      expect(await store.items.revision('menu')).toBe(3);
      // Other kinds count apart: a ticket type's write does not move the menu's revision.
      expect(await store.items.insert('activity', activity('pool'), 1)).toBe(1);
      expect(await store.items.insert('ticket_type', ticketType('t1', 'pool'), 1)).toBe(1);
      expect([await store.items.revision('activity'), await store.items.revision('ticket_type'), await store.items.revision('menu')]).toEqual([1, 1, 3]);
      // Writes at once each take their own revision.
      const all = await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.items.insert('menu_item', menuItem(id, 'mains'), 3)));
      expect([...all].sort()).toEqual([4, 5, 6, 7]);
      expect(await store.items.revision('menu')).toBe(7);
    });

    it('lists by kind in id order, filtered by activity', async () => {
      await store.items.insert('activity', activity('b'), 1);
      await store.items.insert('activity', activity('a'), 1);
      await store.items.insert('ticket_type', ticketType('t2', 'a'), 1);
      await store.items.insert('ticket_type', ticketType('t1', 'b'), 1);
      await store.items.insert('ticket_type', ticketType('t0', 'a'), 1);
      expect((await store.items.list('activity')).map((a) => a.activityId)).toEqual(['a', 'b']);
      expect((await store.items.list('ticket_type', 'a')).map((t) => t.ticketTypeId)).toEqual(['t0', 't2']);
      expect(await store.items.list('ticket_type', 'none')).toEqual([]);
      // Moving a ticket type to another activity moves it in the filtered list too.
      await store.items.replace('ticket_type', ticketType('t0', 'b'), 2);
      expect((await store.items.list('ticket_type', 'b')).map((t) => t.ticketTypeId)).toEqual(['t0', 't1']);
    });

    it('keeps menu categories and items, lists items by category, and flips an item sold out and back', async () => {
      expect(await store.items.insert('menu_category', category('mains'), 1)).toEqual(expect.any(Number));
      expect(await store.items.insert('menu_category', category('drinks'), 1)).toEqual(expect.any(Number));
      expect(await store.items.insert('menu_item', menuItem('burger', 'mains'), 1)).toEqual(expect.any(Number));
      expect(await store.items.insert('menu_item', menuItem('lemonade', 'drinks', { station: 'drinks', modifiers: [], windows: [] }), 1)).toEqual(expect.any(Number));
      expect(await store.items.insert('menu_item', menuItem('kebab', 'mains'), 1)).toEqual(expect.any(Number));
      expect(await store.items.get('menu_item', 'burger')).toEqual(menuItem('burger', 'mains'));
      expect((await store.items.list('menu_item', 'mains')).map((i) => i.itemId)).toEqual(['burger', 'kebab']);
      expect((await store.items.list('menu_category')).map((c) => c.categoryId)).toEqual(['drinks', 'mains']);
      // An id may repeat across kinds: a category and an item named alike stay apart.
      expect(await store.items.insert('menu_item', menuItem('mains', 'mains'), 1)).toEqual(expect.any(Number));
      expect(await store.items.get('menu_category', 'mains')).toEqual(category('mains'));
      expect(await store.items.replace('menu_item', menuItem('burger', 'mains', { soldOut: true }), 2)).toEqual(expect.any(Number));
      expect((await store.items.get('menu_item', 'burger'))?.soldOut).toBe(true);
      expect(await store.items.replace('menu_item', menuItem('burger', 'mains'), 3)).toEqual(expect.any(Number));
      expect((await store.items.get('menu_item', 'burger'))?.soldOut).toBe(false);
    });

    it('inserts missing slots only and lists them by day and by start time', async () => {
      const day = [slot('pool', '2025-06-10', '1100', 2_000), slot('pool', '2025-06-10', '1000', 1_000)];
      expect((await store.slots.insertMissing(day)).sort()).toEqual(['pool-2025-06-10-1000', 'pool-2025-06-10-1100']);
      const changed = { ...slot('pool', '2025-06-10', '1000', 1_000), capacity: 99 };
      const next = slot('pool', '2025-06-11', '1000', 90_000);
      expect(await store.slots.insertMissing([changed, next])).toEqual(['pool-2025-06-11-1000']);
      expect(await store.slots.insertMissing([])).toEqual([]);
      expect(await store.slots.get('pool-2025-06-10-1000')).toEqual(slot('pool', '2025-06-10', '1000', 1_000));
      expect(await store.slots.get('nope')).toBeNull();
      expect((await store.slots.list('pool', '2025-06-10')).map((s) => s.startTime)).toEqual(['10:00', '11:00']);
      expect(await store.slots.list('other', '2025-06-10')).toEqual([]);
      expect((await store.slots.startingBetween(1_500, 90_001)).map((s) => s.slotId)).toEqual(['pool-2025-06-10-1100', 'pool-2025-06-11-1000']);
    });
  });
}
