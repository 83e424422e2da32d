/**
 * A real payments stack for tests: the runtime on a temp SQLite file with real agenda, the
 * simulated gateway on the same file, and a real HTTP server (127.0.0.1:0) mounting the webhook
 * intake at POST /webhooks/payments/simulated the way the hub will. Helpers wait on committed
 * state (change notices), never on sleeps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActorView } from '../actors/actor-host.js';
import type { BookingTimings } from '../bookings/booking-service.js';
import { bookingsRuntime } from '../bookings/bookings.module.js';
import { createLogger, silentLogger } from '../logger.js';
import type { ModuleWiring, RuntimeModule } from '../modules/runtime-module.js';
import { wire } from '../modules/runtime-module.js';
import type { Runtime, RuntimeDeps } from '../runtime.js';
import { startRuntime } from '../runtime.js';
import type { ActorStore } from '../store/actor-store.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { notificationsRuntime } from '../notifications/notifications.module.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import { createSqliteAgendaBackend } from '../timers/sqlite-job-repository.js';
import type { PaymentGateway } from './gateway.js';
import type { PaymentRecords } from './payment-records.js';
import { paymentsRuntime } from './payments.module.js';
import type { ReconcilerOptions } from './reconciliation.js';
import { createSimulatedGateway } from './simulated-gateway.js';
import type { SimulatedGateway } from './simulated-gateway.js';
import type { WebhookDispatcherOptions } from './simulated-webhooks.js';
import { openSqlitePaymentRecords } from './sqlite-payment-records.js';

export const SECRET = 'whsec_test_secret';
// VH_TEST_LOG=debug shows what the runtime logs while a test runs.
const log = process.env['VH_TEST_LOG'] ? createLogger({ level: process.env['VH_TEST_LOG'] === 'debug' ? 'debug' : 'warn' }) : silentLogger;
export const UNIT_PRICE = 5_000;

/** A gateway the stack can close. */
export type ClosableGateway = PaymentGateway & { close(): void; readonly webhooks?: { stop(): void } };

/** Everything a payments test drives. */
export interface PayStack<G extends ClosableGateway = SimulatedGateway> {
  rt: Runtime;
  /** The store the runtime was started on (the runtime hands it to nobody). */
  store: ActorStore;
  gateway: G;
  records: PaymentRecords;
  webhookUrl: string;
  /** Every answer the webhook route gave, in order. */
  answers: Array<{ status: number; code?: string; outcome?: string }>;
  stop(): Promise<void>;
}

