/**
 * Rentals on the real runtime (temp SQLite, real agenda timers, real relay): pickup races,
 * reservations consumed by pickups, returns and maintenance, lost items, check-out's list of
 * unreturned items, live counts, and overdue alerts that survive a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EquipmentAvailability } from '../../machines/contract/wire.js';
import { poolSlotId } from './equipment-units.js';
import type { RentalFloor } from './equipment.test-support.js';
import { startRentalFloor } from './equipment.test-support.js';

const TUBE = 'tube-rental';
const tubes = (n: number) => Array.from({ length: n }, (_, i) => ({ itemId: `TUBE-${String(i + 1).padStart(3, '0')}`, zone: 'lazy-river' }));

describe('equipment service on SQLite', () => {
  let floor: RentalFloor;

  beforeEach(async () => {
    floor = await startRentalFloor();
  });
  afterEach(() => floor.stop());

  const level = () => floor.store.ledger.level(poolSlotId(TUBE));
  const counts = async () => {
    const now = await floor.equipment.availability(TUBE);
    if (!now.ok) throw new Error(now.message);
    const { available, inUse, maintenance, lost, remaining } = now.data;
    return { available, inUse, maintenance, lost, remaining };
  };

  it('defines items idempotently and refuses an item code already used by another type', async () => {
    expect(await floor.equipment.defineItems(TUBE, tubes(3))).toEqual({ ok: true, data: { slotId: 'equipment:tube-rental', items: 3 } });
    expect(await floor.equipment.defineItems(TUBE, tubes(3))).toEqual({ ok: true, data: { slotId: 'equipment:tube-rental', items: 3 } });
    expect(await floor.equipment.defineItems('life-vest', [{ itemId: 'TUBE-001' }])).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(await counts()).toEqual({ available: 3, inUse: 0, maintenance: 0, lost: 0, remaining: 3 });
    expect(await floor.equipment.availability('kayak')).toMatchObject({ ok: false, code: 'equipment.unknown' });
  });

  it('20 concurrent walk-up pickups of two tubes: two distinct tubes, the rest refused, nothing oversold', async () => {
    await floor.equipment.defineItems(TUBE, tubes(2));
    const uids = await Promise.all(Array.from({ length: 20 }, (_, i) => floor.issueBand(i)));
    const results = await Promise.all(uids.map((bandUid) => floor.equipment.pickup({ bandUid, typeId: TUBE })));
    const ids = results.flatMap((r) => (r.ok ? [r.data.id] : []));
    expect(ids.sort()).toEqual(['TUBE-001', 'TUBE-002']);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'equipment.none_available')).toBe(true);
    expect(await level()).toMatchObject({ taken: 2, remaining: 0 });
    expect(await counts()).toMatchObject({ available: 0, inUse: 2 });
  });

  it('a pickup records band, booking, visitor, ticket and the due time; a retry answers the same item', async () => {
    await floor.equipment.defineItems(TUBE, tubes(2));
    const band = await floor.issueBand(1);
    const before = Date.now();
    const first = await floor.equipment.pickup({ bandUid: band, typeId: TUBE, rentalId: 'rent:n-1' }, 'device:desk-1');
    expect(first).toMatchObject({ ok: true, data: { id: 'TUBE-001', state: 'in_use', context: { bandUid: band, bookingId: 'bk_1', visitorId: 'vis_1', overdue: false } } });
    if (!first.ok) return;
    const ctx = first.data.context as { dueAt: number; pickedUpAt: number; ticketId: string };
    expect(ctx.dueAt - ctx.pickedUpAt).toBe(4 * 3_600_000);
    expect(ctx.pickedUpAt).toBeGreaterThanOrEqual(before);
    expect(ctx.ticketId).toMatch(/^bk_1-t/);
    expect(await floor.equipment.pickup({ bandUid: band, typeId: TUBE, rentalId: 'rent:n-1' })).toMatchObject({ ok: true, data: { id: 'TUBE-001', version: first.data.version } });
    expect(await level()).toMatchObject({ taken: 1 });
    const other = await floor.issueBand(2);
    expect(await floor.equipment.pickup({ bandUid: other, typeId: TUBE, rentalId: 'rent:n-1' })).toMatchObject({ ok: false, code: 'input.invalid' });
  });

  it('refuses unknown and inactive bands, unknown types and items, and a named item that is not available', async () => {
    await floor.equipment.defineItems(TUBE, tubes(2));
    const band = await floor.issueBand(1);
    expect(await floor.equipment.pickup({ bandUid: 'UID-none', typeId: TUBE })).toMatchObject({ ok: false, code: 'band.unknown' });
    expect(await floor.equipment.pickup({ bandUid: band, typeId: 'kayak' })).toMatchObject({ ok: false, code: 'equipment.unknown' });
    expect(await floor.equipment.pickup({ bandUid: band, typeId: TUBE, itemId: 'TUBE-999' })).toMatchObject({ ok: false, code: 'equipment.unknown' });
    expect(await floor.equipment.pickup({ bandUid: band, typeId: TUBE, itemId: 'TUBE-002' })).toMatchObject({ ok: true, data: { id: 'TUBE-002' } });
    expect(await floor.equipment.pickup({ bandUid: band, typeId: TUBE, itemId: 'TUBE-002' })).toMatchObject({ ok: false, code: 'equipment.unavailable' });
    await floor.bands.deactivate(band, 'lost');
    expect(await floor.equipment.pickup({ bandUid: band, typeId: TUBE })).toMatchObject({ ok: false, code: 'band.inactive' });
    expect(await level()).toMatchObject({ taken: 1 });
  });

  it('a reservation holds units for the booking: walk-ups cannot take them, its pickups consume them', async () => {
    await floor.equipment.defineItems(TUBE, tubes(3));
    expect(await floor.equipment.reserve('bk_1', TUBE, 4)).toMatchObject({ ok: false, code: 'equipment.none_available' });
    expect(await level()).toMatchObject({ taken: 0 });
    expect(await floor.equipment.reserve('bk_1', TUBE, 2)).toEqual({ ok: true, data: { bookingId: 'bk_1', typeId: TUBE, qty: 2 } });
    expect(await floor.equipment.reserve('bk_1', TUBE, 2)).toMatchObject({ ok: true });
    expect(await floor.equipment.reserve('bk_1', TUBE, 3)).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(await level()).toMatchObject({ taken: 2, remaining: 1 });

    const walkUps = await Promise.all([floor.issueBand(7), floor.issueBand(8)]);
    const [w1, w2] = await Promise.all(walkUps.map((bandUid) => floor.equipment.pickup({ bandUid, typeId: TUBE })));
    expect([w1?.ok, w2?.ok].filter(Boolean)).toHaveLength(1);

    // Two family members at two desks at once: both reserved units, two different tubes.
    const family = await Promise.all([floor.issueBand(1, 'bk_1'), floor.issueBand(2, 'bk_1')]);
    const picked = await Promise.all(family.map((bandUid) => floor.equipment.pickup({ bandUid, typeId: TUBE })));
    expect(picked.every((r) => r.ok)).toBe(true);
    const holds = picked.map((r) => (r.ok ? (r.data.context as { holdId: string }).holdId : '')).sort();
    expect(holds).toEqual(['equip:bk_1:tube-rental:1', 'equip:bk_1:tube-rental:2']);
    expect(await level()).toMatchObject({ taken: 3, remaining: 0 });
    expect(await counts()).toMatchObject({ available: 0, inUse: 3 });

    // A third pickup for the booking finds its reservation used up and the pool empty.
    expect(await floor.equipment.pickup({ bandUid: family[0] ?? '', typeId: TUBE })).toMatchObject({ ok: false, code: 'equipment.none_available' });
    // Returned in good condition: the unit goes back to the pool, not to the reservation.
    const first = picked[0];
    if (!first?.ok) return;
    expect(await floor.equipment.return({ itemId: first.data.id, condition: 'ok' })).toMatchObject({ ok: true, data: { state: 'available' } });
    expect(await level()).toMatchObject({ taken: 2, remaining: 1 });
  });

  it('releasing a reservation gives back only the units not picked up; a retry gives back nothing more', async () => {
    await floor.equipment.defineItems(TUBE, tubes(3));
    await floor.equipment.reserve('bk_1', TUBE, 3);
    const band = await floor.issueBand(1, 'bk_1');
    expect(await floor.equipment.pickup({ bandUid: band, typeId: TUBE })).toMatchObject({ ok: true });
    expect(await floor.equipment.releaseReservation('bk_1', TUBE)).toEqual({ ok: true, data: { released: 2 } });
    expect(await floor.equipment.releaseReservation('bk_1', TUBE)).toEqual({ ok: true, data: { released: 0 } });
    expect(await level()).toMatchObject({ taken: 1, remaining: 2 });
    expect(await floor.equipment.reserve('bk_1', TUBE, 3)).toMatchObject({ ok: false, code: 'event.rejected' });
    expect(await floor.equipment.releaseReservation('bk_never', TUBE)).toEqual({ ok: true, data: { released: 0 } });
  });

  it('a damaged return goes to maintenance and keeps the unit until repaired; retries are harmless', async () => {
    await floor.equipment.defineItems(TUBE, tubes(1));
    const band = await floor.issueBand(1);
    await floor.equipment.pickup({ bandUid: band, typeId: TUBE });
    const damaged = await floor.equipment.return({ itemId: 'TUBE-001', condition: 'damaged', note: 'valve torn' }, 'device:desk-1');
    expect(damaged).toMatchObject({ ok: true, data: { state: 'maintenance', context: { condition: 'damaged', note: 'valve torn' } } });
    expect(await floor.equipment.return({ itemId: 'TUBE-001', condition: 'damaged' })).toMatchObject({ ok: true, data: { state: 'maintenance' } });
    expect(await floor.equipment.return({ itemId: 'TUBE-001', condition: 'ok' })).toMatchObject({ ok: false, code: 'event.rejected' });
    expect(await level()).toMatchObject({ taken: 1 });
    expect(await floor.equipment.pickup({ bandUid: band, typeId: TUBE })).toMatchObject({ ok: false, code: 'equipment.none_available' });
    expect(await floor.equipment.repaired('TUBE-001', 'user:tech')).toMatchObject({ ok: true, data: { state: 'available', context: { condition: 'ok' } } });
    expect(await floor.equipment.repaired('TUBE-001')).toMatchObject({ ok: true, data: { state: 'available' } });
    expect(await level()).toMatchObject({ taken: 0 });
    expect(await floor.equipment.return({ itemId: 'TUBE-404', condition: 'ok' })).toMatchObject({ ok: false, code: 'equipment.unknown' });
  });

  it('staff take an available item out of service, never one promised to a reservation', async () => {
    await floor.equipment.defineItems(TUBE, tubes(2));
    expect(await floor.equipment.outOfService('TUBE-002', 'user:tech', 'annual check')).toMatchObject({ ok: true, data: { state: 'maintenance' } });
    expect(await counts()).toEqual({ available: 1, inUse: 0, maintenance: 1, lost: 0, remaining: 1 });
    await floor.equipment.reserve('bk_1', TUBE, 1);
    expect(await floor.equipment.outOfService('TUBE-001')).toMatchObject({ ok: false, code: 'equipment.none_available' });
    expect(await floor.equipment.repaired('TUBE-002')).toMatchObject({ ok: true });
    expect(await counts()).toEqual({ available: 2, inUse: 0, maintenance: 0, lost: 0, remaining: 1 });
  });

  it('check-out sees what a booking still has out; a charged item is settled as lost and stays out of the pool', async () => {
    await floor.equipment.defineItems(TUBE, tubes(3));
    const [a, b] = await Promise.all([floor.issueBand(1, 'bk_1'), floor.issueBand(2, 'bk_1')]);
    await floor.equipment.pickup({ bandUid: a, typeId: TUBE, itemId: 'TUBE-001' });
    await floor.equipment.pickup({ bandUid: b, typeId: TUBE, itemId: 'TUBE-002' });
    await floor.equipment.pickup({ bandUid: await floor.issueBand(3), typeId: TUBE, itemId: 'TUBE-003' });
    const out = await floor.equipment.unreturned('bk_1');
    expect(out.ok && out.data.map((i) => [i.itemId, i.bandUid, i.overdue])).toEqual([
      ['TUBE-001', a, false],
      ['TUBE-002', b, false],
    ]);
    await floor.equipment.return({ itemId: 'TUBE-001', condition: 'ok' });
    expect(await floor.equipment.charge('TUBE-002', 'user:adm', 'not returned at check-out')).toMatchObject({ ok: true, data: { state: 'lost' } });
    expect(await floor.equipment.unreturned('bk_1')).toEqual({ ok: true, data: [] });
    expect(await counts()).toEqual({ available: 1, inUse: 1, maintenance: 0, lost: 1, remaining: 1 });
    expect(await floor.equipment.found('TUBE-002')).toMatchObject({ ok: true, data: { state: 'maintenance' } });
    expect(await floor.equipment.repaired('TUBE-002')).toMatchObject({ ok: true, data: { state: 'available' } });
    expect(await counts()).toMatchObject({ available: 2, remaining: 2 });
  });

  it('publishes the counts of a type after every change', async () => {
    await floor.equipment.defineItems(TUBE, tubes(2));
    const seen: EquipmentAvailability[] = [];
    const stop = floor.equipment.subscribe((l) => seen.push(l));
    const inUse = new Promise<void>((resolve) => floor.equipment.subscribe((l) => l.inUse === 1 && resolve()));
    await floor.equipment.pickup({ bandUid: await floor.issueBand(1), typeId: TUBE });
    await inUse;
    expect(seen.at(-1)).toMatchObject({ typeId: TUBE, total: 2, available: 1, inUse: 1, maintenance: 0, remaining: 1 });
    stop();
  });
});

describe('overdue rentals', () => {
  it('alert once when the due time passes, and survive a restart of the node', async () => {
    let floor = await startRentalFloor({ rentalMs: 1_000 });
    try {
      await floor.equipment.defineItems(TUBE, tubes(2));
      const band = await floor.issueBand(1);
      await floor.equipment.pickup({ bandUid: band, typeId: TUBE, itemId: 'TUBE-001' });
      const [alert] = await floor.waitForAlerts(1);
      expect(alert).toMatchObject({ itemId: 'TUBE-001', typeId: TUBE, bandUid: band, bookingId: 'bk_1' });
      expect(await floor.equipment.unreturned('bk_1')).toMatchObject({ ok: true, data: [{ itemId: 'TUBE-001', overdue: true }] });

      // The second rental's timer is only in the store when the node goes down.
      await floor.equipment.pickup({ bandUid: band, typeId: TUBE, itemId: 'TUBE-002' });
      floor = await floor.restart();
      await floor.equipment.defineItems(TUBE, tubes(2));
      const [late] = await floor.waitForAlerts(1);
      expect(late).toMatchObject({ itemId: 'TUBE-002', bookingId: 'bk_1' });
      expect(await floor.equipment.return({ itemId: 'TUBE-002', condition: 'ok' })).toMatchObject({ ok: true, data: { state: 'available', context: { condition: 'ok' } } });
    } finally {
      await floor.stop();
    }
  });

  it('a returned rental never alerts', async () => {
    const floor = await startRentalFloor({ rentalMs: 200 });
    try {
      await floor.equipment.defineItems(TUBE, tubes(1));
      await floor.equipment.pickup({ bandUid: await floor.issueBand(1), typeId: TUBE });
      await floor.equipment.return({ itemId: 'TUBE-001', condition: 'ok' });
      // A later rental's alert proves the relay ran past the cancelled due time.
      await floor.equipment.pickup({ bandUid: await floor.issueBand(2), typeId: TUBE });
      const alerts = await floor.waitForAlerts(1);
      expect(alerts.map((a) => a.bookingId)).toEqual(['bk_2']);
    } finally {
      await floor.stop();
    }
  });
});
