/**
 * Outbox handlers of the payment flow (at least once; each idempotent by a key derived from its
 * effect). Refunds and late payments:
 *
 *   booking cancel ─refund.request─▶ payment refund.requested (refundId = hash(effect id)) ─gateway.refund─▶
 *     gateway.refund(idempotency key = refundId) ─▶ refund.succeeded | refund.failed ─booking.notify_refunded─▶ booking payment.refunded
 *
 *   payment captured ─booking.settle_capture─▶ booking payment.captured
 *       ├ awaiting_payment: confirmed                      ├ expired: capacity.retake (below)
 *       └ refused (paid already, cancelled, too little…): refund the payment in full ('unneeded_payment')
 *   booking ─capacity.retake─▶ ledger.take(slot, hold = booking id)
 *       ├ ok: booking payment.captured_late ─▶ confirmed (refused: give the seats back, refund the payment)
 *       └ sold out: booking payment.refund_late ─▶ refund.request (above) + notify payment.refunded_late
 *
 *   finance refund: booking booking.refund ─refund.request (refund id of the admin's request)─▶ payment (above)
 *   every refund outcome goes back to the booking: payment.refunded (or refunded_externally for one
 *   made in the provider's dashboard), payment.refund_failed (asked for, did not happen), and a
 *   payment the booking cannot use is recorded there (payment.unneeded) before it is refunded.
 *
 * Transient failures throw (the relay retries with backoff); refusals that cannot change on a
 * retry are acknowledged, never retried forever. A refusal that leaves the books unbalanced (the
 * booking refuses a refund's outcome, the payment refuses a refund the booking asked for) is
 * reported: an error log and a `payment.unmatched` row in the audit trail that finance reads.
 */
import { bookingDefinition } from '../../machines/booking.machine.js';
import { hasTag } from '../../machines/actor-definition.js';
import { BookingContext, BookingEffect } from '../../machines/booking.schemas.js';
import type { Result } from '../../machines/errors.js';
import { PaymentContext, PaymentEffect, TransactionRecord } from '../../machines/payment.schemas.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';
import type { ActorStore, CapacityLedger, EffectRow } from '../store/actor-store.js';
import type { PaymentGateway } from './gateway.js';
import { PAYMENT } from './gateway-events.js';
import { refundIdFor } from './payment-ids.js';
import type { PaymentRecords } from './payment-records.js';

const BOOKING = 'booking';
/** Booking states that legitimately hold their capacity. */
/** Answers a retry cannot change: acknowledge the effect. */
const FINAL_REFUSALS = new Set(['event.rejected', 'event.invalid', 'actor.not_found']);

/** What the payment handlers need: the host, the ledger, the gateway and the records. */
export interface PaymentEffectDeps {
  host: ActorHost;
  store: Pick<ActorStore, 'eventLog' | 'audit'>;
  ledger: CapacityLedger;
  gateway: PaymentGateway;
  records: PaymentRecords;
  clock: () => number;
  log: Logger;
}

/** Parses an outbox row as the payment effect of the given type (rows come back from storage). */
function paymentEffect<T extends PaymentEffect['type']>(effect: EffectRow, type: T): Extract<PaymentEffect, { type: T }> {
  const parsed = PaymentEffect.parse({ ...effect.payload, type: effect.type });
  if (parsed.type !== type) throw new Error(`effect ${effect.effectId} is ${parsed.type}, not ${type}`);
  return parsed as Extract<PaymentEffect, { type: T }>;
}

/** Parses an outbox row as the booking effect of the given type. */
function bookingEffect<T extends BookingEffect['type']>(effect: EffectRow, type: T): Extract<BookingEffect, { type: T }> {
  const parsed = BookingEffect.parse({ ...effect.payload, type: effect.type });
  if (parsed.type !== type) throw new Error(`effect ${effect.effectId} is ${parsed.type}, not ${type}`);
  return parsed as Extract<BookingEffect, { type: T }>;
}

/** A refusal that a retry can change becomes a throw, so the relay retries it. */
function settle(result: Result<ActorView>, what: string, log: Logger): boolean {
  if (result.ok) return true;
  if (FINAL_REFUSALS.has(result.code)) {
    log.info(`${what}: refused, not retried`, { code: result.code, message: result.message });
    return false;
  }
  throw new Error(`${what}: ${result.code} ${result.message}`);
}

