/**
 * The books balance after any mix of money events, on the real runtime with the simulated gateway
 * delivering every signed webhook twice, out of order, over HTTP: visitor cancellations under the
 * policy (full, partial, nothing), finance refunds (everything, keep the visit, cancel a ticket,
 * after a cancellation that gave nothing), late payments (room left, sold out), a payment nobody
 * can use, a declined card then a paid one, 3-D Secure, the bank answering later, replayed
 * webhooks, and a refund beyond what is left. Then, with nothing in flight:
 *
 *   Σ captures in the log = Σ bookings' capturedAmount
 *   Σ refunds in the log  = Σ bookings' refundedAmount
 *   captured − refunded   = Σ paid bookings' totals (less goodwill refunds) + Σ amounts kept by policy
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BookingContext } from '../../machines/booking.schemas.js';
import type { TransactionEntry } from './payment-records.js';
import type { PayStack } from './payments.test-support.js';
import { SECRET, UNIT_PRICE, refOf, startPayStack, until, view } from './payments.test-support.js';
import { signatureHeaders } from './webhook-signature.js';

const SEATED = new Set(['confirmed', 'checked_in', 'leaving', 'checked_out']);
const PAID_CARD = '4111111111111111';
const DECLINED_CARD = '4000000000000002';
const SECURE_CARD = '4000000000003220';
const BANK_CARD = '4000000000000036';
const HOUR = 3_600_000;

describe('payments: the books balance', () => {
  let stack: PayStack;
  afterEach(async () => {
    await stack.stop();
  });

  /** Takes the places and creates the booking awaiting payment; `paymentMs` short for the late-payment cases. */
  async function awaitingPayment(bookingId: string, qty: number, options: { slot?: string; paymentMs?: number; visitorId?: string } = {}): Promise<void> {
    const slot = options.slot ?? 'slot_1';
    const visitorId = options.visitorId ?? 'vis_1';
    const taken = await stack.store.ledger.take(slot, bookingId, qty, Date.now());
    if (!taken.ok) throw new Error(`take ${bookingId}: ${taken.code}`);
    const input = {
      bookingId, visitorId, slotId: slot, lines: [{ ticketTypeId: 'adult', qty, unitPrice: UNIT_PRICE }], requiresApproval: false,
      holdMs: HOUR, reviewMs: HOUR, paymentMs: options.paymentMs ?? HOUR,
    };
    const created = await stack.rt.host.create('booking', bookingId, input, { who: `user:${visitorId}`, eventId: `hold:${bookingId}` });
    if (!created.ok) throw new Error(`create ${bookingId}: ${created.code}`);
    const submitted = await stack.rt.host.send('booking', bookingId, { type: 'booking.submit' }, { who: `user:${visitorId}` });
    if (!submitted.ok) throw new Error(`submit ${bookingId}: ${submitted.code}`);
  }

  async function open(bookingId: string, visitorId = 'vis_1'): Promise<{ paymentId: string; ref: string }> {
    const started = await stack.rt.payments!.service.startPayment(bookingId, 'card', `user:${visitorId}`);
    if (!started.ok) throw new Error(`startPayment ${bookingId}: ${started.code} ${started.message}`);
    return { paymentId: started.data.paymentId, ref: refOf(started.data.redirectUrl) };
  }

  function submit(ref: string, fields: Record<string, string>): void {
    const submitted = stack.gateway.submitHostedPage(ref, fields);
    if (!submitted.ok) throw new Error(`hosted page ${ref}: ${submitted.code} ${submitted.message}`);
  }

  async function paid(bookingId: string, qty = 2): Promise<string> {
    await awaitingPayment(bookingId, qty);
    const { paymentId, ref } = await open(bookingId);
    submit(ref, { method: 'card', card_number: PAID_CARD });
    await until(stack.rt, 'booking', bookingId, 'confirmed');
    return paymentId;
  }

  const cancel = (bookingId: string, refundAmount: number) =>
    stack.rt.host.send('booking', bookingId, { type: 'booking.cancel', refundAmount, at: Date.now() }, { who: 'user:vis_1', eventId: `cancel:${bookingId}` });
  const financeRefund = (paymentId: string, amount: number, requestId: string, extra: Record<string, unknown> = {}) =>
    stack.rt.payments!.service.requestRefund({ paymentId, amount, requestId, ...extra }, 'user:fin_1');

  /** Replays a signed provider event as a duplicate delivery would. */
  async function replay(type: 'payment.paid', ref: string, merchantRef: string, amount: number): Promise<number> {
    const data = { ref, merchant_ref: merchantRef, amount, currency: 'SAR', method: 'card', refunded: 0, failure: null };
    const body = Buffer.from(JSON.stringify({ id: `evt_${ref}_paid`, type, created: Math.floor(Date.now() / 1000), data }));
    const response = await fetch(stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...signatureHeaders(SECRET, Math.floor(Date.now() / 1000), body) }, body });
    return response.status;
  }

  /** Waits until nothing is in flight: deliveries done, outbox drained, every refund asked for settled. */
  async function settle(bookingIds: readonly string[]): Promise<BookingContext[]> {
    for (;;) {
      // Listening before looking, so that a commit landing in between is not missed.
      let off = () => {};
      const nextCommit = new Promise<void>((resolve) => {
        off = stack.rt.bus.subscribe(() => resolve());
      });
      await stack.gateway.webhooks.idle();
      await stack.rt.relay.drain();
      const contexts = await Promise.all(bookingIds.map(async (id) => BookingContext.parse((await view(stack, 'booking', id)).context)));
      const inFlight = contexts.filter((c) => c.refundRequestedAmount !== c.refundedAmount);
      const pending = await stack.store.pendingEffects(1, ['txn.record', 'refund.request', 'gateway.refund', 'booking.notify_refunded', 'booking.settle_capture']);
      if (inFlight.length === 0 && pending.length === 0) {
        off();
        return contexts;
      }
      // Something is still on its way (a refund's webhook, a retried delivery): wait for the next commit.
      await nextCommit;
      off();
    }
  }

  async function transactionLog(): Promise<TransactionEntry[]> {
    const rows: TransactionEntry[] = [];
    for (let since = 0; ; ) {
      const page = await stack.records.listTransactions({ since, limit: 500 });
      rows.push(...page);
      if (page.length < 500) return rows;
      since = (page.at(-1)?.at ?? since) + 1;
    }
  }

  it('after cancellations, finance refunds, late payments and duplicate webhooks, every identity holds', async () => {
    stack = await startPayStack({ capacity: 100, webhooks: { duplicateProbability: 1, jitterMs: 40, seed: 7 } });
    await stack.store.ledger.defineSlot('slot_small', 2);
    const bookings: string[] = [];
    const track = (id: string) => (bookings.push(id), id);

    // Visitor cancellations: full, partial (the policy keeps half), nothing.
    await paid(track('full'));
    expect(await cancel('full', 10_000)).toMatchObject({ ok: true, data: { state: 'cancelled' } });
    await paid(track('half'));
    expect(await cancel('half', 5_000)).toMatchObject({ ok: true });
    const nothing = await paid(track('nothing'));
    expect(await cancel('nothing', 0)).toMatchObject({ ok: true, data: { state: 'cancelled' } });
    // ... and finance refunds what that policy kept.
    expect(await financeRefund(nothing, 10_000, 'goodwill-nothing')).toMatchObject({ ok: true, data: { bookingState: 'cancelled' } });

    // Finance refunds: everything (the booking is cancelled), a goodwill part, one ticket of two.
    const whole = await paid(track('whole'));
    expect(await financeRefund(whole, 10_000, 'whole-0001')).toMatchObject({ ok: true, data: { bookingState: 'cancelled' } });
    expect(await financeRefund(whole, 10_000, 'whole-0001')).toMatchObject({ ok: true }); // the same request again
    expect(await financeRefund(whole, 1, 'whole-0002')).toMatchObject({ ok: false, code: 'refund.exceeds_capture' });
    const goodwill = await paid(track('goodwill'));
    expect(await financeRefund(goodwill, 1_500, 'goodwill-01')).toMatchObject({ ok: true, data: { bookingState: 'confirmed' } });
    expect(await stack.rt.host.send('booking', 'goodwill', { type: 'booking.check_in', at: Date.now() }, { who: 'device:gate_1' })).toMatchObject({ ok: true });
    const oneTicket = await paid(track('one-ticket'));
    expect(await financeRefund(oneTicket, UNIT_PRICE, 'one-ticket-1', { policy: 'cancel_tickets', ticketIds: ['one-ticket-t2'] })).toMatchObject({ ok: true, data: { bookingState: 'confirmed' } });
    expect(await financeRefund(oneTicket, 2 * UNIT_PRICE, 'one-ticket-2')).toMatchObject({ ok: false, code: 'refund.exceeds_capture' });

    // Late payments: one finds room again, one finds the small slot sold out.
    await awaitingPayment(track('late-room'), 1, { paymentMs: 50 });
    const lateRoom = await open('late-room');
    await awaitingPayment(track('late-full'), 2, { slot: 'slot_small', paymentMs: 50 });
    const lateFull = await open('late-full');
    await until(stack.rt, 'booking', 'late-room', 'expired');
    await until(stack.rt, 'booking', 'late-full', 'expired');
    await stack.rt.relay.drain();
    await awaitingPayment(track('took-seats'), 2, { slot: 'slot_small', visitorId: 'vis_2' });
    submit(lateRoom.ref, { method: 'card', card_number: PAID_CARD });
    submit(lateFull.ref, { method: 'card', card_number: PAID_CARD });
    await until(stack.rt, 'booking', 'late-room', 'confirmed');
    await until(stack.rt, 'booking', 'late-full', 'refunded');

    // A payment nobody can use: the booking was cancelled while the payer was on the page.
    await awaitingPayment(track('gone'), 1);
    const gone = await open('gone');
    expect(await stack.rt.host.send('booking', 'gone', { type: 'booking.cancel', at: Date.now() }, { who: 'user:vis_1' })).toMatchObject({ ok: true });
    submit(gone.ref, { method: 'card', card_number: PAID_CARD });

    // A declined card, then a paid retry; 3-D Secure; the bank answering later.
    await awaitingPayment(track('retry'), 1);
    submit((await open('retry')).ref, { method: 'card', card_number: DECLINED_CARD });
    const declined = await until(stack.rt, 'booking', 'retry', 'awaiting_payment');
    await until(stack.rt, 'payment', 'retry-p1', 'failed');
    expect(declined.state).toBe('awaiting_payment');
    await stack.rt.relay.drain();
    const retry = await open('retry');
    expect(retry.paymentId).toBe('retry-p2');
    submit(retry.ref, { method: 'card', card_number: PAID_CARD });
    await awaitingPayment(track('secure'), 1);
    const secure = await open('secure');
    submit(secure.ref, { method: 'card', card_number: SECURE_CARD });
    submit(secure.ref, { challenge: 'pass' });
    await awaitingPayment(track('bank'), 1);
    submit((await open('bank')).ref, { method: 'card', card_number: BANK_CARD });
    await until(stack.rt, 'booking', 'bank', 'confirmed');
    await until(stack.rt, 'booking', 'retry', 'confirmed');
    await until(stack.rt, 'booking', 'secure', 'confirmed');

    // Replayed deliveries change nothing.
    expect(await replay('payment.paid', lateRoom.ref, lateRoom.paymentId, UNIT_PRICE)).toBe(200);
    expect(await replay('payment.paid', retry.ref, retry.paymentId, UNIT_PRICE)).toBe(200);

    const contexts = await settle(bookings);
    const states = new Map(await Promise.all(bookings.map(async (id) => [id, (await view(stack, 'booking', id)).state] as const)));
    expect(Object.fromEntries(states)).toEqual({
      full: 'refunded', half: 'refunded', nothing: 'refunded', whole: 'refunded', goodwill: 'checked_in', 'one-ticket': 'confirmed',
      'late-room': 'confirmed', 'late-full': 'refunded', 'took-seats': 'awaiting_payment', gone: 'refunded', retry: 'confirmed', secure: 'confirmed', bank: 'confirmed',
    });

    const log = await transactionLog();
    const sum = (rows: readonly { amount: number }[]) => rows.reduce((total, row) => total + row.amount, 0);
    const captures = sum(log.filter((t) => t.movement === 'payment.captured'));
    const refunds = sum(log.filter((t) => t.movement === 'refund.succeeded' || t.movement === 'refund.external'));
    expect(captures).toBe(sum(contexts.map((c) => ({ amount: c.capturedAmount }))));
    expect(refunds).toBe(sum(contexts.map((c) => ({ amount: c.refundedAmount }))));
    // Paid bookings hold their total (less goodwill refunds); every other booking holds what its policy kept.
    let held = 0;
    for (const context of contexts) {
      const unneeded = sum(context.payments.filter((p) => p.status === 'unneeded'));
      if (SEATED.has(states.get(context.bookingId) ?? '')) held += context.total - (context.refundedAmount - unneeded);
      else held += context.capturedAmount - context.refundedAmount;
    }
    expect(captures - refunds).toBe(held);
    // The mix did move money: half kept 50.00 SAR, goodwill and one ticket went back while the visits stayed.
    expect(captures - refunds).toBe(5_000 + (10_000 - 1_500) + (10_000 - UNIT_PRICE) + 3 * UNIT_PRICE + UNIT_PRICE);
    // Every payment status the seed names is in the log.
    expect(new Set(log.map((t) => t.paymentStatus).filter((s) => s !== undefined))).toEqual(new Set(['pending', 'authorized', 'failed']));
  });
});
