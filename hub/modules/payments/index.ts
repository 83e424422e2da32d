/** Payments: checkout on the gateway's hosted page, webhooks, refunds and the transaction log. */
import type { Payments } from '../../../workers/payments/payments.js';
import { paymentsRuntime } from '../../../workers/payments/payments.module.js';
import { paymentRoutes } from '../../api/payment-routes.js';
import { policyRows } from '../../policy/policy-table.js';
import type { VenueModule } from '../venue-module.js';

export const paymentsModule: VenueModule<Payments | undefined> = {
  ...paymentsRuntime,
  policy: policyRows('booking.pay', 'payment.refund', 'transactions.list'),
  http({ node, runtime, authenticate, trail, log }) {
    if (node === undefined || runtime.payments === undefined) return [];
    return paymentRoutes({ authenticate, payments: runtime.payments, gateway: node.services.gateway, simulated: node.services.simulatedGateway, trail, log });
  },
};
