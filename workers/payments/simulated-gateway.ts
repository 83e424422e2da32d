/**
 * The simulated gateway: the embedded default adapter of the payment port, behaving like a
 * hosted-payment provider with its own books (simulated-gateway-store), a hosted page
 * (simulated-hosted-page) and signed, retried, sometimes duplicated and reordered webhooks
 * (simulated-webhooks).
 *
 *   createPayment ──▶ simpay_payments (idempotent by key) ──▶ redirectUrl = <pageBaseUrl>/<ref>
 *   payer ──GET page / POST choice──▶ submitHostedPage ──settle once──▶ webhook payment.paid | payment.failed
 *   refund ──▶ simpay_refunds (idempotent by key, never beyond the payment) ──▶ webhook refund.succeeded
 *
 * Event ids are `evt_<payment ref>_paid|failed` and `evt_<refund ref>_refunded`: fetchPayment
 * rebuilds the same id, so reconciliation and a late webhook are one event to the intake.
 */
import { z } from 'zod';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import { PaymentMethod } from '../../machines/payment.schemas.js';
import type { Logger } from '../logger.js';
import type { GatewayEvent, PaymentGateway } from './gateway.js';
import { HostedPageSubmission, decideOutcome, renderHostedPage } from './simulated-hosted-page.js';
import { openSimulatedGatewayStore } from './simulated-gateway-store.js';
import type { SimPayment, SimRefund } from './simulated-gateway-store.js';
import { createWebhookDispatcher } from './simulated-webhooks.js';
import type { SimWebhookBody, WebhookDispatcher, WebhookDispatcherOptions } from './simulated-webhooks.js';
import { verifySignature } from './webhook-signature.js';

/** Configuration of the simulated provider. */
export interface SimulatedGatewayOptions {
  /** The SQLite file holding the provider's tables (the embedded store's file is fine). */
  file: string;
  /** Shared secret for webhook signatures. */
  webhookSecret: string;
  /** Secrets still accepted while a new one rolls out. */
  previousSecrets?: readonly string[];
  /** Public base of the hosted page, e.g. `https://venue.example/pay/simulated`. */
  pageBaseUrl: string;
  log: Logger;
  clock?: () => number;
  /** Accepted clock skew of a webhook, either way. */
  toleranceMs?: number;
  /** Delivery faults and target; see simulated-webhooks. */
  webhooks?: Omit<WebhookDispatcherOptions, 'secret' | 'clock' | 'log'>;
}

/** The simulated gateway: the port plus the hosted page and the delivery queue. */
export interface SimulatedGateway extends PaymentGateway {
  readonly webhooks: WebhookDispatcher;
  /** The hosted page's HTML for a payment (GET <pageBaseUrl>/<ref>). */
  hostedPage(ref: string): Result<string>;
  /** The payer's choice (POST <pageBaseUrl>/<ref>): settles the payment once and says where the browser goes next. */
  submitHostedPage(ref: string, fields: unknown): Result<{ status: 'paid' | 'failed'; redirectUrl: string }>;
  close(): void;
}

const WebhookBody = z.object({
  id: z.string().min(1).max(200),
  type: z.enum(['payment.paid', 'payment.failed', 'refund.succeeded']),
  created: z.number().int().nonnegative(),
  data: z.object({
    ref: z.string().min(1).max(128),
    merchant_ref: z.string().min(1).max(64),
    amount: z.number().int().positive(),
    method: PaymentMethod.nullable(),
    refunded: z.number().int().nonnegative(),
    failure: z.string().min(1).max(500).nullable(),
    refund: z.object({ ref: z.string().min(1).max(128), amount: z.number().int().positive(), idempotency_key: z.string().min(1).max(64) }).optional(),
  }),
});

function paymentData(p: SimPayment): Record<string, unknown> {
  return { ref: p.ref, merchant_ref: p.merchantRef, amount: p.amount, currency: p.currency, method: p.paidMethod, refunded: p.refunded, failure: p.failure };
}

function outcomeEvent(p: SimPayment): GatewayEvent | null {
  if (p.status === 'initiated') return null;
  const base = { gatewayRef: p.ref, merchantRef: p.merchantRef, amount: p.amount, occurredAt: p.updatedAt };
  return p.status === 'paid'
    ? { ...base, eventId: `evt_${p.ref}_paid`, type: 'captured', ...(p.paidMethod ? { method: p.paidMethod } : {}) }
    : { ...base, eventId: `evt_${p.ref}_failed`, type: 'failed', ...(p.failure ? { reason: p.failure } : {}) };
}

