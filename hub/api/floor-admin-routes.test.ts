/**
 * Staff routes of the venue floor over real HTTP on a real hub: locker pools defined and listed,
 * a manual assignment to a band's booking, release and out-of-service, rental items defined and
 * charged, and a staff check-out that waits for rented items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketInput } from '../../machines/ticket.schemas.js';
import { TEST_SLOT, TEST_TICKETS } from '../hub.test-support.js';
import type { ApiHub } from './api.test-support.js';
import { data, startApiHub } from './api.test-support.js';

const META = { who: 'test', eventId: null };

describe('floor admin routes', () => {
  let t: ApiHub;
  let admin: string;
  let desk: string;
  beforeAll(async () => {
    t = await startApiHub();
    admin = await t.person('floor-root', 'super_admin');
    desk = await t.person('floor-desk', 'booking_admin');
  });
  afterAll(() => t.stop());

  /** A paid booking of one adult with its ticket and an active band. */
  async function bandedBooking(bookingId: string, band: string): Promise<void> {
    const lines = [{ ticketTypeId: TEST_TICKETS.adult.ticketTypeId, unitPrice: TEST_TICKETS.adult.price, qty: 1 }];
    const held = await t.runtime.bookings.hold({ bookingId, visitorId: 'vis_desk', slotId: TEST_SLOT, lines, requiresApproval: false }, 'test');
    expect(held.ok).toBe(true);
    await t.runtime.host.send('booking', bookingId, { type: 'booking.submit' }, META);
    await t.runtime.host.send('booking', bookingId, { type: 'payment.captured', paymentId: `pay-${bookingId}`, amount: TEST_TICKETS.adult.price }, META);
    const now = Date.now();
    const input: TicketInput = { ticketId: `${bookingId}-t1`, bookingId, visitorId: 'vis_desk', ticketTypeId: 'adult', slotId: 'slot_1', seq: 1, validFrom: now, validUntil: now + 3_600_000, issuedAt: now };
    expect((await t.runtime.host.create('ticket', input.ticketId, input, META)).ok).toBe(true);
    expect(await t.runtime.wristbands.link(band, input.ticketId)).toMatchObject({ ok: true });
  }

  it('defines a locker pool (super admins only), assigns a locker by hand, releases it', async () => {
    expect((await t.call('POST', '/api/admin/lockers', { zone: 'pool', size: 'medium', ids: ['P-1'] }, desk)).body).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect((await t.call('POST', '/api/admin/lockers', { zone: 'pool', size: 'huge', ids: ['P-1'] }, admin)).body).toMatchObject({ ok: false, code: 'event.invalid' });
    const defined = await t.call('POST', '/api/admin/lockers', { zone: 'pool', size: 'medium', ids: ['P-1', 'P-2'] }, admin);
    expect(defined.status).toBe(201);
    expect(data(defined)).toEqual({ slotId: 'lockers:pool:medium', lockers: 2 });

    await bandedBooking('bk-desk-1', 'BAND-DESK-1');
    const assigned = await t.call('POST', '/api/admin/lockers/P-2/assign', { band: 'BAND-DESK-1' }, desk);
    expect(assigned.body).toMatchObject({ ok: true, data: { id: 'P-2', state: 'assigned', context: { bookingId: 'bk-desk-1', bandUid: 'BAND-DESK-1' } } });
    expect((await t.call('POST', '/api/admin/lockers/P-2/assign', { band: 'NO-SUCH-BAND' }, desk)).body).toMatchObject({ ok: false, code: 'band.unknown' });

    expect((await t.call('POST', '/api/admin/lockers/P-2/out-of-service', {}, desk)).body).toMatchObject({ ok: false, code: 'event.rejected' });
    expect((await t.call('POST', '/api/admin/lockers/P-2/release', {}, desk)).body).toMatchObject({ ok: true, data: { state: 'free' } });
    expect((await t.call('POST', '/api/admin/lockers/P-2/out-of-service', {}, desk)).body).toMatchObject({ ok: true, data: { state: 'out_of_service' } });
    expect((await t.call('POST', '/api/admin/lockers/P-2/back-in-service', {}, desk)).body).toMatchObject({ ok: true, data: { state: 'free' } });
    expect((await t.store.ledger.level('lockers:pool:medium'))?.taken).toBe(0);
  });

  it('closes a visit by hand only once rented items are back or charged', async () => {
    expect((await t.call('POST', '/api/admin/equipment', { typeId: 'vest', items: [{ itemId: 'VEST-1' }] }, admin)).status).toBe(201);
    await bandedBooking('bk-desk-2', 'BAND-DESK-2');
    await t.runtime.host.send('booking', 'bk-desk-2', { type: 'booking.check_in', at: Date.now() }, META);
    expect(await t.runtime.equipment.pickup({ bandUid: 'BAND-DESK-2', typeId: 'vest' })).toMatchObject({ ok: true, data: { state: 'in_use' } });

    expect((await t.call('POST', '/api/admin/bookings/bk-desk-2/check-out', {}, desk)).body).toMatchObject({ ok: false, code: 'equipment.unreturned' });
    expect((await t.call('POST', '/api/admin/equipment/VEST-1/charge', {}, desk)).body).toMatchObject({ ok: false, code: 'event.invalid' });
    expect((await t.call('POST', '/api/admin/equipment/VEST-1/charge', { reason: 'not returned, charged to card' }, desk)).body).toMatchObject({ ok: true, data: { state: 'lost' } });
    expect((await t.call('POST', '/api/admin/bookings/bk-desk-2/check-out', {}, desk)).body).toMatchObject({ ok: true, data: { state: 'checked_out' } });
  });
});
