import { describe, expect, it } from 'vitest';
import type { BookingEvent } from './booking.schemas.js';
import { cancelledTimers, delayedRaises, reach, start, step } from './booking.test-support.js';

const change = (over: Partial<Extract<BookingEvent, { type: 'booking.change' }>> = {}): BookingEvent => ({
  type: 'booking.change',
  adminId: 'adm_1',
  slotId: 'slot_2',
  lines: [{ ticketTypeId: 'adult', qty: 2, unitPrice: 6_000 }, { ticketTypeId: 'child', qty: 1, unitPrice: 3_000, admits: 1 }],
  requiresApproval: false,
  at: 50,
  ...over,
});

describe('booking: changed by a booking admin before payment', () => {
  it('takes the new slot, lines and price in held, keeping the hold deadline running', () => {
    const { snapshot, effects, actions } = step(start().snapshot, change());
    expect(snapshot.value).toBe('held');
    expect(snapshot.context).toMatchObject({ slotId: 'slot_2', total: 15_000, quantity: 3, requiresApproval: false });
    // Targetless: no effects (the ledger already moved), the deadline is neither restarted nor cancelled.
    expect(effects).toEqual([]);
    expect(delayedRaises(actions)).toEqual([]);
    expect(cancelledTimers(actions)).toEqual([]);
  });

  it('prices add-ons with the tickets, and a new approval rule applies to the next submit', () => {
    const changed = step(start().snapshot, change({ addOns: [{ addOnId: 'locker', kind: 'locker', qty: 2, unitPrice: 1_500 }], requiresApproval: true }));
    expect(changed.snapshot.context).toMatchObject({ total: 18_000, addOns: [{ addOnId: 'locker', qty: 2 }] });
    expect(step(changed.snapshot, { type: 'booking.submit' }).snapshot.value).toBe('under_review');
  });

  it('changes a booking under review and one awaiting payment, and the people follow the admits of each line', () => {
    const review = step(reach('under_review').snapshot, change({ lines: [{ ticketTypeId: 'family', qty: 1, unitPrice: 42_000, admits: 4 }], requiresApproval: true }));
    expect(review.snapshot.value).toBe('under_review');
    expect(review.snapshot.context).toMatchObject({ quantity: 4, total: 42_000 });
    const awaiting = step(reach('awaiting_payment').snapshot, change());
    expect(awaiting.snapshot.value).toBe('awaiting_payment');
    expect(awaiting.snapshot.context.total).toBe(15_000);
    // The payment now has to cover the new total.
    expect(step(awaiting.snapshot, { type: 'payment.captured', paymentId: 'p1', amount: 12_500 }).snapshot.value).toBe('awaiting_payment');
    expect(step(awaiting.snapshot, { type: 'payment.captured', paymentId: 'p1', amount: 15_000 }).snapshot.value).toBe('confirmed');
  });

  it('refuses a change while a payment is under way, and once anything is paid or the booking is over', () => {
    const pending = step(reach('awaiting_payment').snapshot, { type: 'payment.pending', paymentId: 'p1', reason: 'three_d_secure' }).snapshot;
    expect(pending.can(change())).toBe(false);
    for (const state of ['confirmed', 'checked_in', 'cancelled', 'expired', 'rejected'] as const) {
      expect(reach(state).snapshot.can(change()), state).toBe(false);
    }
  });
});
