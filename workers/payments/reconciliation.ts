/**
 * Reconciliation: repairs webhooks that never arrived (provider outage, our downtime, a queue
 * lost in a crash).
 *
 *   every `everyMs`: records.pendingPayments(created between now - windowMs and now - afterMs)
 *     ──▶ gateway.fetchPayment(ref) ──outcome?──▶ applyGatewayEvent(eventId = the webhook's own id)
 *
 * The fetched outcome carries the same deterministic event id as the webhook, so a webhook that
 * turns up afterwards is a duplicate, and one that came meanwhile makes this a no-op. Payments
 * still pending past the window are left alone (abandoned pages are not polled forever).
 */
import type { Logger } from '../logger.js';
import type { PaymentGateway } from './gateway.js';
import type { ApplyOutcome } from './gateway-events.js';
import type { GatewayEvent } from './gateway.js';
import type { PaymentRecords } from './payment-records.js';

/** When and how much the reconciliation job looks at. */
export interface ReconcilerOptions {
  /** A payment must be pending this long before the gateway is asked (default 10 min). */
  afterMs?: number;
  /** Payments created longer ago than this are not asked about any more (default 24 h). */
  windowMs?: number;
  /** How often the job runs (default 60 s). */
  everyMs?: number;
  /** Payments looked at per run. */
  batch?: number;
}

/** The job's collaborators; `apply` is the same idempotent path the webhook intake uses. */
export interface ReconcilerDeps extends ReconcilerOptions {
  records: PaymentRecords;
  gateway: PaymentGateway;
  apply: (event: GatewayEvent, by: string) => Promise<ApplyOutcome>;
  clock: () => number;
  log: Logger;
}

/** The reconciliation job. */
export interface Reconciler {
  /** One pass; answers how many payments were checked and how many outcomes were applied. */
  reconcile(): Promise<{ checked: number; repaired: number }>;
  start(): void;
  stop(): Promise<void>;
}

/** Creates the job; it runs only after `start()`. */
export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const afterMs = deps.afterMs ?? 10 * 60 * 1000;
  const windowMs = deps.windowMs ?? 24 * 60 * 60 * 1000;
  const everyMs = deps.everyMs ?? 60 * 1000;
  const batch = deps.batch ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function reconcile(): Promise<{ checked: number; repaired: number }> {
    const now = deps.clock();
    const due = await deps.records.pendingPayments({ createdAfter: now - windowMs, createdBefore: now - afterMs, limit: batch });
    let repaired = 0;
    for (const payment of due) {
      if (payment.gatewayRef === null) continue; // never reached the gateway: nobody could have paid
      const state = await deps.gateway.fetchPayment(payment.gatewayRef);
      if (!state.ok) {
        deps.log.warn('reconciliation could not ask the gateway', { paymentId: payment.paymentId, code: state.code, message: state.message });
        continue;
      }
      if (!state.data.event) continue;
      const outcome = await deps.apply(state.data.event, 'reconcile');
      if (outcome.kind === 'applied') {
        repaired++;
        deps.log.warn('reconciliation applied a missed gateway outcome', { paymentId: payment.paymentId, eventId: state.data.event.eventId });
      }
    }
    return { checked: due.length, repaired };
  }

  function tick(): void {
    if (running) return; // a slow pass is not overlapped by the next one
    running = reconcile()
      .catch((error: unknown) => deps.log.error('reconciliation pass failed', { error: String(error) }))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    reconcile,
    start() {
      if (timer) return;
      timer = setInterval(tick, everyMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
