import { describe, expect, it } from 'vitest';
import { MAX_FAILED_PAYMENTS_KEPT } from './booking.machine.js';
import { BOOKING_FINAL_STATES, BOOKING_STATES, BOOKING_TIMER_EVENTS, BookingInput } from './booking.schemas.js';
import type { BookingEvent, BookingState, BookingTimerEvent } from './booking.schemas.js';
import { SAMPLE_TOTAL, cancelledTimers, delayedRaises, reach, sampleInput, start, step } from './booking.test-support.js';

const ids = { bookingId: 'bk_1', visitorId: 'vis_1' };
const release = { type: 'capacity.release', holdId: 'bk_1', slotId: 'slot_1' };
const notify = (template: string) => ({ type: 'notify', template, ...ids });
const revokeTickets = { type: 'tickets.revoke', bookingId: 'bk_1', reason: 'booking.cancelled' };

describe('booking: creation and held', () => {
  it('starts held with totals, a held notice and a hold timer of holdMs', () => {
    const { snapshot, effects, actions } = start();
    expect(snapshot.value).toBe('held');
    expect(snapshot.status).toBe('active');
    expect(snapshot.context).toMatchObject({ total: SAMPLE_TOTAL, quantity: 3, paymentAttempts: 0, capturedAmount: 0 });
    expect(effects).toEqual([notify('booking.held')]);
    expect(delayedRaises(actions)).toEqual([
      { type: 'xstate.after.hold.booking.held', id: 'xstate.after.hold.booking.held', delay: 60_000 },
    ]);
  });

  it('takes the default deadlines from the input schema', () => {
    const input = BookingInput.parse({ ...sampleInput(), holdMs: undefined, reviewMs: undefined, paymentMs: undefined });
    expect(input).toMatchObject({ holdMs: 900_000, reviewMs: 86_400_000, paymentMs: 900_000 });
    expect(delayedRaises(start(input).actions)[0]?.delay).toBe(900_000);
  });

  it('submits straight to awaiting_payment when no approval is needed', () => {
    const { snapshot, effects, actions } = step(start().snapshot, { type: 'booking.submit' });
    expect(snapshot.value).toBe('awaiting_payment');
    expect(effects).toEqual([]);
    expect(cancelledTimers(actions)).toEqual(['xstate.after.hold.booking.held']);
    expect(delayedRaises(actions)).toEqual([
      { type: 'xstate.after.payment.booking.awaiting_payment', id: 'xstate.after.payment.booking.awaiting_payment', delay: 900_000 },
    ]);
  });

  it('submits to under_review when approval is needed', () => {
    const { snapshot, effects, actions } = step(start(sampleInput({ requiresApproval: true })).snapshot, { type: 'booking.submit' });
    expect(snapshot.value).toBe('under_review');
    expect(effects).toEqual([notify('booking.under_review')]);
    expect(delayedRaises(actions)).toEqual([
      { type: 'xstate.after.review.booking.under_review', id: 'xstate.after.review.booking.under_review', delay: 3_600_000 },
    ]);
  });

  it('expires on the hold timer and releases the capacity (not final: a late payment may still arrive)', () => {
    const { snapshot, effects, actions } = step(start().snapshot, { type: 'xstate.after.hold.booking.held' });
    expect(snapshot.value).toBe('expired');
    expect(snapshot.status).toBe('active');
    expect(effects).toEqual([release, notify('booking.expired')]);
    expect(cancelledTimers(actions)).toEqual(['xstate.after.hold.booking.held']);
  });

  it('cancels, releasing the capacity, but refuses a refund when nothing was paid', () => {
    const held = start().snapshot;
    expect(held.can({ type: 'booking.cancel', refundAmount: 1 })).toBe(false);
    const { snapshot, effects } = step(held, { type: 'booking.cancel', reason: 'changed mind', at: 5 });
    expect(snapshot.value).toBe('cancelled');
    expect(snapshot.status).toBe('active');
    expect(snapshot.context).toMatchObject({ cancelReason: 'changed mind', cancelledAt: 5, refundRequestedAmount: 0 });
    expect(effects).toEqual([release, notify('booking.cancelled')]);
  });
});

