import { describe, expect, it } from 'vitest';
import { PAYMENT_DUE_TIMER, refundableOf } from './food-order.machine.js';
import {
  ALL_BUMPED,
  ARRIVE,
  DELIVER,
  LUNCH,
  LUNCH_AT,
  PAY,
  PAY_FAILED,
  PAY_OWN,
  T0,
  PAY_WITHIN,
  VISIT_LUNCH,
  bump,
  cancel,
  financeRefund,
  fireTimer,
  foodStep,
  reachFoodOrder,
  recall,
  startFoodOrder,
} from './food-order.test-support.js';
import type { FoodOrderSnapshot, FoodOrderStep } from './food-order.test-support.js';
import type { FoodOrderEvent } from './food-order.schemas.js';

const MIN = 60_000;
const run = (from: FoodOrderSnapshot, events: readonly FoodOrderEvent[]): FoodOrderStep =>
  events.reduce<FoodOrderStep>((step, event) => foodStep(step.snapshot, event), { snapshot: from, effects: [], timers: [], cancelled: [] });

describe('food order machine', () => {
  it('starts placed with its total and prep time from the priced lines, nothing paid', () => {
    const { snapshot, effects, timers } = startFoodOrder();
    expect(snapshot.value).toBe('placed');
    expect(snapshot.context).toMatchObject({ total: 9_100, prepMs: 12 * MIN, capturedAmount: 0, tickets: [], readyNotified: false });
    expect(snapshot.context.fireAt).toBeUndefined();
    expect(snapshot.hasTag('unpaid')).toBe(true);
    expect([effects, timers]).toEqual([[], []]);
  });

  it('is paid only by a payment that covers the total', () => {
    const placed = startFoodOrder().snapshot;
    expect(placed.can({ ...PAY, amount: 9_099 } as FoodOrderEvent)).toBe(false);
    const { snapshot } = foodStep(placed, PAY);
    expect(snapshot.value).toBe('paid');
    expect(snapshot.context).toMatchObject({ paymentId: 'pay_1', capturedAmount: 9_100, paidAt: T0 + MIN });
  });

  it('on arrival: waits paid until the gate entry fires it, one ticket per station', () => {
    const paid = reachFoodOrder('paid').snapshot;
    expect(paid.hasTag('awaiting_fire')).toBe(true);
    const { snapshot, timers } = foodStep(paid, ARRIVE);
    expect(snapshot.value).toBe('preparing');
    expect(timers).toEqual([]);
    expect(snapshot.context.firedAt).toBe(ARRIVE.type === 'food.arrived' ? ARRIVE.at : 0);
    expect(snapshot.context.tickets).toEqual([
      { station: 'grill', lineIds: ['l1'], stage: 'queued' },
      { station: 'drinks', lineIds: ['l2'], stage: 'queued' },
    ]);
  });

  it('at a chosen time: scheduled with a durable fire timer due at pickup − prep time, fired by it', () => {
    const scheduled = foodStep(startFoodOrder(LUNCH_AT).snapshot, PAY);
    expect(scheduled.snapshot.value).toBe('scheduled');
    expect(scheduled.snapshot.context.fireAt).toBe(T0 + 60 * MIN - 12 * MIN);
    // Entered at the payment (T0 + 1 min): due 47 minutes later, at 48 minutes.
    expect(scheduled.timers).toHaveLength(1);
    expect(scheduled.timers[0]?.delay).toBe(47 * MIN);
    // The gate's entry does not fire a timed order early.
    expect(scheduled.snapshot.can(ARRIVE)).toBe(false);
    const fired = fireTimer(scheduled);
    expect(fired.snapshot.value).toBe('preparing');
    expect(fired.snapshot.context.firedAt).toBe(T0 + 48 * MIN);
    expect(fired.snapshot.context.tickets.map((t) => t.station)).toEqual(['grill', 'drinks']);
  });

  it('a timed order paid after its fire time fires at once; staff may fire a scheduled one early', () => {
    const late = foodStep(startFoodOrder(LUNCH_AT).snapshot, { ...PAY, at: T0 + 55 * MIN } as FoodOrderEvent);
    expect(late.timers[0]?.delay).toBe(0);
    const early = foodStep(reachFoodOrder('scheduled').snapshot, { type: 'food.fire', at: T0 + 5 * MIN, by: 'user:chef' });
    expect(early.snapshot.value).toBe('preparing');
    expect(early.cancelled).toHaveLength(1);
  });

  it('bumps each station ticket queued → cooking → done; ready when all are done, the visitor told once', () => {
    let step = foodStep(reachFoodOrder('paid').snapshot, ARRIVE);
    step = foodStep(step.snapshot, bump('grill', 'queued'));
    expect(step.snapshot.context.tickets[0]).toMatchObject({ stage: 'cooking', changedBy: 'device:board-grill' });
    step = run(step.snapshot, [bump('grill', 'cooking'), bump('drinks', 'queued')]);
    expect(step.snapshot.value).toBe('preparing');
    const ready = foodStep(step.snapshot, bump('drinks', 'cooking', T0 + 20 * MIN));
    expect(ready.snapshot.value).toBe('ready');
    expect(ready.snapshot.context.readyAt).toBe(T0 + 20 * MIN);
    expect(ready.effects).toEqual([{ type: 'food.notify_ready', orderId: 'fo_1', visitorId: 'vis_1', bookingId: 'bk_1', pickupPoint: 'Palm Café counter' }]);
    expect(ready.timers.map((t) => t.delay)).toEqual([30 * MIN]);
  });

  it('refuses a bump from a stage the ticket has left (two boards at once: one wins) and a station without a ticket', () => {
    const preparing = foodStep(reachFoodOrder('paid').snapshot, ARRIVE).snapshot;
    const first = foodStep(preparing, bump('grill', 'queued', T0 + 11 * MIN, 'device:board-grill-1'));
    // The second board saw the same queued ticket: refused, nothing changes.
    expect(first.snapshot.can(bump('grill', 'queued', T0 + 11 * MIN, 'device:board-grill-2'))).toBe(false);
    expect(preparing.can(bump('fryer', 'queued'))).toBe(false);
    expect(reachFoodOrder('paid').snapshot.can(bump('grill', 'queued'))).toBe(false);
  });

  it('recalls the last bump: a ready order goes back to preparing and, bumped again, tells nobody twice', () => {
    const ready = reachFoodOrder('ready');
    const recalled = foodStep(ready.snapshot, recall('drinks'));
    expect(recalled.snapshot.value).toBe('preparing');
    expect(recalled.snapshot.context.tickets[1]?.stage).toBe('cooking');
    expect(recalled.cancelled).toHaveLength(1); // the not-collected timer
    const again = foodStep(recalled.snapshot, bump('drinks', 'cooking'));
    expect(again.snapshot.value).toBe('ready');
    expect(again.effects).toEqual([]);
    // Nothing to recall on a queued ticket.
    const fresh = foodStep(reachFoodOrder('paid').snapshot, ARRIVE).snapshot;
    expect(fresh.can(recall('grill'))).toBe(false);
  });

  it('delivers a ready order; a ready order not collected in time is not_collected, and may still be handed over', () => {
    expect(foodStep(reachFoodOrder('ready').snapshot, DELIVER).snapshot).toMatchObject({ value: 'delivered', context: { deliveredAt: T0 + 30 * MIN } });
    const lapsed = reachFoodOrder('not_collected');
    expect(lapsed.snapshot.value).toBe('not_collected');
    expect(foodStep(lapsed.snapshot, DELIVER).snapshot.value).toBe('delivered');
    expect(reachFoodOrder('preparing').snapshot.can(DELIVER)).toBe(false);
  });

  it('cancels before the kitchen starts with a refund of everything captured, and with nothing to refund before payment', () => {
    const unpaid = foodStep(startFoodOrder().snapshot, cancel());
    expect(unpaid.snapshot.value).toBe('cancelled');
    expect(unpaid.effects).toEqual([]);
    for (const from of ['paid', 'scheduled'] as const) {
      const cancelled = foodStep(reachFoodOrder(from).snapshot, cancel(0));
      expect(cancelled.snapshot.value).toBe('cancelled');
      // Before preparing the refund is in full whatever amount was asked.
      expect(cancelled.effects).toEqual([expect.objectContaining({ type: 'food.refund_request', amount: 9_100, paymentId: 'pay_1', reason: 'cancellation' })]);
      expect(cancelled.snapshot.context.refundRequestedAmount).toBe(9_100);
    }
  });

  it('cancels in the kitchen by the policy amount, never above what is left, and accounts the refunds', () => {
    const preparing = reachFoodOrder('preparing').snapshot;
    expect(preparing.can(cancel(9_101))).toBe(false);
    const half = foodStep(preparing, cancel(4_550));
    expect(half.snapshot.value).toBe('cancelled');
    expect(half.effects).toEqual([expect.objectContaining({ type: 'food.refund_request', amount: 4_550 })]);
    const nothing = foodStep(reachFoodOrder('ready').snapshot, cancel());
    expect([nothing.snapshot.value, nothing.effects]).toEqual(['cancelled', []]);
    // Refund reports: once per refund id, within what was asked.
    const refunded = foodStep(half.snapshot, { type: 'payment.refunded', refundId: 'rf_1', amount: 4_550 });
    expect(refunded.snapshot.context).toMatchObject({ refundedAmount: 4_550, refunds: [{ refundId: 'rf_1', amount: 4_550 }] });
    expect(refunded.snapshot.can({ type: 'payment.refunded', refundId: 'rf_1', amount: 4_550 })).toBe(false);
    expect(half.snapshot.can({ type: 'payment.refunded', refundId: 'rf_2', amount: 4_551 })).toBe(false);
    // captured − refunded is what was kept for food the kitchen made.
    const ctx = refunded.snapshot.context;
    expect(ctx.capturedAmount - ctx.refundedAmount).toBe(4_550);
    expect(refundableOf(ctx)).toBe(4_550);
  });

  it('gives back what a failed refund had asked for: refundable again, and the books still add up', () => {
    const half = foodStep(reachFoodOrder('preparing').snapshot, cancel(4_550)).snapshot;
    expect(half.can({ type: 'payment.refund_failed', refundId: 'rf_1', amount: 4_551 })).toBe(false);
    const failed = foodStep(half, { type: 'payment.refund_failed', refundId: 'rf_1', amount: 4_550 });
    expect(failed.effects).toEqual([]);
    expect(failed.snapshot.value).toBe('cancelled');
    expect(failed.snapshot.context).toMatchObject({ capturedAmount: 9_100, refundRequestedAmount: 0, refundedAmount: 0 });
    expect(refundableOf(failed.snapshot.context)).toBe(9_100);
    // Nothing more can fail than is on its way back, and a refund already through cannot fail.
    expect(failed.snapshot.can({ type: 'payment.refund_failed', refundId: 'rf_2', amount: 1 })).toBe(false);
    const through = foodStep(half, { type: 'payment.refunded', refundId: 'rf_1', amount: 4_550 }).snapshot;
    expect(through.can({ type: 'payment.refund_failed', refundId: 'rf_1', amount: 4_550 })).toBe(false);
  });

  it('refunds a payment that arrives after the cancel in full', () => {
    const cancelled = foodStep(startFoodOrder().snapshot, cancel()).snapshot;
    const late = foodStep(cancelled, PAY);
    expect(late.snapshot.value).toBe('cancelled');
    expect(late.effects).toEqual([expect.objectContaining({ type: 'food.refund_request', paymentId: 'pay_1', amount: 9_100, reason: 'late_payment' })]);
    expect(late.snapshot.context).toMatchObject({ capturedAmount: 9_100, refundRequestedAmount: 9_100 });
  });

  it('accepts nothing out of its state: no double payment, no fire before payment, no bump after delivery', () => {
    expect(reachFoodOrder('paid').snapshot.can(PAY)).toBe(false);
    expect(startFoodOrder().snapshot.can(ARRIVE)).toBe(false);
    expect(startFoodOrder().snapshot.can({ type: 'food.fire', at: T0, by: 'user:chef' })).toBe(false);
    expect(reachFoodOrder('delivered').snapshot.can(bump('grill', 'queued'))).toBe(false);
    expect(reachFoodOrder('delivered').snapshot.can(cancel())).toBe(false);
    expect(reachFoodOrder('cancelled').snapshot.can(ARRIVE)).toBe(false);
    for (const step of ALL_BUMPED) expect(startFoodOrder(LUNCH).snapshot.can(step)).toBe(false);
  });

  it('tells the ready message the pickup point in Arabic too, when the venue names it', () => {
    const placed = startFoodOrder({ ...LUNCH, pickupPointAr: 'كاونتر مقهى النخيل' });
    const ready = [PAY, ARRIVE, ...ALL_BUMPED].reduce((current, event) => foodStep(current.snapshot, event), placed);
    expect(ready.snapshot.value).toBe('ready');
    expect(ready.effects).toEqual([expect.objectContaining({ type: 'food.notify_ready', pickupPoint: 'Palm Café counter', pickupPointAr: 'كاونتر مقهى النخيل' })]);
  });
});

