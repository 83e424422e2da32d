/**
 * The booking's money after the fact (version 4): finance refunds (whole, keep the visit, cancel
 * some tickets), refund outcomes, refunds made outside, payments nobody can use, and the seed's
 * payment statuses on the booking.
 */
import { describe, expect, it } from 'vitest';
import { FOOD_PREORDER_ADDON, PREORDER_REFUND_PREFIX } from './booking.schemas.js';
import type { BookingEvent } from './booking.schemas.js';
import { SAMPLE_TOTAL, reach, run, sampleInput, start, step } from './booking.test-support.js';

const refund = (amount: number, extra: Partial<Extract<BookingEvent, { type: 'booking.refund' }>> = {}): BookingEvent => ({
  type: 'booking.refund',
  refundId: 'rf_a',
  paymentId: 'pay_2',
  amount,
  at: 1_700_000_300_000,
  ...extra,
});
const notify = (template: string) => ({ type: 'notify', template, bookingId: 'bk_1', visitorId: 'vis_1' });
const request = (amount: number, refundId = 'rf_a') => ({ type: 'refund.request', bookingId: 'bk_1', paymentId: 'pay_2', amount, reason: 'admin', refundId });

describe('booking: finance refunds of a confirmed booking', () => {
  const confirmed = () => reach('confirmed').snapshot;

  it('a refund of everything cancels the booking: tickets revoked before the money is asked back, places released', () => {
    const whole = step(confirmed(), refund(SAMPLE_TOTAL));
    expect(whole.snapshot.value).toBe('cancelled');
    expect(whole.snapshot.context).toMatchObject({ refundRequestedAmount: SAMPLE_TOTAL, cancelReason: 'refunded by the venue', cancelledAt: 1_700_000_300_000 });
    expect(whole.effects).toEqual([
      { type: 'tickets.revoke', bookingId: 'bk_1', reason: 'booking.cancelled' },
      request(SAMPLE_TOTAL),
      { type: 'capacity.release', holdId: 'bk_1', slotId: 'slot_1' },
      notify('booking.cancelled'),
    ]);
    const done = step(whole.snapshot, { type: 'payment.refunded', refundId: 'rf_a', amount: SAMPLE_TOTAL });
    expect(done.snapshot.value).toBe('refunded');
    expect(done.snapshot.context.refundedAmount).toBe(SAMPLE_TOTAL);
  });

  it('a partial refund keeps the visit by default: the booking stays confirmed and its refunded amount follows', () => {
    const part = step(confirmed(), refund(2_000));
    expect(part.snapshot.value).toBe('confirmed');
    expect(part.effects).toEqual([request(2_000)]);
    expect(part.snapshot.can(refund(SAMPLE_TOTAL - 2_000 + 1, { refundId: 'rf_b' }))).toBe(false);
    const settled = step(part.snapshot, { type: 'payment.refunded', refundId: 'rf_a', amount: 2_000 });
    expect(settled.snapshot.value).toBe('confirmed');
    expect(settled.snapshot.context).toMatchObject({ refundRequestedAmount: 2_000, refundedAmount: 2_000 });
    // What is left, refunded later, still cancels.
    expect(step(settled.snapshot, refund(SAMPLE_TOTAL - 2_000, { refundId: 'rf_b' })).snapshot.value).toBe('cancelled');
  });

  it('a partial refund may cancel listed tickets: only those are revoked, the others still admit', () => {
    const part = step(confirmed(), refund(2_500, { policy: 'cancel_tickets', ticketIds: ['bk_1-t3'] }));
    expect(part.snapshot.value).toBe('confirmed');
    expect(part.snapshot.context.cancelledTickets).toEqual(['bk_1-t3']);
    expect(part.effects).toEqual([{ type: 'tickets.revoke', bookingId: 'bk_1', reason: 'booking.refunded_partially', ticketIds: ['bk_1-t3'] }, request(2_500)]);
    // Cancelling the last tickets that admit cancels the booking.
    const last = step(part.snapshot, refund(5_000, { refundId: 'rf_b', policy: 'cancel_tickets', ticketIds: ['bk_1-t1', 'bk_1-t2'] }));
    expect(last.snapshot.value).toBe('cancelled');
    expect(last.effects.map((e) => e.type)).toEqual(['tickets.revoke', 'refund.request', 'capacity.release', 'notify']);
  });

  it('refuses tickets that are not this booking’s, repeated, already cancelled, or a cancel_tickets refund without tickets', () => {
    const snapshot = confirmed();
    for (const ticketIds of [['bk_2-t1'], ['bk_1-t4'], ['bk_1-t1', 'bk_1-t1'], ['bk_1-t0']]) {
      expect(snapshot.can(refund(100, { policy: 'cancel_tickets', ticketIds }))).toBe(false);
    }
    expect(snapshot.can(refund(100, { policy: 'cancel_tickets' }))).toBe(false);
    const part = step(snapshot, refund(100, { policy: 'cancel_tickets', ticketIds: ['bk_1-t1'] })).snapshot;
    expect(part.can(refund(100, { refundId: 'rf_b', policy: 'cancel_tickets', ticketIds: ['bk_1-t1'] }))).toBe(false);
  });

  it('refuses more than is left, and a payment the booking did not use', () => {
    const snapshot = confirmed();
    expect(snapshot.can(refund(SAMPLE_TOTAL + 1))).toBe(false);
    expect(snapshot.can(refund(100, { paymentId: 'pay_1' }))).toBe(false); // the failed attempt
    expect(snapshot.can(refund(100, { paymentId: 'pay_elsewhere' }))).toBe(false);
  });
});

