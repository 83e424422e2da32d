/**
 * The booking actor: one visitor's reservation of one slot, from the capacity hold to check-out.
 *
 *   held ─submit─▶ under_review ─approve─▶ awaiting_payment ─captured─▶ confirmed ─check_in─▶ checked_in ─check_out─▶ checked_out
 *     └──────submit (no approval)─────────────▶┘  (failed: stays)            │ cancel (+ refund.request)
 *                                                                            ▼
 *                                                 cancelled ─refunded (in full)─▶ refunded
 *
 *   held, under_review, awaiting_payment: cancel ─▶ cancelled; own deadline (hold/review/payment) ─▶ expired
 *   under_review: reject ─▶ rejected.  Every cancel, expiry and rejection releases the capacity hold.
 *
 * Late payment (version 2; `expired` is no longer final):
 *
 *   expired ─captured─▶ (capacity.retake effect: the payments service takes the seats again, hold id = booking id)
 *     ├─captured_late (seats taken)──────────────────────────▶ confirmed (tickets issued as usual)
 *     └─refund_late (sold out) + refund.request + notify ─────▶ expired ─refunded (in full)─▶ refunded
 *
 * The retake runs as an effect of this booking, so the relay delivers it after the expiry's own
 * capacity.release (per-actor order): a re-take can never be undone by the release it follows.
 *
 * The end of a visit (version 3):
 *
 *   checked_in ─all_out (last member went out)─▶ leaving ─check-out grace─▶ checked_out (+ visit.close)
 *                  ▲                                │ check_in (someone came back in)
 *                  └────────────────────────────────┘  check_out (staff, or now) ─▶ checked_out
 *
 * Money after the fact (version 4; `refunded` and `checked_out` are no longer final; the ledger
 * rules are in booking.money.ts):
 *
 *   confirmed ─booking.refund (all that is left, or the last tickets)─▶ cancelled (tickets revoked, refund.request)
 *   confirmed ─booking.refund (partial: keep the visit | cancel listed tickets)─▶ confirmed (+ refund.request)
 *   checked_in, leaving, checked_out, cancelled, refunded, expired: booking.refund keeps the visit
 *   every state that can hold money: payment.refunded / refunded_externally / refund_failed / unneeded
 *   awaiting_payment: payment.pending (3-D Secure, Apple Pay, the bank) ─▶ paymentStatus pending
 *
 * Changes by a booking admin before payment (booking.change: another slot, another party, priced
 * again; the booking service moved the places in the ledger first):
 *
 *   held, under_review, awaiting_payment (nothing captured, no payment under way) ─change─▶ same
 *   state, deadline still running; slot, lines, add-ons, total and people replaced
 *
 * Changes of a paid booking (version 5; the money rule is in booking.change.ts):
 *
 *   confirmed ─change (cheaper: refund.request per payment | same price | dearer, waived)─▶ confirmed
 *       slot, party and price replaced, tickets reissued (tickets.revoke by number + tickets.issue + bands.follow), notify
 *   confirmed ─change (dearer, the visitor pays)─▶ confirmed + pendingChange (timer change_due), notify
 *       ├─payment.captured (the difference)─▶ applied as above + capacity.move onto the reserved places
 *       └─change_lapse (deadline) | change_withdraw | check_in | cancel ─▶ dropped, reserved places released
 *         (the deadline alone tells the visitor: notify booking.change_lapsed)
 *
 * Support's resend: confirmed, checked_in, leaving ─resend_tickets─▶ same state + notify booking.tickets_resent
 *
 * Pure: deadlines are `after` delays read from the context (the host makes them durable),
 * times arrive in events, and every outside effect is an `emit` the host turns into an outbox row.
 */