/** Creates the handlers, keyed by effect type. */
export function createPaymentEffectHandlers(deps: PaymentEffectDeps): Record<string, EffectHandler> {
  const { host, log } = deps;

  async function paymentContext(paymentId: string): Promise<PaymentContext | null> {
    const view = await host.read(PAYMENT, paymentId);
    if (!view.ok) {
      if (view.code === 'actor.not_found') return null;
      throw new Error(`payment ${paymentId}: ${view.code} ${view.message}`);
    }
    return PaymentContext.parse(view.data.context);
  }

  /**
   * Keeps the books balanced when a booking refused what the money side did: logged as an error
   * and written to the audit trail (finance reads it) instead of being dropped.
   */
  async function report(bookingId: string, what: string, refusal: { code: string; message: string }, detail: Record<string, unknown>): Promise<void> {
    log.error(`the booking refused ${what}; reported for finance`, { bookingId, code: refusal.code, message: refusal.message, ...detail });
    await deps.store.audit.append({
      at: deps.clock(),
      who: 'system',
      role: 'system',
      action: 'payment.unmatched',
      target: `booking/${bookingId}`,
      outcome: 'failed',
      code: refusal.code,
      detail: { what, message: refusal.message, ...detail },
    });
  }

  /** Sends a money notice to the booking; a final refusal is reported, a transient one retried. */
  async function tellBooking(bookingId: string, event: Record<string, unknown> & { type: string }, eventId: string, detail: Record<string, unknown>): Promise<void> {
    const sent = await host.send(BOOKING, bookingId, event, { who: 'system', eventId });
    if (sent.ok) return;
    if (!FINAL_REFUSALS.has(sent.code)) throw new Error(`${event.type} ${eventId}: ${sent.code} ${sent.message}`);
    await report(bookingId, event.type, sent, detail);
  }

  /** Refunds what is left of a payment nobody can use; the booking records it, the payment tells the payer. */
  async function refundUnneeded(paymentId: string, why: string): Promise<void> {
    const payment = await paymentContext(paymentId);
    const amount = payment ? payment.capturedAmount - payment.refundRequestedAmount : 0;
    if (!payment || amount <= 0) return;
    log.warn('refunding a payment the booking cannot use', { paymentId, why, amount });
    // Recorded on the booking first, so that the refund's outcome finds it asked for there.
    const unneeded = { type: 'payment.unneeded', paymentId, amount };
    await tellBooking(payment.bookingId, unneeded, `unneeded:${paymentId}`, { paymentId, amount, why });
    const refundId = refundIdFor(`auto:${paymentId}`);
    const event = { type: 'refund.requested', refundId, amount, reason: 'unneeded_payment', by: 'system', at: deps.clock() };
    settle(await host.send(PAYMENT, paymentId, event, { who: 'system', eventId: `auto-refund:${paymentId}` }), `auto refund ${paymentId}`, log);
  }

  /** Who caused the booking commit that wrote this effect (the visitor who cancelled, an admin…). */
  async function causedBy(effect: EffectRow): Promise<string> {
    const entries = await deps.store.eventLog(effect.kind, effect.actorId);
    return entries.find((e) => e.version === effect.version)?.who ?? 'system';
  }

  return {
    'txn.record': async (effect) => {
      const { type: _type, ...row } = paymentEffect(effect, 'txn.record');
      await deps.records.appendTransaction(effect.effectId, TransactionRecord.parse(row));
    },

    'payment.index': async (effect) => {
      const p = paymentEffect(effect, 'payment.index');
      await deps.records.indexPayment({ ...p, ...(p.gatewayRef === undefined ? {} : { gatewayRef: p.gatewayRef }), at: effect.createdAt });
    },

    'booking.settle_capture': async (effect) => {
      const { paymentId, bookingId, amount } = paymentEffect(effect, 'booking.settle_capture');
      const sent = await host.send(BOOKING, bookingId, { type: 'payment.captured', paymentId, amount }, { who: 'system', eventId: `capture:${paymentId}` });
      if (!settle(sent, `settle capture ${paymentId}`, log)) await refundUnneeded(paymentId, `booking ${bookingId} refused the capture`);
    },

    'capacity.retake': async (effect) => {
      const retake = bookingEffect(effect, 'capacity.retake');
      const bookingId = effect.actorId;
      const taken = await deps.ledger.take(retake.slotId, retake.holdId, retake.qty, deps.clock());
      const who = { who: 'system' };
      if (taken.ok) {
        const event = { type: 'payment.captured_late', paymentId: retake.paymentId, amount: retake.amount };
        if (settle(await host.send(BOOKING, bookingId, event, { ...who, eventId: `late-capture:${retake.paymentId}` }), 'late capture', log)) return;
        // The booking could not use these seats after all: give them back unless it sits on them legitimately.
        const view = await host.read(bookingDefinition, bookingId);
        if (view.ok && !hasTag(view.data, 'seated')) await deps.ledger.release(retake.holdId, deps.clock());
        await refundUnneeded(retake.paymentId, `booking ${bookingId} refused a late capture`);
        return;
      }
      const event = { type: 'payment.refund_late', paymentId: retake.paymentId, amount: retake.amount };
      if (!settle(await host.send(BOOKING, bookingId, event, { ...who, eventId: `late-refund:${retake.paymentId}` }), 'late refund', log)) {
        await refundUnneeded(retake.paymentId, `booking ${bookingId} refused a late refund`);
      }
    },

    'refund.request': async (effect) => {
      const request = bookingEffect(effect, 'refund.request');
      const by = await causedBy(effect);
      const reason = request.reason ?? 'cancellation';
      const refundId = request.refundId ?? refundIdFor(effect.effectId);
      const event = { type: 'refund.requested', refundId, amount: request.amount, reason, by, at: effect.createdAt };
      const sent = await host.send(PAYMENT, request.paymentId, event, { who: by, eventId: `refund:${effect.effectId}` });
      if (settle(sent, `refund request ${effect.effectId}`, log)) return;
      // The payment cannot give it (a race with another refund): the booking gets the amount back, and finance is told.
      await report(request.bookingId, 'refund.request', sent.ok ? { code: 'internal', message: 'refused' } : sent, { paymentId: request.paymentId, refundId, amount: request.amount });
      const failed = { type: 'payment.refund_failed', refundId, amount: request.amount };
      await tellBooking(request.bookingId, failed, `refund-refused:${refundId}`, { paymentId: request.paymentId, refundId, amount: request.amount });
    },

    'gateway.refund': async (effect) => {
      const { paymentId, refundId, gatewayRef, amount } = paymentEffect(effect, 'gateway.refund');
      const payment = await paymentContext(paymentId);
      // A webhook may have settled it already (the provider confirmed before we asked again).
      if (!payment?.refunds.some((r) => r.refundId === refundId && r.status === 'pending')) return;
      const outcome = await deps.gateway.refund({ gatewayRef, amount, idempotencyKey: refundId, refundedBefore: payment.refundedAmount });
      if (!outcome.ok && outcome.code === 'payment.gateway') throw new Error(`refund ${refundId}: ${outcome.message}`);
      const at = deps.clock();
      const event = !outcome.ok
        ? { type: 'refund.failed', refundId, reason: `${outcome.code}: ${outcome.message}`.slice(0, 500), at }
        : outcome.data.status === 'succeeded'
          ? { type: 'refund.succeeded', refundId, refundRef: outcome.data.refundRef, at }
          : { type: 'refund.failed', refundId, reason: outcome.data.reason ?? 'declined by the gateway', at };
      const meta = { who: `gateway:${deps.gateway.provider}`, eventId: `refund-outcome:${refundId}` };
      settle(await host.send(PAYMENT, paymentId, event, meta), `refund outcome ${refundId}`, log);
    },

    'booking.notify_refunded': async (effect) => {
      const { paymentId, bookingId, refundId, amount, reason } = paymentEffect(effect, 'booking.notify_refunded');
      // Every refund reaches the booking's books; one made in the provider's dashboard was never asked for here.
      const type = reason === 'external' ? 'payment.refunded_externally' : 'payment.refunded';
      await tellBooking(bookingId, { type, refundId, amount }, `refunded:${refundId}`, { paymentId, refundId, amount, reason });
    },

    'booking.notify_refund_failed': async (effect) => {
      const { paymentId, bookingId, refundId, amount, reason } = paymentEffect(effect, 'booking.notify_refund_failed');
      await tellBooking(bookingId, { type: 'payment.refund_failed', refundId, amount }, `refund-failed:${refundId}`, { paymentId, refundId, amount, reason });
    },

    'booking.notify_failed': async (effect) => {
      const { paymentId, bookingId, reason } = paymentEffect(effect, 'booking.notify_failed');
      const event = { type: 'payment.failed', paymentId, ...(reason === undefined ? {} : { reason }) };
      settle(await host.send(BOOKING, bookingId, event, { who: 'system', eventId: `failed:${paymentId}` }), `failure notice ${paymentId}`, log);
    },

    'booking.notify_pending': async (effect) => {
      const { paymentId, bookingId, reason } = paymentEffect(effect, 'booking.notify_pending');
      const event = { type: 'payment.pending', paymentId, reason };
      // No money moved: a booking past waiting (paid meanwhile, expired) has nothing to record.
      settle(await host.send(BOOKING, bookingId, event, { who: 'system', eventId: `pending:${paymentId}:${reason}` }), `pending notice ${paymentId}`, log);
    },
  };
}

/** Reads a booking's context (used by the checkout). */
export function bookingContextOf(view: ActorView): BookingContext {
  return BookingContext.parse(view.context);
}
