/**
 * A food pre-order priced with the hold (catalog service over the demo catalog): its lines and
 * total join the hold's total, it is checked for the slot's day, and bad food refuses the hold.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalogHarness, type CatalogHarness } from '../catalog/catalog.test-support.js';
import { seedDemoCatalog } from '../catalog/demo-venue.js';
import { silentLogger } from '../logger.js';

// Tuesday 2025-06-10, 08:00 in Riyadh; the 10:00 wave pool slot.
const NOW = Date.UTC(2025, 5, 10, 5, 0);
const SLOT = 'wave-pool-2025-06-10-1000';
const TICKETS = [{ ticketTypeId: 'wave-pool-adult', qty: 2 }];
const burger = { itemId: 'beef-burger', qty: 2, modifiers: [{ modifierId: 'doneness', choiceId: 'well-done' }, { modifierId: 'add-ons', choiceId: 'egg' }] };
const juice = { itemId: 'fresh-orange-juice', qty: 2 };
let h: CatalogHarness;

beforeEach(async () => {
  h = await openCatalogHarness(NOW);
  await seedDemoCatalog(h.catalog, silentLogger, NOW);
});
afterEach(async () => {
  await h.close();
});

describe('a food pre-order in the hold', () => {
  it('prices the food from the menu and adds it to the hold total, with its VAT and pickup', async () => {
    const priced = await h.catalog.priceHold({ slotId: SLOT, items: TICKETS, food: { lines: [burger, juice], pickup: { mode: 'at', time: '12:30' } } });
    expect(priced.ok).toBe(true);
    if (!priced.ok) return;
    const food = priced.data.food;
    expect(food?.lines.map((l) => [l.itemId, l.qty, l.unitPrice, l.station])).toEqual([
      ['beef-burger', 2, 4_100, 'grill'],
      ['fresh-orange-juice', 2, 1_200, 'drinks'],
    ]);
    expect(food).toMatchObject({ total: 10_600, vat: 1_070 + 313, prepMinutes: 14, pickup: { mode: 'at', at: Date.UTC(2025, 5, 10, 9, 30) } });
    expect(priced.data.total).toBe(2 * 15_000 + 10_600);
    // Without food the hold is priced as before.
    const plain = await h.catalog.priceHold({ slotId: SLOT, items: TICKETS });
    expect(plain.ok && [plain.data.total, 'food' in plain.data]).toEqual([30_000, false]);
  });

  it('checks the food for the slot: lunch on arrival at 10:00 is outside its window, drinks are fine', async () => {
    expect(await h.catalog.priceHold({ slotId: SLOT, items: TICKETS, food: { lines: [burger], pickup: { mode: 'on_arrival' } } })).toMatchObject({ ok: false, code: 'menu.unavailable' });
    expect(await h.catalog.priceHold({ slotId: SLOT, items: TICKETS, food: { lines: [juice], pickup: { mode: 'on_arrival' } } })).toMatchObject({ ok: true, data: { total: 32_400, food: { pickup: { mode: 'on_arrival' } } } });
    expect(await h.catalog.priceHold({ slotId: SLOT, items: TICKETS, food: { lines: [juice], pickup: { mode: 'at', time: '09:30' } } })).toMatchObject({ ok: false, code: 'order.pickup_invalid' });
  });

  it('refuses client prices, sold-out items, foreign modifiers and a booking id in the food', async () => {
    const hold = (food: unknown) => h.catalog.priceHold({ slotId: SLOT, items: TICKETS, food });
    expect(await hold({ lines: [juice], pickup: { mode: 'on_arrival' }, total: 0 })).toMatchObject({ ok: false, code: 'order.priced_by_client' });
    expect(await hold({ lines: [{ ...juice, unitPrice: 1 }], pickup: { mode: 'on_arrival' } })).toMatchObject({ ok: false, code: 'order.priced_by_client' });
    expect(await hold({ lines: [{ ...juice, modifiers: [{ modifierId: 'sugar', choiceId: 'no-sugar' }] }], pickup: { mode: 'on_arrival' } })).toMatchObject({ ok: false, code: 'menu.modifier_invalid' });
    expect(await hold({ lines: [juice], pickup: { mode: 'on_arrival' }, bookingId: 'bk-1' })).toMatchObject({ ok: false, code: 'input.invalid' });
    await h.store.items.replace('menu_item', { ...(await h.store.items.get('menu_item', 'fresh-orange-juice'))!, soldOut: true }, NOW);
    expect(await hold({ lines: [juice], pickup: { mode: 'on_arrival' } })).toMatchObject({ ok: false, code: 'menu.sold_out' });
  });
});
