/**
 * Stored snapshots of every booking machine version must stay restorable: each fixture is a
 * `getPersistedSnapshot()` written by that version, restored here the way the host restores one
 * (migrate, zod parse, then `resolveState`, then a status check). v1 fixtures go through the
 * v1 → v2 migration (expired: status done → active); v1-v3 fixtures through v3 → v4 (refunded and
 * checked_out: status done → active); v4 fixtures restore unchanged as v5.
 */
import { describe, expect, it } from 'vitest';
import { CodedError } from './errors.js';
import { BOOKING_MACHINE_VERSION, bookingDefinition, bookingMachine } from './booking.machine.js';
import { BOOKING_FINAL_STATES, BOOKING_STATES, BOOKING_V2_STATES, BOOKING_V3_FINAL_STATES, BookingPersisted } from './booking.schemas.js';
import type { BookingState } from './booking.schemas.js';
import { SAMPLE_TOTAL, reach, step } from './booking.test-support.js';
import v1AwaitingPayment from './fixtures/booking.v1.awaiting_payment.json' with { type: 'json' };
import v1Cancelled from './fixtures/booking.v1.cancelled.json' with { type: 'json' };
import v1CheckedIn from './fixtures/booking.v1.checked_in.json' with { type: 'json' };
import v1CheckedOut from './fixtures/booking.v1.checked_out.json' with { type: 'json' };
import v1Confirmed from './fixtures/booking.v1.confirmed.json' with { type: 'json' };
import v1Expired from './fixtures/booking.v1.expired.json' with { type: 'json' };
import v1Held from './fixtures/booking.v1.held.json' with { type: 'json' };
import v1Refunded from './fixtures/booking.v1.refunded.json' with { type: 'json' };
import v1Rejected from './fixtures/booking.v1.rejected.json' with { type: 'json' };
import v1UnderReview from './fixtures/booking.v1.under_review.json' with { type: 'json' };
import v2AwaitingPayment from './fixtures/booking.v2.awaiting_payment.json' with { type: 'json' };
import v2Cancelled from './fixtures/booking.v2.cancelled.json' with { type: 'json' };
import v2CheckedIn from './fixtures/booking.v2.checked_in.json' with { type: 'json' };
import v2CheckedOut from './fixtures/booking.v2.checked_out.json' with { type: 'json' };
import v2Confirmed from './fixtures/booking.v2.confirmed.json' with { type: 'json' };
import v2Expired from './fixtures/booking.v2.expired.json' with { type: 'json' };
import v2ExpiredLateRefund from './fixtures/booking.v2.expired_late_refund.json' with { type: 'json' };
import v2Held from './fixtures/booking.v2.held.json' with { type: 'json' };
import v2Refunded from './fixtures/booking.v2.refunded.json' with { type: 'json' };
import v2Rejected from './fixtures/booking.v2.rejected.json' with { type: 'json' };
import v2UnderReview from './fixtures/booking.v2.under_review.json' with { type: 'json' };
import v3AwaitingPayment from './fixtures/booking.v3.awaiting_payment.json' with { type: 'json' };
import v3Cancelled from './fixtures/booking.v3.cancelled.json' with { type: 'json' };
import v3CheckedIn from './fixtures/booking.v3.checked_in.json' with { type: 'json' };
import v3CheckedOut from './fixtures/booking.v3.checked_out.json' with { type: 'json' };
import v3Confirmed from './fixtures/booking.v3.confirmed.json' with { type: 'json' };
import v3Expired from './fixtures/booking.v3.expired.json' with { type: 'json' };
import v3Held from './fixtures/booking.v3.held.json' with { type: 'json' };
import v3Leaving from './fixtures/booking.v3.leaving.json' with { type: 'json' };
import v3Refunded from './fixtures/booking.v3.refunded.json' with { type: 'json' };
import v3Rejected from './fixtures/booking.v3.rejected.json' with { type: 'json' };
import v3UnderReview from './fixtures/booking.v3.under_review.json' with { type: 'json' };
import v4AwaitingPayment from './fixtures/booking.v4.awaiting_payment.json' with { type: 'json' };
import v4AwaitingPaymentPending from './fixtures/booking.v4.awaiting_payment_pending.json' with { type: 'json' };
import v4Cancelled from './fixtures/booking.v4.cancelled.json' with { type: 'json' };
import v4CheckedIn from './fixtures/booking.v4.checked_in.json' with { type: 'json' };
import v4CheckedOut from './fixtures/booking.v4.checked_out.json' with { type: 'json' };
import v4Confirmed from './fixtures/booking.v4.confirmed.json' with { type: 'json' };
import v4ConfirmedPartlyRefunded from './fixtures/booking.v4.confirmed_partly_refunded.json' with { type: 'json' };
import v4Expired from './fixtures/booking.v4.expired.json' with { type: 'json' };
import v4Held from './fixtures/booking.v4.held.json' with { type: 'json' };
import v4Leaving from './fixtures/booking.v4.leaving.json' with { type: 'json' };
import v4Refunded from './fixtures/booking.v4.refunded.json' with { type: 'json' };
import v4Rejected from './fixtures/booking.v4.rejected.json' with { type: 'json' };
import v4UnderReview from './fixtures/booking.v4.under_review.json' with { type: 'json' };
import v5AwaitingPayment from './fixtures/booking.v5.awaiting_payment.json' with { type: 'json' };
import v5Cancelled from './fixtures/booking.v5.cancelled.json' with { type: 'json' };
import v5CheckedIn from './fixtures/booking.v5.checked_in.json' with { type: 'json' };
import v5CheckedOut from './fixtures/booking.v5.checked_out.json' with { type: 'json' };
import v5Confirmed from './fixtures/booking.v5.confirmed.json' with { type: 'json' };
import v5ConfirmedChangeDue from './fixtures/booking.v5.confirmed_change_due.json' with { type: 'json' };
import v5ConfirmedChanged from './fixtures/booking.v5.confirmed_changed.json' with { type: 'json' };
import v5Expired from './fixtures/booking.v5.expired.json' with { type: 'json' };
import v5Held from './fixtures/booking.v5.held.json' with { type: 'json' };
import v5Leaving from './fixtures/booking.v5.leaving.json' with { type: 'json' };
import v5Refunded from './fixtures/booking.v5.refunded.json' with { type: 'json' };
import v5Rejected from './fixtures/booking.v5.rejected.json' with { type: 'json' };
import v5UnderReview from './fixtures/booking.v5.under_review.json' with { type: 'json' };

