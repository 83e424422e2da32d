/**
 * Everything one node runs besides its network edge, wired from the configuration: stores,
 * the actor runtime (bookings, tickets, notifications), accounts and the catalog. Used by the
 * hub's `main` and by the worker's, so both run the same services the same way.
 *
 *   config ─▶ stores (actors + jobs, accounts, catalog, notifications; one SQLite file or one Mongo db)
 *          ─▶ channels (email: SMTP or local mailbox; SMS: mailbox; Web Push with VAPID)
 *          ─▶ runtime (host, timers, relay) with ticket and notification effect handlers
 *          ─▶ the modules (hub/modules/index.ts), among them accounts (OTP codes sent over the same
 *             channels), the catalog (slots in the ledger) and the gates (scans verified with the
 *             ticket keys, offline bundles of the catalog's slots), built from their stores in the wiring
 *
 * What the runtime and its modules push (in-app alerts, floor alerts, locker unlocks, …) goes to the
 * publisher the hub or the worker connects with `runtime.publishTo` once its fan-out exists.
 */
import { join } from 'node:path';
import type { AccountService } from '../workers/accounts/account-service.js';
import { accountsRuntime } from '../workers/accounts/accounts.module.js';
import { createStoreContactDirectory } from '../workers/accounts/store-contact-directory.js';
import type { AccountsWiring } from '../workers/accounts/accounts.module.js';
import type { AccountStore } from '../workers/accounts/account-store.js';
import { openAccountStore, pepperFile } from '../workers/accounts/open-account-store.js';
import { createSecretHasher, loadOrCreatePepper } from '../workers/accounts/secrets.js';
import type { ChangeBus } from '../workers/actors/change-bus.js';
import type { CatalogService } from '../workers/catalog/catalog-service.js';
import { keepSlotsGenerated } from '../workers/catalog/catalog-service.js';
import { catalogRuntime } from '../workers/catalog/catalog.module.js';
import type { CatalogStore } from '../workers/catalog/catalog-store.js';
import { openCatalogStore } from '../workers/catalog/open-catalog-store.js';
import type { Logger } from '../workers/logger.js';
import type { NotificationChannels } from '../workers/notifications/channels.js';
import { createNotificationChannels } from '../workers/notifications/channels.js';
import type { NotificationStore } from '../workers/notifications/notification-store.js';
import { openNotificationStore } from '../workers/notifications/open-notification-store.js';
import { createOtpSender } from '../workers/notifications/otp-sender.js';
import { linksUnder } from '../workers/notifications/templates.js';
import type { OpenedStores, StoreChoice } from '../workers/open-store.js';
import { openStores, sqliteFile } from '../workers/open-store.js';
import type { PaymentGateway } from '../workers/payments/gateway.js';
import { connectMongoPaymentRecords } from '../workers/payments/mongo-payment-records.js';
import { createMoyasarGateway } from '../workers/payments/moyasar-gateway.js';
import type { PaymentRecords } from '../workers/payments/payment-records.js';
import type { SimulatedGateway } from '../workers/payments/simulated-gateway.js';
import { createSimulatedGateway } from '../workers/payments/simulated-gateway.js';
import { openSqlitePaymentRecords } from '../workers/payments/sqlite-payment-records.js';
import type { Runtime } from '../workers/runtime.js';
import type { ModuleWiring } from '../workers/modules/runtime-module.js';
import { wire } from '../workers/modules/runtime-module.js';
import { bookingsRuntime } from '../workers/bookings/bookings.module.js';
import { equipmentRuntime } from '../workers/equipment/equipment.module.js';
import { foodRuntime } from '../workers/food/food.module.js';
import { gatesRuntime } from '../workers/gates/gates.module.js';
import { notificationsRuntime } from '../workers/notifications/notifications.module.js';
import { paymentsRuntime } from '../workers/payments/payments.module.js';
import { ticketsRuntime } from '../workers/tickets/tickets.module.js';
import { visitsRuntime } from '../workers/visits/visits.module.js';
import type { RuntimeObserver } from '../workers/runtime-observer.js';
import { watchClosingTime } from '../workers/lockers/closing-time.js';
import { startRuntime } from '../workers/runtime.js';
import { catalogSlotWindows } from '../workers/tickets/catalog-slot-windows.js';
import { createTicketTokens } from '../workers/tickets/ticket-token.js';
import type { TicketTokens } from '../workers/tickets/ticket-token.js';
import type { KeyRing } from './auth/keys.js';
import { loadOrCreateKeyRing } from './auth/keys.js';
import type { Config, ModuleSettings } from './config.js';
import type { NodeContext, NodeModule, OpenedPart } from './modules/node-part.js';
import type { VenueModule } from './modules/venue-module.js';

