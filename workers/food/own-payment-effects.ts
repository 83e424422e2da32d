/**
 * The outbox handlers of a food order paid on its own (ordered during the visit): what its payment
 * tells it, and the refunds it asks of that payment. Each is idempotent by an event id derived
 * from the effect, so a re-delivered effect changes nothing twice.
 *
 *   payment captured ─food.order_paid─▶ order food.paid ─▶ paid ─▶ preparing (asap) / scheduled (a time)
 *   payment failed ─food.order_payment_failed─▶ order food.payment_failed (the visitor pays again)
 *   order cancelled, or paid twice ─food.refund_request (no booking)─▶ payment refund.requested
 *       (refund id rf_… of the effect) ─▶ gateway ─▶ food.order_refunded ─▶ order payment.refunded
 *                                                 └▶ food.order_refund_failed ─▶ order payment.refund_failed
 *       the payment cannot give it (another refund took what was left) ─▶ order payment.refund_failed
 *       at once (refundable again), and a payment.unmatched audit row for finance
 *   finance refund of the payment (POST /api/admin/refunds, reason admin), through ─food.order_refunded─▶
 *       order finance.refunded (by: the finance admin): recorded as refunded; everything left given
 *       back before the food was served cancels the order. One that fails at the provider was never
 *       the order's: nothing to give back on it.
 *
 * A refusal a retry cannot change is logged and acknowledged; anything else throws, so the relay
 * retries it. A pre-order's money goes through its booking instead (food.module.ts).
 */
import { PaymentContext, PaymentEffect } from '../../machines/payment.schemas.js';
import type { FoodOrderEffect } from '../../machines/food-order.schemas.js';
import type { Result } from '../../machines/errors.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';
import { refundIdFor } from '../payments/payment-ids.js';
import type { AuditLog, EffectRow } from '../store/actor-store.js';

const ORDER = 'food_order';
const PAYMENT = 'payment';
/** Answers a retry cannot change. */
const FINAL = new Set(['event.rejected', 'event.invalid', 'actor.not_found']);

/** What the handlers need. */
export interface OwnPaymentDeps {
  host: Pick<ActorHost, 'send' | 'read'>;
  audit: Pick<AuditLog, 'append'>;
  clock: () => number;
  log: Logger;
}

type OrderRefund = Extract<FoodOrderEffect, { type: 'food.refund_request' }>;

function paymentEffect<T extends PaymentEffect['type']>(effect: EffectRow, type: T): Extract<PaymentEffect, { type: T }> {
  const parsed = PaymentEffect.parse({ ...effect.payload, type: effect.type });
  if (parsed.type !== type) throw new Error(`effect ${effect.effectId} is ${parsed.type}, not ${type}`);
  return parsed as Extract<PaymentEffect, { type: T }>;
}

