/**
 * Payments in the contract: starting a payment, the provider's hosted page and webhooks, the
 * payer's return, and the finance desk's refunds and transaction log.
 */
import { z } from 'zod';
import { PendingReason, RefundPolicy } from '../booking.schemas.js';
import { PaymentMethod, TransactionRecord } from '../payment.schemas.js';
import { Id } from './common.js';
import { httpRoute } from './contract.js';

/** The most rows one transaction-list request answers. */
export const MAX_TRANSACTIONS_PAGE = 500;

/** The transaction log query finance admins send (`limit` 1–500, default 100; oldest first from `since`). */
export const TransactionQuery = z.strictObject({
  since: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(MAX_TRANSACTIONS_PAGE).default(100),
  bookingId: z.string().min(1).max(64).optional(),
});

/** One money movement in the transaction log (halalas). */
export const TransactionEntry = TransactionRecord.extend({ txnId: z.string().describe('Stable id of the movement.') });

/** Where the payer goes to pay. */
export const StartedPayment = z.object({ paymentId: z.string(), gatewayRef: z.string(), redirectUrl: z.string().describe('Open it in the payer\'s browser: the provider\'s hosted page.') });

/**
 * A finance refund (halalas): `keep_visit` (default) keeps the booking unless everything left is
 * refunded (then it is cancelled); `cancel_tickets` revokes the tickets listed in `ticketIds`.
 */
export const AdminRefund = z
  .strictObject({
    paymentId: z.string().min(1).max(64),
    amount: z.number().int().positive(),
    requestId: z.string().min(8).max(128).describe('Once per form: a double click is one refund.'),
    policy: RefundPolicy.default('keep_visit'),
    ticketIds: z.array(z.string().min(1).max(64)).min(1).max(50).optional().describe('With cancel_tickets: the tickets that stop admitting.'),
  })
  .refine((r) => (r.policy === 'cancel_tickets') === (r.ticketIds !== undefined), {
    message: 'ticketIds go with policy cancel_tickets (and only with it): list the tickets to cancel',
    path: ['ticketIds'],
  });

/** What a finance refund answers. */
export const RefundAnswer = z.object({
  refundId: z.string(),
  paymentId: z.string(),
  amount: z.number().int(),
  bookingId: z.string(),
  /** The booking's state after the request (cancelled when everything left was refunded). */
  bookingState: z.string(),
  policy: RefundPolicy,
});

/** Header names of the simulated provider's webhook signature. */
export const SIMULATED_WEBHOOK_HEADERS = { timestamp: 'x-simpay-timestamp', signature: 'x-simpay-signature' } as const;

/** A webhook body as the simulated provider sends it (the raw bytes are signed). */
export const SimulatedWebhookBody = z
  .object({
    id: z.string().min(1).max(200).describe('The event id: a redelivery carries the same id and is applied once.'),
    type: z.enum(['payment.paid', 'payment.failed', 'payment.pending', 'refund.succeeded']),
    created: z.number().int().nonnegative().describe('Epoch seconds.'),
    data: z.object({
      ref: z.string().min(1).max(128).describe('The provider\'s payment reference (gatewayRef).'),
      merchant_ref: z.string().min(1).max(64).describe('The hub\'s paymentId.'),
      amount: z.number().int().positive().describe('Halalas.'),
      method: PaymentMethod.nullable(),
      refunded: z.number().int().nonnegative(),
      failure: z.string().min(1).max(500).nullable(),
      pending_reason: PendingReason.nullable().optional(),
      refund: z.object({ ref: z.string().min(1).max(128), amount: z.number().int().positive(), idempotency_key: z.string().min(1).max(64) }).optional(),
    }),
  })
  .meta({
    examples: [
      {
        id: 'evt_sim_8f2c_paid',
        type: 'payment.paid',
        created: 1718000000,
        data: { ref: 'sim_8f2c', merchant_ref: 'pay_b1_1', amount: 30000, method: 'card', refunded: 0, failure: null, pending_reason: null },
      },
    ],
  });

/** What the hub answers a webhook delivery. */
export const WebhookOutcome = z.object({ outcome: z.enum(['applied', 'duplicate', 'ignored', 'not_used']), paymentId: z.string().optional(), state: z.string().optional() });

