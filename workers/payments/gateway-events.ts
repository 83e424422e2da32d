/**
 * One idempotent path from a verified gateway outcome to the payment actor, shared by the
 * webhook intake, the reconciliation job and the payer's return page.
 *
 *   GatewayEvent ──payment id (merchant ref, or index by gateway ref)──▶ payment actor
 *     ──host.send(event, eventId = gateway event id)──▶ applied │ duplicate (same id, same write) │ ignored (state is past it)
 *
 * Because the event id is derived from the provider's payment and status, the same outcome
 * arriving by webhook, by a duplicate delivery and by reconciliation is committed once.
 */
import type { PaymentEvent } from '../../machines/payment.schemas.js';
import type { ActorHost } from '../actors/actor-host.js';
import type { GatewayEvent } from './gateway.js';
import type { PaymentRecords } from './payment-records.js';

/** The payment actor kind. */
export const PAYMENT = 'payment';

/** What applying one gateway event came to. */
export type ApplyOutcome =
  | { kind: 'applied' | 'duplicate' | 'ignored'; paymentId: string; state: string }
  /** No payment of ours has this reference. */
  | { kind: 'unknown'; message: string }
  /** A refund reported before we saw the capture: ask the provider to deliver it again later. */
  | { kind: 'early'; paymentId: string; message: string }
  | { kind: 'invalid'; message: string }
  /** The store could not take it now; the provider should retry. */
  | { kind: 'retry'; code: string; message: string };

/** The payment event a gateway outcome becomes. */
export function toPaymentEvent(event: GatewayEvent, by: string): PaymentEvent | null {
  switch (event.type) {
    case 'pending':
      return event.pendingReason === undefined ? null : { type: 'payment.awaiting', gatewayRef: event.gatewayRef, reason: event.pendingReason, by, at: event.occurredAt };
    case 'captured':
      return {
        type: 'payment.captured',
        gatewayRef: event.gatewayRef,
        amount: event.amount,
        by,
        at: event.occurredAt,
        ...(event.method ? { method: event.method } : {}),
      };
    case 'failed':
      return { type: 'payment.failed', gatewayRef: event.gatewayRef, by, at: event.occurredAt, ...(event.reason ? { reason: event.reason } : {}) };
    case 'refunded':
      return {
        type: 'refund.reported',
        refundedTotal: event.refundedTotal ?? event.amount,
        by,
        at: event.occurredAt,
        ...(event.refundKey ? { refundId: event.refundKey } : {}),
        ...(event.refundRef ? { refundRef: event.refundRef } : {}),
      };
  }
}

function gatewayRefOf(context: unknown): string | undefined {
  const ref = (context as { gatewayRef?: unknown } | null)?.gatewayRef;
  return typeof ref === 'string' ? ref : undefined;
}

/** Applies one verified gateway event to its payment actor, once per event id. */
export async function applyGatewayEvent(
  deps: { host: ActorHost; records: PaymentRecords },
  event: GatewayEvent,
  by: string,
): Promise<ApplyOutcome> {
  const paymentId = event.merchantRef ?? (await deps.records.paymentIdByGatewayRef(event.gatewayRef));
  if (!paymentId) return { kind: 'unknown', message: `no payment has gateway reference ${event.gatewayRef}` };
  const current = await deps.host.read(PAYMENT, paymentId);
  if (!current.ok) {
    return current.code === 'actor.not_found'
      ? { kind: 'unknown', message: `no payment ${paymentId}` }
      : { kind: 'retry', code: current.code, message: current.message };
  }
  const known = gatewayRefOf(current.data.context);
  // A merchant reference is only trusted together with the gateway reference we recorded.
  if (known !== undefined && known !== event.gatewayRef) return { kind: 'unknown', message: `payment ${paymentId} has another gateway reference` };
  if (event.type === 'refunded' && (current.data.state === 'pending' || current.data.state === 'failed')) {
    return { kind: 'early', paymentId, message: `payment ${paymentId} is ${current.data.state}; its capture has not been applied yet` };
  }
  const paymentEvent = toPaymentEvent(event, by);
  if (paymentEvent === null) return { kind: 'invalid', message: `a ${event.type} event without what it waits for` };
  const result = await deps.host.send(PAYMENT, paymentId, paymentEvent, { who: by, eventId: event.eventId });
  if (result.ok) return { kind: result.data.duplicate ? 'duplicate' : 'applied', paymentId, state: result.data.state };
  switch (result.code) {
    case 'event.rejected':
      return { kind: 'ignored', paymentId, state: current.data.state };
    case 'event.invalid':
    case 'event.unknown':
      return { kind: 'invalid', message: result.message };
    case 'actor.not_found':
      return { kind: 'unknown', message: result.message };
    default:
      return { kind: 'retry', code: result.code, message: result.message };
  }
}