describe('booking: under_review', () => {
  const underReview = () => reach('under_review').snapshot;

  it('approves to awaiting_payment and starts the payment timer', () => {
    const { snapshot, effects, actions } = step(underReview(), { type: 'booking.approve', adminId: 'adm_1' });
    expect(snapshot.value).toBe('awaiting_payment');
    expect(snapshot.context.reviewedBy).toBe('adm_1');
    expect(effects).toEqual([notify('booking.approved')]);
    expect(cancelledTimers(actions)).toEqual(['xstate.after.review.booking.under_review']);
    expect(delayedRaises(actions).map((t) => t.type)).toEqual(['xstate.after.payment.booking.awaiting_payment']);
  });

  it('rejects with a reason and releases the capacity', () => {
    const { snapshot, effects } = step(underReview(), { type: 'booking.reject', adminId: 'adm_1', reason: 'no membership' });
    expect(snapshot.value).toBe('rejected');
    expect(snapshot.status).toBe('done');
    expect(snapshot.context).toMatchObject({ reviewedBy: 'adm_1', rejectReason: 'no membership' });
    expect(effects).toEqual([release, notify('booking.rejected')]);
  });

  it('expires on the review timer', () => {
    const { snapshot, effects } = step(underReview(), { type: 'xstate.after.review.booking.under_review' });
    expect(snapshot.value).toBe('expired');
    expect(effects).toEqual([release, notify('booking.expired')]);
  });

  it('cancels', () => {
    const { snapshot, effects } = step(underReview(), { type: 'booking.cancel' });
    expect(snapshot.value).toBe('cancelled');
    expect(effects).toEqual([release, notify('booking.cancelled')]);
  });
});

describe('booking: awaiting_payment', () => {
  const awaiting = () => reach('awaiting_payment').snapshot;

  it('confirms on a capture that covers the total: capacity confirmed, tickets issued', () => {
    const { snapshot, effects, actions } = step(awaiting(), { type: 'payment.captured', paymentId: 'pay_1', amount: SAMPLE_TOTAL });
    expect(snapshot.value).toBe('confirmed');
    expect(snapshot.context).toMatchObject({
      capturedAmount: SAMPLE_TOTAL,
      paymentAttempts: 1,
      payments: [{ paymentId: 'pay_1', amount: SAMPLE_TOTAL, status: 'captured' }],
    });
    expect(effects).toEqual([
      { type: 'capacity.confirm', holdId: 'bk_1', slotId: 'slot_1' },
      { type: 'tickets.issue', ...ids, quantity: 3 },
      notify('booking.confirmed'),
    ]);
    expect(cancelledTimers(actions)).toEqual(['xstate.after.payment.booking.awaiting_payment']);
  });

  it('refuses a capture below the total', () => {
    expect(awaiting().can({ type: 'payment.captured', paymentId: 'pay_1', amount: SAMPLE_TOTAL - 1 })).toBe(false);
  });

  it('records a failure, notifies, stays and keeps the payment deadline running', () => {
    const { snapshot, effects, actions } = step(awaiting(), { type: 'payment.failed', paymentId: 'pay_1', reason: 'declined' });
    expect(snapshot.value).toBe('awaiting_payment');
    expect(snapshot.context.paymentAttempts).toBe(1);
    expect(snapshot.context.payments).toEqual([{ paymentId: 'pay_1', amount: SAMPLE_TOTAL, status: 'failed', reason: 'declined' }]);
    expect(effects).toEqual([notify('payment.failed')]);
    expect(cancelledTimers(actions)).toEqual([]);
    expect(delayedRaises(actions)).toEqual([]);
  });

  it('remembers only the latest failed attempts in detail while counting them all', () => {
    let snapshot = awaiting();
    for (let i = 0; i < MAX_FAILED_PAYMENTS_KEPT + 5; i++) {
      snapshot = step(snapshot, { type: 'payment.failed', paymentId: `pay_${i}` }).snapshot;
    }
    expect(snapshot.context.paymentAttempts).toBe(MAX_FAILED_PAYMENTS_KEPT + 5);
    expect(snapshot.context.payments).toHaveLength(MAX_FAILED_PAYMENTS_KEPT);
    expect(snapshot.context.payments[0]?.paymentId).toBe('pay_5');
    expect(snapshot.context.payments.at(-1)?.paymentId).toBe(`pay_${MAX_FAILED_PAYMENTS_KEPT + 4}`);
  });

  it('confirms on a retry after a failure, or expires when the deadline passes first', () => {
    const failed = step(awaiting(), { type: 'payment.failed', paymentId: 'pay_1' }).snapshot;
    const retried = step(failed, { type: 'payment.captured', paymentId: 'pay_2', amount: SAMPLE_TOTAL }).snapshot;
    expect(retried.value).toBe('confirmed');
    expect(retried.context.paymentAttempts).toBe(2);
    const late = step(failed, { type: 'xstate.after.payment.booking.awaiting_payment' });
    expect(late.snapshot.value).toBe('expired');
    expect(late.effects).toEqual([release, notify('booking.expired')]);
  });

  it('cancels', () => {
    const { snapshot, effects } = step(awaiting(), { type: 'booking.cancel', reason: 'too pricey' });
    expect(snapshot.value).toBe('cancelled');
    expect(effects).toEqual([release, notify('booking.cancelled')]);
  });
});