describe('booking: finance refunds after the visit started or the booking ended', () => {
  it('a checked-in party keeps its visit, whatever the amount; cancelling tickets is refused', () => {
    const inside = reach('checked_in').snapshot;
    expect(inside.can(refund(100, { policy: 'cancel_tickets', ticketIds: ['bk_1-t1'] }))).toBe(false);
    const all = step(inside, refund(SAMPLE_TOTAL));
    expect(all.snapshot.value).toBe('checked_in');
    expect(all.effects).toEqual([request(SAMPLE_TOTAL)]);
  });

  it('a cancellation whose policy gave nothing can still be refunded by finance, and its refunded amount follows', () => {
    const confirmed = reach('confirmed').snapshot;
    const cancelled = step(confirmed, { type: 'booking.cancel', refundAmount: 0, at: 1 }).snapshot;
    expect(cancelled.context.refundRequestedAmount).toBe(0);
    const asked = step(cancelled, refund(SAMPLE_TOTAL));
    expect(asked.snapshot.value).toBe('cancelled');
    expect(asked.effects).toEqual([request(SAMPLE_TOTAL)]);
    const done = step(asked.snapshot, { type: 'payment.refunded', refundId: 'rf_a', amount: SAMPLE_TOTAL });
    expect(done.snapshot.value).toBe('refunded');
    expect(done.snapshot.context.refundedAmount).toBe(SAMPLE_TOTAL);
  });

  it('a refunded booking takes a refund of what the policy kept, and its outcome', () => {
    const refunded = reach('refunded').snapshot; // 10 000 of 12 500 back
    const rest = step(refunded, refund(2_500));
    expect(rest.snapshot.value).toBe('refunded');
    const done = step(rest.snapshot, { type: 'payment.refunded', refundId: 'rf_a', amount: 2_500 });
    expect(done.snapshot.context).toMatchObject({ refundRequestedAmount: SAMPLE_TOTAL, refundedAmount: SAMPLE_TOTAL });
  });
});

describe('booking: refund outcomes and money it did not ask for', () => {
  it('a failed refund gives its amount back, so that it can be refunded again', () => {
    const cancelled = reach('cancelled').snapshot; // 10 000 asked back
    const failed = step(cancelled, { type: 'payment.refund_failed', refundId: 'rf_x', amount: 10_000 });
    expect(failed.snapshot.value).toBe('cancelled');
    expect(failed.snapshot.context.refundRequestedAmount).toBe(0);
    expect(failed.snapshot.can({ type: 'payment.refund_failed', refundId: 'rf_y', amount: 1 })).toBe(false);
    expect(step(failed.snapshot, refund(SAMPLE_TOTAL)).effects).toEqual([request(SAMPLE_TOTAL)]);
  });

  it('a payment nobody can use is recorded as captured and asked back, then settled', () => {
    const confirmed = reach('confirmed').snapshot;
    const extra = step(confirmed, { type: 'payment.unneeded', paymentId: 'pay_3', amount: SAMPLE_TOTAL });
    expect(extra.snapshot.value).toBe('confirmed');
    expect(extra.snapshot.context).toMatchObject({ capturedAmount: 2 * SAMPLE_TOTAL, refundRequestedAmount: SAMPLE_TOTAL });
    expect(extra.snapshot.context.payments.at(-1)).toEqual({ paymentId: 'pay_3', amount: SAMPLE_TOTAL, status: 'unneeded' });
    expect(extra.snapshot.can({ type: 'payment.unneeded', paymentId: 'pay_3', amount: SAMPLE_TOTAL })).toBe(false);
    expect(extra.snapshot.can({ type: 'payment.unneeded', paymentId: 'pay_2', amount: SAMPLE_TOTAL })).toBe(false);
    const back = step(extra.snapshot, { type: 'payment.refunded', refundId: 'rf_auto', amount: SAMPLE_TOTAL });
    expect(back.snapshot.value).toBe('confirmed');
    expect(back.snapshot.context.refundedAmount).toBe(SAMPLE_TOTAL);
  });

  it('a refund made outside is recorded as asked for and done, never beyond what was captured', () => {
    const confirmed = reach('confirmed').snapshot;
    const outside = step(confirmed, { type: 'payment.refunded_externally', refundId: 'ext-1', amount: 3_000 });
    expect(outside.snapshot.context).toMatchObject({ refundRequestedAmount: 3_000, refundedAmount: 3_000 });
    expect(outside.snapshot.can({ type: 'payment.refunded_externally', refundId: 'ext-1', amount: 3_000 })).toBe(false);
    expect(outside.snapshot.can({ type: 'payment.refunded_externally', refundId: 'ext-2', amount: SAMPLE_TOTAL })).toBe(false);
  });
});

