/**
 * The payments module: the payment actor, checkout and webhook intake, refunds, the transaction
 * log, reconciliation of payments the gateway never confirmed (background), and the payments
 * read model (by venue day and method).
 */
import { BookingEffect } from '../../machines/booking.schemas.js';
import { PaymentEffect } from '../../machines/payment.schemas.js';
import { paymentDefinition } from '../../machines/payment.machine.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { paymentsProjection } from '../projections/venue-projections.js';
import type { Payments, PaymentsWiring } from './payments.js';
import { createPayments } from './payments.js';

/** Without a gateway (unwired) payment and refund effects wait in the outbox. */
export const paymentsRuntime: RuntimeModule<Payments | undefined, PaymentsWiring> = {
  name: 'payments',
  machines: [paymentDefinition],
  effects: {
    ...effectPayloads(BookingEffect, 'refund.request', 'capacity.retake'),
    ...effectPayloads(
      PaymentEffect,
      'txn.record',
      'payment.index',
      'booking.settle_capture',
      'gateway.refund',
      'booking.notify_refunded',
      'booking.notify_refund_failed',
      'booking.notify_failed',
      'booking.notify_pending',
    ),
  },
  projections: (env) => [paymentsProjection(env.timeZone)],
  start(ctx) {
    const { wiring } = ctx;
    const payments = wiring && createPayments({ ...wiring, host: ctx.host, store: { ...ctx.store, ledger: ctx.ledger }, clock: ctx.clock, log: ctx.log.child({ part: 'payments' }) });
    if (payments === undefined) return { service: undefined };
    return { service: payments, effects: payments.effectHandlers, background: { start: () => payments.start(), stop: () => payments.stop() } };
  },
};