describe('booking: confirmed, checked_in and after', () => {
  const confirmed = () => reach('confirmed').snapshot;

  it('checks in with the gate and time from the event, then checks out (not final: money may still move)', () => {
    const inside = step(confirmed(), { type: 'booking.check_in', at: 1_000, gateId: 'gate_a' });
    expect(inside.snapshot.value).toBe('checked_in');
    expect(inside.snapshot.context).toMatchObject({ checkedInAt: 1_000, checkedInGateId: 'gate_a' });
    expect(inside.effects).toEqual([notify('booking.checked_in')]);
    const out = step(inside.snapshot, { type: 'booking.check_out', at: 2_000 });
    expect(out.snapshot.value).toBe('checked_out');
    expect(out.snapshot.status).toBe('active');
    expect(out.snapshot.context.checkedOutAt).toBe(2_000);
    expect(out.effects).toEqual([notify('booking.checked_out'), { type: 'visit.close', bookingId: 'bk_1', visitorId: 'vis_1', quantity: 3, at: 2_000 }]);
  });

  it('when the last member goes out, the visit closes after the grace unless someone comes back in', () => {
    const inside = step(confirmed(), { type: 'booking.check_in', at: 1_000, gateId: 'gate_a' }).snapshot;
    const leaving = step(inside, { type: 'booking.all_out', at: 5_000, graceMs: 60_000 });
    expect(leaving.snapshot.value).toBe('leaving');
    expect(leaving.snapshot.context).toMatchObject({ leftAt: 5_000, checkoutGraceMs: 60_000 });
    expect(leaving.effects).toEqual([]);

    const back = step(leaving.snapshot, { type: 'booking.check_in', at: 9_000, gateId: 'gate_b' });
    expect(back.snapshot.value).toBe('checked_in');
    expect(back.snapshot.context).toMatchObject({ checkedInAt: 1_000, checkedInGateId: 'gate_a' });
    expect(back.snapshot.context.leftAt).toBeUndefined();
    expect(back.effects).toEqual([]);

    const closed = step(leaving.snapshot, { type: 'xstate.after.checkoutGrace.booking.leaving' });
    expect(closed.snapshot.value).toBe('checked_out');
    expect(closed.snapshot.context.checkedOutAt).toBe(65_000);
    expect(closed.effects).toEqual([notify('booking.checked_out'), { type: 'visit.close', bookingId: 'bk_1', visitorId: 'vis_1', quantity: 3, at: 65_000 }]);

    expect(step(leaving.snapshot, { type: 'booking.check_out', at: 7_000 }).snapshot.context.checkedOutAt).toBe(7_000);
  });

  it('carries add-ons in the total', () => {
    const withAddOns = start(sampleInput({ addOns: [{ addOnId: 'locker', kind: 'locker', qty: 1, unitPrice: 2_500 }] })).snapshot;
    expect(withAddOns.context.total).toBe(SAMPLE_TOTAL + 2_500);
    expect(withAddOns.context.addOns).toEqual([{ addOnId: 'locker', kind: 'locker', qty: 1, unitPrice: 2_500 }]);
  });

  it('cancels with a refund request for the captured payment', () => {
    const { snapshot, effects } = step(confirmed(), { type: 'booking.cancel', refundAmount: 10_000, at: 7 });
    expect(snapshot.value).toBe('cancelled');
    expect(snapshot.context).toMatchObject({ refundRequestedAmount: 10_000, cancelledAt: 7 });
    expect(effects).toEqual([
      revokeTickets,
      { type: 'refund.request', bookingId: 'bk_1', paymentId: 'pay_2', amount: 10_000, reason: 'cancellation' },
      release,
      notify('booking.cancelled'),
    ]);
  });

  it('cancels without a refund when the policy grants none', () => {
    const { snapshot, effects } = step(confirmed(), { type: 'booking.cancel', refundAmount: 0, at: 7 });
    expect(snapshot.value).toBe('cancelled');
    expect(effects).toEqual([revokeTickets, release, notify('booking.cancelled')]);
    expect(snapshot.can({ type: 'payment.refunded', refundId: 'ref_1', amount: 1 })).toBe(false);
  });

  it('refuses a cancel without a refund amount or with more than was captured', () => {
    expect(confirmed().can({ type: 'booking.cancel', at: 7 })).toBe(false);
    expect(confirmed().can({ type: 'booking.cancel', refundAmount: SAMPLE_TOTAL + 1, at: 7 })).toBe(false);
    expect(confirmed().can({ type: 'booking.cancel', refundAmount: SAMPLE_TOTAL, at: 7 })).toBe(true);
  });

  it('moves to refunded once the gateway has refunded the requested amount, in parts', () => {
    const cancelled = reach('cancelled').snapshot;
    expect(cancelled.can({ type: 'payment.refunded', refundId: 'ref_1', amount: 10_001 })).toBe(false);
    const part = step(cancelled, { type: 'payment.refunded', refundId: 'ref_1', amount: 4_000 });
    expect(part.snapshot.value).toBe('cancelled');
    expect(part.effects).toEqual([]);
    expect(part.snapshot.can({ type: 'payment.refunded', refundId: 'ref_1', amount: 6_000 })).toBe(false);
    const rest = step(part.snapshot, { type: 'payment.refunded', refundId: 'ref_2', amount: 6_000 });
    expect(rest.snapshot.value).toBe('refunded');
    expect(rest.snapshot.status).toBe('active');
    expect(rest.snapshot.context).toMatchObject({ refundedAmount: 10_000, refunds: [{ refundId: 'ref_1' }, { refundId: 'ref_2' }] });
    expect(rest.effects).toEqual([notify('booking.refunded')]);
  });
});