describe('food order machine: an order during the visit, paid on its own', () => {
  it('as soon as possible: placed → paid → preparing in one step once its payment is captured, one ticket per station', () => {
    const placed = startFoodOrder(VISIT_LUNCH).snapshot;
    expect(placed.context).toMatchObject({ visitBookingId: 'bk_1', pickup: { mode: 'asap' }, total: 9_100 });
    expect(placed.context.bookingId).toBeUndefined();
    const { snapshot, timers, effects } = foodStep(placed, PAY_OWN);
    expect(snapshot.value).toBe('preparing');
    expect(snapshot.context).toMatchObject({ paymentId: 'fo_3-p2', capturedAmount: 9_100, paidAt: T0 + 2 * MIN, firedAt: T0 + 2 * MIN });
    expect(snapshot.context.tickets.map((t) => [t.station, t.stage])).toEqual([['grill', 'queued'], ['drinks', 'queued']]);
    expect([timers, effects]).toEqual([[], []]);
  });

  it('at a chosen time today: scheduled by its durable fire timer like a pre-order', () => {
    const timed = foodStep(startFoodOrder({ ...VISIT_LUNCH, pickup: { mode: 'at', at: T0 + 60 * MIN } }).snapshot, PAY_OWN);
    expect(timed.snapshot.value).toBe('scheduled');
    expect(timed.timers).toEqual([expect.objectContaining({ delay: 60 * MIN - 12 * MIN - 2 * MIN })]);
    expect(fireTimer(timed).snapshot.value).toBe('preparing');
  });

  it('remembers a failed attempt until a later one pays; a pre-order hears of no attempt', () => {
    const failed = foodStep(startFoodOrder(VISIT_LUNCH).snapshot, PAY_FAILED);
    expect(failed.snapshot.value).toBe('placed');
    expect(failed.snapshot.context.paymentFailure).toEqual({ paymentId: 'fo_3-p1', reason: 'DECLINED', at: T0 + MIN });
    const paid = foodStep(failed.snapshot, PAY_OWN).snapshot;
    expect(paid.value).toBe('preparing');
    expect(paid.context.paymentFailure).toBeUndefined();
    expect(startFoodOrder().snapshot.can(PAY_FAILED)).toBe(false);
    expect(paid.can(PAY_FAILED)).toBe(false);
  });

  it('asks back in full a second payment it did not need, in any state, once; a pre-order leaves that to its booking', () => {
    const preparing = foodStep(startFoodOrder(VISIT_LUNCH).snapshot, PAY_OWN).snapshot;
    const second: FoodOrderEvent = { type: 'food.paid', paymentId: 'fo_3-p1', amount: 9_100, at: T0 + 3 * MIN };
    const refunded = foodStep(preparing, second);
    expect(refunded.snapshot.value).toBe('preparing');
    expect(refunded.effects).toEqual([{ type: 'food.refund_request', orderId: 'fo_3', paymentId: 'fo_3-p1', amount: 9_100, reason: 'unneeded_payment' }]);
    expect(refunded.snapshot.context).toMatchObject({ paymentId: 'fo_3-p2', capturedAmount: 18_200, refundRequestedAmount: 9_100 });
    // The payment it was paid with is not a second one.
    expect(refunded.snapshot.can(PAY_OWN)).toBe(false);
    const delivered = run(refunded.snapshot, [...ALL_BUMPED, DELIVER]).snapshot;
    expect(delivered.value).toBe('delivered');
    expect(foodStep(delivered, { ...second, paymentId: 'fo_3-p3' }).effects).toEqual([expect.objectContaining({ reason: 'unneeded_payment', paymentId: 'fo_3-p3' })]);
    expect(reachFoodOrder('delivered').snapshot.can({ ...second, paymentId: 'pay_9' })).toBe(false);
  });

  it('cancelled before the kitchen (a chosen time) asks back everything on its own payment; the refund and its failure reach its books', () => {
    const scheduled = foodStep(startFoodOrder({ ...VISIT_LUNCH, pickup: { mode: 'at', at: T0 + 60 * MIN } }).snapshot, PAY_OWN).snapshot;
    const cancelled = foodStep(scheduled, cancel());
    expect(cancelled.effects).toEqual([{ type: 'food.refund_request', orderId: 'fo_3', paymentId: 'fo_3-p2', amount: 9_100, reason: 'cancellation' }]);
    const failed = foodStep(cancelled.snapshot, { type: 'payment.refund_failed', refundId: 'rf_a', amount: 9_100 }).snapshot;
    expect(refundableOf(failed.context)).toBe(9_100);
    const through = foodStep(cancelled.snapshot, { type: 'payment.refunded', refundId: 'rf_a', amount: 9_100 }).snapshot;
    expect(through.context.capturedAmount - through.context.refundedAmount).toBe(0);
  });
});

