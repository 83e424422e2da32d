/**
 * The food order actor: one visitor's order from the menu, from its payment to the pickup counter.
 *
 *   placed ─paid─▶ paid ──(pickup at a time)──▶ scheduled ─fire timer (pickup − prep time)─▶ preparing
 *                   ├─(pickup as soon as possible: an order during the visit)──────────────▶ preparing
 *                   └─arrived (gate entry) / fire (staff)─────────────────────────────────▶ preparing
 *   preparing: one ticket per station, queued ─bump─▶ cooking ─bump─▶ done (recall: one step back)
 *   preparing ─(every ticket done)─▶ ready (+ food.notify_ready once) ─deliver─▶ delivered
 *                                     │ recall ─▶ preparing
 *                                     └ not-collected wait ─▶ not_collected ─deliver (late)─▶ delivered
 *
 *   placed ─cancel─▶ cancelled (nothing to refund)
 *   paid, scheduled ─cancel─▶ cancelled + food.refund_request of everything captured
 *   preparing, ready ─cancel (refundAmount from the venue's policy)─▶ cancelled (+ food.refund_request)
 *   any of those ─cancel byBooking (the pre-order's booking ended)─▶ cancelled, nothing asked back here
 *   cancelled ─paid (a payment arriving late)─▶ cancelled + food.refund_request of it in full
 *   every state: payment.refunded records a refund, within what was asked for;
 *                payment.refund_failed gives back what was asked for (refundable again)
 *
 *   An order during the visit (`visitBookingId`, version 2) is paid on its own: placed hears a failed
 *   attempt (payment_failed, the visitor pays again), and any state takes a second captured payment
 *   it did not need and asks it back in full (food.refund_request, unneeded_payment).
 *
 *   Version 3, an order paid on its own:
 *   placed ─payment due (`payBy`, a durable timer raised when placed)─▶ cancelled (cause payment_due;
 *     nothing captured, nothing to refund, never fired)
 *   every state: finance.refunded (a finance refund of its own payment, through) records it as
 *     refunded; paid, scheduled, preparing, ready ─(it gave back everything left)─▶ cancelled (cause
 *     finance_refund; the money is back already, nothing asked); a part keeps the order going
 *
 * A bump names the stage its board showed: two boards bumping one ticket at once are serialised
 * by the host's mailbox, and the second finds the ticket moved on and is refused (nothing written).
 *
 * Pure: times and who arrive in events; the fire and not-collected deadlines are `after` delays
 * read from the context (the host makes them durable); every outside effect is an `emit`.
 */