/** Opens the provider's tables and returns the gateway; deliveries start once a sink is set. */
export function createSimulatedGateway(options: SimulatedGatewayOptions): SimulatedGateway {
  const clock = options.clock ?? Date.now;
  const store = openSimulatedGatewayStore(options.file);
  const webhooks = createWebhookDispatcher({ ...options.webhooks, secret: options.webhookSecret, clock, log: options.log });
  const secrets = [options.webhookSecret, ...(options.previousSecrets ?? [])];

  function announce(type: SimWebhookBody['type'], id: string, data: Record<string, unknown>): void {
    webhooks.enqueue({ id, type, created: Math.floor(clock() / 1000), data });
  }

  function announceRefund(payment: SimPayment, refund: SimRefund): void {
    const data = { ...paymentData(payment), refund: { ref: refund.ref, amount: refund.amount, idempotency_key: refund.idempotencyKey } };
    announce('refund.succeeded', `evt_${refund.ref}_refunded`, data);
  }

  return {
    provider: 'simulated',
    webhooks,

    async createPayment(request) {
      const payment = store.open({
        idempotencyKey: request.idempotencyKey,
        merchantRef: request.paymentId,
        amount: request.amount,
        currency: request.currency,
        method: request.method,
        description: request.description,
        callbackUrl: request.callbackUrl,
        createdAt: clock(),
      });
      if (payment.amount !== request.amount || payment.merchantRef !== request.paymentId) {
        return refuse('input.invalid', `idempotency key ${request.idempotencyKey} was used for another payment`);
      }
      return accept({ gatewayRef: payment.ref, redirectUrl: `${options.pageBaseUrl}/${payment.ref}` });
    },

    async fetchPayment(ref) {
      const payment = store.get(ref);
      if (!payment) return refuse('payment.unknown', `no simulated payment ${ref}`);
      const status = payment.status === 'initiated' ? 'pending' : payment.status === 'paid' ? 'captured' : 'failed';
      return accept({ status, amount: payment.amount, refunded: payment.refunded, event: outcomeEvent(payment) });
    },

    async refund(request) {
      const result = store.refund(request.gatewayRef, request.amount, request.idempotencyKey, clock());
      if (!result) return refuse('payment.unknown', `no simulated payment ${request.gatewayRef}`);
      if (result.created && result.refund.status === 'succeeded') announceRefund(result.payment, result.refund);
      const { refund } = result;
      return accept({ refundRef: refund.ref, status: refund.status, ...(refund.reason ? { reason: refund.reason } : {}) });
    },

    async verifyWebhook(rawBody, headers) {
      const signed = verifySignature(rawBody, headers, { secrets, now: clock(), ...(options.toleranceMs ? { toleranceMs: options.toleranceMs } : {}) });
      if (!signed.ok) return signed;
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return refuse('event.invalid', 'body is not JSON');
      }
      const body = WebhookBody.safeParse(json);
      if (!body.success) return refuse('event.invalid', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const { id, type, created, data } = body.data;
      const base = { eventId: id, gatewayRef: data.ref, merchantRef: data.merchant_ref, occurredAt: created * 1000 };
      if (type === 'payment.paid') return accept({ ...base, type: 'captured', amount: data.amount, ...(data.method ? { method: data.method } : {}) });
      if (type === 'payment.failed') return accept({ ...base, type: 'failed', amount: data.amount, ...(data.failure ? { reason: data.failure } : {}) });
      if (!data.refund) return refuse('event.invalid', 'refund.succeeded without a refund');
      return accept({
        ...base,
        type: 'refunded',
        amount: data.refund.amount,
        refundedTotal: data.refunded,
        refundKey: data.refund.idempotency_key,
        refundRef: data.refund.ref,
      });
    },

    hostedPage(ref) {
      const payment = store.get(ref);
      return payment ? accept(renderHostedPage(payment, `${options.pageBaseUrl}/${ref}`)) : refuse('payment.unknown', `no simulated payment ${ref}`);
    },

    submitHostedPage(ref, fields) {
      const parsed = HostedPageSubmission.safeParse(fields);
      if (!parsed.success) return refuse('input.invalid', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const outcome = decideOutcome(parsed.data);
      const settled = store.settle(ref, outcome, clock());
      if (!settled) {
        const existing = store.get(ref);
        return existing ? refuse('event.rejected', `payment ${ref} is already ${existing.status}`) : refuse('payment.unknown', `no simulated payment ${ref}`);
      }
      const event = outcomeEvent(settled);
      if (event) announce(settled.status === 'paid' ? 'payment.paid' : 'payment.failed', event.eventId, paymentData(settled));
      const back = new URL(settled.callbackUrl);
      back.searchParams.set('payment', settled.merchantRef);
      back.searchParams.set('status', settled.status);
      return accept({ status: outcome.status, redirectUrl: back.toString() });
    },

    close() {
      webhooks.stop();
      store.close();
    },
  };
}
