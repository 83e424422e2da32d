/**
 * The booking's money ledger after the fact (machine version 4): finance refunds, refund outcomes
 * and payments the booking could not use. Pure functions of the context and one event, used by the
 * booking machine's guards and actions, so that the booking's amounts always follow the payments':
 *
 *   capturedAmount          every capture of a payment made for this booking (used or not)
 *   refundRequestedAmount   refunds asked for and not failed (pending + succeeded)
 *   refundedAmount          refunds the provider reported done (ours and those made outside)
 *
 *   booking.refund (finance)   requested += amount; the whole remainder cancels a confirmed
 *                              booking; a partial one keeps the visit or cancels listed tickets
 *   payment.unneeded           captured += amount, requested += amount (refunded automatically)
 *   payment.refunded           refunded += amount, within what was requested
 *   payment.refunded_externally requested += amount, refunded += amount
 *   payment.refund_failed      requested -= amount (it may be asked for again)
 */
import type { BookingContext, BookingEvent, BookingPayment } from './booking.schemas.js';

type Event<T extends BookingEvent['type']> = Extract<BookingEvent, { type: T }>;

/** The payment that confirmed the booking (the first capture it used). */
export function capturedPayment(context: BookingContext): BookingPayment | undefined {
  return context.payments.find((p) => p.status === 'captured');
}

/** The booking has heard of this payment, whatever became of it. */
export function knownPayment(context: BookingContext, paymentId: string): boolean {
  return context.payments.some((p) => p.paymentId === paymentId);
}

/** A refund report is accepted once per refund id and never beyond what was requested. */
export function refundFits(context: BookingContext, event: { refundId: string; amount: number }): boolean {
  return event.amount > 0 && context.refundedAmount + event.amount <= context.refundRequestedAmount && !context.refunds.some((r) => r.refundId === event.refundId);
}

/** What may still be refunded: captured and not yet asked back. */
export function refundable(context: BookingContext): number {
  return context.capturedAmount - context.refundRequestedAmount;
}

/** The booking used this payment (it confirmed the booking, or is being refunded as a late payment). */
export function usesPayment(context: BookingContext, paymentId: string): boolean {
  return context.payments.some((p) => p.paymentId === paymentId && p.status === 'captured');
}

/** The id of the n-th ticket of this booking, as the ticket service names it. */
export function ticketIdOf(bookingId: string, seq: number): string {
  return `${bookingId}-t${seq}`;
}

/**
 * The numbers of the booking's current tickets, one per person: after `ticketBase`, the numbers
 * the tickets of its earlier slot or party used (a change of a paid booking reissues them all).
 */
export function ticketSeqs(context: Pick<BookingContext, 'quantity' | 'ticketBase'>): number[] {
  const base = context.ticketBase ?? 0;
  return Array.from({ length: context.quantity }, (_, i) => base + i + 1);
}

/** The ids of the booking's current tickets (those of its present slot and party). */
export function currentTicketIds(context: Pick<BookingContext, 'bookingId' | 'quantity' | 'ticketBase'>): string[] {
  return ticketSeqs(context).map((seq) => ticketIdOf(context.bookingId, seq));
}

/** A finance refund of one of this booking's captured payments, within what is left. */
export function financeRefundFits(context: BookingContext, event: Event<'booking.refund'>): boolean {
  return event.amount <= refundable(context) && usesPayment(context, event.paymentId) && !context.refunds.some((r) => r.refundId === event.refundId);
}

/** The refund gives back everything that is left: the booking is cancelled whatever the policy. */
export function refundsEverything(context: BookingContext, event: Event<'booking.refund'>): boolean {
  return financeRefundFits(context, event) && event.amount === refundable(context);
}

/** The tickets a cancel_tickets refund names, when every one is this booking's and still admits. */
function ticketsToCancel(context: BookingContext, event: Event<'booking.refund'>): string[] | null {
  if (event.policy !== 'cancel_tickets' || event.ticketIds === undefined) return null;
  const valid = new Set(currentTicketIds(context));
  const already = new Set(context.cancelledTickets ?? []);
  const unique = new Set(event.ticketIds);
  if (unique.size !== event.ticketIds.length) return null;
  return event.ticketIds.every((id) => valid.has(id) && !already.has(id)) ? event.ticketIds : null;
}

/** A partial refund that cancels some tickets and leaves at least one that admits. */
export function cancelsSomeTickets(context: BookingContext, event: Event<'booking.refund'>): boolean {
  const tickets = ticketsToCancel(context, event);
  return financeRefundFits(context, event) && tickets !== null && (context.cancelledTickets?.length ?? 0) + tickets.length < context.quantity;
}

/** A partial refund that cancels every ticket still admitting: the booking is cancelled. */
export function cancelsLastTickets(context: BookingContext, event: Event<'booking.refund'>): boolean {
  const tickets = ticketsToCancel(context, event);
  return financeRefundFits(context, event) && tickets !== null && (context.cancelledTickets?.length ?? 0) + tickets.length === context.quantity;
}

/** A refund that keeps the visit as it is (the policy, or the only choice once the party is in). */
export function keepsVisit(context: BookingContext, event: Event<'booking.refund'>): boolean {
  return financeRefundFits(context, event) && (event.policy ?? 'keep_visit') === 'keep_visit';
}

/** The context after a finance refund was asked for; `cancel` also records the cancellation. */
export function withFinanceRefund(context: BookingContext, event: Event<'booking.refund'>, cancel: boolean): Partial<BookingContext> {
  const tickets = ticketsToCancel(context, event);
  return {
    refundRequestedAmount: context.refundRequestedAmount + event.amount,
    ...(tickets === null ? {} : { cancelledTickets: [...(context.cancelledTickets ?? []), ...tickets] }),
    ...(cancel ? { cancelReason: 'refunded by the venue', cancelledAt: event.at } : {}),
  };
}

/** A payment the booking did not use and has not recorded yet. */
export function unneededIsNew(context: BookingContext, event: Event<'payment.unneeded'>): boolean {
  return !context.payments.some((p) => p.paymentId === event.paymentId && (p.status === 'captured' || p.status === 'unneeded'));
}

/** The context with an unusable payment recorded as captured and asked back in full. */
export function withUnneeded(context: BookingContext, event: Event<'payment.unneeded'>): Partial<BookingContext> {
  return {
    payments: [...context.payments, { paymentId: event.paymentId, amount: event.amount, status: 'unneeded' }],
    capturedAmount: context.capturedAmount + event.amount,
    refundRequestedAmount: context.refundRequestedAmount + event.amount,
  };
}

/** A refund made outside, not seen before and within what was captured. */
export function externalRefundFits(context: BookingContext, event: Event<'payment.refunded_externally'>): boolean {
  return !context.refunds.some((r) => r.refundId === event.refundId) && context.refundedAmount + event.amount <= context.capturedAmount;
}

/** The context with a refund made outside recorded as asked for and done. */
export function withExternalRefund(context: BookingContext, event: Event<'payment.refunded_externally'>): Partial<BookingContext> {
  return {
    refunds: [...context.refunds, { refundId: event.refundId, amount: event.amount }],
    refundRequestedAmount: context.refundRequestedAmount + event.amount,
    refundedAmount: context.refundedAmount + event.amount,
  };
}

/** A failed refund gives back at most what is asked for and not yet refunded. */
export function failedRefundFits(context: BookingContext, event: Event<'payment.refund_failed'>): boolean {
  return !context.refunds.some((r) => r.refundId === event.refundId) && event.amount <= context.refundRequestedAmount - context.refundedAmount;
}