describe('booking: the seed payment statuses', () => {
  it('pending while the payer or the bank has to act, failed, then authorized', () => {
    const awaiting = reach('awaiting_payment').snapshot;
    expect(awaiting.context.paymentStatus).toBeUndefined();
    const secure = step(awaiting, { type: 'payment.pending', paymentId: 'pay_1', reason: 'three_d_secure' });
    expect(secure.snapshot.value).toBe('awaiting_payment');
    expect(secure.effects).toEqual([]);
    expect(secure.snapshot.context).toMatchObject({ paymentStatus: 'pending', pendingReason: 'three_d_secure' });
    const failed = step(secure.snapshot, { type: 'payment.failed', paymentId: 'pay_1', reason: 'AUTHENTICATION_FAILED' });
    expect(failed.snapshot.context.paymentStatus).toBe('failed');
    expect(failed.snapshot.context.pendingReason).toBeUndefined();
    const bank = step(failed.snapshot, { type: 'payment.pending', paymentId: 'pay_2', reason: 'bank_processing' });
    expect(bank.snapshot.context).toMatchObject({ paymentStatus: 'pending', pendingReason: 'bank_processing' });
    const paid = step(bank.snapshot, { type: 'payment.captured', paymentId: 'pay_2', amount: SAMPLE_TOTAL });
    expect(paid.snapshot.value).toBe('confirmed');
    expect(paid.snapshot.context.paymentStatus).toBe('authorized');
    expect(paid.snapshot.context.pendingReason).toBeUndefined();
  });
});

describe('booking: the refund of a cancelled food pre-order', () => {
  const FOOD = 4_000;
  const withPreOrder = () =>
    run(start(sampleInput({ addOns: [{ addOnId: FOOD_PREORDER_ADDON, kind: 'food', qty: 1, unitPrice: FOOD }] })), [
      { type: 'booking.submit' },
      { type: 'payment.captured', paymentId: 'pay_2', amount: SAMPLE_TOTAL + FOOD },
    ]).snapshot;
  const foodRefundId = `${PREORDER_REFUND_PREFIX}0123abcd`;

  it('tells the pre-order when its refund is through, so the order records it too', () => {
    const asked = step(withPreOrder(), refund(FOOD, { refundId: foodRefundId, policy: 'keep_visit' }));
    expect(asked.snapshot.value).toBe('confirmed');
    const through = step(asked.snapshot, { type: 'payment.refunded', refundId: foodRefundId, amount: FOOD });
    expect(through.snapshot.context).toMatchObject({ capturedAmount: SAMPLE_TOTAL + FOOD, refundedAmount: FOOD });
    expect(through.effects).toEqual([{ type: 'food.preorder_refunded', bookingId: 'bk_1', refundId: foodRefundId, amount: FOOD }]);
  });

  it('tells the pre-order when its refund failed, so the order can be refunded again', () => {
    const asked = step(withPreOrder(), refund(FOOD, { refundId: foodRefundId, policy: 'keep_visit' }));
    const failed = step(asked.snapshot, { type: 'payment.refund_failed', refundId: foodRefundId, amount: FOOD });
    expect(failed.snapshot.context).toMatchObject({ refundRequestedAmount: 0, refundedAmount: 0 });
    expect(failed.effects).toEqual([{ type: 'food.preorder_refund_failed', bookingId: 'bk_1', refundId: foodRefundId, amount: FOOD }]);
    // A finance refund that fails is the booking's own.
    const own = step(step(withPreOrder(), refund(1_000, { policy: 'keep_visit' })).snapshot, { type: 'payment.refund_failed', refundId: 'rf_a', amount: 1_000 });
    expect(own.effects).toEqual([]);
  });

  it("a finance refund of the same booking is the booking's own: the order hears nothing", () => {
    const asked = step(withPreOrder(), refund(1_000, { policy: 'keep_visit' }));
    const through = step(asked.snapshot, { type: 'payment.refunded', refundId: 'rf_a', amount: 1_000 });
    expect(through.snapshot.context.refundedAmount).toBe(1_000);
    expect(through.effects).toEqual([]);
  });
});