export interface StackOptions {
  timings?: BookingTimings;
  /** More modules' wiring (tickets, gates, …) for tests that need those modules too. */
  wiring?: readonly ModuleWiring[];
  webhooks?: Omit<WebhookDispatcherOptions, 'secret' | 'clock' | 'log' | 'sink'>;
  reconcile?: ReconcilerOptions;
  capacity?: number;
  /** The modules the runtime runs; default bookings, tickets, notifications and payments. */
  modules?: readonly RuntimeModule[];
  /** More of the runtime's wiring (a clock, the menu, the read side), given the stack's database file. */
  runtime?: (file: string) => Partial<RuntimeDeps>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the stack on the simulated gateway with one slot `slot_1` of the given capacity. */
export function startPayStack(options: StackOptions = {}): Promise<PayStack> {
  return startStackWith(
    (file, webhookUrl) =>
      createSimulatedGateway({
        file,
        webhookSecret: SECRET,
        pageBaseUrl: 'https://venue.test/pay/simulated',
        bankDelayMs: 200,
        log,
        webhooks: { retryBaseMs: 20, retryMaxMs: 200, ...options.webhooks, sink: { kind: 'url', url: webhookUrl } },
      }),
    options,
  );
}

/** Starts the stack on any gateway; its webhooks go to POST /webhooks/payments/<provider>. */
export async function startStackWith<G extends ClosableGateway>(
  makeGateway: (file: string, webhookUrl: string) => G,
  options: StackOptions = {},
  provider = 'simulated',
): Promise<PayStack<G>> {
  const dir = mkdtempSync(join(tmpdir(), 'vh-pay-'));
  const file = join(dir, 'venue-hub.db');
  const answers: PayStack['answers'] = [];
  const late: { rt?: Runtime } = {};
  const inFlight = new Set<Promise<void>>();
  const server: Server = createServer((req, res) => {
    const handled = (async () => {
      const raw = await readBody(req);
      const intake = late.rt?.payments?.intake;
      if (req.method !== 'POST' || req.url !== `/webhooks/payments/${provider}` || !intake) {
        res.writeHead(404).end();
        return;
      }
      const answer = await intake.handleWebhook(raw, req.headers);
      const body = answer.body;
      answers.push({ status: answer.status, ...(body.ok ? { outcome: body.data.outcome } : { code: body.code }) });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    })().finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/payments/${provider}`;
  const gateway = makeGateway(file, webhookUrl);
  const records = openSqlitePaymentRecords({ file });
  const store = openSqliteActorStore({ file });
  const extra = options.runtime?.(file) ?? {};
  const rt = await startRuntime({
    store,
    jobsBackend: createSqliteAgendaBackend({ file }),
    log,
    timerPollMs: 50,
    modules: options.modules ?? [bookingsRuntime, ticketsRuntime, notificationsRuntime, paymentsRuntime],
    ...extra,
    wiring: [
      wire(bookingsRuntime, { timings: options.timings ?? { holdMs: 60_000, reviewMs: 60_000, paymentMs: 60_000 } }),
      wire(paymentsRuntime, { gateway, records, returnUrl: (id) => `https://venue.test/pay/return?payment=${id}`, ...(options.reconcile ? { reconcile: options.reconcile } : {}) }),
      ...(options.wiring ?? []),
      ...(extra.wiring ?? []),
    ],
  });
  late.rt = rt;
  await store.ledger.defineSlot('slot_1', options.capacity ?? 10);
  return {
    rt,
    store,
    gateway,
    records,
    webhookUrl,
    answers,
    async stop() {
      // Deliveries stop first and answers in flight finish, so nothing reaches a closed store.
      gateway.webhooks?.stop();
      await Promise.all(inFlight);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rt.stop();
      gateway.close();
      await records.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the actor once it is in `state` (now or after a later commit). */
export function until(rt: Runtime, kind: string, id: string, state: string): Promise<{ state: string; context: unknown; version: number }> {
  return new Promise((resolve) => {
    const off = rt.bus.subscribe((n) => {
      if (n.kind === kind && n.id === id && n.state === state) {
        off();
        resolve(n);
      }
    });
    void rt.host.read(kind, id).then((r) => {
      if (r.ok && r.data.state === state) {
        off();
        resolve(r.data);
      }
    });
  });
}

/** Holds `qty` adult places for `vis_1` and submits: the booking waits for payment. */
export async function bookAwaitingPayment(stack: PayStack<ClosableGateway>, bookingId: string, qty = 2, visitorId = 'vis_1'): Promise<void> {
  const held = await stack.rt.bookings.hold(
    { bookingId, visitorId, slotId: 'slot_1', lines: [{ ticketTypeId: 'adult', qty, unitPrice: UNIT_PRICE }], requiresApproval: false },
    `user:${visitorId}`,
  );
  if (!held.ok) throw new Error(`hold ${bookingId}: ${held.code}`);
  const submitted = await stack.rt.host.send('booking', bookingId, { type: 'booking.submit' }, { who: `user:${visitorId}` });
  if (!submitted.ok) throw new Error(`submit ${bookingId}: ${submitted.code}`);
}

/** The gateway reference at the end of a hosted page URL. */
export function refOf(redirectUrl: string): string {
  return redirectUrl.slice(redirectUrl.lastIndexOf('/') + 1);
}

/** Starts the payment and pays on the hosted page with `card`; answers the payment id and ref. */
export async function payWith(stack: PayStack, bookingId: string, card: string, method: 'card' | 'mada' = 'card'): Promise<{ paymentId: string; ref: string }> {
  const started = await stack.rt.payments!.service.startPayment(bookingId, method, 'user:vis_1');
  if (!started.ok) throw new Error(`startPayment ${bookingId}: ${started.code} ${started.message}`);
  const ref = refOf(started.data.redirectUrl);
  const submitted = stack.gateway.submitHostedPage(ref, { method, card_number: card });
  if (!submitted.ok) throw new Error(`submit page ${ref}: ${submitted.code}`);
  return { paymentId: started.data.paymentId, ref };
}

/** Reads an actor's view or throws. */
export async function view(stack: PayStack<ClosableGateway>, kind: string, id: string): Promise<ActorView> {
  const r = await stack.rt.host.read(kind, id);
  if (!r.ok) throw new Error(`${kind} ${id}: ${r.code}`);
  return r.data;
}

/** Pending outbox rows of the given types (effects no handler on this node delivers). */
export async function pendingOf(stack: PayStack<ClosableGateway>, ...types: string[]) {
  return stack.store.pendingEffects(1000, types);
}
