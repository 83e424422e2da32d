import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { openCatalogHarness, SUPER, type CatalogHarness } from './catalog.test-support.js';
import { DEMO_CATALOG, DEMO_DAYS, defineDemoSlotCapacity, seedDemoCatalog } from './demo-venue.js';

// 23:00 UTC on the 9th: already the 10th in Riyadh, so "today" is the 10th.
const NOW = Date.UTC(2025, 5, 9, 23, 0);
const SLOTS = DEMO_CATALOG.activity.length * 8 * DEMO_DAYS;
let h: CatalogHarness;

beforeEach(async () => {
  h = await openCatalogHarness(NOW);
});
afterEach(async () => {
  await h.close();
});

describe('demo venue', () => {
  it('seeds the catalog and a week of hourly slots once, and never undoes an admin edit', async () => {
    const items = Object.values(DEMO_CATALOG).reduce((n, list) => n + list.length, 0);
    expect(await seedDemoCatalog(h.catalog, silentLogger, NOW)).toEqual({ itemsInserted: items, generated: SLOTS, inserted: SLOTS, defined: SLOTS });

    const activities = await h.catalog.listActivities();
    expect(activities.map((a) => [a.activityId, a.zone, a.ticketTypes.length])).toEqual([
      ['kids-splash', 'kids', 2],
      ['lazy-river', 'waterpark', 2],
      ['wave-pool', 'waterpark', 3],
    ]);
    expect(activities[2]?.ticketTypes.find((t) => t.ticketTypeId === 'wave-pool-family')).toMatchObject({ requiresApproval: true, price: 42000, admits: 4 });
    expect((await h.catalog.listAddOns()).map((a) => [a.addOnId, a.price])).toContainEqual(['locker', 2500]);
    const today = await h.catalog.listSlots('wave-pool', '2025-06-10');
    expect(today.ok && today.data.map((s) => [s.startTime, new Date(s.startsAt).toISOString(), s.remaining])).toEqual(
      Array.from({ length: 8 }, (_, i) => [`${10 + i}:00`, `2025-06-10T${String(7 + i).padStart(2, '0')}:00:00.000Z`, 50]),
    );
    const lastDay = await h.catalog.listSlots('kids-splash', '2025-06-16');
    expect(lastDay.ok && lastDay.data).toHaveLength(8);

    await h.catalog.update('ticket_type', 'wave-pool-adult', { price: 16000 }, SUPER);
    await h.actors.ledger.take('wave-pool-2025-06-10-1000', 'hold-1', 2, NOW);
    expect(await seedDemoCatalog(h.reopen(), silentLogger, NOW)).toEqual({ itemsInserted: 0, generated: SLOTS, inserted: 0, defined: 0 });
    expect((await h.store.items.get('ticket_type', 'wave-pool-adult'))?.price).toBe(16000);
    expect((await h.actors.ledger.level('wave-pool-2025-06-10-1000'))?.remaining).toBe(48);

    // The next day, one more day of slots appears.
    expect(await seedDemoCatalog(h.catalog, silentLogger, NOW + 86_400_000)).toMatchObject({ inserted: 24, defined: 24 });
  });

  it('defines the same slot ids in the ledger when only the ledger is available', async () => {
    expect(await defineDemoSlotCapacity(h.actors.ledger, NOW, 'Asia/Riyadh')).toBe(SLOTS);
    expect(await defineDemoSlotCapacity(h.actors.ledger, NOW, 'Asia/Riyadh')).toBe(0);
    expect(await h.actors.ledger.level('lazy-river-2025-06-10-1700')).toMatchObject({ capacity: 50, remaining: 50 });
    // A catalog wired later adopts those ledger entries instead of redefining them.
    expect(await seedDemoCatalog(h.catalog, silentLogger, NOW)).toMatchObject({ inserted: SLOTS, defined: 0 });
  });
});