type V2State = (typeof BOOKING_V2_STATES)[number];

const V1: Record<V2State, unknown> = {
  held: v1Held,
  under_review: v1UnderReview,
  awaiting_payment: v1AwaitingPayment,
  confirmed: v1Confirmed,
  checked_in: v1CheckedIn,
  checked_out: v1CheckedOut,
  cancelled: v1Cancelled,
  refunded: v1Refunded,
  expired: v1Expired,
  rejected: v1Rejected,
};

const V2: Record<V2State, unknown> = {
  held: v2Held,
  under_review: v2UnderReview,
  awaiting_payment: v2AwaitingPayment,
  confirmed: v2Confirmed,
  checked_in: v2CheckedIn,
  checked_out: v2CheckedOut,
  cancelled: v2Cancelled,
  refunded: v2Refunded,
  expired: v2Expired,
  rejected: v2Rejected,
};

const V3: Record<BookingState, unknown> = {
  held: v3Held,
  under_review: v3UnderReview,
  awaiting_payment: v3AwaitingPayment,
  confirmed: v3Confirmed,
  checked_in: v3CheckedIn,
  leaving: v3Leaving,
  checked_out: v3CheckedOut,
  cancelled: v3Cancelled,
  refunded: v3Refunded,
  expired: v3Expired,
  rejected: v3Rejected,
};

const V4: Record<BookingState, unknown> = {
  held: v4Held,
  under_review: v4UnderReview,
  awaiting_payment: v4AwaitingPayment,
  confirmed: v4Confirmed,
  checked_in: v4CheckedIn,
  leaving: v4Leaving,
  checked_out: v4CheckedOut,
  cancelled: v4Cancelled,
  refunded: v4Refunded,
  expired: v4Expired,
  rejected: v4Rejected,
};