/** One valid example of every event a caller or timer may send. */
const SAMPLES: Record<string, BookingEvent | BookingTimerEvent> = {
  submit: { type: 'booking.submit' },
  approve: { type: 'booking.approve', adminId: 'adm_1' },
  reject: { type: 'booking.reject', adminId: 'adm_1', reason: 'no' },
  cancel: { type: 'booking.cancel' },
  cancelRefund: { type: 'booking.cancel', refundAmount: 100, at: 1 },
  captured: { type: 'payment.captured', paymentId: 'pay_9', amount: SAMPLE_TOTAL },
  capturedLate: { type: 'payment.captured_late', paymentId: 'pay_9', amount: SAMPLE_TOTAL },
  refundLate: { type: 'payment.refund_late', paymentId: 'pay_9', amount: SAMPLE_TOTAL },
  failed: { type: 'payment.failed', paymentId: 'pay_9' },
  refunded: { type: 'payment.refunded', refundId: 'ref_9', amount: 100 },
  checkIn: { type: 'booking.check_in', at: 1 },
  checkOut: { type: 'booking.check_out', at: 2 },
  allOut: { type: 'booking.all_out', at: 3, graceMs: 60_000 },
  graceTimer: { type: 'xstate.after.checkoutGrace.booking.leaving' },
  holdTimer: { type: 'xstate.after.hold.booking.held' },
  reviewTimer: { type: 'xstate.after.review.booking.under_review' },
  paymentTimer: { type: 'xstate.after.payment.booking.awaiting_payment' },
  financeRefund: { type: 'booking.refund', refundId: 'rf_9', paymentId: 'pay_2', amount: 100, at: 5 },
  pending: { type: 'payment.pending', paymentId: 'pay_9', reason: 'three_d_secure' },
  unneeded: { type: 'payment.unneeded', paymentId: 'pay_9', amount: 100 },
  externalRefund: { type: 'payment.refunded_externally', refundId: 'ext_9', amount: 100 },
  refundFailed: { type: 'payment.refund_failed', refundId: 'rf_8', amount: 100 },
};