/** The node's message channels (email, SMS, Web Push) and the store of what they sent (the local mailbox). */
export interface NodeMessaging {
  readonly store: NotificationStore;
  readonly channels: NotificationChannels;
}

/** The services of one node. */
export interface NodeServices {
  readonly stores: OpenedStores;
  readonly runtime: Runtime;
  readonly messaging: NodeMessaging;
  /** What a module's node part lends (its stores, keys, settings); throws when the module opened no node part here. */
  lent<L>(module: NodeModule<L>): L;
  readonly accounts: AccountService;
  readonly accountStore: AccountStore;
  readonly catalog: CatalogService;
  readonly catalogStore: CatalogStore;
  readonly notificationStore: NotificationStore;
  readonly channels: NotificationChannels;
  readonly ticketKeys: KeyRing;
  readonly ticketTokens: TicketTokens;
  readonly gateway: PaymentGateway;
  /** The simulated provider (hosted page) when PAYMENT_PROVIDER=simulated. */
  readonly simulatedGateway: SimulatedGateway | undefined;
  readonly paymentRecords: PaymentRecords;

  /** Stops the runtime (in order) and closes every store. */
  stop(): Promise<void>;
}

/** The store choice a configuration makes. */
export function storeChoice(config: Pick<Config, 'STORE' | 'MONGO_URL' | 'DATA_DIR'>): StoreChoice {
  return config.STORE === 'mongo' && config.MONGO_URL !== undefined ? { kind: 'mongo', url: config.MONGO_URL } : { kind: 'sqlite', dataDir: config.DATA_DIR };
}