/** The handlers of an own payment's notices, and `refund` for an order's refund request without a booking. */
export function createOwnPaymentHandlers(deps: OwnPaymentDeps): { effects: Record<string, EffectHandler>; refund: (effect: EffectRow, request: OrderRefund) => Promise<void> } {
  const { host, log } = deps;
  const system = 'system:payments';

  /** True when applied; a final refusal is logged (`what`) and false; anything else throws for a retry. */
  function settled(result: Result<ActorView>, what: string, detail: Record<string, unknown>): boolean {
    if (result.ok) return true;
    if (!FINAL.has(result.code)) throw new Error(`${what}: ${result.code} ${result.message}`);
    log.warn(`${what}: refused`, { ...detail, code: result.code, message: result.message });
    return false;
  }

  /** Who asked for a refund of the payment, as the payment recorded it (`system:payments` when it does not say). */
  async function refundedBy(paymentId: string, refundId: string): Promise<string> {
    const payment = await host.read(PAYMENT, paymentId);
    if (!payment.ok && !FINAL.has(payment.code)) throw new Error(`payment ${paymentId} unreadable: ${payment.code} ${payment.message}`);
    const refund = payment.ok ? PaymentContext.safeParse(payment.data.context).data?.refunds.find((r) => r.refundId === refundId) : undefined;
    return refund?.by ?? system;
  }

  const tellOrder = async (orderId: string, event: Record<string, unknown> & { type: string }, eventId: string, what: string, detail: Record<string, unknown>) =>
    settled(await host.send(ORDER, orderId, event, { who: system, eventId }), what, { orderId, ...detail });

  return {
    effects: {
      'food.order_paid': async (effect) => {
        const { paymentId, orderId, amount } = paymentEffect(effect, 'food.order_paid');
        // The order takes every payment it hears of (pays it, or asks it back), so a refusal is a repeat.
        await tellOrder(orderId, { type: 'food.paid', paymentId, amount, at: effect.createdAt }, `capture:${paymentId}`, 'an order did not take its payment', { paymentId, amount });
      },
      'food.order_payment_failed': async (effect) => {
        const { paymentId, orderId, reason } = paymentEffect(effect, 'food.order_payment_failed');
        const event = { type: 'food.payment_failed', paymentId, at: effect.createdAt, ...(reason === undefined ? {} : { reason }) };
        // Paid meanwhile by another attempt: the failure is past news.
        await tellOrder(orderId, event, `failed:${paymentId}`, 'a failed payment attempt not recorded on its order', { paymentId });
      },
      'food.order_refunded': async (effect) => {
        const { paymentId, orderId, refundId, amount, reason } = paymentEffect(effect, 'food.order_refunded');
        if (reason === 'admin') {
          // Finance gave it back without the order asking: the order learns it, under its policy.
          const by = await refundedBy(paymentId, refundId);
          const event = { type: 'finance.refunded', refundId, amount, by, at: effect.createdAt };
          await tellOrder(orderId, event, `finance-refunded:${refundId}`, 'a finance refund not recorded on its order', { paymentId, refundId, amount });
          return;
        }
        await tellOrder(orderId, { type: 'payment.refunded', refundId, amount }, `refunded:${refundId}`, 'a refund not asked by its order', { paymentId, refundId, amount, reason });
      },
      'food.order_refund_failed': async (effect) => {
        const { paymentId, orderId, refundId, amount, reason } = paymentEffect(effect, 'food.order_refund_failed');
        // The order counts a finance refund once it is through only: one that failed changes nothing on it.
        if (reason === 'admin') return log.warn('a finance refund of an order failed at the provider', { orderId, paymentId, refundId, amount });
        if (await tellOrder(orderId, { type: 'payment.refund_failed', refundId, amount }, `refund-failed:${refundId}`, 'a failed refund not given back on its order', { paymentId, refundId, amount })) {
          log.warn('an order refund failed at the provider: the amount is refundable again', { orderId, refundId, amount });
        }
      },
    },

    async refund(effect, request) {
      const { orderId, paymentId, amount, reason } = request;
      const refundId = refundIdFor(`food:${effect.effectId}`);
      const order = await host.read(ORDER, orderId);
      const cancelledBy = order.ok ? (order.data.context as { cancelledBy?: unknown }).cancelledBy : undefined;
      const by = reason === 'cancellation' && typeof cancelledBy === 'string' ? cancelledBy : 'system:food';
      const event = { type: 'refund.requested', refundId, amount, reason, by, at: effect.createdAt };
      const sent = await host.send(PAYMENT, paymentId, event, { who: by, eventId: `food-refund:${effect.effectId}` });
      if (settled(sent, 'an order refund refused by its payment', { orderId, paymentId, refundId, amount })) return;
      // The payment cannot give it back (another refund took what was left): the order gets the amount back, and finance is told.
      const refusal = sent.ok ? { code: 'internal', message: 'refused' } : sent;
      await deps.audit.append({
        at: deps.clock(),
        who: 'system',
        role: 'system',
        action: 'payment.unmatched',
        target: `food_order/${orderId}`,
        outcome: 'failed',
        code: refusal.code,
        detail: { what: 'refund.requested', message: refusal.message, paymentId, refundId, amount },
      });
      await tellOrder(orderId, { type: 'payment.refund_failed', refundId, amount }, `refund-refused:${refundId}`, 'a refused refund not given back on its order', { paymentId, refundId, amount });
    },
  };
}
