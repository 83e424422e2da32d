/**
 * The payment actor: one attempt to pay one booking at the gateway (id `${bookingId}-p${n}`).
 *
 *   pending ─opened (gateway ref, hosted page URL; once)─▶ pending
 *   pending ─awaiting (3-D Secure, Apple Pay confirmation, the bank; v2)─▶ pending (+ txn payment.pending, booking told)
 *     ├─captured─▶ captured ─refund.requested / succeeded / failed / reported…─▶ (refunded in full) ─▶ refunded
 *     └─failed──▶ failed ─captured (the gateway's word wins: money moved)─▶ captured
 *
 * A food order paid on its own during a visit (`orderId`, version 3) runs the same states; what a
 * booking would be told goes to the order instead: food.order_paid (for booking.settle_capture),
 * food.order_payment_failed, food.order_refunded, food.order_refund_failed. It tells nobody of a
 * pending wait, and the order, not this payment, tells the visitor of an unneeded refund.
 *
 * Statuses follow the seed: "authorized" means approved AND funds captured, so there is no
 * separate authorisation state, no capture step and no void. Payment rows of the transaction log
 * carry the seed's word (`paymentStatus`: pending, authorized, failed). That is also the only flow mada
 * supports (purchase and refund; no authorisation hold), so every method shares it.
 *
 * Invariant: refunds requested (pending + succeeded) never exceed what was captured; a refund id
 * is accepted once. Effects: `booking.settle_capture` (the booking confirms, takes the seats
 * again if it expired, or the payment is refunded automatically), `gateway.refund`, booking
 * notices, a `txn.record` per money movement and a `payment.index` per state.
 *
 * Pure: times and who arrive in events; every outside effect is an `emit` the host turns into an outbox row.
 */
import { and, assertEvent, assign, emit, enqueueActions, setup } from 'xstate';
import type { ActorDefinition } from './actor-definition.js';
import { CodedError } from './errors.js';
import { MAX_REFUNDS_PER_PAYMENT, PAYMENT_STATES, PAYMENT_TAGS, PaymentContext, PaymentEvent, PaymentInput, PaymentPersisted } from './payment.schemas.js';
import type { Movement, PaymentEffect, PaymentRefund, PaymentState, PaymentTag, TransactionRecord } from './payment.schemas.js';

/** Version of the payment machine's persisted shape; bump it and add a migration on incompatible change. */
export const PAYMENT_MACHINE_VERSION = 3;

function pendingRefund(context: PaymentContext, refundId: string | undefined): PaymentRefund | undefined {
  return refundId === undefined ? undefined : context.refunds.find((r) => r.refundId === refundId && r.status === 'pending');
}

/** A new refund of `amount` keeps requested ≤ captured, stays within the list bound, and has a fresh id. */
function refundFits(context: PaymentContext, amount: number, refundId: string): boolean {
  return (
    amount > 0 &&
    context.refundRequestedAmount + amount <= context.capturedAmount &&
    context.refunds.length < MAX_REFUNDS_PER_PAYMENT &&
    !context.refunds.some((r) => r.refundId === refundId)
  );
}

/** What the gateway says was refunded beyond every refund we asked for (a refund made outside). */
function externalAmount(context: PaymentContext, refundedTotal: number): number {
  return refundedTotal - context.refundRequestedAmount;
}

function externalId(context: PaymentContext): string {
  return `ext-${context.refunds.length + 1}`;
}

function settled(context: PaymentContext, refundId: string, patch: Partial<PaymentRefund>): PaymentRefund[] {
  return context.refunds.map((r) => (r.refundId === refundId ? { ...r, ...patch } : r));
}

function txn(context: PaymentContext, row: Pick<TransactionRecord, 'amount' | 'status' | 'by' | 'at'> & Partial<TransactionRecord> & { movement: Movement }) {
  return {
    type: 'txn.record' as const,
    paymentId: context.paymentId,
    bookingId: context.bookingId,
    visitorId: context.visitorId,
    currency: context.currency,
    ...(context.gatewayRef === undefined ? {} : { gatewayRef: context.gatewayRef }),
    ...(context.orderId === undefined ? {} : { orderId: context.orderId }),
    ...row,
  };
}

function refundRow(context: PaymentContext, refundId: string, movement: Movement, at: number) {
  const refund = context.refunds.find((r) => r.refundId === refundId);
  if (!refund) throw new CodedError('internal', `payment ${context.paymentId}: no refund ${refundId}`);
  const status = movement === 'refund.requested' ? 'pending' : movement === 'refund.failed' ? 'failed' : 'succeeded';
  return txn(context, { movement, amount: refund.amount, status, by: refund.by, at, refundId, reason: refund.failure ?? refund.reason });
}

