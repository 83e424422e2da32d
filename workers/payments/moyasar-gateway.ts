/**
 * The Moyasar adapter of the payment port (https://docs.moyasar.com), over its REST API with
 * HTTP basic auth (secret key as user name, empty password); amounts are halalas.
 *
 *   createPayment ──POST /v1/invoices {amount, currency, description, success_url, back_url, metadata}──▶ {id, url}
 *                   the invoice is Moyasar's hosted page: the payer picks mada, card or Apple Pay there,
 *                   so no card data ever reaches us (POST /v1/payments would need the raw card or a browser token)
 *   fetchPayment  ──GET /v1/invoices/:id (+ GET /v1/payments/:pid once paid)──▶ status, refunded
 *   refund        ──GET /v1/payments/:pid (already refunded as far as asked? done) ──POST /v1/payments/:pid/refund {amount}
 *   webhook       ──{id, type, created_at, secret_token, live, data: payment}──▶ secret compared in constant time,
 *                   created_at within the window ──▶ GatewayEvent keyed by invoice: `moyasar:<invoice>:paid` …
 *
 * Moyasar webhooks carry a shared secret in the body instead of a signature, and no idempotency
 * key exists for invoices or refunds: creation is made single by our payment actor (one `opened`
 * wins, only its page is shown), and a refund is skipped when the payment's `refunded` total
 * already covers it (refunds of one payment are delivered in order by the outbox relay).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { PaymentMethod } from '../../machines/payment.schemas.js';
import type { Logger } from '../logger.js';
import type { GatewayEvent, GatewayPaymentState, PaymentGateway } from './gateway.js';

/** Keys, endpoint and time windows of the Moyasar adapter. */
export interface MoyasarOptions {
  /** `sk_test_…` or `sk_live_…`. */
  secretKey: string;
  /** The secret token set on the webhook in Moyasar's dashboard. */
  webhookSecret: string;
  /** Default https://api.moyasar.com/v1 (tests point it at a local replay server). */
  baseUrl?: string;
  log: Logger;
  clock?: () => number;
  /** Refuse events dated further in the future than this (default 5 min). */
  futureToleranceMs?: number;
  /** Refuse events older than this; Moyasar retries for hours, so the default is 24 h. */
  maxAgeMs?: number;
  timeoutMs?: number;
}

const Source = z.looseObject({ type: z.string(), company: z.string().nullish(), message: z.string().nullish() });
const MoyasarPayment = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  amount: z.number().int().nonnegative(),
  currency: z.string(),
  refunded: z.number().int().nonnegative().default(0),
  invoice_id: z.string().nullish(),
  updated_at: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  source: Source.nullish(),
});
type MoyasarPayment = z.infer<typeof MoyasarPayment>;
const MoyasarInvoice = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  amount: z.number().int().positive(),
  url: z.string().min(1),
  updated_at: z.string().nullish(),
  payment_id: z.string().nullish(),
  payments: z.array(MoyasarPayment).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});
type MoyasarInvoice = z.infer<typeof MoyasarInvoice>;
const MoyasarWebhook = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  created_at: z.string().min(1),
  secret_token: z.string(),
  live: z.boolean().optional(),
  data: MoyasarPayment,
});

const METADATA_PAYMENT = 'venue_payment_id';

/** A 4xx answer: Moyasar looked at the request and said no (final for that request). */
interface Declined {
  ok: false;
  code: 'declined';
  message: string;
}

