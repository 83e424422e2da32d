/**
 * The webhook intake the hub mounts on POST /webhooks/payments/<provider>.
 *
 *   raw body + headers ──size──▶ gateway.verifyWebhook (signature on the RAW bytes, constant time;
 *                                   timestamp window both ways) ──▶ zod GatewayEvent
 *     ──▶ applyGatewayEvent (payment actor, eventId = gateway event id, dedupe in the same write)
 *
 *   200 applied / duplicate / ignored (already past it)     400 event.invalid, payment.stale
 *   401 payment.signature      404 payment.unknown      409 event.rejected (refund before capture: retry later),
 *   413 message.too_large      500 internal               store.conflict (retry)      503 store.unavailable (retry)
 *
 * Every status is the code's in machines/contract/error-status.ts.
 *
 * A refusal writes nothing. Providers retry every non-2xx, so only answers that may succeed
 * later (409, 503) are worth their retries; the others are final for that delivery.
 */
import { statusOf } from '../../machines/contract/error-status.js';
import type { ErrorCode } from '../../machines/errors.js';
import type { Logger } from '../logger.js';
import { GatewayEvent } from './gateway.js';
import type { PaymentGateway, WebhookHeaders } from './gateway.js';
import type { ApplyOutcome } from './gateway-events.js';

/** What the hub writes back: the status and a JSON body. */
export interface WebhookResponse {
  status: number;
  body: { ok: true; data: { outcome: string; paymentId?: string; state?: string } } | { ok: false; code: ErrorCode; message: string };
}

/** The intake of one provider's webhooks. */
export interface WebhookIntake {
  handleWebhook(rawBody: Buffer, headers: WebhookHeaders): Promise<WebhookResponse>;
}

/** The gateway that verifies, and the path that applies. */
export interface WebhookIntakeDeps {
  gateway: PaymentGateway;
  apply: (event: GatewayEvent, by: string) => Promise<ApplyOutcome>;
  log: Logger;
  /** Largest body accepted; providers send a few KiB. */
  maxBytes?: number;
}

function refusal(code: ErrorCode, message: string): WebhookResponse {
  return { status: statusOf(code), body: { ok: false, code, message } };
}

/** Creates the intake for one gateway. */
export function createWebhookIntake(deps: WebhookIntakeDeps): WebhookIntake {
  const maxBytes = deps.maxBytes ?? 64 * 1024;
  const by = `gateway:${deps.gateway.provider}`;

  return {
    async handleWebhook(rawBody, headers) {
      if (rawBody.length > maxBytes) return refusal('message.too_large', `webhook body over ${maxBytes} bytes`);
      const verified = await deps.gateway.verifyWebhook(rawBody, headers);
      if (!verified.ok) {
        deps.log.warn('webhook refused', { provider: deps.gateway.provider, code: verified.code, message: verified.message });
        return refusal(verified.code, verified.message);
      }
      if (verified.data === null) return { status: 200, body: { ok: true, data: { outcome: 'not_used' } } };
      // The adapter built it, but this is the trust boundary: parse before anything is applied.
      const event = GatewayEvent.safeParse(verified.data);
      if (!event.success) return refusal('event.invalid', event.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      let outcome: ApplyOutcome;
      try {
        outcome = await deps.apply(event.data, by);
      } catch (error) {
        // Unexpected (store gone, bug): nothing was committed, so the provider's retry is safe.
        deps.log.error('webhook could not be applied', { eventId: event.data.eventId, error: String(error) });
        return refusal('internal', 'the event could not be applied; retry later');
      }
      switch (outcome.kind) {
        case 'applied':
        case 'duplicate':
        case 'ignored':
          deps.log.info('webhook', { provider: deps.gateway.provider, eventId: event.data.eventId, outcome: outcome.kind, paymentId: outcome.paymentId });
          return { status: 200, body: { ok: true, data: { outcome: outcome.kind, paymentId: outcome.paymentId, state: outcome.state } } };
        case 'unknown':
          deps.log.warn('webhook for an unknown payment', { provider: deps.gateway.provider, eventId: event.data.eventId, message: outcome.message });
          return refusal('payment.unknown', outcome.message);
        case 'early':
          return refusal('event.rejected', outcome.message);
        case 'invalid':
          return refusal('event.invalid', outcome.message);
        case 'retry':
          deps.log.warn('webhook not applied; provider will retry', { eventId: event.data.eventId, code: outcome.code });
          return refusal(outcome.code === 'store.conflict' ? 'store.conflict' : 'store.unavailable', outcome.message);
      }
    },
  };
}