import { and, assertEvent, assign, enqueueActions, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { FOOD_ORDER_STATES, FOOD_ORDER_TAGS, FoodOrderContext, FoodOrderEvent, FoodOrderInput, FoodOrderPersisted } from './food-order.schemas.js';
import type { FoodOrderEffect, FoodOrderState, FoodOrderTag, StationTicket, TicketStage } from './food-order.schemas.js';

/** Version of the food order machine's persisted shape; bump it and add a migration on incompatible change. */
export const FOOD_ORDER_MACHINE_VERSION = 3;

/** The key of an unpaid order's payment deadline timer (version 3). */
export const PAYMENT_DUE_TIMER = 'paymentDue';

const NEXT_STAGE: Record<TicketStage, TicketStage> = { queued: 'cooking', cooking: 'done', done: 'done' };
const PREVIOUS_STAGE: Record<TicketStage, TicketStage> = { queued: 'queued', cooking: 'queued', done: 'cooking' };

/** One ticket per station, its lines in order of the order. */
export function ticketsOf(lines: FoodOrderContext['lines']): StationTicket[] {
  const byStation = new Map<string, string[]>();
  for (const line of lines) byStation.set(line.station, [...(byStation.get(line.station) ?? []), line.lineId]);
  return [...byStation].map(([station, lineIds]) => ({ station, lineIds, stage: 'queued' }));
}

/** What may still be refunded: captured and not yet asked back. */
export function refundableOf(context: Pick<FoodOrderContext, 'capturedAmount' | 'refundRequestedAmount'>): number {
  return context.capturedAmount - context.refundRequestedAmount;
}

type Event<T extends FoodOrderEvent['type']> = Extract<FoodOrderEvent, { type: T }>;

const withTicket = (context: FoodOrderContext, station: string, change: (t: StationTicket) => StationTicket): StationTicket[] =>
  context.tickets.map((t) => (t.station === station ? change(t) : t));

/** The refund a cancel asks for: everything before the kitchen started, the policy's amount after. */
function cancelRefund(context: FoodOrderContext, event: Event<'food.cancel'>, inKitchen: boolean): number {
  if (event.byBooking === true) return 0;
  return inKitchen ? (event.refundAmount ?? 0) : refundableOf(context);
}

/** The pure food order machine; see the header diagram for its states. */
export const foodOrderMachine = setup({
  types: {
    context: {} as FoodOrderContext,
    tags: {} as FoodOrderTag,
    input: {} as FoodOrderInput,
    events: {} as FoodOrderEvent,
    emitted: {} as FoodOrderEffect,
  },
  delays: {
    // Entered at the payment: the fire timer is due at the pickup time less the prep time.
    fire: ({ context }) => Math.max(0, (context.fireAt ?? 0) - (context.paidAt ?? context.placedAt)),
    notCollected: ({ context }) => context.notCollectedMs,
  },
  guards: {
    coversTotal: ({ context, event }) => event.type === 'food.paid' && event.amount >= context.total,
    pickupAtTime: ({ context }) => context.pickup.mode === 'at',
    pickupAsap: ({ context }) => context.pickup.mode === 'asap',
    paidOnItsOwn: ({ context }) => context.bookingId === undefined,
    onArrival: ({ context }) => context.pickup.mode === 'on_arrival',
    bumpFits: ({ context, event }) =>
      event.type === 'food.bump' && context.tickets.some((t) => t.station === event.station && t.stage === event.stage),
    recallFits: ({ context, event }) => event.type === 'food.recall' && context.tickets.some((t) => t.station === event.station && t.stage !== 'queued'),
    allDone: ({ context }) => context.tickets.length > 0 && context.tickets.every((t) => t.stage === 'done'),
    refundWithinPolicy: ({ context, event }) => event.type === 'food.cancel' && (event.refundAmount ?? 0) <= refundableOf(context),
    refundFits: ({ context, event }) =>
      event.type === 'payment.refunded' &&
      event.amount > 0 &&
      context.refundedAmount + event.amount <= context.refundRequestedAmount &&
      !context.refunds.some((r) => r.refundId === event.refundId),
    failedRefundFits: ({ context, event }) =>
      event.type === 'payment.refund_failed' &&
      event.amount > 0 &&
      event.amount <= context.refundRequestedAmount - context.refundedAmount &&
      !context.refunds.some((r) => r.refundId === event.refundId),
    newPayment: ({ context, event }) => event.type === 'food.paid' && event.amount > 0 && event.paymentId !== context.paymentId,
    paymentOverdue: ({ context, event }) => event.type === 'food.payment_due' && context.payBy !== undefined && event.at >= context.payBy,
    financeRefundFits: ({ context, event }) =>
      event.type === 'finance.refunded' && event.amount <= refundableOf(context) && !context.refunds.some((r) => r.refundId === event.refundId),
    /** The finance refund leaves nothing of the order's money that was not given back or asked back. */
    refundsTheRest: ({ context, event }) => event.type === 'finance.refunded' && event.amount === refundableOf(context),
  },
  actions: {
    recordPayment: assign(({ event }) => {
      assertEvent(event, 'food.paid');
      return { paymentId: event.paymentId, capturedAmount: event.amount, paidAt: event.at, paymentFailure: undefined };
    }),
    recordPaymentFailure: assign(({ event }) => {
      assertEvent(event, 'food.payment_failed');
      return { paymentFailure: { paymentId: event.paymentId, at: event.at, ...(event.reason === undefined ? {} : { reason: event.reason }) } };
    }),
    fireOnPayment: assign(({ context }) => ({ firedAt: context.paidAt ?? context.placedAt, tickets: ticketsOf(context.lines) })),
    fireAt: assign(({ context, event }) => {
      assertEvent(event, ['food.arrived', 'food.fire']);
      return { firedAt: event.at, tickets: ticketsOf(context.lines) };
    }),
    fireOnTimer: assign(({ context }) => ({ firedAt: context.fireAt ?? context.paidAt ?? context.placedAt, tickets: ticketsOf(context.lines) })),
    bump: assign(({ context, event }) => {
      assertEvent(event, 'food.bump');
      return { tickets: withTicket(context, event.station, (t) => ({ ...t, stage: NEXT_STAGE[t.stage], changedAt: event.at, changedBy: event.by })) };
    }),
    recall: assign(({ context, event }) => {
      assertEvent(event, 'food.recall');
      return { tickets: withTicket(context, event.station, (t) => ({ ...t, stage: PREVIOUS_STAGE[t.stage], changedAt: event.at, changedBy: event.by })) };
    }),
    markReady: enqueueActions(({ context, enqueue }) => {
      const last = Math.max(...context.tickets.map((t) => t.changedAt ?? 0));
      enqueue.assign({ readyAt: last, readyNotified: true });
      if (context.readyNotified) return;
      const { orderId, visitorId, bookingId, pickupPoint, pickupPointAr } = context;
      enqueue.emit({
        type: 'food.notify_ready',
        orderId,
        visitorId,
        pickupPoint,
        ...(pickupPointAr === undefined ? {} : { pickupPointAr }),
        ...(bookingId === undefined ? {} : { bookingId }),
      });
    }),
    deliver: assign(({ event }) => {
      assertEvent(event, 'food.deliver');
      return { deliveredAt: event.at };
    }),
    cancel: enqueueActions(({ context, event, enqueue }, params: { inKitchen: boolean }) => {
      assertEvent(event, 'food.cancel');
      const amount = cancelRefund(context, event, params.inKitchen);
      enqueue.assign({
        cancelledAt: event.at,
        cancelledBy: event.by,
        refundRequestedAmount: context.refundRequestedAmount + amount,
        ...(event.reason === undefined ? {} : { cancelReason: event.reason }),
      });
      if (amount === 0) return;
      if (context.paymentId === undefined) throw new CodedError('internal', `food order ${context.orderId}: refund asked without a payment`);
      const { orderId, bookingId, paymentId } = context;
      enqueue.emit({ type: 'food.refund_request', orderId, paymentId, amount, reason: 'cancellation', ...(bookingId === undefined ? {} : { bookingId }) });
    }),
    refundPayment: enqueueActions(({ context, event, enqueue }, params: { reason: 'late_payment' | 'unneeded_payment' }) => {
      assertEvent(event, 'food.paid');
      enqueue.assign({ capturedAmount: context.capturedAmount + event.amount, refundRequestedAmount: context.refundRequestedAmount + event.amount });
      const { orderId, bookingId } = context;
      enqueue.emit({ type: 'food.refund_request', orderId, paymentId: event.paymentId, amount: event.amount, reason: params.reason, ...(bookingId === undefined ? {} : { bookingId }) });
    }),
    recordRefundFailure: assign(({ context, event }) => {
      assertEvent(event, 'payment.refund_failed');
      return { refundRequestedAmount: context.refundRequestedAmount - event.amount };
    }),
    recordRefund: assign(({ context, event }) => {
      assertEvent(event, 'payment.refunded');
      return { refundedAmount: context.refundedAmount + event.amount, refunds: [...context.refunds, { refundId: event.refundId, amount: event.amount }] };
    }),
    armPaymentDue: enqueueActions(({ context, enqueue }) => {
      if (context.payBy === undefined) return;
      enqueue.raise({ type: 'food.payment_due', at: context.payBy }, { id: PAYMENT_DUE_TIMER, delay: Math.max(0, context.payBy - context.placedAt) });
    }),
    disarmPaymentDue: enqueueActions(({ context, enqueue }) => {
      if (context.payBy !== undefined) enqueue.cancel(PAYMENT_DUE_TIMER);
    }),
    expire: assign(({ event }) => {
      assertEvent(event, 'food.payment_due');
      return { cancelledAt: event.at, cancelledBy: 'system:food', cancelReason: 'not paid in time', cancelCause: 'payment_due' as const };
    }),
    recordFinanceRefund: assign(({ context, event }) => {
      assertEvent(event, 'finance.refunded');
      return {
        refundRequestedAmount: context.refundRequestedAmount + event.amount,
        refundedAmount: context.refundedAmount + event.amount,
        financeRefundedAmount: (context.financeRefundedAmount ?? 0) + event.amount,
        refunds: [...context.refunds, { refundId: event.refundId, amount: event.amount }],
      };
    }),
    cancelByFinance: assign(({ event }) => {
      assertEvent(event, 'finance.refunded');
      return { cancelledAt: event.at, cancelledBy: event.by, cancelReason: 'refunded by finance', cancelCause: 'finance_refund' as const };
    }),
  },
}).createMachine({
  id: 'food-order',
  initial: 'placed',
  context: ({ input }) => {
    const prepMs = Math.max(...input.lines.map((l) => l.prepMinutes)) * 60_000;
    return {
      ...input,
      total: input.lines.reduce((sum, l) => sum + l.qty * l.unitPrice, 0),
      prepMs,
      ...(input.pickup.mode === 'at' ? { fireAt: Math.max(input.placedAt, input.pickup.at - prepMs) } : {}),
      capturedAmount: 0,
      refundRequestedAmount: 0,
      refundedAmount: 0,
      refunds: [],
      tickets: [],
      readyNotified: false,
    };
  },
  on: {
    'payment.refunded': { guard: 'refundFits', actions: 'recordRefund' },
    'payment.refund_failed': { guard: 'failedRefundFits', actions: 'recordRefundFailure' },
    // Reached where the order keeps its state (placed, served, cancelled): recorded only.
    'finance.refunded': { guard: 'financeRefundFits', actions: 'recordFinanceRefund' },
    // Reached only where no state takes the payment: one more that an order paid on its own did not need.
    'food.paid': { guard: and(['paidOnItsOwn', 'newPayment']), actions: { type: 'refundPayment', params: { reason: 'unneeded_payment' } } },
  },
  states: {
    placed: {
      tags: ['unpaid', 'cancellable'],
      entry: 'armPaymentDue',
      exit: 'disarmPaymentDue',
      on: {
        'food.paid': { guard: 'coversTotal', target: 'paid', actions: 'recordPayment' },
        'food.payment_failed': { guard: 'paidOnItsOwn', actions: 'recordPaymentFailure' },
        'food.cancel': { target: 'cancelled', actions: { type: 'cancel', params: { inKitchen: false } } },
        'food.payment_due': { guard: 'paymentOverdue', target: 'cancelled', actions: 'expire' },
      },
    },
    paid: {
      tags: ['awaiting_fire', 'cancellable'],
      always: [
        { guard: 'pickupAtTime', target: 'scheduled' },
        { guard: 'pickupAsap', target: 'preparing', actions: 'fireOnPayment' },
      ],
      on: {
        'food.arrived': { guard: 'onArrival', target: 'preparing', actions: 'fireAt' },
        'food.fire': { target: 'preparing', actions: 'fireAt' },
        'food.cancel': { target: 'cancelled', actions: { type: 'cancel', params: { inKitchen: false } } },
        'finance.refunded': [
          { guard: and(['financeRefundFits', 'refundsTheRest']), target: 'cancelled', actions: ['recordFinanceRefund', 'cancelByFinance'] },
          { guard: 'financeRefundFits', actions: 'recordFinanceRefund' },
        ],
      },
    },
    scheduled: {
      tags: ['awaiting_fire', 'cancellable'],
      after: { fire: { target: 'preparing', actions: 'fireOnTimer' } },
      on: {
        'food.fire': { target: 'preparing', actions: 'fireAt' },
        'food.cancel': { target: 'cancelled', actions: { type: 'cancel', params: { inKitchen: false } } },
        'finance.refunded': [
          { guard: and(['financeRefundFits', 'refundsTheRest']), target: 'cancelled', actions: ['recordFinanceRefund', 'cancelByFinance'] },
          { guard: 'financeRefundFits', actions: 'recordFinanceRefund' },
        ],
      },
    },
    preparing: {
      tags: ['in_kitchen'],
      always: { guard: 'allDone', target: 'ready', actions: 'markReady' },
      on: {
        'food.bump': { guard: 'bumpFits', actions: 'bump' },
        'food.recall': { guard: 'recallFits', actions: 'recall' },
        'food.cancel': { guard: 'refundWithinPolicy', target: 'cancelled', actions: { type: 'cancel', params: { inKitchen: true } } },
        'finance.refunded': [
          { guard: and(['financeRefundFits', 'refundsTheRest']), target: 'cancelled', actions: ['recordFinanceRefund', 'cancelByFinance'] },
          { guard: 'financeRefundFits', actions: 'recordFinanceRefund' },
        ],
      },
    },
    ready: {
      tags: ['in_kitchen', 'awaiting_pickup'],
      after: { notCollected: 'not_collected' },
      on: {
        'food.deliver': { target: 'delivered', actions: 'deliver' },
        'food.recall': { guard: 'recallFits', target: 'preparing', actions: 'recall' },
        'food.cancel': { guard: 'refundWithinPolicy', target: 'cancelled', actions: { type: 'cancel', params: { inKitchen: true } } },
        'finance.refunded': [
          { guard: and(['financeRefundFits', 'refundsTheRest']), target: 'cancelled', actions: ['recordFinanceRefund', 'cancelByFinance'] },
          { guard: 'financeRefundFits', actions: 'recordFinanceRefund' },
        ],
      },
    },
    delivered: {},
    cancelled: {
      on: {
        'food.paid': { guard: 'newPayment', actions: { type: 'refundPayment', params: { reason: 'late_payment' } } },
      },
    },
    not_collected: {
      on: {
        'food.deliver': { target: 'delivered', actions: 'deliver' },
      },
    },
  },
});

/**
 * v1 ──▶ v2: orders during the visit (`visitBookingId`, pickup `asap`, `paymentFailure`, all
 * optional or new), so every v1 snapshot is already a valid v2 snapshot.
 * v2 ──▶ v3: an own payment's deadline (`payBy`), finance refunds (`financeRefundedAmount`), the
 * cause of a cancel nobody asked for (`cancelCause`) and Arabic names on lines (`nameAr`), all
 * optional: every v2 snapshot is already a valid v3 snapshot. An order placed under v2 has no
 * deadline (no timer was raised for it) and keeps waiting for its payment as before. The version
 * moved so a v2 node refuses the new events and fields instead of failing on them. Other versions
 * are refused.
 */
export function migrateFoodOrderSnapshot(persisted: unknown, fromVersion: number): unknown {
  if (fromVersion === 1 || fromVersion === 2) return persisted;
  throw new CodedError(
    'snapshot.unsupported_version',
    `food order snapshot version ${String(fromVersion)} cannot be read by food order machine version ${FOOD_ORDER_MACHINE_VERSION}`,
  );
}

/** The food order actor kind as the actor host runs it. */
export const foodOrderDefinition: ActorDefinition<FoodOrderContext, FoodOrderState, FoodOrderTag> = {
  kind: 'food_order',
  version: FOOD_ORDER_MACHINE_VERSION,
  machine: foodOrderMachine,
  input: FoodOrderInput,
  events: FoodOrderEvent,
  snapshot: FoodOrderPersisted,
  migrate: migrateFoodOrderSnapshot,
  context: FoodOrderContext,
  states: FOOD_ORDER_STATES,
  tags: FOOD_ORDER_TAGS,
};