/** Exactly the samples each state accepts; everything else must be refused. */
const ACCEPTS: Record<BookingState, string[]> = {
  held: ['submit', 'cancel', 'holdTimer'],
  under_review: ['approve', 'reject', 'cancel', 'reviewTimer'],
  awaiting_payment: ['cancel', 'captured', 'failed', 'paymentTimer', 'pending', 'unneeded'],
  confirmed: ['cancelRefund', 'checkIn', 'financeRefund', 'unneeded', 'externalRefund'],
  checked_in: ['checkOut', 'allOut', 'financeRefund', 'unneeded', 'externalRefund'],
  leaving: ['checkIn', 'checkOut', 'graceTimer', 'financeRefund', 'unneeded', 'externalRefund'],
  checked_out: ['financeRefund', 'unneeded', 'externalRefund'],
  cancelled: ['refunded', 'financeRefund', 'unneeded', 'externalRefund', 'refundFailed'],
  refunded: ['financeRefund', 'unneeded', 'externalRefund'],
  expired: ['captured', 'capturedLate', 'refundLate', 'unneeded'],
  rejected: [],
};

describe('booking: refusals', () => {
  it.each(BOOKING_STATES)('%s accepts exactly its events', (state) => {
    const snapshot = reach(state).snapshot;
    expect(snapshot.value).toBe(state);
    const accepted = Object.entries(SAMPLES)
      .filter(([, event]) => snapshot.can(event))
      .map(([name]) => name);
    expect(accepted.sort()).toEqual([...ACCEPTS[state]].sort());
  });

  it.each(BOOKING_FINAL_STATES)('%s is final: status done, and transition() changes nothing', (state) => {
    const snapshot = reach(state).snapshot;
    expect(snapshot.status).toBe('done');
    for (const event of Object.values(SAMPLES)) {
      const next = step(snapshot, event);
      expect(next.snapshot).toBe(snapshot);
      expect(next.actions).toEqual([]);
    }
  });

  it('a refused event leaves the snapshot unchanged and emits nothing', () => {
    const held = start().snapshot;
    const next = step(held, { type: 'booking.check_in', at: 1 });
    expect(next.snapshot.value).toBe('held');
    expect(next.snapshot.context).toEqual(held.context);
    expect(next.effects).toEqual([]);
  });

  it('a cancel before payment accepts nothing afterwards but a payment nobody can use (recorded, refunded in full)', () => {
    const snapshot = step(start().snapshot, { type: 'booking.cancel' }).snapshot;
    expect(Object.values(SAMPLES).filter((event) => snapshot.can(event))).toEqual([SAMPLES['unneeded']]);
  });

  it('raises exactly the timer events it lists, each accepted only in its own state', () => {
    const created = start(sampleInput({ requiresApproval: true }));
    const reviewing = step(created.snapshot, { type: 'booking.submit' });
    const approved = step(reviewing.snapshot, { type: 'booking.approve', adminId: 'adm_1' });
    const leaving = step(reach('checked_in').snapshot, { type: 'booking.all_out', at: 1, graceMs: 120_000 });
    const raised = [created, reviewing, approved, leaving].flatMap((s) => delayedRaises(s.actions));
    expect(raised).toEqual([
      { type: 'xstate.after.hold.booking.held', id: 'xstate.after.hold.booking.held', delay: 60_000 },
      { type: 'xstate.after.review.booking.under_review', id: 'xstate.after.review.booking.under_review', delay: 3_600_000 },
      { type: 'xstate.after.payment.booking.awaiting_payment', id: 'xstate.after.payment.booking.awaiting_payment', delay: 900_000 },
      { type: 'xstate.after.checkoutGrace.booking.leaving', id: 'xstate.after.checkoutGrace.booking.leaving', delay: 120_000 },
    ]);
    expect(raised.map((t) => t.type)).toEqual([...BOOKING_TIMER_EVENTS]);
  });
});

describe('booking: support resends the tickets email', () => {
  const resend = { type: 'booking.resend_tickets', adminId: 'sup_1', at: 500 } as const;

  it('emits the tickets_resent notice in the states whose tickets admit, changing nothing else', () => {
    for (const state of ['confirmed', 'checked_in', 'leaving'] as const) {
      const before = reach(state).snapshot;
      const { snapshot, effects } = step(before, resend);
      expect(snapshot.value, state).toBe(state);
      expect(snapshot.context, state).toEqual(before.context);
      expect(effects, state).toEqual([{ type: 'notify', template: 'booking.tickets_resent', bookingId: 'bk_1', visitorId: 'vis_1' }]);
    }
  });

  it('is refused where no ticket admits', () => {
    for (const state of ['held', 'under_review', 'awaiting_payment', 'cancelled', 'expired', 'rejected', 'checked_out'] as const) {
      expect(reach(state).snapshot.can(resend), state).toBe(false);
    }
  });
});
