/**
 * Checkout and money commands across the booking actor, the payment actor and the gateway.
 *
 *   startPayment(booking, method, who)
 *     booking awaiting_payment (its total), or confirmed with a change waiting for its difference
 *     (that difference), owned by `who`? ──▶ attempt n = paymentAttempts + 1 (skip attempts already failed)
 *     host.create('payment', `${booking}-p${n}`)       concurrent clicks: one actor (same id, same eventId)
 *     gateway.createPayment(idempotencyKey = payment id) concurrent clicks: one gateway payment
 *     host.send(payment.opened)                        first writer wins; everyone gets ITS page URL
 *     records.indexPayment(winner's gateway ref)       before the payer can pay, so a fast webhook finds it
 *
 *   startOrderPayment(order, method, who): the same for a food order placed during a visit (placed,
 *     owned by `who`): attempts `${orderId}-p${n}` of the order's total, the payment naming the order
 *     (its capture and refund outcomes go to the order) and the visit's booking
 *
 *   requestRefund (finance): idempotent per request id, through the booking that used the payment
 *     payment captured? left ≥ amount? ──no──▶ refund.exceeds_capture
 *     booking booking.refund {refundId = hash(admin, payment, request)}  whole remainder: cancelled,
 *       tickets revoked; partial: keep the visit or cancel the listed tickets (the admin's policy)
 *       ─refund.request─▶ payment ─▶ gateway; the outcome comes back to the booking
 *     a payment no booking uses (refunded automatically already) is refunded directly
 *     the payment machine keeps refunds ≤ captured whatever races
 *   refreshPayment (payer's return, reconciliation): asks the gateway and applies what it says.
 */
import type { z } from 'zod';
import { AdminRefund, TransactionQuery } from '../../machines/contract/payments.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { RefundPolicy } from '../../machines/booking.schemas.js';
import { BookingContext } from '../../machines/booking.schemas.js';
import { FoodOrderContext } from '../../machines/food-order.schemas.js';
import { PaymentContext, PaymentMethod } from '../../machines/payment.schemas.js';
import type { PaymentInput } from '../../machines/payment.schemas.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import type { PaymentGateway } from './gateway.js';
import { PAYMENT, applyGatewayEvent } from './gateway-events.js';
import type { ApplyOutcome } from './gateway-events.js';
import { bookingContextOf } from './payment-effects.js';
import { paymentIdFor, refundIdFor } from './payment-ids.js';
import type { PaymentRecords, TransactionEntry } from './payment-records.js';

/** How many consecutive attempt ids startPayment looks at before giving up (each failed one is skipped). */
const MAX_ATTEMPT_PROBE = 50;

/** The page the payer goes to. */
export interface StartedPayment {
  paymentId: string;
  gatewayRef: string;
  redirectUrl: string;
}

export { AdminRefund, TransactionQuery };
export type AdminRefund = z.infer<typeof AdminRefund>;

/** What a finance refund answers: the refund asked for and the booking it changed. */
export interface RefundAnswer {
  refundId: string;
  paymentId: string;
  amount: number;
  bookingId: string;
  /** The booking's state after the request (cancelled when everything left was refunded). */
  bookingState: string;
  policy: RefundPolicy;
}

export type TransactionQueryInput = z.input<typeof TransactionQuery>;

/** What the service needs; `returnUrl` builds the payer's way back from the hosted page. */
export interface PaymentServiceDeps {
  host: ActorHost;
  gateway: PaymentGateway;
  records: PaymentRecords;
  clock: () => number;
  log: Logger;
  /** Where the payer's browser returns after the hosted page. */
  returnUrl: (paymentId: string) => string;
}

/** Checkout and money commands the hub exposes. */
export interface PaymentService {
  /** Opens (or reopens) the current payment attempt of a booking; `who` must be `user:<visitorId>`. */
  startPayment(bookingId: string, method: unknown, who: string): Promise<Result<StartedPayment>>;
  /** The same for a food order placed during a visit, paid on its own; `who` must be `user:<visitorId>`. */
  startOrderPayment(orderId: string, method: unknown, who: string): Promise<Result<StartedPayment>>;
  /** A finance refund; the hub checks the role, this checks the money and applies the policy to the booking. */
  requestRefund(request: unknown, who: string): Promise<Result<RefundAnswer>>;
  /** Asks the gateway about one payment and applies its answer (payer's return page, repairs). */
  refreshPayment(paymentId: string, by: string): Promise<Result<ApplyOutcome>>;
  /** Every money movement, oldest first from `since`. */
  listTransactions(query: unknown): Promise<Result<TransactionEntry[]>>;
}

/** Why a booking refused a finance refund that the money allowed. */
function refusalOf(state: string, policy: RefundPolicy): string {
  if (policy === 'cancel_tickets') {
    return state === 'confirmed'
      ? 'the tickets listed are not this booking’s, are repeated or already cancelled'
      : `tickets can only be cancelled before the visit (the booking is ${state}); refund with policy keep_visit`;
  }
  return `the booking is ${state} and takes no refund now`;
}

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ');

