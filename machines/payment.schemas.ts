/**
 * Zod catalog of the payment actor: one payment attempt for one booking (or one food order during
 * its visit) at the gateway.
 * What creates it (input), what may be sent to it (events), what it asks the host to do
 * (effects) and how it is stored (persisted snapshot).
 *
 * Money is integer halalas (SAR minor units); times are epoch milliseconds carried in events.
 */
import { z } from 'zod';
import { NotifyTemplate, PaymentStatus, PendingReason } from './booking.schemas.js';

const Id = z.string().min(1).max(64);
const Money = z.number().int().nonnegative();
const Positive = z.number().int().positive();
const EpochMs = z.number().int().nonnegative();
/** Who caused a movement: `user:<id>`, `gateway:<provider>`, `reconcile`, `system`. */
const Who = z.string().min(1).max(128);
const GatewayRef = z.string().min(1).max(128);
const Reason = z.string().min(1).max(500);
/** A food order's id (the food order machine allows 128 characters). */
const OrderRef = z.string().min(1).max(128);

/** Every state of the payment machine, in lifecycle order. */
export const PAYMENT_STATES = ['pending', 'failed', 'captured', 'refunded'] as const;
/** The states after which the payment accepts no event. */
export const PAYMENT_FINAL_STATES = ['refunded'] as const;

/** A payment state name. */
export const PaymentState = z.enum(PAYMENT_STATES);
export type PaymentState = z.infer<typeof PaymentState>;

/** How the payer pays. mada is purchase-and-refund only: no authorisation hold, no void. */
export const PaymentMethod = z.enum(['card', 'mada', 'applepay']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/**
 * Why money goes back: the booking asked (cancellation, late payment without capacity, a booking
 * admin's change to something cheaper: `change`, version 3), the payment was not needed (booking
 * already paid or gone), an admin decided, or the provider reported a refund made outside this
 * system (its dashboard).
 */
export const RefundReason = z.enum(['cancellation', 'late_payment', 'unneeded_payment', 'admin', 'external', 'change']);
export type RefundReason = z.infer<typeof RefundReason>;

/** The most refunds (of any outcome) one payment keeps; partial refunds beyond it are refused. */
export const MAX_REFUNDS_PER_PAYMENT = 50;

/** What the checkout service gives when it starts an attempt. */
export const PaymentInput = z.object({
  paymentId: Id,
  /** The booking paid for; for a food order during the visit, the booking of that visit. */
  bookingId: Id,
  /**
   * A food order paid on its own during the visit (version 3): the capture, a failed attempt and
   * every refund's outcome are told to the order (`food.order_*` effects), not to the booking.
   */
  orderId: OrderRef.optional(),
  visitorId: Id,
  amount: Positive,
  currency: z.literal('SAR'),
  method: PaymentMethod,
  createdAt: EpochMs,
});
export type PaymentInput = z.infer<typeof PaymentInput>;

/** One refund of this payment and how it ended. */
export const PaymentRefund = z.object({
  refundId: Id,
  amount: Positive,
  reason: RefundReason,
  by: Who,
  status: z.enum(['pending', 'succeeded', 'failed']),
  requestedAt: EpochMs,
  settledAt: EpochMs.optional(),
  refundRef: GatewayRef.optional(),
  failure: Reason.optional(),
});
export type PaymentRefund = z.infer<typeof PaymentRefund>;

/** The machine context: the input plus what the gateway reported. */
export const PaymentContext = PaymentInput.extend({
  gatewayRef: GatewayRef.optional(),
  redirectUrl: z.string().min(1).max(2000).optional(),
  capturedAmount: Money,
  capturedAt: EpochMs.optional(),
  capturedMethod: PaymentMethod.optional(),
  failureReason: Reason.optional(),
  failedAt: EpochMs.optional(),
  /** While pending (version 2): what the payer or the bank still has to do, as the provider said. */
  pendingReason: PendingReason.optional(),
  pendingAt: EpochMs.optional(),
  refunds: z.array(PaymentRefund).max(MAX_REFUNDS_PER_PAYMENT),
  /** Pending plus succeeded refunds: never above `capturedAmount`. */
  refundRequestedAmount: Money,
  /** Succeeded refunds only. */
  refundedAmount: Money,
});
export type PaymentContext = z.infer<typeof PaymentContext>;

/** Every event a caller may send (the checkout service, the webhook intake, the effect handlers). */
export const PaymentEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('payment.opened'), gatewayRef: GatewayRef, redirectUrl: z.string().min(1).max(2000) }),
  z.object({ type: z.literal('payment.captured'), gatewayRef: GatewayRef, amount: Positive, method: PaymentMethod.optional(), by: Who, at: EpochMs }),
  z.object({ type: z.literal('payment.failed'), gatewayRef: GatewayRef, reason: Reason.optional(), by: Who, at: EpochMs }),
  // The provider waits for the payer (3-D Secure, Apple Pay confirmation) or the bank (version 2).
  z.object({ type: z.literal('payment.awaiting'), gatewayRef: GatewayRef, reason: PendingReason, by: Who, at: EpochMs }),
  z.object({
    type: z.literal('refund.requested'),
    refundId: Id,
    amount: Positive,
    reason: RefundReason.exclude(['external']),
    by: Who,
    at: EpochMs,
  }),
  z.object({ type: z.literal('refund.succeeded'), refundId: Id, refundRef: GatewayRef, at: EpochMs }),
  z.object({ type: z.literal('refund.failed'), refundId: Id, reason: Reason, at: EpochMs }),
  // A refund the gateway reports (webhook): settles our pending one, or records one made outside.
  z.object({
    type: z.literal('refund.reported'),
    refundedTotal: Money,
    refundId: Id.optional(),
    refundRef: GatewayRef.optional(),
    by: Who,
    at: EpochMs,
  }),
]);
export type PaymentEvent = z.infer<typeof PaymentEvent>;

