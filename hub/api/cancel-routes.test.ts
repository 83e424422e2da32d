import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../machines/errors.js';
import type { TestHub } from '../hub.test-support.js';
import { startTestHub, TEST_SLOT, TEST_TICKETS } from '../hub.test-support.js';
import type { CancelAnswer } from './cancel-routes.js';
import { cancelRoutes } from './cancel-routes.js';
import { personFrom } from './http-auth.js';

const HOUR = 60 * 60 * 1000;
const PRICE = TEST_TICKETS.adult.price;

describe('POST /api/bookings/:id/cancel and its terms', () => {
  let t: TestHub;
  let slotStartsAt = 0;
  // The route's clock: each case sets how long before the slot the visitor cancels.
  let now = 0;
  let alice = '';
  let bob = '';

  beforeAll(async () => {
    t = await startTestHub({
      api: ({ services, runtime, tokens }) =>
        cancelRoutes({
          authenticate: (req) => personFrom(req, { tokens, revocations: runtime.access.revocations }),
          host: runtime.host,
          slots: services.catalogStore.slots,
          clock: () => now,
        }),
    });
    const slot = await t.services.catalogStore.slots.get(TEST_SLOT);
    slotStartsAt = slot?.startsAt ?? 0;
    alice = await t.person('cancel-alice', 'visitor');
    bob = await t.person('cancel-bob', 'visitor');
  });
  afterAll(async () => {
    await t.stop();
  });

  async function booking(bookingId: string, pay: boolean): Promise<void> {
    const lines = [{ ticketTypeId: TEST_TICKETS.adult.ticketTypeId, qty: 2, unitPrice: PRICE }];
    const held = await t.runtime.bookings.hold({ bookingId, visitorId: 'cancel-alice', slotId: TEST_SLOT, lines, requiresApproval: false }, 'user:cancel-alice');
    expect(held.ok).toBe(true);
    expect(await t.runtime.host.send('booking', bookingId, { type: 'booking.submit' }, { who: 'user:cancel-alice' })).toMatchObject({ ok: true, data: { state: 'awaiting_payment' } });
    if (!pay) return;
    const paid = await t.runtime.host.send('booking', bookingId, { type: 'payment.captured', paymentId: `pay-${bookingId}`, amount: 2 * PRICE }, { who: 'system' });
    expect(paid).toMatchObject({ ok: true, data: { state: 'confirmed' } });
  }

  async function cancel(bookingId: string, token: string, body: unknown = {}): Promise<{ status: number; body: Result<CancelAnswer> }> {
    const res = await fetch(`${t.url}/api/bookings/${bookingId}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Result<CancelAnswer> };
  }

  async function context(bookingId: string): Promise<Record<string, unknown>> {
    const read = await t.runtime.host.read('booking', bookingId);
    if (!read.ok) throw new Error(read.code);
    return { state: read.data.state, ...(read.data.context as Record<string, unknown>) };
  }

  it('refunds in full when cancelled 48 hours or more before the slot, and revokes the tickets', async () => {
    await booking('cx-full', true);
    now = slotStartsAt - 48 * HOUR;
    const answer = await cancel('cx-full', alice, { reason: 'plans changed' });
    expect(answer).toMatchObject({ status: 200, body: { ok: true, data: { state: 'cancelled', refundAmount: 2 * PRICE, rule: 'full' } } });
    expect(await context('cx-full')).toMatchObject({ state: 'cancelled', refundRequestedAmount: 2 * PRICE, cancelReason: 'plans changed', cancelledAt: now });
  });

  it('refunds half between 48 and 24 hours before, nothing later', async () => {
    await booking('cx-partial', true);
    now = slotStartsAt - 30 * HOUR;
    expect((await cancel('cx-partial', alice)).body).toMatchObject({ ok: true, data: { state: 'cancelled', refundAmount: PRICE, rule: 'partial' } });
    expect(await context('cx-partial')).toMatchObject({ refundRequestedAmount: PRICE });

    await booking('cx-none', true);
    now = slotStartsAt - 24 * HOUR + 1;
    expect((await cancel('cx-none', alice)).body).toMatchObject({ ok: true, data: { state: 'cancelled', refundAmount: 0, rule: 'none' } });
    expect(await context('cx-none')).toMatchObject({ state: 'cancelled', refundRequestedAmount: 0 });

    await booking('cx-started', true);
    now = slotStartsAt + HOUR;
    expect((await cancel('cx-started', alice)).body).toMatchObject({ ok: true, data: { refundAmount: 0, rule: 'none' } });
  });

  it('cancels an unpaid booking without a refund', async () => {
    await booking('cx-unpaid', false);
    now = slotStartsAt - 100 * HOUR;
    expect((await cancel('cx-unpaid', alice)).body).toMatchObject({ ok: true, data: { state: 'cancelled', refundAmount: 0, rule: 'unpaid' } });
    expect(await context('cx-unpaid')).toMatchObject({ capturedAmount: 0, refundRequestedAmount: 0 });
  });

  it('cancels once and refunds once on a double click', async () => {
    await booking('cx-double', true);
    now = slotStartsAt - 72 * HOUR;
    const [first, second] = await Promise.all([cancel('cx-double', alice), cancel('cx-double', alice)]);
    for (const answer of [first, second]) expect(answer.body).toMatchObject({ ok: true, data: { state: 'cancelled', refundAmount: 2 * PRICE, rule: 'full' } });
    const again = await cancel('cx-double', alice);
    expect(again.body).toMatchObject({ ok: true, data: { state: 'cancelled', refundAmount: 2 * PRICE, rule: 'full' } });
    expect(await context('cx-double')).toMatchObject({ refundRequestedAmount: 2 * PRICE });
    const log = await t.store.eventLog('booking', 'cx-double');
    expect(log.filter((entry) => entry.eventType === 'booking.cancel')).toHaveLength(1);
  });

  it('shows the terms before confirming: what cancelling then gives, asking changes nothing', async () => {
    const terms = async (bookingId: string, token: string) => {
      const res = await fetch(`${t.url}/api/bookings/${bookingId}/cancellation`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as Result<CancelAnswer> };
    };
    await booking('cx-terms', true);
    now = slotStartsAt - 30 * HOUR;
    expect(await terms('cx-terms', alice)).toMatchObject({ status: 200, body: { ok: true, data: { state: 'confirmed', refundAmount: PRICE, rule: 'partial' } } });
    expect(await context('cx-terms')).toMatchObject({ state: 'confirmed', refundRequestedAmount: 0 });
    now = slotStartsAt - 50 * HOUR;
    expect((await terms('cx-terms', alice)).body).toMatchObject({ ok: true, data: { refundAmount: 2 * PRICE, rule: 'full' } });
    expect((await cancel('cx-terms', alice)).body).toMatchObject({ ok: true, data: { refundAmount: 2 * PRICE, rule: 'full' } });
    // Once cancelled, the terms are what was given.
    expect((await terms('cx-terms', alice)).body).toMatchObject({ ok: true, data: { state: 'cancelled', refundAmount: 2 * PRICE, rule: 'full' } });

    await booking('cx-terms-unpaid', false);
    expect((await terms('cx-terms-unpaid', alice)).body).toMatchObject({ ok: true, data: { state: 'awaiting_payment', refundAmount: 0, rule: 'unpaid' } });
    expect(await terms('cx-terms-unpaid', bob)).toMatchObject({ status: 404, body: { ok: false, code: 'actor.not_found' } });
  });

  it("answers 404 for someone else's booking and for an unknown one, changing nothing", async () => {
    await booking('cx-theirs', true);
    now = slotStartsAt - 72 * HOUR;
    expect(await cancel('cx-theirs', bob)).toMatchObject({ status: 404, body: { ok: false, code: 'actor.not_found' } });
    expect(await cancel('cx-nobody', bob)).toMatchObject({ status: 404, body: { ok: false, code: 'actor.not_found' } });
    expect(await context('cx-theirs')).toMatchObject({ state: 'confirmed', refundRequestedAmount: 0 });
  });

  it('refuses a malformed body and a missing token', async () => {
    await booking('cx-bad', true);
    expect(await cancel('cx-bad', alice, { reason: 'x', refundAmount: 999_999 })).toMatchObject({ status: 400, body: { ok: false, code: 'event.invalid' } });
    const anonymous = await fetch(`${t.url}/api/bookings/cx-bad/cancel`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(await context('cx-bad')).toMatchObject({ state: 'confirmed' });
  });
});