/** Creates the payment service. */
export function createPaymentService(deps: PaymentServiceDeps): PaymentService {
  const { host } = deps;

  /** The attempt to show the payer: the first of n, n+1, … that is not failed (ids from the booking, or the food order it pays). */
  async function currentAttempt(input: Omit<PaymentInput, 'paymentId'>, firstAttempt: number, who: string): Promise<Result<ActorView>> {
    const what = input.orderId === undefined ? `booking ${input.bookingId}` : `food order ${input.orderId}`;
    for (let n = firstAttempt; n < firstAttempt + MAX_ATTEMPT_PROBE; n++) {
      const paymentId = paymentIdFor(input.orderId ?? input.bookingId, n);
      const created = await host.create(PAYMENT, paymentId, { ...input, paymentId }, { who, eventId: `start:${paymentId}` });
      const view = created.ok ? created : created.code === 'actor.exists' ? await host.read(PAYMENT, paymentId) : created;
      if (!view.ok) return view;
      // An id taken by a payment of something else is never this one's (ids are chosen apart; checked all the same).
      if (PaymentContext.parse(view.data.context).orderId !== input.orderId) return refuse('event.rejected', `payment ${paymentId} pays something else`);
      if (view.data.state === 'failed') continue; // that attempt is over; the payer retries with the next one
      if (view.data.state !== 'pending') return refuse('event.rejected', `${what} is already paid (${paymentId})`);
      return view;
    }
    return refuse('event.rejected', `${what} has too many failed payment attempts`);
  }

  /**
   * The payer's way back, naming the booking (or the food order) so that the return page can link
   * to it without looking anything up.
   */
  function returnUrlOf(payment: Pick<PaymentContext, 'paymentId' | 'bookingId' | 'orderId'>): string {
    const back = new URL(deps.returnUrl(payment.paymentId));
    if (payment.orderId === undefined) back.searchParams.set('booking', payment.bookingId);
    else back.searchParams.set('order', payment.orderId);
    return back.toString();
  }

  async function open(view: ActorView, who: string): Promise<Result<StartedPayment>> {
    let payment = PaymentContext.parse(view.context);
    if (payment.redirectUrl === undefined) {
      const created = await deps.gateway.createPayment({
        paymentId: payment.paymentId,
        amount: payment.amount,
        currency: payment.currency,
        method: payment.method,
        description: payment.orderId === undefined ? `Booking ${payment.bookingId}` : `Food order ${payment.orderId}`,
        callbackUrl: returnUrlOf(payment),
        idempotencyKey: payment.paymentId,
      });
      if (!created.ok) return created;
      const event = { type: 'payment.opened', ...created.data };
      const sent = await host.send(PAYMENT, payment.paymentId, event, { who, eventId: `opened:${payment.paymentId}` });
      // Refused: another click (or node) opened it first, or it settled meanwhile; its record wins.
      const after = sent.ok ? sent : await host.read(PAYMENT, payment.paymentId);
      if (!after.ok) return after;
      payment = PaymentContext.parse(after.data.context);
    }
    if (payment.gatewayRef === undefined || payment.redirectUrl === undefined) return refuse('event.rejected', `payment ${payment.paymentId} has no page`);
    await deps.records.indexPayment({
      paymentId: payment.paymentId, bookingId: payment.bookingId, status: 'pending', amount: payment.amount,
      createdAt: payment.createdAt, gatewayRef: payment.gatewayRef, at: deps.clock(),
    });
    return accept({ paymentId: payment.paymentId, gatewayRef: payment.gatewayRef, redirectUrl: payment.redirectUrl });
  }

  return {
    async startPayment(bookingId, method, who) {
      const chosen = PaymentMethod.safeParse(method);
      if (!chosen.success) return refuse('input.invalid', `method must be one of ${PaymentMethod.options.join(', ')}`);
      const booking = await host.read('booking', bookingId);
      if (!booking.ok) return booking;
      const context = bookingContextOf(booking.data);
      if (who !== `user:${context.visitorId}`) return refuse('auth.forbidden', `booking ${bookingId} belongs to another visitor`);
      // A paid booking's change waiting for its difference is paid through the same flow, for the difference.
      const due = booking.data.state === 'confirmed' ? context.pendingChange?.due : undefined;
      if (booking.data.state !== 'awaiting_payment' && due === undefined) return refuse('event.rejected', `booking ${bookingId} is ${booking.data.state}, not awaiting payment`);
      const amount = due ?? context.total;
      if (amount <= 0) return refuse('input.invalid', `booking ${bookingId} has nothing to pay`);
      const input = { bookingId, visitorId: context.visitorId, amount, currency: 'SAR' as const, method: chosen.data, createdAt: deps.clock() };
      const attempt = await currentAttempt(input, context.paymentAttempts + 1, who);
      return attempt.ok ? open(attempt.data, who) : attempt;
    },

    async startOrderPayment(orderId, method, who) {
      const chosen = PaymentMethod.safeParse(method);
      if (!chosen.success) return refuse('input.invalid', `method must be one of ${PaymentMethod.options.join(', ')}`);
      const order = await host.read('food_order', orderId);
      if (!order.ok) return order;
      const context = FoodOrderContext.parse(order.data.context);
      if (who !== `user:${context.visitorId}`) return refuse('auth.forbidden', `food order ${orderId} belongs to another visitor`);
      // A pre-order is paid with its booking; only an order placed during the visit has a payment of its own.
      if (context.visitBookingId === undefined) return refuse('event.rejected', `food order ${orderId} is paid with its booking ${context.bookingId ?? ''}`.trim());
      if (order.data.state !== 'placed') return refuse('event.rejected', `food order ${orderId} is ${order.data.state}, not waiting for payment`);
      // Past its deadline the order is being cancelled (its timer may not have fired yet): no new attempt.
      if (context.payBy !== undefined && deps.clock() >= context.payBy) return refuse('event.rejected', `food order ${orderId} was not paid in time; order again`);
      if (context.total <= 0) return refuse('input.invalid', `food order ${orderId} has nothing to pay`);
      const input = { bookingId: context.visitBookingId, orderId, visitorId: context.visitorId, amount: context.total, currency: 'SAR' as const, method: chosen.data, createdAt: deps.clock() };
      const attempt = await currentAttempt(input, 1, who);
      return attempt.ok ? open(attempt.data, who) : attempt;
    },

    async requestRefund(request, who) {
      const parsed = AdminRefund.safeParse(request);
      if (!parsed.success) return refuse('input.invalid', issues(parsed.error));
      const { paymentId, amount, requestId, policy, ticketIds } = parsed.data;
      const view = await host.read(PAYMENT, paymentId);
      if (!view.ok) return view;
      const payment = PaymentContext.parse(view.data.context);
      const beyond = () => refuse('refund.exceeds_capture', `payment ${paymentId} has ${payment.capturedAmount - payment.refundRequestedAmount} halalas left to refund; ${amount} asked`);
      const refundId = refundIdFor(`admin:${paymentId}:${requestId}`);
      // A repeated request (double click) passes on to the host, which answers it as the duplicate it is.
      const repeated = payment.refunds.some((r) => r.refundId === refundId);
      if (!repeated && amount > payment.capturedAmount - payment.refundRequestedAmount) return beyond();
      const eventId = `admin-refund:${paymentId}:${requestId}`;
      const answer = (bookingState: string): RefundAnswer => ({ refundId, paymentId, amount, bookingId: payment.bookingId, bookingState, policy });

      const booking = await host.read('booking', payment.bookingId);
      if (!booking.ok) return booking;
      const context = BookingContext.parse(booking.data.context);
      if (!context.payments.some((p) => p.paymentId === paymentId && p.status === 'captured')) {
        // No booking uses this payment (it is being refunded automatically): the money goes back directly.
        if (policy === 'cancel_tickets') return refuse('event.rejected', `payment ${paymentId} paid for nothing on booking ${payment.bookingId}; no tickets to cancel`);
        const direct = { type: 'refund.requested', refundId, amount, reason: 'admin', by: who, at: deps.clock() };
        const sent = await host.send(PAYMENT, paymentId, direct, { who, eventId });
        if (sent.ok) return accept(answer(booking.data.state));
        return sent.code === 'event.rejected' ? beyond() : sent;
      }
      const event = { type: 'booking.refund', refundId, paymentId, amount, policy, ...(ticketIds === undefined ? {} : { ticketIds }), at: deps.clock() };
      const sent = await host.send('booking', payment.bookingId, event, { who, eventId });
      if (sent.ok) return accept(answer(sent.data.state));
      if (sent.code !== 'event.rejected') return sent;
      const now = await host.read('booking', payment.bookingId);
      const left = now.ok ? BookingContext.parse(now.data.context) : context;
      if (amount > left.capturedAmount - left.refundRequestedAmount) return beyond();
      return refuse('event.rejected', refusalOf(now.ok ? now.data.state : booking.data.state, policy));
    },

    async refreshPayment(paymentId, by) {
      const view = await host.read(PAYMENT, paymentId);
      if (!view.ok) return view;
      const ref = PaymentContext.parse(view.data.context).gatewayRef;
      if (ref === undefined) return refuse('payment.unknown', `payment ${paymentId} never reached the gateway`);
      const state = await deps.gateway.fetchPayment(ref);
      if (!state.ok) return state;
      if (!state.data.event) return accept({ kind: 'ignored', paymentId, state: view.data.state });
      return accept(await applyGatewayEvent({ host, records: deps.records }, state.data.event, by));
    },

    async listTransactions(query) {
      const parsed = TransactionQuery.safeParse(query ?? {});
      if (!parsed.success) return refuse('input.invalid', issues(parsed.error));
      const { limit, since, bookingId } = parsed.data;
      return accept(await deps.records.listTransactions({ limit, ...(since === undefined ? {} : { since }), ...(bookingId === undefined ? {} : { bookingId }) }));
    },
  };
}