/**
 * Kinds of movement in the transaction log. `payment.pending` (version 2) moves no money: it
 * records that the provider waits for the payer or the bank.
 */
export const Movement = z.enum(['payment.pending', 'payment.captured', 'payment.failed', 'refund.requested', 'refund.succeeded', 'refund.failed', 'refund.external']);
export type Movement = z.infer<typeof Movement>;

/** One row of the transaction log, as the payment asks for it to be written. */
export const TransactionRecord = z.object({
  paymentId: Id,
  bookingId: Id,
  visitorId: Id,
  movement: Movement,
  amount: Money,
  currency: z.literal('SAR'),
  status: z.enum(['pending', 'succeeded', 'failed']),
  by: Who,
  at: EpochMs,
  method: PaymentMethod.optional(),
  refundId: Id.optional(),
  reason: z.string().max(500).optional(),
  gatewayRef: GatewayRef.optional(),
  /** On payment rows: the seed's status (pending, authorized = approved and captured, failed). */
  paymentStatus: PaymentStatus.optional(),
  /** The food order this payment paid on its own (version 3): the movement is food, during the visit of `bookingId`. */
  orderId: OrderRef.optional(),
});
export type TransactionRecord = z.infer<typeof TransactionRecord>;

/** Every effect the payment emits; the host writes each as an outbox row for the relay. */
export const PaymentEffect = z.discriminatedUnion('type', [
  // Read model of payments by status (reconciliation looks for old pending ones).
  z.object({
    type: z.literal('payment.index'),
    paymentId: Id,
    bookingId: Id,
    status: PaymentState,
    amount: Positive,
    createdAt: EpochMs,
    gatewayRef: GatewayRef.optional(),
  }),
  TransactionRecord.extend({ type: z.literal('txn.record') }),
  z.object({ type: z.literal('booking.settle_capture'), paymentId: Id, bookingId: Id, amount: Positive }),
  z.object({ type: z.literal('booking.notify_failed'), paymentId: Id, bookingId: Id, reason: Reason.optional() }),
  z.object({ type: z.literal('booking.notify_pending'), paymentId: Id, bookingId: Id, reason: PendingReason }),
  // A refund that was asked for failed: the booking gives its amount back to what may be refunded.
  z.object({ type: z.literal('booking.notify_refund_failed'), paymentId: Id, bookingId: Id, refundId: Id, amount: Positive, reason: RefundReason }),
  z.object({ type: z.literal('gateway.refund'), paymentId: Id, refundId: Id, gatewayRef: GatewayRef, amount: Positive }),
  z.object({ type: z.literal('booking.notify_refunded'), paymentId: Id, bookingId: Id, refundId: Id, amount: Positive, reason: RefundReason }),
  z.object({ type: z.literal('notify'), template: NotifyTemplate, bookingId: Id, visitorId: Id }),
  // A food order's own payment (version 3) tells the order instead of the booking: the food module's.
  z.object({ type: z.literal('food.order_paid'), paymentId: Id, orderId: OrderRef, amount: Positive }),
  z.object({ type: z.literal('food.order_payment_failed'), paymentId: Id, orderId: OrderRef, reason: Reason.optional() }),
  z.object({ type: z.literal('food.order_refunded'), paymentId: Id, orderId: OrderRef, refundId: Id, amount: Positive, reason: RefundReason }),
  z.object({ type: z.literal('food.order_refund_failed'), paymentId: Id, orderId: OrderRef, refundId: Id, amount: Positive, reason: RefundReason }),
]);
export type PaymentEffect = z.infer<typeof PaymentEffect>;

const finalStates: ReadonlySet<PaymentState> = new Set(PAYMENT_FINAL_STATES);

/** The persisted snapshot of the current machine version; `done` exactly in a final state. */
export const PaymentPersisted = z
  .object({
    status: z.enum(['active', 'done']),
    value: PaymentState,
    context: PaymentContext,
    historyValue: z.strictObject({}),
    children: z.strictObject({}),
  })
  .refine((s) => (s.status === 'done') === finalStates.has(s.value), {
    message: 'status must be "done" exactly in a final state',
    path: ['status'],
  });
export type PaymentPersisted = z.infer<typeof PaymentPersisted>;

/**
 * The facts callers ask of a payment (XState state tags, set on the machine's states):
 *
 *   open         waiting for the provider
 *   paid         money was captured (refunds may follow)
 */
export const PAYMENT_TAGS = ['open', 'paid'] as const;
export type PaymentTag = (typeof PAYMENT_TAGS)[number];