const V5: Record<BookingState, unknown> = {
  held: v5Held,
  under_review: v5UnderReview,
  awaiting_payment: v5AwaitingPayment,
  confirmed: v5Confirmed,
  checked_in: v5CheckedIn,
  leaving: v5Leaving,
  checked_out: v5CheckedOut,
  cancelled: v5Cancelled,
  refunded: v5Refunded,
  expired: v5Expired,
  rejected: v5Rejected,
};

/** Restores a stored snapshot as the host does: migrate, parse, resolve, check the status. */
function restore(stored: unknown, fromVersion: number) {
  const migrated = fromVersion === BOOKING_MACHINE_VERSION ? stored : bookingDefinition.migrate(stored, fromVersion);
  const parsed = BookingPersisted.parse(migrated);
  return bookingMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status });
}

const expectedStatus = (state: BookingState) => ((BOOKING_FINAL_STATES as readonly string[]).includes(state) ? 'done' : 'active');

describe('booking fixtures v1 (restored through the v1 → v2 migration)', () => {
  it.each(BOOKING_V2_STATES)('restores %s', (state) => {
    const snapshot = restore(V1[state], 1);
    expect(snapshot.status).not.toBe('error');
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(expectedStatus(state));
  });

  it('a v1 expired booking (stored as done) restores active and takes a late payment', () => {
    expect((V1.expired as { status: string }).status).toBe('done');
    const snapshot = restore(V1.expired, 1);
    expect(snapshot.status).toBe('active');
    const late = step(snapshot, { type: 'payment.captured_late', paymentId: 'pay_7', amount: SAMPLE_TOTAL });
    expect(late.snapshot.value).toBe('confirmed');
  });

  it('a restored booking keeps going: awaiting_payment confirms, held expires on its timer', () => {
    const confirmed = step(restore(V1.awaiting_payment, 1), { type: 'payment.captured', paymentId: 'pay_3', amount: SAMPLE_TOTAL });
    expect(confirmed.snapshot.value).toBe('confirmed');
    expect(confirmed.effects.map((e) => e.type)).toEqual(['capacity.confirm', 'tickets.issue', 'notify']);
    expect(step(restore(V1.held, 1), { type: 'xstate.after.hold.booking.held' }).snapshot.value).toBe('expired');
    const refunded = step(restore(V1.cancelled, 1), { type: 'payment.refunded', refundId: 'ref_1', amount: 10_000 });
    expect(refunded.snapshot.value).toBe('refunded');
  });
});

describe('booking fixtures v2 (restored through the v2 → v3 migration)', () => {
  it.each(BOOKING_V2_STATES)('restores %s', (state) => {
    const snapshot = restore(V2[state], 2);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(expectedStatus(state));
  });

  it('a restored v2 checked-in booking can start its check-out grace', () => {
    const leaving = step(restore(V2.checked_in, 2), { type: 'booking.all_out', at: 1_700_000_150_000, graceMs: 60_000 });
    expect(leaving.snapshot.value).toBe('leaving');
  });

  it('an expired booking refunding a late payment restores and completes its refund', () => {
    const snapshot = restore(v2ExpiredLateRefund, 2);
    expect(snapshot.value).toBe('expired');
    expect(snapshot.context.refundRequestedAmount).toBe(SAMPLE_TOTAL);
    expect(step(snapshot, { type: 'payment.refunded', refundId: 'rf_1', amount: SAMPLE_TOTAL }).snapshot.value).toBe('refunded');
  });
});

describe('booking fixtures v3 (restored through the v3 → v4 migration)', () => {
  it.each(BOOKING_STATES)('restores %s', (state) => {
    const snapshot = restore(V3[state], 3);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(expectedStatus(state));
  });

  it('a v3 refunded booking (stored as done) restores active and takes a finance refund of what the policy kept', () => {
    expect((V3.refunded as { status: string }).status).toBe('done');
    const snapshot = restore(V3.refunded, 3);
    expect(snapshot.status).toBe('active');
    const more = step(snapshot, { type: 'booking.refund', refundId: 'rf_9', paymentId: 'pay_2', amount: 2_500, at: 1_700_000_300_000 });
    expect(more.snapshot.value).toBe('refunded');
    expect(more.snapshot.context.refundRequestedAmount).toBe(SAMPLE_TOTAL);
    expect(more.effects).toEqual([{ type: 'refund.request', bookingId: 'bk_1', paymentId: 'pay_2', amount: 2_500, reason: 'admin', refundId: 'rf_9' }]);
  });

  it('a v3 checked-out booking restores active and records a refund after the visit', () => {
    const snapshot = restore(V3.checked_out, 3);
    expect(snapshot.status).toBe('active');
    const refund = step(snapshot, { type: 'booking.refund', refundId: 'rf_8', paymentId: 'pay_2', amount: 1_000, at: 1_700_000_300_000 });
    expect(refund.snapshot.value).toBe('checked_out');
    expect(refund.snapshot.context.refundRequestedAmount).toBe(1_000);
  });
});

