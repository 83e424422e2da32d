/**
 * The payments module on a node: the payment records, and the gateway PAYMENT_PROVIDER names
 * (Moyasar with its keys, or the simulated provider and its hosted page, whose webhooks are signed
 * with PAYMENT_WEBHOOK_SECRET or a secret kept under DATA_DIR/keys). Once the runtime runs, the
 * simulated provider delivers its webhooks to the runtime's intake in-process, unless
 * SIMPAY_WEBHOOK_URL points them elsewhere. It lends the gateway to its routes.
 */
import { join } from 'node:path';
import { loadOrCreatePepper } from '../../../workers/accounts/secrets.js';
import type { Logger } from '../../../workers/logger.js';
import type { StoreChoice } from '../../../workers/open-store.js';
import { sqliteFile } from '../../../workers/open-store.js';
import type { PaymentGateway } from '../../../workers/payments/gateway.js';
import { connectMongoPaymentRecords } from '../../../workers/payments/mongo-payment-records.js';
import { createMoyasarGateway } from '../../../workers/payments/moyasar-gateway.js';
import type { PaymentRecords } from '../../../workers/payments/payment-records.js';
import { paymentsRuntime } from '../../../workers/payments/payments.module.js';
import type { SimulatedGateway } from '../../../workers/payments/simulated-gateway.js';
import { createSimulatedGateway } from '../../../workers/payments/simulated-gateway.js';
import { openSqlitePaymentRecords } from '../../../workers/payments/sqlite-payment-records.js';
import type { Config } from '../../config.js';
import { nodePartOf } from '../node-part.js';

/** What the payments module lends: its gateway, and the simulated provider (hosted page) when it is the one. */
export interface PaymentsLends {
  readonly gateway: PaymentGateway;
  readonly simulated: SimulatedGateway | undefined;
}

export const paymentsNode = nodePartOf(paymentsRuntime, {
  async open({ config, store: choice, publicUrl, log }) {
    const { gateway, simulated, records } = await openPayments(config, choice, publicUrl, log);
    return {
      wiring: {
        gateway,
        records,
        returnUrl: (paymentId) => `${publicUrl}/pay/return?payment=${encodeURIComponent(paymentId)}`,
        reconcile: { afterMs: config.PAYMENT_RECONCILE_AFTER_S * 1000, everyMs: config.PAYMENT_RECONCILE_EVERY_S * 1000 },
      },
      lends: { gateway, simulated } satisfies PaymentsLends,
      started(runtime) {
        const intake = runtime.payments?.intake;
        // The simulated provider delivers its webhooks in-process unless pointed at a URL.
        if (simulated && intake && config.SIMPAY_WEBHOOK_URL === undefined) {
          simulated.webhooks.setSink({ kind: 'inline', deliver: (raw, headers) => intake.handleWebhook(raw, headers) });
        }
        return undefined;
      },
      async close() {
        simulated?.close();
        await records.close();
      },
    };
  },
});

/** The payment gateway (simulated or Moyasar) and the payment records of a node. */
async function openPayments(
  config: Config,
  choice: StoreChoice,
  publicUrl: string,
  log: Logger,
): Promise<{ gateway: PaymentGateway; simulated: SimulatedGateway | undefined; records: PaymentRecords }> {
  const records = choice.kind === 'sqlite' ? openSqlitePaymentRecords({ file: sqliteFile(choice.dataDir) }) : await connectMongoPaymentRecords({ url: choice.url });
  const paymentLog = log.child({ part: 'gateway' });
  if (config.PAYMENT_PROVIDER === 'moyasar' && config.MOYASAR_SECRET_KEY && config.MOYASAR_WEBHOOK_TOKEN) {
    const gateway = createMoyasarGateway({
      secretKey: config.MOYASAR_SECRET_KEY,
      webhookSecret: config.MOYASAR_WEBHOOK_TOKEN,
      ...(config.MOYASAR_BASE_URL === undefined ? {} : { baseUrl: config.MOYASAR_BASE_URL }),
      log: paymentLog,
    });
    return { gateway, simulated: undefined, records };
  }
  // The simulator signs its webhooks with a secret kept in the data directory unless configured.
  const webhookSecret =
    config.PAYMENT_WEBHOOK_SECRET ?? (await loadOrCreatePepper({ file: join(config.DATA_DIR, 'keys', 'payment-webhook-secret') })).toString('base64url');
  const simulated = createSimulatedGateway({
    file: choice.kind === 'sqlite' ? sqliteFile(choice.dataDir) : join(config.DATA_DIR, 'simulated-gateway.db'),
    webhookSecret,
    pageBaseUrl: `${publicUrl}/pay/simulated`,
    toleranceMs: config.PAYMENT_WEBHOOK_TOLERANCE_S * 1000,
    bankDelayMs: config.SIMPAY_BANK_DELAY_MS,
    log: paymentLog,
    webhooks: {
      duplicateProbability: config.SIMPAY_DUPLICATE_PERCENT / 100,
      jitterMs: config.SIMPAY_JITTER_MS,
      ...(config.SIMPAY_WEBHOOK_URL === undefined ? {} : { sink: { kind: 'url' as const, url: config.SIMPAY_WEBHOOK_URL } }),
    },
  });
  return { gateway: simulated, simulated, records };
}
