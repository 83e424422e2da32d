/**
 * The payment gateway port: what the checkout, the refund handler, the webhook intake and the
 * reconciliation job need from a hosted-payment provider. Two adapters: the simulated gateway
 * (embedded default) and Moyasar.
 *
 *   createPayment(idempotencyKey) ──▶ {gatewayRef, redirectUrl}   payer goes to the hosted page
 *   provider ──webhook(raw body)──▶ verifyWebhook ──▶ GatewayEvent (deterministic eventId)
 *   reconciliation ──fetchPayment(gatewayRef)──▶ the same GatewayEvent a webhook would carry
 *   refund(idempotencyKey, refundedBefore) ──▶ {refundRef, status}
 *
 * Event ids are derived from the provider's payment and its status (not from one delivery), so a
 * webhook, its retries, its duplicates and a reconciliation fetch of the same outcome all carry
 * one id and the actor host applies it once.
 */
import { z } from 'zod';
import type { Result } from '../../machines/errors.js';
import { PendingReason } from '../../machines/booking.schemas.js';
import { PaymentMethod } from '../../machines/payment.schemas.js';

/** What the checkout asks the provider to open. */
export interface CreatePaymentRequest {
  /** Our payment actor id; providers echo it back as the merchant reference. */
  paymentId: string;
  /** Halalas. */
  amount: number;
  currency: 'SAR';
  /** The payer's preferred method; the hosted page may let them change it. */
  method: PaymentMethod;
  description: string;
  /** Where the payer's browser returns after the hosted page. */
  callbackUrl: string;
  /** Same key, same gateway payment: a retried or concurrent create never opens a second one. */
  idempotencyKey: string;
}

/** The opened gateway payment. */
export interface CreatedPayment {
  gatewayRef: string;
  redirectUrl: string;
}

/** What the refund handler asks for. */
export interface RefundRequest {
  gatewayRef: string;
  amount: number;
  /** Same key, same refund (the refund id, derived from the outbox effect that asked for it). */
  idempotencyKey: string;
  /** Halalas our records say the provider refunded on this payment before this refund. */
  refundedBefore: number;
}

/** How the provider answered a refund. `failed` is final (declined); transport errors are refusals. */
export interface RefundOutcome {
  refundRef: string;
  status: 'succeeded' | 'failed';
  reason?: string;
}

/** One verified outcome reported by the provider. */
export const GatewayEvent = z.object({
  /** Deterministic per outcome (see the header): the actor host's dedupe key. */
  eventId: z.string().min(1).max(200),
  /** `pending`: the provider waits for the payer (3-D Secure, Apple Pay) or the bank. */
  type: z.enum(['pending', 'captured', 'failed', 'refunded']),
  gatewayRef: z.string().min(1).max(128),
  /** Our payment id when the provider echoes it. */
  merchantRef: z.string().min(1).max(64).optional(),
  /** Captured or failed: the payment amount; refunded: this refund's amount when known. */
  amount: z.number().int().nonnegative(),
  /** Refunded: everything refunded on the payment so far. */
  refundedTotal: z.number().int().nonnegative().optional(),
  /** Refunded: our idempotency key (refund id) when the provider echoes it. */
  refundKey: z.string().min(1).max(64).optional(),
  refundRef: z.string().min(1).max(128).optional(),
  method: PaymentMethod.optional(),
  reason: z.string().min(1).max(500).optional(),
  /** Pending: what the payer or the bank still has to do. */
  pendingReason: PendingReason.optional(),
  occurredAt: z.number().int().nonnegative(),
});
export type GatewayEvent = z.infer<typeof GatewayEvent>;

/** The provider's view of one payment, for reconciliation and the payer's return. */
export interface GatewayPaymentState {
  status: 'pending' | 'captured' | 'failed';
  amount: number;
  refunded: number;
  /** The outcome (or, while pending, the wait) as a webhook would carry it (same eventId); null when there is none yet. */
  event: GatewayEvent | null;
}

/** Request headers as node gives them (lower-case names). */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A hosted-payment provider. Every call answers a Result; `payment.gateway` means "try again later". */
export interface PaymentGateway {
  /** Route segment and log name: POST /webhooks/payments/<provider>. */
  readonly provider: string;
  createPayment(request: CreatePaymentRequest): Promise<Result<CreatedPayment>>;
  fetchPayment(gatewayRef: string): Promise<Result<GatewayPaymentState>>;
  refund(request: RefundRequest): Promise<Result<RefundOutcome>>;
  /**
   * Verifies a webhook on its raw body: `payment.signature` (not from the provider),
   * `payment.stale` (outside the time window, either way), `event.invalid` (unreadable).
   * Null means authentic but nothing to apply (an event type we do not use).
   */
  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): Promise<Result<GatewayEvent | null>>;
}

/** The first value of a header, or undefined. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return typeof value === 'string' ? value : value?.[0];
}