/** Opens the stores and starts the services of a node. */
export async function startNodeServices(deps: {
  config: Config;
  log: Logger;
  bus?: ChangeBus;
  publicUrl: string;
  /** Told outbox and timer lag (the node's Prometheus metrics). */
  observer?: RuntimeObserver;
  /** A worker always does the background work (relay, timers); a hub node as BACKGROUND_WORK says. */
  role?: 'hub' | 'worker';
  /** The modules the runtime runs, in start order: both mains pass the venue's list (hub/modules/index.ts). */
  modules: readonly VenueModule[];
  /** Each module's parsed settings (`loadConfig` with `envSections(modules)`). */
  settings: ModuleSettings;
}): Promise<NodeServices> {
  const { config, log } = deps;
  const clock = Date.now;
  const choice = storeChoice(config);
  const stores = await openStores(choice);
  const [accountStore, catalogStore, notificationStore] = await Promise.all([openAccountStore(choice), openCatalogStore(choice), openNotificationStore(choice)]);
  const channels = await createNotificationChannels({
    dataDir: config.DATA_DIR,
    store: notificationStore,
    smtpUrl: config.SMTP_URL,
    mailFrom: config.MAIL_FROM,
    smsSender: config.SMS_SENDER,
    vapid: config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY ? { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY } : undefined,
    vapidSubject: config.VAPID_SUBJECT,
    clock,
    log: log.child({ part: 'channels' }),
  });
  const ticketKeys = await loadOrCreateKeyRing({ dataDir: config.DATA_DIR, privateJwks: config.TICKET_PRIVATE_KEYS, purpose: 'ticket' });
  const ticketTokens = createTicketTokens({ keys: ticketKeys, issuer: config.TOKEN_ISSUER });
  const pepper = await loadOrCreatePepper({ file: pepperFile(config.DATA_DIR), configured: config.ACCOUNT_PEPPER });
  const accountsWiring: AccountsWiring = {
    store: accountStore,
    hasher: createSecretHasher(pepper),
    sendOtp: createOtpSender({ email: channels.email, sms: channels.sms, clock }),
    limits: {
      otpTtlMs: config.OTP_TTL_MINUTES * 60_000,
      attemptsPerOtp: config.OTP_ATTEMPTS_PER_CODE,
      failuresPerWindow: config.OTP_FAILURES_PER_HOUR,
      failureWindowMs: 3_600_000,
      lockMs: config.OTP_LOCK_MINUTES * 60_000,
      resendGapMs: config.OTP_RESEND_SECONDS * 1000,
      sendsPerWindow: config.OTP_SENDS_PER_HOUR,
      sendWindowMs: 3_600_000,
      sessionTtlMs: config.REFRESH_TTL_DAYS * 86_400_000,
    },
    linkBase: `${deps.publicUrl}/verify`,
  };

  const payments = await openPayments(config, choice, deps.publicUrl, log);
  const messaging: NodeMessaging = { store: notificationStore, channels };
  const opened = await openNodeParts(deps.modules, deps.settings, { config, store: choice, publicUrl: deps.publicUrl, messaging, clock, log });

  const runtime = await startRuntime({
    store: stores.store,
    jobsBackend: stores.jobsBackend,
    log,
    timerPollMs: config.TIMER_POLL_MS,
    // A worker always does the background work; a hub node leaves it to the worker when told so.
    background: deps.role === 'worker' || config.BACKGROUND_WORK === 'here',
    modules: deps.modules,
    ...(deps.bus === undefined ? {} : { bus: deps.bus }),
    ...(deps.observer === undefined ? {} : { observer: deps.observer }),
    readSide: { readModels: stores.readModels, timeZone: config.VENUE_TIME_ZONE },
    wiring: [
      ...opened.wiring(),
      ...[
      wire(accountsRuntime, accountsWiring),
      wire(catalogRuntime, { store: catalogStore, timeZone: config.VENUE_TIME_ZONE, horizonDays: config.SLOT_HORIZON_DAYS }),
      wire(bookingsRuntime, {
        timings: { holdMs: config.HOLD_MINUTES * 60_000, reviewMs: config.REVIEW_HOURS * 3_600_000, paymentMs: config.PAYMENT_MINUTES * 60_000 },
        holdLimits: { perSlot: config.HOLD_MAX_PLACES_PER_SLOT, total: config.HOLD_MAX_PLACES },
      }),
      wire(ticketsRuntime, { slots: catalogSlotWindows(catalogStore), tokens: ticketTokens }),
      wire(notificationsRuntime, {
        store: notificationStore,
        contacts: createStoreContactDirectory(accountStore),
        email: channels.email,
        sms: channels.sms,
        push: channels.push,
        links: linksUnder(deps.publicUrl),
        timeZone: config.VENUE_TIME_ZONE,
      }),
      wire(paymentsRuntime, {
        gateway: payments.gateway,
        records: payments.records,
        returnUrl: (paymentId) => `${deps.publicUrl}/pay/return?payment=${encodeURIComponent(paymentId)}`,
        reconcile: { afterMs: config.PAYMENT_RECONCILE_AFTER_S * 1000, everyMs: config.PAYMENT_RECONCILE_EVERY_S * 1000 },
      }),
      wire(equipmentRuntime, { rentalMs: config.RENTAL_HOURS * 3_600_000 }),
      wire(visitsRuntime, { checkoutGraceMs: config.CHECKOUT_GRACE_MINUTES * 60_000 }),
      wire(gatesRuntime, {
        tickets: ticketTokens,
        visitorName: async (visitorId) => (await accountStore.users.get(visitorId))?.name,
        offline: { slots: catalogStore.slots, jwks: () => ticketKeys.publicJwks(), issuer: config.TOKEN_ISSUER, timeZone: config.VENUE_TIME_ZONE },
      }),
      wire(foodRuntime, {
        menuStore: catalogStore,
        slots: catalogStore.slots,
        timeZone: config.VENUE_TIME_ZONE,
        settings: { pickupPoint: config.FOOD_PICKUP_POINT, pickupPointAr: config.FOOD_PICKUP_POINT_AR, notCollectedMs: config.FOOD_NOT_COLLECTED_MINUTES * 60_000, kitchenRefundPercent: config.FOOD_KITCHEN_REFUND_PERCENT },
      }),
      ].filter((wiring) => deps.modules.some((m) => m.name === wiring.module)),
    ],
  }).catch(async (error: unknown) => {
    await opened.close();
    throw error;
  });
  const stopStarted = opened.started(runtime);
  const accounts = runtime.service(accountsRuntime);
  if (accounts === undefined) throw new Error('the accounts module started without its wiring');
  const catalog = runtime.service(catalogRuntime);
  if (catalog === undefined) throw new Error('the catalog module started without its wiring');
  const intake = runtime.payments?.intake;
  // The simulated provider delivers its webhooks in-process unless pointed at a URL.
  if (payments.simulated && intake && config.SIMPAY_WEBHOOK_URL === undefined) {
    payments.simulated.webhooks.setSink({ kind: 'inline', deliver: (raw, headers) => intake.handleWebhook(raw, headers) });
  }
  const slotKeeper = keepSlotsGenerated(catalog, clock, log.child({ part: 'catalog' }));
  const closing = watchClosingTime({
    lockers: runtime.lockers,
    closesAt: config.VENUE_CLOSES_AT,
    timeZone: config.VENUE_TIME_ZONE,
    alert: (alert) => runtime.alert(alert),
    clock,
    log: log.child({ part: 'floor' }),
  });

  return {
    stores,
    runtime,
    messaging,
    lent: (module) => opened.lent(module),
    accounts,
    accountStore,
    catalog,
    catalogStore,
    notificationStore,
    channels,
    ticketKeys,
    ticketTokens,
    gateway: payments.gateway,
    simulatedGateway: payments.simulated,
    paymentRecords: payments.records,

    async stop() {
      stopStarted();
      slotKeeper.stop();
      closing.stop();
      await runtime.stop();
      await opened.close();
      payments.simulated?.close();
      await payments.records.close();
      channels.close();
      await Promise.all([accountStore.close(), catalogStore.close(), notificationStore.close()]);
    },
  };
}