describe('food order machine: the payment deadline of an order paid on its own (version 3)', () => {
  const due: FoodOrderEvent = { type: 'food.payment_due', at: T0 + PAY_WITHIN };

  it('placed raises a durable timer due at payBy; a pre-order raises none', () => {
    const placed = startFoodOrder(VISIT_LUNCH);
    expect(placed.timers).toEqual([{ id: PAYMENT_DUE_TIMER, event: due, delay: PAY_WITHIN }]);
    expect(startFoodOrder().timers).toEqual([]);
    expect(startFoodOrder({ ...VISIT_LUNCH, payBy: undefined }).timers).toEqual([]);
  });

  it('unpaid at the deadline: cancelled by the system, nothing asked back, never fired to the kitchen', () => {
    const failed = foodStep(startFoodOrder(VISIT_LUNCH).snapshot, PAY_FAILED);
    const expired = foodStep(failed.snapshot, due);
    expect(expired.snapshot.value).toBe('cancelled');
    expect(expired.snapshot.context).toMatchObject({ cancelledAt: T0 + PAY_WITHIN, cancelledBy: 'system:food', cancelCause: 'payment_due', capturedAmount: 0, refundRequestedAmount: 0, tickets: [] });
    expect(expired.snapshot.context.firedAt).toBeUndefined();
    expect(expired.effects).toEqual([]);
    expect(expired.cancelled).toEqual([PAYMENT_DUE_TIMER]);
    // A capture that arrives after the deadline is asked back in full, as after any cancel.
    const late = foodStep(expired.snapshot, PAY_OWN);
    expect(late.snapshot.value).toBe('cancelled');
    expect(late.effects).toEqual([expect.objectContaining({ type: 'food.refund_request', reason: 'late_payment', amount: 9_100 })]);
  });

  it('paid or cancelled in time: the timer is cancelled and a late firing changes nothing', () => {
    const paid = foodStep(startFoodOrder(VISIT_LUNCH).snapshot, PAY_OWN);
    expect(paid.cancelled).toEqual([PAYMENT_DUE_TIMER]);
    expect(paid.snapshot.can(due)).toBe(false);
    const cancelled = foodStep(startFoodOrder(VISIT_LUNCH).snapshot, cancel());
    expect(cancelled.cancelled).toEqual([PAYMENT_DUE_TIMER]);
    expect(cancelled.snapshot.context.cancelCause).toBeUndefined();
    expect(cancelled.snapshot.can(due)).toBe(false);
    // Early or without a deadline, the event is refused.
    expect(startFoodOrder(VISIT_LUNCH).snapshot.can({ type: 'food.payment_due', at: T0 + PAY_WITHIN - 1 })).toBe(false);
    expect(startFoodOrder().snapshot.can(due)).toBe(false);
  });
});

