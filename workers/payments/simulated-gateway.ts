/**
 * The simulated gateway: the embedded default adapter of the payment port, behaving like a
 * hosted-payment provider with its own books (simulated-gateway-store), a hosted page
 * (simulated-hosted-page) and signed, retried, sometimes duplicated and reordered webhooks
 * (simulated-webhooks).
 *
 *   createPayment ──▶ simpay_payments (idempotent by key) ──▶ redirectUrl = <pageBaseUrl>/<ref>
 *   payer ──GET page / POST choice──▶ submitHostedPage ──settle once──▶ webhook payment.paid | payment.failed
 *                                        └─ a pending test card / Apple Pay confirm ──▶ webhook payment.pending
 *        3-D Secure, Apple Pay: the page shows the second step ──POST challenge──▶ settle once
 *        the bank: settles by itself at the due time (a sweep every `bankPollMs`, also after a restart)
 *   refund ──▶ simpay_refunds (idempotent by key, never beyond the payment) ──▶ webhook refund.succeeded
 *
 * Event ids are `evt_<payment ref>_paid|failed|pending_<reason>` and `evt_<refund ref>_refunded`: fetchPayment
 * rebuilds the same id, so reconciliation and a late webhook are one event to the intake.
 */
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { PendingReason } from '../../machines/booking.schemas.js';
import { SimulatedWebhookBody } from '../../machines/contract/payments.js';
import type { PaymentMethod } from '../../machines/payment.schemas.js';
import type { Logger } from '../logger.js';
import type { GatewayEvent, PaymentGateway } from './gateway.js';
import { HostedPageSubmission, decideChallenge, decideOutcome, renderHostedPage } from './simulated-hosted-page.js';
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
  /** How long the "bank answers later" test cards stay pending (default 5 s). */
  bankDelayMs?: number;
}

/** The simulated gateway: the port plus the hosted page and the delivery queue. */
export interface SimulatedGateway extends PaymentGateway {
  readonly webhooks: WebhookDispatcher;
  /** The hosted page's HTML for a payment (GET <pageBaseUrl>/<ref>). */
  hostedPage(ref: string): Result<string>;
  /** The payer's choice (POST <pageBaseUrl>/<ref>): settles the payment once and says where the browser goes next. */
  submitHostedPage(ref: string, fields: unknown): Result<{ status: 'paid' | 'failed' | 'pending'; redirectUrl: string }>;
  /** Lets the bank answer every payment pending on it whose answer is due (the sweep does this on its own). */
  answerDueBankPayments(): number;
  close(): void;
}

/** The body the simulated provider signs and sends: the contract's (machines/contract/payments.ts). */
const WebhookBody = SimulatedWebhookBody;

function paymentData(p: SimPayment): Record<string, unknown> {
  // While initiated, `failure` holds the bank's planned answer: never shown before it is given.
  const failure = p.status === 'failed' ? p.failure : null;
  return { ref: p.ref, merchant_ref: p.merchantRef, amount: p.amount, currency: p.currency, method: p.paidMethod, refunded: p.refunded, failure, pending_reason: p.pendingReason };
}

function outcomeEvent(p: SimPayment): GatewayEvent | null {
  const base = { gatewayRef: p.ref, merchantRef: p.merchantRef, amount: p.amount, occurredAt: p.updatedAt };
  if (p.status === 'initiated') {
    return p.pendingReason === null ? null : { ...base, eventId: pendingEventId(p.ref, p.pendingReason), type: 'pending', pendingReason: p.pendingReason };
  }
  return p.status === 'paid'
    ? { ...base, eventId: `evt_${p.ref}_paid`, type: 'captured', ...(p.paidMethod ? { method: p.paidMethod } : {}) }
    : { ...base, eventId: `evt_${p.ref}_failed`, type: 'failed', ...(p.failure ? { reason: p.failure } : {}) };
}

function pendingEventId(ref: string, reason: PendingReason): string {
  return `evt_${ref}_pending_${reason}`;
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

  /** Settles once and tells the merchant; false when it was settled already. */
  function settleAndAnnounce(ref: string, outcome: { status: 'paid' | 'failed'; method: PaymentMethod; failure: string | null }): SimPayment | null {
    const settled = store.settle(ref, outcome, clock());
    const event = settled ? outcomeEvent(settled) : null;
    if (settled && event) announce(settled.status === 'paid' ? 'payment.paid' : 'payment.failed', event.eventId, paymentData(settled));
    return settled;
  }

  function answerDueBankPayments(): number {
    const due = store.dueBankAnswers(clock());
    for (const p of due) {
      const failure = p.failure;
      settleAndAnnounce(p.ref, { status: failure === null ? 'paid' : 'failed', method: p.paidMethod ?? p.method, failure });
    }
    return due.length;
  }
  const bankDelayMs = options.bankDelayMs ?? 5_000;
  const bankSweep = setInterval(() => {
    try {
      answerDueBankPayments();
    } catch (error) {
      options.log.warn('the simulated bank could not answer', { error: String(error) });
    }
  }, Math.max(20, Math.min(1_000, Math.floor(bankDelayMs / 4))));
  bankSweep.unref();

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
      // A pending payment carries its wait (the same event a webhook brought), or nothing yet.
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
      if (type === 'payment.pending') {
        if (!data.pending_reason) return refuse('event.invalid', 'payment.pending without a pending_reason');
        return accept({ ...base, type: 'pending', amount: data.amount, pendingReason: data.pending_reason });
      }
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
      const existing = store.get(ref);
      if (!existing) return refuse('payment.unknown', `no simulated payment ${ref}`);
      if (existing.status !== 'initiated') return refuse('event.rejected', `payment ${ref} is already ${existing.status}`);
      const outcome = existing.pendingReason === null ? decideOutcome(parsed.data) : decideChallenge(existing, parsed.data);
      if (outcome === null) return refuse('event.rejected', `payment ${ref} is waiting for ${existing.pendingReason ?? 'nothing'}`);
      const back = new URL(existing.callbackUrl);
      back.searchParams.set('payment', existing.merchantRef);
      if (outcome.status === 'pending') {
        const bank = outcome.reason === 'bank_processing';
        const wait = { reason: outcome.reason, method: outcome.method, answerDueAt: bank ? clock() + bankDelayMs : null, plannedFailure: outcome.bankDeclines ? 'DECLINED' : null };
        const waiting = store.await(ref, wait, clock());
        if (!waiting) return refuse('event.rejected', `payment ${ref} is already settled or waiting`);
        announce('payment.pending', pendingEventId(ref, outcome.reason), paymentData(waiting));
        // The payer's second step is on this page; the bank's answer comes later, so the payer goes back now.
        if (!bank) return accept({ status: 'pending', redirectUrl: `${options.pageBaseUrl}/${ref}` });
        back.searchParams.set('status', 'pending');
        return accept({ status: 'pending', redirectUrl: back.toString() });
      }
      const settled = settleAndAnnounce(ref, outcome);
      if (!settled) return refuse('event.rejected', `payment ${ref} was settled meanwhile`);
      back.searchParams.set('status', settled.status);
      return accept({ status: outcome.status, redirectUrl: back.toString() });
    },

    answerDueBankPayments,

    close() {
      clearInterval(bankSweep);
      webhooks.stop();
      store.close();
    },
  };
}
