/** Payments: checkout on the gateway's hosted page, webhooks, refunds and the transaction log. */
import type { Payments, PaymentsWiring } from '../../../workers/payments/payments.js';
import { paymentsRuntime } from '../../../workers/payments/payments.module.js';
import { paymentRoutes } from '../../api/payment-routes.js';
import { policyRows } from '../../policy/policy-table.js';
import type { VenueModule } from '../venue-module.js';
import type { PaymentsLends } from './node.js';
import { paymentsNode } from './node.js';

export const paymentsModule: VenueModule<Payments | undefined, PaymentsWiring, PaymentsLends> = {
  ...paymentsRuntime,
  node: paymentsNode,
  policy: policyRows('booking.pay', 'payment.refund', 'transactions.list'),
  http({ node, runtime, authenticate, trail, log }) {
    if (node === undefined || runtime.payments === undefined) return [];
    const { gateway, simulated } = node.services.lent(paymentsModule);
    return paymentRoutes({ authenticate, payments: runtime.payments, gateway, simulated, trail, log });
  },
};