describe('booking fixtures v4 (restored unchanged as v5)', () => {
  it.each(BOOKING_STATES)('restores %s', (state) => {
    const snapshot = restore(V4[state], 4);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(expectedStatus(state));
    expect(bookingDefinition.migrate(V4[state], 4)).toBe(V4[state]);
  });

  it('restores a pending payment and a partly refunded booking, which keep going', () => {
    const pending = restore(v4AwaitingPaymentPending, 4);
    expect(pending.context).toMatchObject({ paymentStatus: 'pending', pendingReason: 'three_d_secure' });
    const paid = step(pending, { type: 'payment.captured', paymentId: 'pay_2', amount: SAMPLE_TOTAL });
    expect(paid.snapshot.value).toBe('confirmed');
    expect(paid.snapshot.context.paymentStatus).toBe('authorized');
    const partly = restore(v4ConfirmedPartlyRefunded, 4);
    expect(partly.value).toBe('confirmed');
    expect(partly.context.cancelledTickets).toEqual(['bk_1-t3']);
    const rest = step(partly, { type: 'booking.refund', refundId: 'rf_2', paymentId: 'pay_2', amount: 10_000, at: 1_700_000_070_000 });
    expect(rest.snapshot.value).toBe('cancelled');
  });

  it('a v4 confirmed booking (no ticket numbering base) takes a paid change and reissues tickets 1…3', () => {
    const moved = step(restore(V4.confirmed, 4), {
      type: 'booking.change', adminId: 'adm_1', slotId: 'slot_2', lines: [{ ticketTypeId: 'adult', qty: 2, unitPrice: 5_000 }, { ticketTypeId: 'child', qty: 1, unitPrice: 2_500 }],
      requiresApproval: false, at: 1_700_000_060_000, changeId: 'change-0009',
    });
    expect(moved.snapshot.context).toMatchObject({ slotId: 'slot_2', ticketBase: 3 });
    expect(moved.effects[0]).toMatchObject({ type: 'tickets.revoke', seqs: { first: 1, last: 3 } });
  });
});

describe('booking fixtures v5', () => {
  it.each(BOOKING_STATES)('restores %s', (state) => {
    const snapshot = restore(V5[state], 5);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(expectedStatus(state));
  });

  // Catches a change of XState's persisted format or of the context while the version stays 5;
  // when the version is bumped, point this at the new version's fixtures and keep the older restores.
  it.each(BOOKING_STATES)('the current machine still persists %s exactly as the v5 fixture', (state) => {
    expect(BOOKING_MACHINE_VERSION).toBe(5);
    const persisted = bookingMachine.getPersistedSnapshot(reach(state).snapshot);
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(V5[state]);
  });

  it('restores a change waiting for its difference, which its payment applies', () => {
    const due = restore(v5ConfirmedChangeDue, 5);
    expect(due.context.pendingChange).toMatchObject({ changeId: 'change-0001', due: 2_500, holdId: 'chg_0001' });
    const paid = step(due, { type: 'payment.captured', paymentId: 'pay_3', amount: 2_500 });
    expect(paid.snapshot.context).toMatchObject({ slotId: 'slot_2', quantity: 3, total: 15_000, ticketBase: 3, changes: [{ settlement: 'paid', paymentId: 'pay_3' }] });
    expect(paid.effects.map((e) => e.type)).toEqual(['capacity.move', 'tickets.revoke', 'tickets.issue', 'bands.follow', 'notify']);
  });

  it('restores a changed booking, whose next change numbers its tickets after the reissued ones', () => {
    const changed = restore(v5ConfirmedChanged, 5);
    expect(changed.context).toMatchObject({ slotId: 'slot_2', quantity: 2, ticketBase: 3, refundRequestedAmount: 2_500 });
    const again = step(changed, { type: 'booking.change', adminId: 'adm_1', slotId: 'slot_1', lines: [{ ticketTypeId: 'adult', qty: 2, unitPrice: 5_000 }], requiresApproval: false, at: 1_700_000_090_000, changeId: 'change-0003' });
    expect(again.effects[0]).toMatchObject({ type: 'tickets.revoke', seqs: { first: 4, last: 5 } });
    expect(again.snapshot.context.ticketBase).toBe(5);
  });
});