import { assertEvent, assign, emit, enqueueActions, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { BOOKING_MACHINE_VERSION, migrateBookingSnapshot } from './booking.migrations.js';
import { appliesNow, differenceOf, pendingOf, recordOf, settledRecord, settlementNow, targetOf, waitsForPayment, withChange, withRecord } from './booking.change.js';
import {
  cancelsLastTickets,
  cancelsSomeTickets,
  capturedPayment,
  knownPayment,
  refundFits,
  externalRefundFits,
  failedRefundFits,
  keepsVisit,
  refundable,
  refundsEverything,
  ticketSeqs,
  unneededIsNew,
  withExternalRefund,
  withFinanceRefund,
  withUnneeded,
} from './booking.money.js';
import { BOOKING_STATES, BOOKING_TAGS, BookingContext, BookingEvent, BookingInput, BookingPersisted, CHANGE_DUE_TIMER, FOOD_PREORDER_ADDON, isPreOrderRefund, peopleOf } from './booking.schemas.js';
import type { BookingChangeLapse, BookingEffect, BookingPayment, BookingState, BookingTag, BookingTimerEvent, ChangeSettlement, NotifyTemplate } from './booking.schemas.js';

/** How many failed payment attempts a booking remembers in detail. */
export const MAX_FAILED_PAYMENTS_KEPT = 20;

export { BOOKING_MACHINE_VERSION, migrateBookingSnapshot };

/**
 * Money that may still move in most states (version 4): refund outcomes, refunds made outside,
 * payments the booking could not use. States with their own `payment.refunded` use `refundOutcomes`.
 */
const refundOutcomes = {
  'payment.refunded_externally': { guard: 'externalRefundFits', actions: 'recordExternalRefund' },
  'payment.refund_failed': { guard: 'failedRefundFits', actions: 'recordRefundFailure' },
  'payment.unneeded': { guard: 'unneededIsNew', actions: 'recordUnneeded' },
} as const;
const accounting = { ...refundOutcomes, 'payment.refunded': { guard: 'refundWithinRequest', actions: 'recordRefund' } } as const;
/** Support's resend of the tickets email, in the states whose tickets admit (targetless: nothing else changes). */
const resendTickets = { 'booking.resend_tickets': { actions: { type: 'notify', params: { template: 'booking.tickets_resent' } } } } as const;
/** A finance refund that leaves the visit as it is. */
const keepVisitRefunds = { 'booking.refund': { guard: 'keepsVisit', actions: ['recordFinanceRefund', 'requestFinanceRefund'] } } as const;

/**
 * The effects that replace a booking's tickets after a change: the current ones revoked by number,
 * the new party's issued (numbered after them), then the bands linked to the old ones moved onto the new.
 */
function reissued(before: BookingContext, quantity: number): BookingEffect[] {
  const seqs = ticketSeqs(before);
  const first = seqs[0] ?? 1;
  const from = { first, last: seqs[seqs.length - 1] ?? first };
  const base = (before.ticketBase ?? 0) + before.quantity;
  return [
    { type: 'tickets.revoke', bookingId: before.bookingId, reason: 'booking.changed', seqs: from },
    { type: 'tickets.issue', bookingId: before.bookingId, visitorId: before.visitorId, quantity },
    { type: 'bands.follow', bookingId: before.bookingId, from, to: { first: base + 1, last: base + quantity } },
  ];
}

/** The food pre-order the booking carries (paid with it), if any. */
function preOrderOf(context: BookingContext): { qty: number; unitPrice: number } | undefined {
  return context.addOns?.find((a) => a.kind === 'food' && a.addOnId === FOOD_PREORDER_ADDON);
}

/** The pure booking machine; see the header diagram for its states. */
export const bookingMachine = setup({
  types: {
    context: {} as BookingContext,
    tags: {} as BookingTag,
    input: {} as BookingInput,
    events: {} as BookingEvent | BookingTimerEvent | BookingChangeLapse,
    emitted: {} as BookingEffect,
  },
  delays: {
    hold: ({ context }) => context.holdMs,
    review: ({ context }) => context.reviewMs,
    payment: ({ context }) => context.paymentMs,
    checkoutGrace: ({ context }) => context.checkoutGraceMs ?? 0,
  },
  guards: {
    needsApproval: ({ context }) => context.requiresApproval,
    coversTotal: ({ context, event }) => event.type === 'payment.captured' && event.amount >= context.total,
    // A late capture confirms only while no late refund is under way (that one would have to be reported to a confirmed booking).
    lateCaptureFits: ({ context, event }) =>
      event.type === 'payment.captured_late' &&
      event.amount >= context.total &&
      context.refundRequestedAmount === 0 &&
      !knownPayment(context, event.paymentId),
    lateRefundFits: ({ context, event }) =>
      event.type === 'payment.refund_late' && event.amount > 0 && !knownPayment(context, event.paymentId),
    asksNoRefund: ({ event }) => event.type === 'booking.cancel' && (event.refundAmount ?? 0) === 0,
    asksZeroRefund: ({ event }) => event.type === 'booking.cancel' && event.refundAmount === 0,
    asksRefundWithinCaptured: ({ context, event }) =>
      event.type === 'booking.cancel' &&
      event.refundAmount !== undefined &&
      event.refundAmount > 0 &&
      event.refundAmount <= refundable(context) &&
      capturedPayment(context) !== undefined,
    refundWithinRequest: ({ context, event }) => event.type === 'payment.refunded' && refundFits(context, event),
    refundCompletesRequest: ({ context, event }) =>
      event.type === 'payment.refunded' &&
      refundFits(context, event) &&
      context.refundedAmount + event.amount === context.refundRequestedAmount,
    refundsEverything: ({ context, event }) => event.type === 'booking.refund' && refundsEverything(context, event),
    cancelsLastTickets: ({ context, event }) => event.type === 'booking.refund' && cancelsLastTickets(context, event),
    cancelsSomeTickets: ({ context, event }) => event.type === 'booking.refund' && cancelsSomeTickets(context, event),
    keepsVisit: ({ context, event }) => event.type === 'booking.refund' && keepsVisit(context, event),
    // A payer at the provider's page pays the old total: no change until that attempt is over.
    changeBeforePayment: ({ context }) => context.capturedAmount === 0 && context.paymentStatus !== 'pending',
    paidChangeNow: ({ context, event }) => event.type === 'booking.change' && appliesNow(context, event),
    paidChangeWaits: ({ context, event }) => event.type === 'booking.change' && waitsForPayment(context, event),
    hasPendingChange: ({ context }) => context.pendingChange !== undefined,
    // The difference, paid by a payment not seen before, while no ticket was cancelled by a refund meanwhile.
    paysChange: ({ context, event }) =>
      event.type === 'payment.captured' &&
      context.pendingChange !== undefined &&
      event.amount >= context.pendingChange.due &&
      (context.cancelledTickets?.length ?? 0) === 0 &&
      !knownPayment(context, event.paymentId),
    lapseIsCurrent: ({ context, event }) => event.type === 'booking.change_lapse' && context.pendingChange?.changeId === event.changeId,
    unneededIsNew: ({ context, event }) => event.type === 'payment.unneeded' && unneededIsNew(context, event),
    externalRefundFits: ({ context, event }) => event.type === 'payment.refunded_externally' && externalRefundFits(context, event),
    failedRefundFits: ({ context, event }) => event.type === 'payment.refund_failed' && failedRefundFits(context, event),
  },
  actions: {
    notify: emit(({ context }, params: { template: NotifyTemplate }) => ({
      type: 'notify' as const,
      template: params.template,
      bookingId: context.bookingId,
      visitorId: context.visitorId,
    })),
    releaseCapacity: emit(({ context }) => ({
      type: 'capacity.release' as const,
      holdId: context.bookingId,
      slotId: context.slotId,
    })),
    confirmCapacity: emit(({ context }) => ({
      type: 'capacity.confirm' as const,
      holdId: context.bookingId,
      slotId: context.slotId,
    })),
    issueTickets: emit(({ context }) => ({
      type: 'tickets.issue' as const,
      bookingId: context.bookingId,
      visitorId: context.visitorId,
      quantity: context.quantity,
    })),
    revokeTickets: emit(({ context }) => ({
      type: 'tickets.revoke' as const,
      bookingId: context.bookingId,
      reason: 'booking.cancelled',
    })),
    requestRefund: emit(({ context, event }) => {
      assertEvent(event, 'booking.cancel');
      const payment = capturedPayment(context);
      // The guard `asksRefundWithinCaptured` has already checked both.
      if (!payment || event.refundAmount === undefined) {
        throw new CodedError('internal', `booking ${context.bookingId}: refund requested without a captured payment`);
      }
      return {
        type: 'refund.request' as const,
        bookingId: context.bookingId,
        paymentId: payment.paymentId,
        amount: event.refundAmount,
        reason: 'cancellation' as const,
      };
    }),
    requestFinanceRefund: emit(({ context, event }) => {
      assertEvent(event, 'booking.refund');
      return {
        type: 'refund.request' as const,
        bookingId: context.bookingId,
        paymentId: event.paymentId,
        amount: event.amount,
        reason: 'admin' as const,
        refundId: event.refundId,
      };
    }),
    revokeCancelledTickets: emit(({ context, event }) => {
      assertEvent(event, 'booking.refund');
      return { type: 'tickets.revoke' as const, bookingId: context.bookingId, reason: 'booking.refunded_partially', ticketIds: event.ticketIds ?? [] };
    }),
    recordFinanceRefund: assign(({ context, event }) => {
      assertEvent(event, 'booking.refund');
      return withFinanceRefund(context, event, false);
    }),
    recordFinanceCancel: assign(({ context, event }) => {
      assertEvent(event, 'booking.refund');
      return withFinanceRefund(context, event, true);
    }),
    recordUnneeded: assign(({ context, event }) => {
      assertEvent(event, 'payment.unneeded');
      return withUnneeded(context, event);
    }),
    recordExternalRefund: assign(({ context, event }) => {
      assertEvent(event, 'payment.refunded_externally');
      return withExternalRefund(context, event);
    }),
    recordRefundFailure: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'payment.refund_failed');
      enqueue.assign({ refundRequestedAmount: context.refundRequestedAmount - event.amount });
      // The pre-order's own books give back what it had asked for.
      if (isPreOrderRefund(event.refundId) && preOrderOf(context)) {
        enqueue.emit({ type: 'food.preorder_refund_failed', bookingId: context.bookingId, refundId: event.refundId, amount: event.amount });
      }
    }),
    recordPending: assign(({ event }) => {
      assertEvent(event, 'payment.pending');
      return { paymentStatus: 'pending' as const, pendingReason: event.reason };
    }),
    requestRetake: emit(({ context, event }) => {
      assertEvent(event, 'payment.captured');
      return {
        type: 'capacity.retake' as const,
        holdId: context.bookingId,
        slotId: context.slotId,
        qty: context.quantity,
        paymentId: event.paymentId,
        amount: event.amount,
      };
    }),
    requestLateRefund: emit(({ context, event }) => {
      assertEvent(event, 'payment.refund_late');
      return {
        type: 'refund.request' as const,
        bookingId: context.bookingId,
        paymentId: event.paymentId,
        amount: event.amount,
        reason: 'late_payment' as const,
      };
    }),
    recordLateRefund: assign(({ context, event }) => {
      assertEvent(event, 'payment.refund_late');
      const payment: BookingPayment = { paymentId: event.paymentId, amount: event.amount, status: 'captured' };
      return {
        payments: [...context.payments, payment],
        paymentAttempts: context.paymentAttempts + 1,
        capturedAmount: context.capturedAmount + event.amount,
        refundRequestedAmount: context.refundRequestedAmount + event.amount,
        paymentStatus: 'authorized' as const,
        pendingReason: undefined,
      };
    }),
    recordChange: assign(({ event }) => {
      assertEvent(event, 'booking.change');
      const lines = event.lines.map((line) => ({ ...line }));
      const addOns = (event.addOns ?? []).map((addOn) => ({ ...addOn }));
      return {
        slotId: event.slotId,
        lines,
        ...(event.addOns === undefined ? {} : { addOns }),
        requiresApproval: event.requiresApproval,
        total: lines.reduce((sum, line) => sum + line.qty * line.unitPrice, 0) + addOns.reduce((sum, addOn) => sum + addOn.qty * addOn.unitPrice, 0),
        quantity: peopleOf(lines),
      };
    }),
    applyPaidChange: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'booking.change');
      const target = targetOf(event);
      const record = recordOf(context, target, settlementNow(differenceOf(context, event)));
      const refunds = event.refunds ?? [];
      const refunded = refunds.reduce((sum, r) => sum + r.amount, 0);
      enqueue.assign({ ...withChange(context, target, record), refundRequestedAmount: context.refundRequestedAmount + refunded });
      // The old tickets stop admitting before any money goes back.
      for (const effect of reissued(context, peopleOf(target.lines))) enqueue.emit(effect);
      for (const r of refunds) enqueue.emit({ type: 'refund.request', bookingId: context.bookingId, paymentId: r.paymentId, amount: r.amount, reason: 'change' });
      enqueue.emit({ type: 'notify', template: 'booking.changed', bookingId: context.bookingId, visitorId: context.visitorId });
    }),
    proposeChange: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'booking.change');
      const pending = pendingOf(context, event);
      enqueue.assign({ pendingChange: pending, changes: withRecord(context, recordOf(context, pending, 'due')) });
      enqueue.raise({ type: 'booking.change_lapse', changeId: pending.changeId }, { id: CHANGE_DUE_TIMER, delay: pending.dueMs });
      enqueue.emit({ type: 'notify', template: 'booking.change_due', bookingId: context.bookingId, visitorId: context.visitorId });
    }),
    applyPaidDifference: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'payment.captured');
      const pending = context.pendingChange;
      if (!pending) throw new CodedError('internal', `booking ${context.bookingId}: a change paid with none waiting`);
      const record = settledRecord(context, 'paid', undefined, event.paymentId) ?? recordOf(context, pending, 'paid');
      const payment: BookingPayment = { paymentId: event.paymentId, amount: event.amount, status: 'captured' };
      enqueue.cancel(CHANGE_DUE_TIMER);
      enqueue.assign({
        ...withChange(context, pending, record),
        payments: [...context.payments, payment],
        paymentAttempts: context.paymentAttempts + 1,
        capturedAmount: context.capturedAmount + event.amount,
        paymentStatus: 'authorized' as const,
        pendingReason: undefined,
      });
      const qty = peopleOf(pending.lines);
      enqueue.emit({ type: 'capacity.move', holdId: context.bookingId, slotId: pending.slotId, qty, ...(pending.holdId === undefined ? {} : { absorb: pending.holdId }) });
      for (const effect of reissued(context, qty)) enqueue.emit(effect);
      enqueue.emit({ type: 'notify', template: 'booking.changed', bookingId: context.bookingId, visitorId: context.visitorId });
    }),
    dropPendingChange: enqueueActions(({ context, event, enqueue }, params: { settlement: ChangeSettlement }) => {
      const pending = context.pendingChange;
      if (!pending) return;
      const at = event.type === 'booking.change_lapse' ? pending.at + pending.dueMs : 'at' in event && typeof event.at === 'number' ? event.at : undefined;
      const record = settledRecord(context, params.settlement, at);
      enqueue.cancel(CHANGE_DUE_TIMER);
      if (pending.holdId !== undefined) enqueue.emit({ type: 'capacity.release', holdId: pending.holdId, slotId: pending.slotId });
      enqueue.assign({ pendingChange: undefined, ...(record === undefined ? {} : { changes: withRecord(context, record) }) });
    }),
    recordReview: assign(({ event }) => {
      assertEvent(event, ['booking.approve', 'booking.reject']);
      return event.type === 'booking.reject'
        ? { reviewedBy: event.adminId, rejectReason: event.reason }
        : { reviewedBy: event.adminId };
    }),
    recordCancel: assign(({ context, event }) => {
      assertEvent(event, 'booking.cancel');
      return {
        cancelReason: event.reason,
        cancelledAt: event.at,
        refundRequestedAmount: context.refundRequestedAmount + (event.refundAmount ?? 0),
      };
    }),
    recordCapture: assign(({ context, event }) => {
      assertEvent(event, ['payment.captured', 'payment.captured_late']);
      const payment: BookingPayment = { paymentId: event.paymentId, amount: event.amount, status: 'captured' };
      return {
        payments: [...context.payments, payment],
        paymentAttempts: context.paymentAttempts + 1,
        capturedAmount: context.capturedAmount + event.amount,
        paymentStatus: 'authorized' as const,
        pendingReason: undefined,
      };
    }),
    recordFailure: assign(({ context, event }) => {
      assertEvent(event, 'payment.failed');
      // A change's payment asked for its difference.
      const payment: BookingPayment = { paymentId: event.paymentId, amount: context.pendingChange?.due ?? context.total, status: 'failed' };
      if (event.reason !== undefined) payment.reason = event.reason;
      // Only the latest failures are kept (the count keeps them all): retries must not grow the snapshot without bound.
      const failures = context.payments.filter((p) => p.status === 'failed');
      const dropped = failures.length >= MAX_FAILED_PAYMENTS_KEPT ? failures[0] : undefined;
      const kept = dropped ? context.payments.filter((p) => p !== dropped) : context.payments;
      return { payments: [...kept, payment], paymentAttempts: context.paymentAttempts + 1, paymentStatus: 'failed' as const, pendingReason: undefined };
    }),
    recordRefund: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'payment.refunded');
      enqueue.assign({
        refunds: [...context.refunds, { refundId: event.refundId, amount: event.amount }],
        refundedAmount: context.refundedAmount + event.amount,
      });
      // The pre-order's own books follow the refund it asked for.
      if (isPreOrderRefund(event.refundId) && preOrderOf(context)) {
        enqueue.emit({ type: 'food.preorder_refunded', bookingId: context.bookingId, refundId: event.refundId, amount: event.amount });
      }
    }),
    recordCheckIn: assign(({ context, event }) => {
      assertEvent(event, 'booking.check_in');
      // A re-entry during the check-out grace keeps the first check-in and forgets the departure.
      if (context.checkedInAt !== undefined) return { leftAt: undefined, checkoutGraceMs: undefined };
      return event.gateId === undefined ? { checkedInAt: event.at } : { checkedInAt: event.at, checkedInGateId: event.gateId };
    }),
    recordCheckOut: assign(({ context, event }) => {
      // The grace timer carries no time: the visit closed when the grace ran out.
      if (event.type === 'booking.check_out') return { checkedOutAt: event.at };
      return { checkedOutAt: (context.leftAt ?? 0) + (context.checkoutGraceMs ?? 0) };
    }),
    recordAllOut: assign(({ event }) => {
      assertEvent(event, 'booking.all_out');
      return { leftAt: event.at, checkoutGraceMs: event.graceMs };
    }),
    reserveAddOns: enqueueActions(({ context, enqueue }) => {
      const items = (context.addOns ?? []).filter((a) => a.kind === 'equipment').map(({ addOnId, qty }) => ({ addOnId, qty }));
      if (items.length > 0) enqueue.emit({ type: 'addons.reserve', bookingId: context.bookingId, items });
    }),
    preOrderPaid: enqueueActions(({ context, enqueue }) => {
      const food = preOrderOf(context);
      const payment = capturedPayment(context);
      if (food && payment) enqueue.emit({ type: 'food.preorder_paid', bookingId: context.bookingId, paymentId: payment.paymentId, amount: food.qty * food.unitPrice });
    }),
    preOrderArrived: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'booking.check_in');
      if (preOrderOf(context)) enqueue.emit({ type: 'food.preorder_arrived', bookingId: context.bookingId, at: event.at, ...(event.gateId === undefined ? {} : { gateId: event.gateId }) });
    }),
    preOrderCancel: enqueueActions(({ context, enqueue }) => {
      if (preOrderOf(context)) enqueue.emit({ type: 'food.preorder_cancel', bookingId: context.bookingId });
    }),
    releaseAddOns: enqueueActions(({ context, enqueue }) => {
      if ((context.addOns ?? []).some((a) => a.kind === 'equipment')) enqueue.emit({ type: 'addons.release', bookingId: context.bookingId });
    }),
    closeVisit: emit(({ context }) => ({
      type: 'visit.close' as const,
      bookingId: context.bookingId,
      visitorId: context.visitorId,
      quantity: context.quantity,
      at: context.checkedOutAt ?? 0,
    })),
  },
}).createMachine({
  id: 'booking',
  initial: 'held',
  context: ({ input }) => ({
    ...input,
    lines: input.lines.map((line) => ({ ...line })),
    ...(input.addOns === undefined ? {} : { addOns: input.addOns.map((addOn) => ({ ...addOn })) }),
    total:
      input.lines.reduce((sum, line) => sum + line.qty * line.unitPrice, 0) +
      (input.addOns ?? []).reduce((sum, addOn) => sum + addOn.qty * addOn.unitPrice, 0),
    quantity: peopleOf(input.lines),
    payments: [],
    paymentAttempts: 0,
    capturedAmount: 0,
    refundRequestedAmount: 0,
    refundedAmount: 0,
    refunds: [],
  }),
  states: {
    held: {
      tags: ['pending', 'cancellable'],
      entry: { type: 'notify', params: { template: 'booking.held' } },
      after: { hold: 'expired' },
      on: {
        'booking.submit': [{ guard: 'needsApproval', target: 'under_review' }, { target: 'awaiting_payment' }],
        'booking.cancel': { guard: 'asksNoRefund', target: 'cancelled', actions: 'recordCancel' },
        // Targetless: the hold's deadline keeps running.
        'booking.change': { actions: 'recordChange' },
      },
    },
    under_review: {
      tags: ['pending', 'in_review', 'cancellable'],
      entry: { type: 'notify', params: { template: 'booking.under_review' } },
      after: { review: 'expired' },
      on: {
        'booking.approve': {
          target: 'awaiting_payment',
          actions: ['recordReview', { type: 'notify', params: { template: 'booking.approved' } }],
        },
        'booking.reject': { target: 'rejected', actions: 'recordReview' },
        'booking.cancel': { guard: 'asksNoRefund', target: 'cancelled', actions: 'recordCancel' },
        'booking.change': { actions: 'recordChange' },
      },
    },
    awaiting_payment: {
      tags: ['pending', 'payable', 'cancellable'],
      after: { payment: 'expired' },
      on: {
        'payment.captured': { guard: 'coversTotal', target: 'confirmed', actions: 'recordCapture' },
        // Targetless, so the state is not re-entered and the payment deadline keeps running.
        'payment.failed': {
          actions: ['recordFailure', { type: 'notify', params: { template: 'payment.failed' } }],
        },
        'payment.pending': { actions: 'recordPending' },
        'booking.cancel': { guard: 'asksNoRefund', target: 'cancelled', actions: 'recordCancel' },
        'booking.change': { guard: 'changeBeforePayment', actions: 'recordChange' },
        ...accounting,
      },
    },
    confirmed: {
      tags: ['admits', 'seated', 'cancellable'],
      entry: [
        'confirmCapacity',
        'issueTickets',
        'reserveAddOns',
        'preOrderPaid',
        { type: 'notify', params: { template: 'booking.confirmed' } },
      ],
      on: {
        'booking.check_in': {
          target: 'checked_in',
          actions: [
            { type: 'dropPendingChange', params: { settlement: 'lapsed' } },
            'recordCheckIn',
            'preOrderArrived',
            { type: 'notify', params: { template: 'booking.checked_in' } },
          ],
        },
        // Version 5: changes once paid (targetless: the confirmation's entry actions do not run again).
        'booking.change': [
          { guard: 'paidChangeNow', actions: 'applyPaidChange' },
          { guard: 'paidChangeWaits', actions: 'proposeChange' },
        ],
        'booking.change_withdraw': { guard: 'hasPendingChange', actions: { type: 'dropPendingChange', params: { settlement: 'withdrawn' } } },
        // The deadline passed unpaid: the visitor is told once (a stale or repeated lapse fails the guard).
        'booking.change_lapse': {
          guard: 'lapseIsCurrent',
          actions: [
            { type: 'dropPendingChange', params: { settlement: 'lapsed' } },
            { type: 'notify', params: { template: 'booking.change_lapsed' } },
          ],
        },
        'payment.captured': { guard: 'paysChange', actions: 'applyPaidDifference' },
        'payment.failed': {
          guard: 'hasPendingChange',
          actions: ['recordFailure', { type: 'notify', params: { template: 'payment.failed' } }],
        },
        'payment.pending': { guard: 'hasPendingChange', actions: 'recordPending' },
        'booking.cancel': [
          // Tickets are revoked before the refund is asked for: money never goes back while they still admit.
          { guard: 'asksRefundWithinCaptured', target: 'cancelled', actions: ['recordCancel', 'revokeTickets', 'requestRefund'] },
          { guard: 'asksZeroRefund', target: 'cancelled', actions: ['recordCancel', 'revokeTickets'] },
        ],
        'booking.refund': [
          { guard: 'refundsEverything', target: 'cancelled', actions: ['recordFinanceCancel', 'revokeTickets', 'requestFinanceRefund'] },
          { guard: 'cancelsLastTickets', target: 'cancelled', actions: ['recordFinanceCancel', 'revokeTickets', 'requestFinanceRefund'] },
          { guard: 'cancelsSomeTickets', actions: ['recordFinanceRefund', 'revokeCancelledTickets', 'requestFinanceRefund'] },
          { guard: 'keepsVisit', actions: ['recordFinanceRefund', 'requestFinanceRefund'] },
        ],
        ...resendTickets,
        ...accounting,
      },
    },
    checked_in: {
      tags: ['admits', 'seated', 'inside'],
      on: {
        'booking.check_out': {
          target: 'checked_out',
          actions: ['recordCheckOut', { type: 'notify', params: { template: 'booking.checked_out' } }],
        },
        'booking.all_out': { target: 'leaving', actions: 'recordAllOut' },
        ...resendTickets,
        ...keepVisitRefunds,
        ...accounting,
      },
    },
    leaving: {
      tags: ['admits', 'seated'],
      after: {
        checkoutGrace: {
          target: 'checked_out',
          actions: ['recordCheckOut', { type: 'notify', params: { template: 'booking.checked_out' } }],
        },
      },
      on: {
        'booking.check_in': { target: 'checked_in', actions: 'recordCheckIn' },
        'booking.check_out': {
          target: 'checked_out',
          actions: ['recordCheckOut', { type: 'notify', params: { template: 'booking.checked_out' } }],
        },
        ...resendTickets,
        ...keepVisitRefunds,
        ...accounting,
      },
    },
    // Not final: a cancel with a refund waits here for the gateway; finance may still refund what the policy kept.
    cancelled: {
      entry: [
        'releaseCapacity',
        { type: 'dropPendingChange', params: { settlement: 'lapsed' } },
        'releaseAddOns',
        'preOrderCancel',
        { type: 'notify', params: { template: 'booking.cancelled' } },
      ],
      on: {
        'payment.refunded': [
          { guard: 'refundCompletesRequest', target: 'refunded', actions: 'recordRefund' },
          { guard: 'refundWithinRequest', actions: 'recordRefund' },
        ],
        ...keepVisitRefunds,
        ...refundOutcomes,
      },
    },
    // Not final (version 4): finance may refund what the policy kept, and refund outcomes still arrive.
    refunded: {
      entry: { type: 'notify', params: { template: 'booking.refunded' } },
      on: {
        ...keepVisitRefunds,
        ...accounting,
      },
    },
    // Not final (version 2): a payment captured after the deadline still has to end in tickets or a refund.
    expired: {
      entry: ['releaseCapacity', 'preOrderCancel', { type: 'notify', params: { template: 'booking.expired' } }],
      on: {
        'payment.captured': { guard: 'coversTotal', actions: 'requestRetake' },
        'payment.captured_late': { guard: 'lateCaptureFits', target: 'confirmed', actions: 'recordCapture' },
        'payment.refund_late': {
          guard: 'lateRefundFits',
          actions: ['recordLateRefund', 'requestLateRefund', { type: 'notify', params: { template: 'payment.refunded_late' } }],
        },
        'payment.refunded': [
          { guard: 'refundCompletesRequest', target: 'refunded', actions: 'recordRefund' },
          { guard: 'refundWithinRequest', actions: 'recordRefund' },
        ],
        ...keepVisitRefunds,
        ...refundOutcomes,
      },
    },
    rejected: {
      type: 'final',
      entry: ['releaseCapacity', 'preOrderCancel', { type: 'notify', params: { template: 'booking.rejected' } }],
    },
    // Not final (version 4): a refund after the visit, or the outcome of one asked for during it.
    checked_out: {
      tags: ['seated'],
      entry: 'closeVisit',
      on: {
        ...keepVisitRefunds,
        ...accounting,
      },
    },
  },
});

/** The booking actor kind as the actor host runs it. */
export const bookingDefinition: ActorDefinition<BookingContext, BookingState, BookingTag> = {
  kind: 'booking',
  version: BOOKING_MACHINE_VERSION,
  machine: bookingMachine,
  input: BookingInput,
  events: BookingEvent,
  snapshot: BookingPersisted,
  migrate: migrateBookingSnapshot,
  context: BookingContext,
  states: BOOKING_STATES,
  tags: BOOKING_TAGS,
};
