/**
 * Composition of the payments component for one node: checkout service, webhook intake,
 * outbox handlers and the reconciliation job over one gateway and one records store.
 *
 *   hub ──startPayment / requestRefund / listTransactions──▶ service ──▶ host, gateway
 *   hub ──POST /webhooks/payments/<provider>──▶ intake ──▶ applyGatewayEvent ──▶ host
 *   relay ──payment & booking effects──▶ effectHandlers ──▶ host, ledger, gateway, records
 *   interval ──▶ reconciler ──▶ gateway.fetchPayment ──▶ applyGatewayEvent
 *
 * The gateway and the records are opened and closed by the caller (a `main`).
 */
import type { ActorHost } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';
import type { ActorStore } from '../store/actor-store.js';
import type { PaymentGateway } from './gateway.js';
import { applyGatewayEvent } from './gateway-events.js';
import { createPaymentEffectHandlers } from './payment-effects.js';
import type { PaymentRecords } from './payment-records.js';
import { createPaymentService } from './payment-service.js';
import type { PaymentService } from './payment-service.js';
import { createReconciler } from './reconciliation.js';
import type { Reconciler, ReconcilerOptions } from './reconciliation.js';
import { createWebhookIntake } from './webhook-intake.js';
import type { WebhookIntake } from './webhook-intake.js';

/** What a `main` provides to switch payments on. */
export interface PaymentsWiring {
  gateway: PaymentGateway;
  records: PaymentRecords;
  /** Where the payer's browser returns after the hosted page. */
  returnUrl: (paymentId: string) => string;
  reconcile?: ReconcilerOptions;
}

/** The payments component. */
export interface Payments {
  readonly service: PaymentService;
  readonly intake: WebhookIntake;
  readonly reconciler: Reconciler;
  readonly records: PaymentRecords;
  readonly effectHandlers: Readonly<Record<string, EffectHandler>>;
  start(): void;
  stop(): Promise<void>;
}

/** Wires the payments component; nothing runs until `start()`. */
export function createPayments(deps: PaymentsWiring & { host: ActorHost; store: Pick<ActorStore, 'audit' | 'eventLog' | 'ledger'>; clock: () => number; log: Logger }): Payments {
  const apply = (event: Parameters<typeof applyGatewayEvent>[1], by: string) => applyGatewayEvent({ host: deps.host, records: deps.records }, event, by);
  const reconciler = createReconciler({
    ...deps.reconcile,
    records: deps.records,
    gateway: deps.gateway,
    apply,
    clock: deps.clock,
    log: deps.log.child({ part: 'reconcile' }),
  });
  return {
    service: createPaymentService({ host: deps.host, gateway: deps.gateway, records: deps.records, clock: deps.clock, log: deps.log, returnUrl: deps.returnUrl }),
    intake: createWebhookIntake({ gateway: deps.gateway, apply, log: deps.log.child({ part: 'webhooks' }) }),
    reconciler,
    records: deps.records,
    effectHandlers: createPaymentEffectHandlers({
      host: deps.host,
      store: deps.store,
      ledger: deps.store.ledger,
      gateway: deps.gateway,
      records: deps.records,
      clock: deps.clock,
      log: deps.log.child({ part: 'payments' }),
    }),
    start: () => reconciler.start(),
    stop: () => reconciler.stop(),
  };
}
