import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalogHarness, SUPER, type CatalogHarness } from './catalog.test-support.js';
import { seedDemoCatalog } from './demo-venue.js';
import { silentLogger } from '../logger.js';

// 2025-06-09 22:30 UTC is already Tuesday 2025-06-10 01:30 in Riyadh.
const START = Date.UTC(2025, 5, 9, 22, 30);
const iso = (ms: number) => new Date(ms).toISOString();
let h: CatalogHarness;

beforeEach(async () => {
  h = await openCatalogHarness(START);
});
afterEach(async () => {
  await h.close();
});

async function night(): Promise<void> {
  expect((await h.catalog.create('activity', { activityId: 'night-swim', name: 'Night swim', zone: 'waterpark' }, SUPER)).ok).toBe(true);
  const schedule = await h.catalog.create(
    'schedule',
    { scheduleId: 'night', activityId: 'night-swim', days: { tue: ['23:30', '00:30'], wed: ['00:30'] }, durationMinutes: 45, capacity: 20, validFrom: '2025-06-01', validTo: '2025-06-17' },
    SUPER,
  );
  expect(schedule.ok).toBe(true);
}

describe('slot generation', () => {
  it('generates slots per schedule in venue time, from the venue-local date, within the validity', async () => {
    await night();
    const tuesday = await h.catalog.listSlots('night-swim', '2025-06-10');
    expect(tuesday.ok && tuesday.data.map((s) => [s.slotId, iso(s.startsAt), iso(s.endsAt), s.capacity, s.remaining, s.bookable])).toEqual([
      // 00:30 local is 21:30 UTC the day before, and it is over at 01:30 local.
      ['night-swim-2025-06-10-0030', '2025-06-09T21:30:00.000Z', '2025-06-09T22:15:00.000Z', 20, 20, false],
      ['night-swim-2025-06-10-2330', '2025-06-10T20:30:00.000Z', '2025-06-10T21:15:00.000Z', 20, 20, true],
    ]);
    const wednesday = await h.catalog.listSlots('night-swim', '2025-06-11');
    expect(wednesday.ok && wednesday.data.map((s) => s.slotId)).toEqual(['night-swim-2025-06-11-0030']);
    // The 7-day horizon (Tue 10th – Mon 16th) holds one Tuesday and one Wednesday.
    const ids = async () => (await h.store.slots.startingBetween(0, Number.MAX_SAFE_INTEGER)).map((s) => s.slotId);
    expect(await ids()).toEqual(['night-swim-2025-06-10-0030', 'night-swim-2025-06-10-2330', 'night-swim-2025-06-11-0030']);
    // Two weeks reach Tuesday the 17th (validTo) but not Wednesday the 18th.
    expect(await h.catalog.ensureSlots(START, 14)).toEqual({ generated: 5, inserted: 2, defined: 2 });
    expect((await ids()).slice(3)).toEqual(['night-swim-2025-06-17-0030', 'night-swim-2025-06-17-2330']);
    // Before validFrom nothing opens.
    expect(await h.catalog.ensureSlots(Date.UTC(2025, 4, 24, 12), 7)).toEqual({ generated: 0, inserted: 0, defined: 0 });
  });

  it('defines ledger capacity once: re-runs keep taken places and admin changes, and repair a missed define', async () => {
    await night();
    const slotId = 'night-swim-2025-06-10-2330';
    expect(await h.actors.ledger.take(slotId, 'hold-1', 3, START)).toEqual({ ok: true, remaining: 17 });
    await h.actors.ledger.defineSlot('night-swim-2025-06-11-0030', 30);
    const again = await h.reopen().ensureSlots(START);
    expect(again).toMatchObject({ inserted: 0, defined: 0 });
    expect(await h.actors.ledger.level(slotId)).toEqual({ slotId, capacity: 20, taken: 3, remaining: 17 });
    expect((await h.actors.ledger.level('night-swim-2025-06-11-0030'))?.capacity).toBe(30);

    // A slot written to the catalog by a run that died before the ledger write.
    const orphan = { slotId: 'night-swim-2025-06-12-0030', activityId: 'night-swim', scheduleId: 'night', date: '2025-06-12', startTime: '00:30', startsAt: 1, endsAt: 2, capacity: 20 };
    await h.store.slots.insertMissing([orphan]);
    expect(await h.actors.ledger.level(orphan.slotId)).toBeNull();
    await h.store.items.replace('schedule', { scheduleId: 'night', activityId: 'night-swim', days: { thu: ['00:30'] }, durationMinutes: 45, capacity: 20, validFrom: '2025-06-01', validTo: null }, 1);
    expect(await h.catalog.ensureSlots(START)).toEqual({ generated: 1, inserted: 0, defined: 1 });
    expect((await h.actors.ledger.level(orphan.slotId))?.capacity).toBe(20);
  });

  it('shows remaining capacity from the ledger', async () => {
    await night();
    await h.actors.ledger.take('night-swim-2025-06-10-2330', 'hold-1', 5, START);
    const slots = await h.catalog.listSlots('night-swim', '2025-06-10');
    expect(slots.ok && slots.data[1]).toMatchObject({ remaining: 15, capacity: 20, bookable: true });
    expect(await h.catalog.listSlots('nowhere', '2025-06-10')).toMatchObject({ ok: false, code: 'catalog.not_found' });
    expect(await h.catalog.listSlots('night-swim', '10/06/2025')).toMatchObject({ ok: false, code: 'input.invalid' });
  });
});