/** The pure payment machine; see the header diagram for its states. */
export const paymentMachine = setup({
  types: {
    context: {} as PaymentContext,
    tags: {} as PaymentTag,
    input: {} as PaymentInput,
    events: {} as PaymentEvent,
    emitted: {} as PaymentEffect,
  },
  guards: {
    notOpened: ({ context }) => context.redirectUrl === undefined,
    // A gateway event about another gateway payment is not ours, whatever it claims.
    sameGatewayRef: ({ context, event }) =>
      (event.type === 'payment.captured' || event.type === 'payment.failed' || event.type === 'payment.awaiting') &&
      (context.gatewayRef === undefined || context.gatewayRef === event.gatewayRef),
    // The same wait reported again (a duplicate, or reconciliation) changes nothing.
    newWait: ({ context, event }) => event.type === 'payment.awaiting' && event.reason !== context.pendingReason,
    unneededRefundFits: ({ context, event }) =>
      event.type === 'refund.requested' && event.reason === 'unneeded_payment' && refundFits(context, event.amount, event.refundId),
    refundFits: ({ context, event }) => event.type === 'refund.requested' && refundFits(context, event.amount, event.refundId),
    refundPending: ({ context, event }) =>
      (event.type === 'refund.succeeded' || event.type === 'refund.failed') && pendingRefund(context, event.refundId) !== undefined,
    reportSettlesPending: ({ context, event }) => event.type === 'refund.reported' && pendingRefund(context, event.refundId) !== undefined,
    reportShowsExternal: ({ context, event }) => {
      if (event.type !== 'refund.reported') return false;
      const amount = externalAmount(context, event.refundedTotal);
      return amount > 0 && refundFits(context, amount, externalId(context));
    },
    fullyRefunded: ({ context }) => context.capturedAmount > 0 && context.refundedAmount === context.capturedAmount,
  },
  actions: {
    index: emit(({ context }, params: { status: PaymentState }) => ({
      type: 'payment.index' as const,
      paymentId: context.paymentId,
      bookingId: context.bookingId,
      status: params.status,
      amount: context.amount,
      createdAt: context.createdAt,
      ...(context.gatewayRef === undefined ? {} : { gatewayRef: context.gatewayRef }),
    })),
    recordOpened: assign(({ event }) => {
      assertEvent(event, 'payment.opened');
      return { gatewayRef: event.gatewayRef, redirectUrl: event.redirectUrl };
    }),
    recordCapture: assign(({ event }) => {
      assertEvent(event, 'payment.captured');
      return { gatewayRef: event.gatewayRef, capturedAmount: event.amount, capturedAt: event.at, capturedMethod: event.method };
    }),
    txnCaptured: emit(({ context, event }) => {
      assertEvent(event, 'payment.captured');
      const method = event.method ?? context.method;
      return txn(context, { movement: 'payment.captured', amount: event.amount, status: 'succeeded', by: event.by, at: event.at, method, paymentStatus: 'authorized' });
    }),
    settleCapture: enqueueActions(({ context, enqueue }) => {
      const { paymentId, bookingId, orderId, capturedAmount: amount } = context;
      if (orderId === undefined) enqueue.emit({ type: 'booking.settle_capture', paymentId, bookingId, amount });
      else enqueue.emit({ type: 'food.order_paid', paymentId, orderId, amount });
    }),
    recordFailure: assign(({ event }) => {
      assertEvent(event, 'payment.failed');
      return { gatewayRef: event.gatewayRef, failureReason: event.reason, failedAt: event.at };
    }),
    txnFailed: emit(({ context, event }) => {
      assertEvent(event, 'payment.failed');
      const row = { movement: 'payment.failed' as const, amount: context.amount, status: 'failed' as const, by: event.by, at: event.at, paymentStatus: 'failed' as const };
      return txn(context, event.reason === undefined ? row : { ...row, reason: event.reason });
    }),
    notifyBookingFailed: enqueueActions(({ context, enqueue }) => {
      const { paymentId, bookingId, orderId, failureReason } = context;
      const reason = failureReason === undefined ? {} : { reason: failureReason };
      if (orderId === undefined) enqueue.emit({ type: 'booking.notify_failed', paymentId, bookingId, ...reason });
      else enqueue.emit({ type: 'food.order_payment_failed', paymentId, orderId, ...reason });
    }),
    recordAwaiting: assign(({ event }) => {
      assertEvent(event, 'payment.awaiting');
      return { gatewayRef: event.gatewayRef, pendingReason: event.reason, pendingAt: event.at };
    }),
    txnPending: emit(({ context, event }) => {
      assertEvent(event, 'payment.awaiting');
      const row = { movement: 'payment.pending' as const, amount: context.amount, status: 'pending' as const, by: event.by, at: event.at };
      return txn(context, { ...row, reason: event.reason, paymentStatus: 'pending' });
    }),
    notifyBookingPending: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'payment.awaiting');
      // A food order waits in `placed` whatever its payment waits for: nothing to tell it.
      if (context.orderId !== undefined) return;
      enqueue.emit({ type: 'booking.notify_pending', paymentId: context.paymentId, bookingId: context.bookingId, reason: event.reason });
    }),
    notifyBookingRefundFailed: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'refund.failed');
      const refund = context.refunds.find((r) => r.refundId === event.refundId);
      if (!refund) throw new CodedError('internal', `payment ${context.paymentId}: no refund ${event.refundId}`);
      const { paymentId, bookingId, orderId } = context;
      const told = { paymentId, refundId: refund.refundId, amount: refund.amount, reason: refund.reason };
      if (orderId === undefined) enqueue.emit({ type: 'booking.notify_refund_failed', bookingId, ...told });
      else enqueue.emit({ type: 'food.order_refund_failed', orderId, ...told });
    }),
    recordRefundRequest: assign(({ context, event }) => {
      assertEvent(event, 'refund.requested');
      const refund: PaymentRefund = {
        refundId: event.refundId,
        amount: event.amount,
        reason: event.reason,
        by: event.by,
        status: 'pending',
        requestedAt: event.at,
      };
      return { refunds: [...context.refunds, refund], refundRequestedAmount: context.refundRequestedAmount + event.amount };
    }),
    txnRefundRequested: emit(({ context, event }) => {
      assertEvent(event, 'refund.requested');
      return refundRow(context, event.refundId, 'refund.requested', event.at);
    }),
    gatewayRefund: emit(({ context, event }) => {
      assertEvent(event, 'refund.requested');
      // Captured always carries the gateway reference (recordCapture), so this cannot be missing.
      if (context.gatewayRef === undefined) throw new CodedError('internal', `payment ${context.paymentId}: refund without a gateway reference`);
      const { paymentId, gatewayRef } = context;
      return { type: 'gateway.refund' as const, paymentId, refundId: event.refundId, gatewayRef, amount: event.amount };
    }),
    notifyUnneededRefund: enqueueActions(({ context, enqueue }) => {
      if (context.orderId !== undefined) return;
      enqueue.emit({ type: 'notify', template: 'payment.refunded_auto', bookingId: context.bookingId, visitorId: context.visitorId });
    }),
    settleRefund: assign(({ context, event }) => {
      assertEvent(event, ['refund.succeeded', 'refund.reported']);
      const refund = pendingRefund(context, event.refundId);
      if (!refund) return {};
      const patch = { status: 'succeeded' as const, settledAt: event.at, ...(event.refundRef === undefined ? {} : { refundRef: event.refundRef }) };
      return { refunds: settled(context, refund.refundId, patch), refundedAmount: context.refundedAmount + refund.amount };
    }),
    announceRefund: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, ['refund.succeeded', 'refund.reported']);
      const refund = context.refunds.find((r) => r.refundId === event.refundId);
      if (!refund) throw new CodedError('internal', `payment ${context.paymentId}: no refund ${String(event.refundId)}`);
      const { paymentId, bookingId, orderId } = context;
      const told = { paymentId, refundId: refund.refundId, amount: refund.amount, reason: refund.reason };
      if (orderId === undefined) enqueue.emit({ type: 'booking.notify_refunded', bookingId, ...told });
      else enqueue.emit({ type: 'food.order_refunded', orderId, ...told });
    }),
    txnRefundSucceeded: emit(({ context, event }) => {
      assertEvent(event, ['refund.succeeded', 'refund.reported']);
      return refundRow(context, event.refundId ?? '', 'refund.succeeded', event.at);
    }),
    failRefund: assign(({ context, event }) => {
      assertEvent(event, 'refund.failed');
      const refund = pendingRefund(context, event.refundId);
      if (!refund) return {};
      // A failed refund gives its amount back to what may still be refunded.
      return {
        refunds: settled(context, refund.refundId, { status: 'failed', settledAt: event.at, failure: event.reason }),
        refundRequestedAmount: context.refundRequestedAmount - refund.amount,
      };
    }),
    txnRefundFailed: emit(({ context, event }) => {
      assertEvent(event, 'refund.failed');
      return refundRow(context, event.refundId, 'refund.failed', event.at);
    }),
    recordExternal: assign(({ context, event }) => {
      assertEvent(event, 'refund.reported');
      const amount = externalAmount(context, event.refundedTotal);
      const refund: PaymentRefund = {
        refundId: externalId(context),
        amount,
        reason: 'external',
        by: event.by,
        status: 'succeeded',
        requestedAt: event.at,
        settledAt: event.at,
        ...(event.refundRef === undefined ? {} : { refundRef: event.refundRef }),
      };
      return {
        refunds: [...context.refunds, refund],
        refundRequestedAmount: context.refundRequestedAmount + amount,
        refundedAmount: context.refundedAmount + amount,
      };
    }),
    txnExternal: emit(({ context, event }) => {
      assertEvent(event, 'refund.reported');
      const refund = context.refunds.at(-1);
      if (!refund) throw new CodedError('internal', `payment ${context.paymentId}: external refund not recorded`);
      return refundRow(context, refund.refundId, 'refund.external', event.at);
    }),
  },
}).createMachine({
  id: 'payment',
  initial: 'pending',
  context: ({ input }) => ({ ...input, capturedAmount: 0, refunds: [], refundRequestedAmount: 0, refundedAmount: 0 }),
  states: {
    pending: {
      tags: ['open'],
      entry: { type: 'index', params: { status: 'pending' } },
      on: {
        'payment.opened': { guard: 'notOpened', actions: ['recordOpened', { type: 'index', params: { status: 'pending' } }] },
        'payment.captured': { guard: 'sameGatewayRef', target: 'captured', actions: ['recordCapture', 'txnCaptured'] },
        'payment.failed': { guard: 'sameGatewayRef', target: 'failed', actions: ['recordFailure', 'txnFailed'] },
        'payment.awaiting': { guard: and(['sameGatewayRef', 'newWait']), actions: ['recordAwaiting', 'txnPending', 'notifyBookingPending'] },
      },
    },
    failed: {
      entry: [{ type: 'index', params: { status: 'failed' } }, 'notifyBookingFailed'],
      on: {
        'payment.captured': { guard: 'sameGatewayRef', target: 'captured', actions: ['recordCapture', 'txnCaptured'] },
      },
    },
    captured: {
      tags: ['paid'],
      entry: [{ type: 'index', params: { status: 'captured' } }, 'settleCapture'],
      // Eventless: the refund that completes the captured amount moves the payment on.
      always: { guard: 'fullyRefunded', target: 'refunded' },
      on: {
        'refund.requested': [
          { guard: 'unneededRefundFits', actions: ['recordRefundRequest', 'txnRefundRequested', 'gatewayRefund', 'notifyUnneededRefund'] },
          { guard: 'refundFits', actions: ['recordRefundRequest', 'txnRefundRequested', 'gatewayRefund'] },
        ],
        'refund.succeeded': { guard: 'refundPending', actions: ['settleRefund', 'txnRefundSucceeded', 'announceRefund'] },
        'refund.failed': { guard: 'refundPending', actions: ['failRefund', 'txnRefundFailed', 'notifyBookingRefundFailed'] },
        'refund.reported': [
          { guard: 'reportSettlesPending', actions: ['settleRefund', 'txnRefundSucceeded', 'announceRefund'] },
          { guard: 'reportShowsExternal', actions: ['recordExternal', 'txnExternal'] },
        ],
      },
    },
    refunded: {
      tags: ['paid'],
      type: 'final',
      entry: { type: 'index', params: { status: 'refunded' } },
    },
  },
});

