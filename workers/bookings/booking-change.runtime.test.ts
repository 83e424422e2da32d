/**
 * Changes of paid bookings on the started runtime: the capacity ledger, the booking, its payments
 * at the simulated gateway (webhooks over real HTTP), its tickets and a gate's scans, all real.
 *
 *   moved to another slot      both slots' places follow; the old tickets are refused at the gate, the new admitted
 *   a smaller party            the per-place price goes back through the refund path (transaction log, reason change)
 *   a bigger party, dearer     needs room; waits for the visitor's payment of the difference, then applies
 *   refusals                   no room, checked in, a change already waiting: nothing written, nothing moved
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { BookingContext } from '../../machines/booking.schemas.js';
import { equipmentRuntime } from '../equipment/equipment.module.js';
import { gatesRuntime } from '../gates/gates.module.js';
import { lockersRuntime } from '../lockers/lockers.module.js';
import { wire } from '../modules/runtime-module.js';
import { notificationsRuntime } from '../notifications/notifications.module.js';
import { paymentsRuntime } from '../payments/payments.module.js';
import type { PayStack } from '../payments/payments.test-support.js';
import { UNIT_PRICE, bookAwaitingPayment, payWith, startPayStack, until, view } from '../payments/payments.test-support.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import { createTicketTokens } from '../tickets/ticket-token.js';
import { createMapSlotWindows, createTestTicketKeys } from '../tickets/tickets.test-support.js';
import { visitsRuntime } from '../visits/visits.module.js';
import { wristbandsRuntime } from '../wristbands/wristbands.module.js';
import { bookingsRuntime } from './bookings.module.js';

const CARD_OK = '4111111111111111';
const ADMIN = { who: 'user:adm_1', adminId: 'adm_1' };
const adults = (qty: number) => [{ ticketTypeId: 'adult', qty, unitPrice: UNIT_PRICE }];

describe('changes of paid bookings on the runtime', () => {
  let stack: PayStack;
  afterEach(async () => {
    await stack.stop();
  });

  async function start(): Promise<void> {
    const now = Date.now();
    // Every slot is open now, so tickets scan at the gate whichever slot they are for.
    const window = { startsAt: now - 10 * 60_000, endsAt: now + 2 * 3_600_000 };
    const slots = createMapSlotWindows({ slot_1: window, slot_2: window, slot_3: window });
    const tokens = createTicketTokens({ keys: await createTestTicketKeys(), issuer: 'venue-hub' });
    stack = await startPayStack({
      modules: [bookingsRuntime, ticketsRuntime, notificationsRuntime, paymentsRuntime, wristbandsRuntime, lockersRuntime, equipmentRuntime, visitsRuntime, gatesRuntime],
      wiring: [wire(ticketsRuntime, { slots, tokens }), wire(gatesRuntime, { tickets: tokens })],
    });
    await stack.store.ledger.defineSlot('slot_2', 5);
    await stack.store.ledger.defineSlot('slot_3', 3);
  }

  const taken = async (slotId: string) => (await stack.store.ledger.level(slotId))?.taken;
  const tickets = () => {
    const service = stack.rt.service(ticketsRuntime);
    if (!service) throw new Error('tickets are not wired');
    return service;
  };
  const scan = async (token: string) => {
    const scans = stack.rt.service(gatesRuntime).scans;
    if (!scans) throw new Error('gates are not wired');
    return scans.scan({ token, nonce: `n-${randomUUID()}`, direction: 'entry', gateId: 'gate_a', at: Date.now() }, 'gate-a');
  };
  /** Everything the commits asked for is done: effects delivered, webhooks answered, their effects delivered. */
  const settle = async () => {
    await stack.rt.relay.drain();
    await stack.gateway.webhooks.idle();
    await stack.rt.relay.drain();
  };
  const context = async (bookingId: string) => (await view(stack, 'booking', bookingId)).context as BookingContext;

  async function paidBooking(bookingId: string, qty: number): Promise<string[]> {
    await bookAwaitingPayment(stack, bookingId, qty);
    await payWith(stack, bookingId, CARD_OK);
    await until(stack.rt, 'booking', bookingId, 'confirmed');
    await settle();
    const issued = await tickets().ticketsOfBooking(bookingId);
    expect(issued).toHaveLength(qty);
    return issued.map((t) => t.token ?? '');
  }

  it('moves a paid booking to another slot: both slots follow, the old tickets are refused at the gate, the new ones admitted', async () => {
    await start();
    const old = await paidBooking('b1', 2);
    expect([await taken('slot_1'), await taken('slot_2')]).toEqual([2, 0]);

    const moved = await stack.rt.bookings.change('b1', { slotId: 'slot_2', lines: adults(2), requiresApproval: false }, { ...ADMIN, changeId: 'change-b1-0001' });
    expect(moved).toMatchObject({ ok: true, data: { state: 'confirmed', context: { slotId: 'slot_2', total: 10_000, ticketBase: 2 } } });
    expect([await taken('slot_1'), await taken('slot_2')]).toEqual([0, 2]);
    await settle();

    const reissued = await tickets().ticketsOfBooking('b1');
    expect(reissued.map((t) => [t.ticketId, t.slotId, t.state])).toEqual([
      ['b1-t3', 'slot_2', 'valid'],
      ['b1-t4', 'slot_2', 'valid'],
    ]);
    // The same form again changes nothing more.
    const again = await stack.rt.bookings.change('b1', { slotId: 'slot_2', lines: adults(2), requiresApproval: false }, { ...ADMIN, changeId: 'change-b1-0001' });
    expect(again.ok && again.data.context).toEqual(moved.ok && moved.data.context);
    expect([await taken('slot_1'), await taken('slot_2')]).toEqual([0, 2]);
    for (const token of old) expect(await scan(token)).toMatchObject({ verdict: 'refused', code: 'ticket.revoked' });
    expect(await scan(reissued[0]?.token ?? '')).toMatchObject({ verdict: 'admitted', ticketId: 'b1-t3' });
    // Checked in now (the scan above): refused, nothing moves.
    const inside = await stack.rt.bookings.change('b1', { slotId: 'slot_1', lines: adults(2), requiresApproval: false }, { ...ADMIN, changeId: 'change-b1-0002' });
    expect(inside).toMatchObject({ ok: false, code: 'event.rejected' });
    expect([await taken('slot_1'), await taken('slot_2')]).toEqual([0, 2]);
  });

  it('a smaller party gives back the per-place price through the refund path, in the transaction log, and revokes the surplus tickets', async () => {
    await start();
    const old = await paidBooking('b2', 3);
    const smaller = await stack.rt.bookings.change('b2', { slotId: 'slot_1', lines: adults(2), requiresApproval: false }, { ...ADMIN, changeId: 'change-b2-0001' });
    expect(smaller).toMatchObject({ ok: true, data: { context: { quantity: 2, total: 10_000, refundRequestedAmount: UNIT_PRICE } } });
    expect(await taken('slot_1')).toBe(2);
    await settle();

    const booking = await context('b2');
    expect(booking).toMatchObject({ refundedAmount: UNIT_PRICE, changes: [{ difference: -UNIT_PRICE, settlement: 'refunded' }] });
    const paymentId = booking.payments.find((p) => p.status === 'captured')?.paymentId ?? '';
    expect((await view(stack, 'payment', paymentId)).context).toMatchObject({ refunds: [{ amount: UNIT_PRICE, reason: 'change', by: 'user:adm_1', status: 'succeeded' }] });
    const log = await stack.rt.payments!.service.listTransactions({ bookingId: 'b2' });
    expect(log.ok && log.data.map((t) => [t.movement, t.amount, t.reason ?? null, t.by])).toEqual([
      ['payment.captured', 15_000, null, 'gateway:simulated'],
      ['refund.requested', UNIT_PRICE, 'change', 'user:adm_1'],
      ['refund.succeeded', UNIT_PRICE, 'change', 'user:adm_1'],
    ]);
    expect((await tickets().ticketsOfBooking('b2')).map((t) => t.ticketId)).toEqual(['b2-t4', 'b2-t5']);
    for (const token of old) expect(await scan(token)).toMatchObject({ verdict: 'refused', code: 'ticket.revoked' });
  });

  it('a bigger party needs room and the difference paid first; paid through the pay flow, it applies onto the places it reserved', async () => {
    await start();
    const old = await paidBooking('b3', 2);
    const before = await view(stack, 'booking', 'b3');

    // Slot 3 has 3 places: four people do not fit, and nothing is written.
    const tooMany = await stack.rt.bookings.change('b3', { slotId: 'slot_3', lines: adults(4), requiresApproval: false }, { ...ADMIN, changeId: 'change-b3-0001' });
    expect(tooMany).toMatchObject({ ok: false, code: 'slot.sold_out' });
    expect((await view(stack, 'booking', 'b3')).version).toBe(before.version);
    expect(await taken('slot_3')).toBe(0);

    const asked = await stack.rt.bookings.change('b3', { slotId: 'slot_3', lines: adults(3), requiresApproval: false }, { ...ADMIN, changeId: 'change-b3-0002' });
    expect(asked).toMatchObject({ ok: true, data: { context: { slotId: 'slot_1', pendingChange: { slotId: 'slot_3', due: UNIT_PRICE } } } });
    // The new places are reserved; the old ones and the tickets stay until it is paid.
    expect([await taken('slot_1'), await taken('slot_3')]).toEqual([2, 3]);
    expect(await stack.rt.bookings.change('b3', { slotId: 'slot_2', lines: adults(2), requiresApproval: false }, { ...ADMIN, changeId: 'change-b3-0003' })).toMatchObject({ ok: false, code: 'event.rejected' });
    await settle();
    // The party comes in with the tickets they have: the change gives way and its reserved places go back.
    expect(await scan(old[0] ?? '')).toMatchObject({ verdict: 'admitted' });
    await settle();
    expect(await context('b3')).toMatchObject({ slotId: 'slot_1', changes: [{ settlement: 'lapsed' }] });
    expect((await context('b3')).pendingChange).toBeUndefined();
    expect(await taken('slot_3')).toBe(0);
  });

  it('a change withdrawn before it is paid gives its places back, and a payment of the difference after that is refunded in full', async () => {
    await start();
    await paidBooking('b5', 2);
    expect((await stack.rt.bookings.change('b5', { slotId: 'slot_3', lines: adults(3), requiresApproval: false }, { ...ADMIN, changeId: 'change-b5-0001' })).ok).toBe(true);
    expect(await taken('slot_3')).toBe(3);
    // The visitor opens the payment of the difference, then the admin withdraws the change.
    const started = await stack.rt.payments!.service.startPayment('b5', 'card', 'user:vis_1');
    if (!started.ok) throw new Error(started.message);
    expect(await stack.rt.bookings.withdrawChange('b5', ADMIN)).toMatchObject({ ok: true, data: { context: { changes: [{ settlement: 'withdrawn' }] } } });
    expect(await stack.rt.bookings.withdrawChange('b5', ADMIN)).toMatchObject({ ok: false, code: 'event.rejected' });
    await settle();
    expect([await taken('slot_1'), await taken('slot_3')]).toEqual([2, 0]);
    // Paid anyway: the booking cannot use it, so it goes back in full.
    expect(stack.gateway.submitHostedPage(started.data.redirectUrl.slice(started.data.redirectUrl.lastIndexOf('/') + 1), { method: 'card', card_number: CARD_OK }).ok).toBe(true);
    await until(stack.rt, 'payment', started.data.paymentId, 'refunded');
    await settle();
    expect(await context('b5')).toMatchObject({ slotId: 'slot_1', quantity: 2, capturedAmount: 10_000 + UNIT_PRICE, refundedAmount: UNIT_PRICE });
  });

  it('a dearer change paid by the visitor through the usual pay flow moves the places and reissues the tickets; a waived one applies at once', async () => {
    await start();
    const old = await paidBooking('b4', 2);
    const asked = await stack.rt.bookings.change('b4', { slotId: 'slot_3', lines: adults(3), requiresApproval: false }, { ...ADMIN, changeId: 'change-b4-0001' });
    expect(asked.ok).toBe(true);
    const { paymentId } = await payWith(stack, 'b4', CARD_OK);
    expect((await view(stack, 'payment', paymentId)).context).toMatchObject({ amount: UNIT_PRICE });
    await settle();
    expect(await context('b4')).toMatchObject({ slotId: 'slot_3', quantity: 3, total: 15_000, capturedAmount: 15_000, changes: [{ settlement: 'paid', paymentId }] });
    expect([await taken('slot_1'), await taken('slot_3')]).toEqual([0, 3]);
    expect(await stack.store.ledger.holdsOf('slot_3')).toEqual([expect.objectContaining({ holdId: 'b4', qty: 3, status: 'confirmed' })]);
    expect((await tickets().ticketsOfBooking('b4')).map((t) => [t.ticketId, t.slotId])).toEqual([
      ['b4-t3', 'slot_3'],
      ['b4-t4', 'slot_3'],
      ['b4-t5', 'slot_3'],
    ]);
    expect(await scan(old[1] ?? '')).toMatchObject({ verdict: 'refused', code: 'ticket.revoked' });

    const waived = await stack.rt.bookings.change('b4', { slotId: 'slot_3', lines: [{ ticketTypeId: 'adult', qty: 2, unitPrice: 10_000 }], requiresApproval: false }, { ...ADMIN, changeId: 'change-b4-0002', priceIncrease: 'waive' });
    expect(waived).toMatchObject({ ok: true, data: { context: { quantity: 2, total: 20_000, capturedAmount: 15_000, changes: [{}, { difference: 5_000, settlement: 'waived' }] } } });
    expect(await taken('slot_3')).toBe(2);
  });
});