describe('priceHold', () => {
  beforeEach(async () => {
    h.now.value = Date.UTC(2025, 5, 10, 5, 0); // 08:00 in Riyadh
    await seedDemoCatalog(h.catalog, silentLogger, h.now.value);
  });
  const slot = 'wave-pool-2025-06-10-1000';

  it('prices lines and add-ons from the catalog', async () => {
    const priced = await h.catalog.priceHold({ slotId: slot, items: [{ ticketTypeId: 'wave-pool-adult', qty: 2 }, { ticketTypeId: 'wave-pool-child', qty: 1 }], addOns: [{ addOnId: 'locker', qty: 1 }] });
    expect(priced).toEqual({
      ok: true,
      data: {
        slotId: slot,
        activityId: 'wave-pool',
        startsAt: Date.UTC(2025, 5, 10, 7, 0),
        endsAt: Date.UTC(2025, 5, 10, 8, 0),
        lines: [{ ticketTypeId: 'wave-pool-adult', qty: 2, unitPrice: 15000, admits: 1 }, { ticketTypeId: 'wave-pool-child', qty: 1, unitPrice: 9000, admits: 1 }],
        addOns: [{ addOnId: 'locker', kind: 'locker', qty: 1, unitPrice: 2500 }],
        requiresApproval: false,
        seats: 3,
        total: 41500,
      },
    });
    const family = await h.catalog.priceHold({ slotId: slot, items: [{ ticketTypeId: 'wave-pool-family', qty: 1 }] });
    expect(family).toMatchObject({ ok: true, data: { requiresApproval: true, seats: 4, total: 42000 } });
  });

  it('refuses with a code for every rule', async () => {
    const item = (ticketTypeId: string, qty = 1) => ({ slotId: slot, items: [{ ticketTypeId, qty }] });
    expect(await h.catalog.priceHold({ slotId: slot, items: [] })).toMatchObject({ code: 'input.invalid' });
    expect(await h.catalog.priceHold({ ...item('wave-pool-adult'), unitPrice: 1 })).toMatchObject({ code: 'input.invalid' });
    expect(await h.catalog.priceHold({ ...item('wave-pool-adult'), slotId: 'wave-pool-2030-01-01-1000' })).toMatchObject({ code: 'catalog.not_found' });
    expect(await h.catalog.priceHold(item('no-such-type'))).toMatchObject({ code: 'catalog.not_found' });
    expect(await h.catalog.priceHold(item('lazy-river-adult'))).toMatchObject({ code: 'catalog.invalid' });
    expect(await h.catalog.priceHold({ slotId: slot, items: [{ ticketTypeId: 'wave-pool-adult', qty: 1 }, { ticketTypeId: 'wave-pool-adult', qty: 2 }] })).toMatchObject({ code: 'catalog.invalid' });
    expect(await h.catalog.priceHold(item('wave-pool-family', 3))).toMatchObject({ code: 'booking.limit' });
    expect((await h.catalog.update('ticket_type', 'wave-pool-child', { minPerBooking: 2 }, SUPER)).ok).toBe(true);
    expect(await h.catalog.priceHold(item('wave-pool-child', 1))).toMatchObject({ code: 'booking.limit' });
    expect(await h.catalog.priceHold({ ...item('wave-pool-adult'), addOns: [{ addOnId: 'caviar', qty: 1 }] })).toMatchObject({ code: 'catalog.not_found' });
    expect((await h.catalog.update('ticket_type', 'wave-pool-adult', { active: false }, SUPER)).ok).toBe(true);
    expect(await h.catalog.priceHold(item('wave-pool-adult'))).toMatchObject({ code: 'catalog.not_found' });
    h.now.value = Date.UTC(2025, 5, 10, 7, 0); // 10:00 in Riyadh: the slot starts
    expect(await h.catalog.priceHold(item('wave-pool-child', 2))).toMatchObject({ code: 'slot.invalid' });
  });
});