/**
 * v1 ──▶ v2: the pending wait (`payment.awaiting`, optional context) and a booking notice when a
 * refund fails; every v1 snapshot is already a valid v2 snapshot.
 * v2 ──▶ v3: refunds for a booking admin's change of a paid booking (reason `change`) and a food
 * order's own payment (`orderId`, optional); every v2 snapshot is already a valid v3 snapshot (the
 * version moved so a v2 node refuses the new reason and payments instead of failing on them).
 * Other versions are refused.
 */
export function migratePaymentSnapshot(persisted: unknown, fromVersion: number): unknown {
  if (fromVersion === 1 || fromVersion === 2) return persisted;
  throw new CodedError(
    'snapshot.unsupported_version',
    `payment snapshot version ${String(fromVersion)} cannot be read by payment machine version ${PAYMENT_MACHINE_VERSION}`,
  );
}

/** The payment actor kind as the actor host runs it. */
export const paymentDefinition: ActorDefinition<PaymentContext, PaymentState, PaymentTag> = {
  kind: 'payment',
  version: PAYMENT_MACHINE_VERSION,
  machine: paymentMachine,
  input: PaymentInput,
  events: PaymentEvent,
  snapshot: PaymentPersisted,
  migrate: migratePaymentSnapshot,
  context: PaymentContext,
  states: PAYMENT_STATES,
  tags: PAYMENT_TAGS,
};
