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

describe('booking: a paid booking changed by a booking admin (version 5)', () => {
  // The sample booking: 2 adults × 50.00 + 1 child × 25.00 = 125.00 SAR, paid with pay_2; tickets bk_1-t1…t3.
  const paidChange = (over: Partial<Extract<BookingEvent, { type: 'booking.change' }>> = {}): BookingEvent =>
    change({ changeId: 'change-0001', lines: [{ ticketTypeId: 'adult', qty: 2, unitPrice: 5_000 }], ...over });
  const cheaper = paidChange({ settle: 'refund', refunds: [{ paymentId: 'pay_2', amount: 2_500 }] });
  const dearer = (over: Partial<Extract<BookingEvent, { type: 'booking.change' }>> = {}) =>
    paidChange({ lines: [{ ticketTypeId: 'adult', qty: 3, unitPrice: 5_000 }], settle: 'collect', holdId: 'chg_0001', dueMs: 3_600_000, ...over });

  it('cheaper: applied at once, tickets reissued after the old numbers, the difference refunded from the payment, the visitor told', () => {
    const { snapshot, effects } = step(reach('confirmed').snapshot, cheaper);
    expect(snapshot.value).toBe('confirmed');
    expect(snapshot.context).toMatchObject({ slotId: 'slot_2', total: 10_000, quantity: 2, ticketBase: 3, refundRequestedAmount: 2_500 });
    expect(snapshot.context.changes).toEqual([
      { changeId: 'change-0001', adminId: 'adm_1', at: 50, from: { slotId: 'slot_1', people: 3, total: 12_500 }, to: { slotId: 'slot_2', people: 2, total: 10_000 }, difference: -2_500, settlement: 'refunded' },
    ]);
    // The old tickets stop admitting before the money goes back; the confirmation's entry actions do not run again.
    expect(effects).toEqual([
      { type: 'tickets.revoke', bookingId: 'bk_1', reason: 'booking.changed', seqs: { first: 1, last: 3 } },
      { type: 'tickets.issue', bookingId: 'bk_1', visitorId: 'vis_1', quantity: 2 },
      // The bands of t1 and t2 follow to t4 and t5; a band on t3 has no place left.
      { type: 'bands.follow', bookingId: 'bk_1', from: { first: 1, last: 3 }, to: { first: 4, last: 5 } },
      { type: 'refund.request', bookingId: 'bk_1', paymentId: 'pay_2', amount: 2_500, reason: 'change' },
      { type: 'notify', template: 'booking.changed', bookingId: 'bk_1', visitorId: 'vis_1' },
    ]);
    // The refund's outcome is accounted for as any other.
    expect(step(snapshot, { type: 'payment.refunded', refundId: 'rf_c1', amount: 2_500 }).snapshot.context.refundedAmount).toBe(2_500);
  });

  it('the same price moves no money; dearer and waived is applied at once with nothing to pay', () => {
    const same = step(reach('confirmed').snapshot, paidChange({ lines: [{ ticketTypeId: 'adult', qty: 2, unitPrice: 5_000 }, { ticketTypeId: 'child', qty: 1, unitPrice: 2_500 }] }));
    expect(same.snapshot.context).toMatchObject({ slotId: 'slot_2', changes: [{ difference: 0, settlement: 'none' }] });
    expect(same.effects.map((e) => e.type)).toEqual(['tickets.revoke', 'tickets.issue', 'bands.follow', 'notify']);
    const waived = step(reach('confirmed').snapshot, dearer({ settle: 'waive' }));
    expect(waived.snapshot.context).toMatchObject({ total: 15_000, quantity: 3, capturedAmount: 12_500, changes: [{ difference: 2_500, settlement: 'waived' }] });
    expect(waived.snapshot.context.pendingChange).toBeUndefined();
    expect(waived.effects.map((e) => e.type)).toEqual(['tickets.revoke', 'tickets.issue', 'bands.follow', 'notify']);
  });

  it('refuses a paid change whose money does not add up, and any change of a booking checked in or over', () => {
    const confirmed = reach('confirmed').snapshot;
    expect(confirmed.can(paidChange())).toBe(false); // cheaper with no refund
    expect(confirmed.can(paidChange({ settle: 'refund', refunds: [{ paymentId: 'pay_2', amount: 2_000 }] }))).toBe(false);
    expect(confirmed.can(paidChange({ settle: 'refund', refunds: [{ paymentId: 'pay_1', amount: 2_500 }] }))).toBe(false); // a failed attempt
    expect(confirmed.can(dearer({ settle: undefined }))).toBe(false);
    expect(confirmed.can(dearer({ dueMs: undefined }))).toBe(false);
    // Without its form id it is the unpaid kind of change, which a paid booking never takes.
    expect(confirmed.can(change())).toBe(false);
    for (const state of ['checked_in', 'leaving', 'checked_out', 'cancelled', 'refunded', 'expired', 'rejected'] as const) {
      expect(reach(state).snapshot.can(cheaper), state).toBe(false);
    }
    // A ticket cancelled by a partial refund: its lines no longer say who comes.
    const partly = step(confirmed, { type: 'booking.refund', refundId: 'rf_p', paymentId: 'pay_2', amount: 2_500, policy: 'cancel_tickets', ticketIds: ['bk_1-t3'], at: 60 }).snapshot;
    expect(partly.can(paidChange({ settle: 'refund', refunds: [{ paymentId: 'pay_2', amount: 2_500 }] }))).toBe(false);
  });

  it('dearer, the visitor pays: the change waits with a deadline, and the payment of the difference applies it onto the reserved places', () => {
    const asked = step(reach('confirmed').snapshot, dearer());
    expect(asked.snapshot.context).toMatchObject({ slotId: 'slot_1', total: 12_500, pendingChange: { changeId: 'change-0001', due: 2_500, total: 15_000, holdId: 'chg_0001' }, changes: [{ settlement: 'due' }] });
    expect(asked.effects).toEqual([{ type: 'notify', template: 'booking.change_due', bookingId: 'bk_1', visitorId: 'vis_1' }]);
    expect(delayedRaises(asked.actions)).toEqual([{ type: 'booking.change_lapse', id: 'change_due', delay: 3_600_000 }]);
    // Another change waits for this one.
    expect(asked.snapshot.can(cheaper)).toBe(false);
    // Less than the difference is not it (the payments service refunds such a payment).
    expect(asked.snapshot.can({ type: 'payment.captured', paymentId: 'pay_3', amount: 2_000 })).toBe(false);
    const failed = step(asked.snapshot, { type: 'payment.failed', paymentId: 'pay_3', reason: 'declined' });
    expect(failed.snapshot.context).toMatchObject({ paymentStatus: 'failed', payments: expect.arrayContaining([{ paymentId: 'pay_3', amount: 2_500, status: 'failed', reason: 'declined' }]) });
    const paid = step(failed.snapshot, { type: 'payment.captured', paymentId: 'pay_4', amount: 2_500 });
    expect(paid.snapshot.value).toBe('confirmed');
    expect(paid.snapshot.context).toMatchObject({ slotId: 'slot_2', total: 15_000, quantity: 3, capturedAmount: 15_000, ticketBase: 3, paymentStatus: 'authorized', changes: [{ settlement: 'paid', paymentId: 'pay_4' }] });
    expect(paid.snapshot.context.pendingChange).toBeUndefined();
    expect(cancelledTimers(paid.actions)).toEqual(['change_due']);
    expect(paid.effects).toEqual([
      { type: 'capacity.move', holdId: 'bk_1', slotId: 'slot_2', qty: 3, absorb: 'chg_0001' },
      { type: 'tickets.revoke', bookingId: 'bk_1', reason: 'booking.changed', seqs: { first: 1, last: 3 } },
      { type: 'tickets.issue', bookingId: 'bk_1', visitorId: 'vis_1', quantity: 3 },
      { type: 'bands.follow', bookingId: 'bk_1', from: { first: 1, last: 3 }, to: { first: 4, last: 6 } },
      { type: 'notify', template: 'booking.changed', bookingId: 'bk_1', visitorId: 'vis_1' },
    ]);
    // The same payment reported again is not a second one.
    expect(paid.snapshot.can({ type: 'payment.captured', paymentId: 'pay_4', amount: 2_500 })).toBe(false);
  });

  it('a waiting change lapses on its deadline, is withdrawn, or gives way to the check-in or a cancellation; its reserved places go back', () => {
    const asked = step(reach('confirmed').snapshot, dearer()).snapshot;
    const release = { type: 'capacity.release', holdId: 'chg_0001', slotId: 'slot_2' };
    expect(asked.can({ type: 'booking.change_lapse', changeId: 'change-other' })).toBe(false);
    const lapsed = step(asked, { type: 'booking.change_lapse', changeId: 'change-0001' });
    // The deadline tells the visitor, once: a second lapse of the same change is not accepted.
    expect(lapsed.effects).toEqual([release, { type: 'notify', template: 'booking.change_lapsed', bookingId: 'bk_1', visitorId: 'vis_1' }]);
    expect(lapsed.snapshot.can({ type: 'booking.change_lapse', changeId: 'change-0001' })).toBe(false);
    expect(lapsed.snapshot.context).toMatchObject({ slotId: 'slot_1', changes: [{ settlement: 'lapsed', settledAt: 50 + 3_600_000 }] });
    expect(lapsed.snapshot.context.pendingChange).toBeUndefined();
    // A payment after that is not taken (the payments service refunds it in full).
    expect(lapsed.snapshot.can({ type: 'payment.captured', paymentId: 'pay_3', amount: 2_500 })).toBe(false);

    const withdrawn = step(asked, { type: 'booking.change_withdraw', adminId: 'adm_2', at: 70 });
    expect(withdrawn.effects).toEqual([release]);
    expect(step(asked, { type: 'booking.check_in', at: 80 }).effects.filter((e) => e.type === 'notify').map((e) => e.type === 'notify' && e.template)).toEqual(['booking.checked_in']);
    expect(cancelledTimers(withdrawn.actions)).toEqual(['change_due']);
    expect(withdrawn.snapshot.context.changes).toMatchObject([{ settlement: 'withdrawn', settledAt: 70 }]);
    expect(reach('confirmed').snapshot.can({ type: 'booking.change_withdraw', adminId: 'adm_2', at: 70 })).toBe(false);

    const inside = step(asked, { type: 'booking.check_in', at: 80, gateId: 'gate_a' });
    expect(inside.snapshot.value).toBe('checked_in');
    expect(inside.effects[0]).toEqual(release);
    expect(inside.snapshot.context.changes).toMatchObject([{ settlement: 'lapsed', settledAt: 80 }]);

    const cancelled = step(asked, { type: 'booking.cancel', refundAmount: 12_500, at: 90 });
    expect(cancelled.snapshot.value).toBe('cancelled');
    expect(cancelled.effects).toEqual(expect.arrayContaining([{ type: 'capacity.release', holdId: 'bk_1', slotId: 'slot_1' }, release]));
    expect(cancelled.snapshot.context.pendingChange).toBeUndefined();
  });

  it('a change of the same slot needing no more places waits without a reservation, and a later change numbers tickets after the reissued ones', () => {
    const swap = dearer({ slotId: 'slot_1', lines: [{ ticketTypeId: 'adult', qty: 3, unitPrice: 5_000 }], holdId: undefined });
    const asked = step(reach('confirmed').snapshot, swap).snapshot;
    const paid = step(asked, { type: 'payment.captured', paymentId: 'pay_3', amount: 2_500 });
    expect(paid.effects[0]).toEqual({ type: 'capacity.move', holdId: 'bk_1', slotId: 'slot_1', qty: 3 });
    const again = step(paid.snapshot, paidChange({ changeId: 'change-0002', slotId: 'slot_3', lines: [{ ticketTypeId: 'adult', qty: 3, unitPrice: 5_000 }] }));
    expect(again.effects[0]).toEqual({ type: 'tickets.revoke', bookingId: 'bk_1', reason: 'booking.changed', seqs: { first: 4, last: 6 } });
    expect(again.snapshot.context).toMatchObject({ ticketBase: 6, changes: [{ changeId: 'change-0001' }, { changeId: 'change-0002', settlement: 'none' }] });
  });
});