describe('admin changes', () => {
  it('a change given as null removes the field: it takes its default, and a required one is refused', async () => {
    expect((await h.catalog.create('activity', { activityId: 'river', name: 'Lazy river', zone: 'waterpark', description: 'Slow', translations: { ar: { name: 'النهر الكسول', description: 'بطيء' } } }, SUPER)).ok).toBe(true);
    const cleared = await h.catalog.update('activity', 'river', { translations: null, description: null }, SUPER);
    expect(cleared).toMatchObject({ ok: true, data: { name: 'Lazy river', description: '' } });
    expect(cleared.ok && 'translations' in cleared.data).toBe(false);
    expect(await h.catalog.update('activity', 'river', { name: null }, SUPER)).toMatchObject({ ok: false, code: 'catalog.invalid', message: expect.stringContaining('name') });
    expect(await h.catalog.update('activity', 'river', { activityId: null }, SUPER)).toMatchObject({ ok: true, data: { activityId: 'river' } });
    expect((await h.store.items.get('activity', 'river'))?.translations).toBeUndefined();
  });

  it('lets only super admins change the catalog, checks references, and audits every attempt', async () => {
    const booking = { userId: 'admin-2', role: 'booking_admin' } as const;
    expect(await h.catalog.create('activity', { activityId: 'slides', name: 'Slides', zone: 'waterpark' }, booking)).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await h.catalog.create('ticket_type', { ticketTypeId: 'slides-adult', activityId: 'slides', name: 'Adult', price: 100 }, SUPER)).toMatchObject({ code: 'catalog.not_found' });
    expect(await h.catalog.create('activity', { activityId: 'slides', name: 'Slides', zone: 'waterpark' }, SUPER)).toMatchObject({ ok: true, data: { active: true, description: '' } });
    expect(await h.catalog.create('activity', { activityId: 'slides', name: 'Again', zone: 'waterpark' }, SUPER)).toMatchObject({ code: 'catalog.invalid' });
    expect(await h.catalog.create('ticket_type', { ticketTypeId: 'slides-adult', activityId: 'slides', name: 'Adult', price: -1 }, SUPER)).toMatchObject({ code: 'catalog.invalid' });
    expect(await h.catalog.update('activity', 'slides', { activityId: 'renamed', name: 'Big slides' }, SUPER)).toMatchObject({ ok: true, data: { activityId: 'slides', name: 'Big slides' } });
    expect(await h.catalog.update('add_on', 'nope', { price: 1 }, SUPER)).toMatchObject({ code: 'catalog.not_found' });

    const rows = await h.actors.audit.list({ limit: 20 });
    expect(rows.map((r) => [r.who, r.action, r.outcome, r.code]).reverse()).toEqual([
      ['user:admin-2', 'catalog.create', 'denied', 'auth.forbidden'],
      ['user:admin-1', 'catalog.create', 'failed', 'catalog.not_found'],
      ['user:admin-1', 'catalog.create', 'allowed', null],
      ['user:admin-1', 'catalog.create', 'failed', 'catalog.invalid'],
      ['user:admin-1', 'catalog.create', 'failed', 'catalog.invalid'],
      ['user:admin-1', 'catalog.update', 'allowed', null],
      ['user:admin-1', 'catalog.update', 'failed', 'catalog.not_found'],
    ]);
  });
});