function methodOf(source: z.infer<typeof Source> | null | undefined): PaymentMethod | undefined {
  if (!source) return undefined;
  if (source.type === 'applepay') return 'applepay';
  if (source.type === 'creditcard') return source.company === 'mada' ? 'mada' : 'card';
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the secret.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function epoch(iso: string | null | undefined, fallback: number): number {
  const parsed = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : fallback;
}

/** Events of one invoice, keyed so a webhook and a fetch of the same outcome share the id. */
function paymentEvent(invoiceId: string, p: MoyasarPayment, kind: 'paid' | 'failed' | 'refunded', now: number): GatewayEvent {
  const base = {
    gatewayRef: invoiceId,
    occurredAt: epoch(p.updated_at, now),
    ...(p.metadata?.[METADATA_PAYMENT] ? { merchantRef: p.metadata[METADATA_PAYMENT] } : {}),
    ...(methodOf(p.source) ? { method: methodOf(p.source) } : {}),
  };
  if (kind === 'paid') return { ...base, eventId: `moyasar:${invoiceId}:paid`, type: 'captured', amount: p.amount };
  if (kind === 'failed') {
    const reason = p.source?.message ? { reason: p.source.message.slice(0, 500) } : {};
    return { ...base, eventId: `moyasar:${invoiceId}:failed:${p.id}`, type: 'failed', amount: p.amount, ...reason };
  }
  return { ...base, eventId: `moyasar:${invoiceId}:refunded:${p.refunded}`, type: 'refunded', amount: p.refunded, refundedTotal: p.refunded };
}

/** Creates the adapter; it holds no connection, every call is one or two HTTPS requests. */
export function createMoyasarGateway(options: MoyasarOptions): PaymentGateway {
  const baseUrl = (options.baseUrl ?? 'https://api.moyasar.com/v1').replace(/\/$/, '');
  const clock = options.clock ?? Date.now;
  const auth = `Basic ${Buffer.from(`${options.secretKey}:`).toString('base64')}`;
  const futureToleranceMs = options.futureToleranceMs ?? 5 * 60 * 1000;
  const maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;

  /** One API call: 2xx → parsed body; 4xx → the provider's final answer; network and 5xx → retry later. */
  async function call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown): Promise<Result<T> | Declined> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: auth, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      return refuse('payment.gateway', `moyasar ${method} ${path}: ${String(error)}`);
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      return refuse('payment.gateway', `moyasar ${method} ${path}: ${response.status} with a body that is not JSON`);
    }
    if (response.status >= 500 || response.status === 429) return refuse('payment.gateway', `moyasar ${method} ${path}: ${response.status}`);
    if (response.status >= 400) {
      const message = (json as { message?: unknown } | null)?.message;
      if (response.status === 401 || response.status === 403) return refuse('payment.gateway', `moyasar rejected our key: ${String(message ?? response.status)}`);
      if (response.status === 404) return refuse('payment.unknown', `moyasar ${method} ${path}: not found`);
      return { ok: false, code: 'declined', message: `moyasar ${response.status}: ${String(message ?? 'refused')}` };
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return accept(parsed.data);
    return refuse('payment.gateway', `moyasar ${method} ${path}: unexpected response (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  }

  /** The paid payment of an invoice, when there is one. */
  async function paidPayment(invoice: MoyasarInvoice): Promise<Result<MoyasarPayment | null>> {
    const listed = invoice.payments?.find((p) => p.status === 'paid' || p.status === 'refunded');
    const id = invoice.payment_id ?? listed?.id;
    if (!id) return accept(null);
    const fetched = await call('GET', `/payments/${encodeURIComponent(id)}`, MoyasarPayment);
    return fetched.ok ? fetched : fetched.code === 'declined' ? refuse('payment.gateway', fetched.message) : fetched;
  }

  async function invoiceOf(ref: string): Promise<Result<MoyasarInvoice>> {
    const invoice = await call('GET', `/invoices/${encodeURIComponent(ref)}`, MoyasarInvoice);
    return invoice.ok || invoice.code !== 'declined' ? invoice : refuse('payment.gateway', invoice.message);
  }

  return {
    provider: 'moyasar',

    async createPayment(request) {
      const created = await call('POST', '/invoices', MoyasarInvoice, {
        amount: request.amount,
        currency: request.currency,
        description: request.description,
        success_url: request.callbackUrl,
        back_url: request.callbackUrl,
        metadata: { [METADATA_PAYMENT]: request.paymentId, idempotency_key: request.idempotencyKey },
      });
      if (!created.ok) return created.code === 'declined' ? refuse('payment.gateway', created.message) : created;
      return accept({ gatewayRef: created.data.id, redirectUrl: created.data.url });
    },

    async fetchPayment(ref) {
      const invoice = await invoiceOf(ref);
      if (!invoice.ok) return invoice;
      const paid = await paidPayment(invoice.data);
      if (!paid.ok) return paid;
      const now = clock();
      if (paid.data) {
        const state: GatewayPaymentState = { status: 'captured', amount: paid.data.amount, refunded: paid.data.refunded, event: paymentEvent(ref, paid.data, 'paid', now) };
        return accept(state);
      }
      // An invoice stays open after a declined attempt (the payer may try again); only its end fails it.
      if (invoice.data.status === 'expired' || invoice.data.status === 'canceled') {
        const closed: MoyasarPayment = {
          id: `${ref}-${invoice.data.status}`,
          status: 'failed',
          amount: invoice.data.amount,
          currency: 'SAR',
          refunded: 0,
          updated_at: invoice.data.updated_at,
          source: { type: 'invoice', message: `invoice ${invoice.data.status}` },
        };
        return accept({ status: 'failed', amount: invoice.data.amount, refunded: 0, event: paymentEvent(ref, closed, 'failed', now) });
      }
      return accept({ status: 'pending', amount: invoice.data.amount, refunded: 0, event: null });
    },

    async refund(request) {
      const invoice = await invoiceOf(request.gatewayRef);
      if (!invoice.ok) return invoice;
      const paid = await paidPayment(invoice.data);
      if (!paid.ok) return paid;
      if (!paid.data) return accept({ refundRef: `${request.gatewayRef}:unpaid`, status: 'failed', reason: 'invoice has no paid payment' });
      const pid = paid.data.id;
      // No idempotency key for refunds at Moyasar: a retry after a lost answer finds the refund already made.
      if (paid.data.refunded >= request.refundedBefore + request.amount) {
        options.log.info('moyasar refund already made; not asking again', { paymentId: pid, key: request.idempotencyKey });
        return accept({ refundRef: `${pid}:${request.refundedBefore + request.amount}`, status: 'succeeded' });
      }
      const refunded = await call('POST', `/payments/${encodeURIComponent(pid)}/refund`, MoyasarPayment, { amount: request.amount });
      if (!refunded.ok) return refunded.code === 'declined' ? accept({ refundRef: `${pid}:declined`, status: 'failed', reason: refunded.message }) : refunded;
      return accept({ refundRef: `${pid}:${refunded.data.refunded}`, status: 'succeeded' });
    },

    async verifyWebhook(rawBody) {
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return refuse('event.invalid', 'body is not JSON');
      }
      const token = (json as { secret_token?: unknown } | null)?.secret_token;
      if (typeof token !== 'string' || !sameSecret(token, options.webhookSecret)) return refuse('payment.signature', 'secret_token does not match');
      const body = MoyasarWebhook.safeParse(json);
      if (!body.success) return refuse('event.invalid', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const now = clock();
      const created = Date.parse(body.data.created_at);
      if (!Number.isFinite(created)) return refuse('event.invalid', 'created_at is not a date');
      if (created - now > futureToleranceMs) return refuse('payment.stale', 'event dated in the future, outside the window');
      if (now - created > maxAgeMs) return refuse('payment.stale', 'event older than the accepted window');
      const payment = body.data.data;
      const invoiceId = payment.invoice_id ?? payment.id;
      switch (body.data.type) {
        case 'payment_paid':
          return accept(paymentEvent(invoiceId, payment, 'paid', now));
        case 'payment_failed':
          return accept(paymentEvent(invoiceId, payment, 'failed', now));
        case 'payment_refunded':
          return accept(paymentEvent(invoiceId, payment, 'refunded', now));
        default:
          return accept(null); // authorized/captured/voided…: flows we never start
      }
    },
  };
}