/** The node parts the modules of a list opened, in list order. */
interface OpenedParts {
  lent<L>(module: NodeModule<L>): L;
  /** Their runtime wiring. */
  wiring(): ModuleWiring[];
  /** Runs each part's `started` in order; returns the stop of all, in reverse. */
  started(runtime: Runtime): () => void;
  /** Closes each part, in reverse. */
  close(): Promise<void>;
}

/** Opens the node part of each module, in list order (a part may use what the parts before it lend). */
async function openNodeParts(modules: readonly VenueModule[], settings: ModuleSettings, core: Omit<NodeContext, 'lent'>): Promise<OpenedParts> {
  const opened = new Map<string, OpenedPart<unknown, unknown>>();
  const lent = <L>(module: NodeModule<L>): L => {
    const part = opened.get(module.name);
    if (part === undefined) throw new Error(`the ${module.name} module lends nothing here: it has no node part, or is listed after the module that needs it`);
    return part.lends as L;
  };
  const close = async () => {
    for (const part of [...opened.values()].reverse()) await part.close?.();
  };
  try {
    for (const module of modules) {
      if (module.node === undefined) continue;
      if (module.node.settings !== undefined && !settings.has(module.name)) throw new Error(`no settings for the ${module.name} module: load the configuration with envSections(modules)`);
      opened.set(module.name, await module.node.open({ ...core, lent }, settings.get(module.name)));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    lent,
    wiring: () => [...opened].flatMap(([module, part]) => (part.wiring === undefined ? [] : [{ module, wiring: part.wiring }])),
    started(runtime) {
      const stops = [...opened.values()].map((part) => part.started?.(runtime));
      return () => {
        for (const stop of stops.reverse()) stop?.();
      };
    },
    close,
  };
}

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