/** The HTTP routes of payments. */
export const PAYMENT_ROUTES = {
  pay: httpRoute({
    method: 'POST',
    path: '/api/bookings/:id/pay',
    params: z.strictObject({ id: Id }),
    body: z.strictObject({ method: PaymentMethod }),
    answer: StartedPayment,
    auth: 'bearer',
    by: 'the booking\'s visitor',
    summary: 'Start (or reopen) paying a booking in awaiting_payment: open redirectUrl in the payer\'s browser.',
    description: 'The outcome arrives by the provider\'s webhook: the booking moves to `confirmed` when the payment is captured, and its tickets follow right after (see GET /api/bookings/{id}/tickets).',
  }),
  webhook: httpRoute({
    method: 'POST',
    path: '/webhooks/payments/:provider',
    params: z.strictObject({ provider: z.string().describe('The configured provider: `simulated` (the default) or `moyasar`.') }),
    body: SimulatedWebhookBody,
    answer: WebhookOutcome,
    auth: 'signature',
    headers: {
      [SIMULATED_WEBHOOK_HEADERS.timestamp]: 'Epoch seconds of signing; refused (payment.stale, 400) more than 5 minutes off either way.',
      [SIMULATED_WEBHOOK_HEADERS.signature]: 'v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with PAYMENT_WEBHOOK_SECRET>; several comma-separated v1= values are accepted (secret rotation). A bad one is payment.signature (401).',
    },
    by: 'the payment provider',
    summary: 'The provider tells the hub what became of a payment or refund (the simulated provider\'s body shown; the raw bytes are signed).',
    description: 'Applied once per event id; 2xx for applied, duplicate and ignored; 409 event.rejected (e.g. a refund before its capture) and 503 are worth the provider\'s retry.',
  }),
  hostedPage: httpRoute({ method: 'GET', path: '/pay/simulated/:ref', params: z.strictObject({ ref: z.string() }), answer: z.string(), produces: ['text/html'], auth: 'none', by: 'the payer\'s browser', summary: 'The simulated provider\'s hosted payment page.' }),
  hostedSubmit: httpRoute({
    method: 'POST',
    path: '/pay/simulated/:ref',
    params: z.strictObject({ ref: z.string() }),
    body: z.record(z.string(), z.string()).describe('The hosted page\'s form fields.'),
    consumes: 'application/x-www-form-urlencoded',
    answer: z.string(),
    status: 303,
    produces: ['text/html'],
    auth: 'none',
    by: 'the payer\'s browser',
    summary: 'The payer\'s choice on the simulated page: settles the test payment, then 303 to the return page.',
  }),
  payReturn: httpRoute({
    method: 'GET',
    path: '/pay/return',
    query: z.strictObject({ payment: z.string().optional(), booking: z.string().optional(), order: z.string().optional().describe('A food order paid during the visit: the page links to /food-orders/{order} instead of the booking.') }),
    answer: z.string(),
    produces: ['text/html'],
    auth: 'none',
    by: 'the payer\'s browser',
    summary: 'Where the provider sends the payer back; links to the booking page, or the food order\'s (the outcome comes by webhook).',
  }),
  refund: httpRoute({ method: 'POST', path: '/api/admin/refunds', body: AdminRefund, answer: RefundAnswer, auth: 'bearer', by: 'finance and super admins', summary: 'Refund part or all of a captured payment (audited; refund.exceeds_capture past what is left).', description: "A booking's payment: the booking applies the policy. A food order's own payment (orderId): once the refund is through the order records it (financeRefundedAmount) and, when it gave back everything left before the food was served, is cancelled (cancelCause finance_refund); the food report shows it (financeRefunded)." }),
  transactions: httpRoute({
    method: 'GET',
    path: '/api/admin/transactions',
    query: z.strictObject({
      since: z.coerce.number().int().nonnegative().optional().describe('Epoch ms: movements at or after it.'),
      limit: z.coerce.number().int().min(1).max(MAX_TRANSACTIONS_PAGE).optional().describe(`Rows, 1–${MAX_TRANSACTIONS_PAGE} (default 100).`),
      bookingId: z.string().min(1).max(64).optional(),
    }),
    answer: z.array(TransactionEntry).describe('Every money movement, oldest first: data is the array itself. Page on with since = the last row\'s at.'),
    auth: 'bearer',
    by: 'finance and super admins',
    summary: 'The transaction log: payments and refunds as movements (halalas), oldest first.',
  }),
} as const;