describe('food order machine: a finance refund of its own payment (version 3)', () => {
  const preparing = () => foodStep(startFoodOrder(VISIT_LUNCH).snapshot, PAY_OWN).snapshot;

  it('everything back before the food is served: recorded as refunded and the order cancelled, nothing asked again', () => {
    for (const before of [preparing(), run(preparing(), ALL_BUMPED).snapshot, foodStep(startFoodOrder({ ...VISIT_LUNCH, pickup: { mode: 'at', at: T0 + 60 * MIN } }).snapshot, PAY_OWN).snapshot]) {
      const refunded = foodStep(before, financeRefund(9_100));
      expect(refunded.snapshot.value).toBe('cancelled');
      expect(refunded.effects).toEqual([]);
      expect(refunded.snapshot.context).toMatchObject({
        capturedAmount: 9_100,
        refundRequestedAmount: 9_100,
        refundedAmount: 9_100,
        financeRefundedAmount: 9_100,
        refunds: [{ refundId: 'rf_fin_1', amount: 9_100 }],
        cancelCause: 'finance_refund',
        cancelledBy: 'user:finance-1',
      });
      // Off the kitchen's boards, and its timers (fire, not collected) cancelled with the state.
      expect(refunded.snapshot.hasTag('in_kitchen')).toBe(false);
      expect(refunded.snapshot.context.capturedAmount - refunded.snapshot.context.refundedAmount).toBe(0);
    }
  });

  it('a part: recorded, the order goes on; the rest afterwards cancels it; once per refund id, never beyond what is left', () => {
    const part = foodStep(preparing(), financeRefund(1_000));
    expect(part.snapshot.value).toBe('preparing');
    expect(part.snapshot.context).toMatchObject({ refundedAmount: 1_000, refundRequestedAmount: 1_000, financeRefundedAmount: 1_000 });
    expect(part.snapshot.can(financeRefund(1_000))).toBe(false);
    expect(part.snapshot.can(financeRefund(8_101, 'rf_fin_2'))).toBe(false);
    expect(foodStep(part.snapshot, financeRefund(8_100, 'rf_fin_2')).snapshot).toMatchObject({ value: 'cancelled', context: { financeRefundedAmount: 9_100, refundedAmount: 9_100 } });
  });

  it('after the food was served, or once cancelled: recorded only (a goodwill refund, the kept part of a kitchen cancel)', () => {
    const delivered = run(preparing(), [...ALL_BUMPED, DELIVER]).snapshot;
    const goodwill = foodStep(delivered, financeRefund(9_100));
    expect(goodwill.snapshot).toMatchObject({ value: 'delivered', context: { refundedAmount: 9_100, financeRefundedAmount: 9_100 } });
    expect(goodwill.snapshot.context.cancelCause).toBeUndefined();
    const kept = foodStep(preparing(), cancel(4_550)).snapshot;
    const rest = foodStep(kept, financeRefund(4_550));
    expect(rest.snapshot).toMatchObject({ value: 'cancelled', context: { refundRequestedAmount: 9_100, refundedAmount: 4_550, financeRefundedAmount: 4_550 } });
    // What the order asked back itself is not finance's to give again.
    expect(kept.can(financeRefund(4_551))).toBe(false);
  });
});