describe('booking snapshot schema', () => {
  const held = V1.held as Record<string, unknown>;

  it('refuses an unknown state, a status that disagrees with the state, children or missing context', () => {
    expect(BookingPersisted.safeParse({ ...held, value: 'paid' }).success).toBe(false);
    expect(BookingPersisted.safeParse({ ...held, status: 'done' }).success).toBe(false);
    expect(BookingPersisted.safeParse({ ...(V2.expired as object), status: 'done' }).success).toBe(false);
    expect(BookingPersisted.safeParse({ ...(V4.refunded as object), status: 'done' }).success).toBe(false);
    expect(BookingPersisted.safeParse({ ...(V4.rejected as object), status: 'active' }).success).toBe(false);
    expect(BookingPersisted.safeParse({ ...held, status: 'error' }).success).toBe(false);
    expect(BookingPersisted.safeParse({ ...held, children: { x: {} } }).success).toBe(false);
    expect(BookingPersisted.safeParse({ ...held, context: { bookingId: 'bk_1' } }).success).toBe(false);
  });
});

describe('booking migrate', () => {
  const reopened = new Set<string>(['expired', 'refunded', 'checked_out']);

  it('passes a version 1 snapshot through unchanged unless it is expired, refunded or checked out, which become active', () => {
    for (const state of BOOKING_V2_STATES.filter((s) => !reopened.has(s))) expect(bookingDefinition.migrate(V1[state], 1)).toBe(V1[state]);
    expect(bookingDefinition.migrate(V1.expired, 1)).toEqual(V2.expired);
    expect(bookingDefinition.migrate(V1.refunded, 1)).toEqual({ ...(V1.refunded as object), status: 'active' });
    expect((V1.expired as { status: string }).status).toBe('done'); // the stored input is not mutated
  });

  it.each([2, 3])('passes a version %s snapshot through unchanged unless it was final and no longer is', (version) => {
    const fixtures = version === 2 ? V2 : V3;
    for (const state of BOOKING_V2_STATES) {
      const migrated = bookingDefinition.migrate(fixtures[state], version);
      if ((BOOKING_V3_FINAL_STATES as readonly string[]).includes(state) && state !== 'rejected') {
        expect(migrated).toEqual({ ...(fixtures[state] as object), status: 'active' });
        expect((fixtures[state] as { status: string }).status).toBe('done');
      } else {
        expect(migrated).toBe(fixtures[state]);
      }
    }
  });

  it.each([0, 5, 6, -1, 1.5, Number.NaN])('refuses version %s with snapshot.unsupported_version', (version) => {
    let thrown: unknown;
    try {
      bookingDefinition.migrate(V1.held, version);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CodedError);
    expect(thrown).toMatchObject({ code: 'snapshot.unsupported_version' });
    expect((thrown as CodedError).message).toContain(`version ${String(version)}`);
  });

  it('describes the booking kind to the host', () => {
    expect(bookingDefinition).toMatchObject({ kind: 'booking', version: 5, machine: bookingMachine, snapshot: BookingPersisted });
    expect(bookingDefinition.events.safeParse({ type: 'booking.submit' }).success).toBe(true);
    expect(bookingDefinition.events.safeParse({ type: 'booking.explode' }).success).toBe(false);
    expect(bookingDefinition.events.safeParse({ type: 'xstate.after.hold.booking.held' }).success).toBe(false);
  });
});
