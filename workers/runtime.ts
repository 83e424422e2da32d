/**
 * Composition of everything that runs actors on one node: store, change bus, actor host,
 * outbox relay, durable timers and the booking service, plus the ticket and notification
 * services when the `main` wires them. Called from a `main`; no globals.
 *
 *   store ◀── host ──▶ bus (change notices)
 *     ▲        │ timersCreated ──▶ durable timers (agenda) ──fire──▶ host
 *     │        └ effectsWritten ─▶ relay ──handlers──▶ ledger, notifications, …
 *     └──────── relay / timers / booking service
 */
import type { AgendaBackend } from 'agenda';
import type { AvailabilityFeed } from './fanout/availability.js';
import { createAvailabilityFeed } from './fanout/availability.js';
import type { ActorDefinition } from '../machines/actor-definition.js';
import { bookingDefinition } from '../machines/booking.machine.js';
import { paymentDefinition } from '../machines/payment.machine.js';
import { lockerDefinition } from '../machines/locker.machine.js';
import { ticketDefinition } from '../machines/ticket.machine.js';
import { wristbandDefinition } from '../machines/wristband.machine.js';
import type { ActorHost } from './actors/actor-host.js';
import { createActorHost } from './actors/actor-host.js';
import type { ChangeBus } from './actors/change-bus.js';
import { createChangeBus } from './actors/change-bus.js';
import type { DurableTimers } from './actors/durable-timers.js';
import { createDurableTimers } from './actors/durable-timers.js';
import type { BookingService, BookingTimings } from './bookings/booking-service.js';
import { createBookingService } from './bookings/booking-service.js';
import type { Logger } from './logger.js';
import type { EffectHandler, OutboxRelay } from './outbox/outbox-relay.js';
import { createOutboxRelay } from './outbox/outbox-relay.js';
import type { ActorStore } from './store/actor-store.js';
import type { NotificationService, NotificationWiring } from './notifications/notification-service.js';
import { createNotificationService } from './notifications/notification-service.js';
import type { TicketService, TicketWiring } from './tickets/ticket-service.js';
import type { Payments, PaymentsWiring } from './payments/payments.js';
import { createPayments } from './payments/payments.js';
import { createTicketService } from './tickets/ticket-service.js';

/** Every actor kind this build runs. */
export const ACTOR_DEFINITIONS: readonly ActorDefinition[] = [bookingDefinition, ticketDefinition, paymentDefinition, lockerDefinition, wristbandDefinition];

export interface RuntimeDeps {
  store: ActorStore;
  jobsBackend: AgendaBackend;
  log: Logger;
  clock?: () => number;
  timings: BookingTimings;
  timerPollMs: number;
  /** Effect handlers contributed by other services (notifications, tickets, payments). */
  effectHandlers?: Readonly<Record<string, EffectHandler>>;
  /** Leave the relay stopped (tests that simulate a crash before delivery). */
  relay?: boolean;
  /** A bus the caller already subscribed to, so notices of timers fired during start-up are not missed. */
  bus?: ChangeBus;
  /** How old a hold without a booking must be before it is given back. */
  orphanHoldMs?: number;
  /** Ticket issuing (slot windows, ticket signer); without it tickets.* effects wait in the outbox. */
  tickets?: TicketWiring;
  /** Notification channels and contacts; without it notify effects wait in the outbox. */
  notifications?: NotificationWiring;
  /** Gateway, payment records and return URL; without it payment and refund effects wait in the outbox. */
  payments?: PaymentsWiring;
}

export interface Runtime {
  readonly store: ActorStore;
  readonly bus: ChangeBus;
  readonly host: ActorHost;
  readonly relay: OutboxRelay;
  readonly timers: DurableTimers;
  readonly bookings: BookingService;
  /** Present when `tickets` was wired. */
  readonly tickets: TicketService | undefined;
  /** Present when `notifications` was wired. */
  readonly notifications: NotificationService | undefined;
  /** Publishes slot levels after holds and releases. */
  readonly availability: AvailabilityFeed;
  /** Present when `payments` was wired: checkout, webhook intake, transaction log, reconciliation. */
  readonly payments: Payments | undefined;
  /** Finishes in-flight commands, stops jobs and the relay, closes the store. */
  stop(): Promise<void>;
}

/** Wires and starts the actor runtime. */
export async function startRuntime(deps: RuntimeDeps): Promise<Runtime> {
  const clock = deps.clock ?? Date.now;
  const bus = deps.bus ?? createChangeBus((error) => deps.log.error('change listener failed', { error: String(error) }));
  // The host calls back into the timer service and the relay, which need the host: late-bound.
  const late: { timers?: DurableTimers; relay?: OutboxRelay } = {};
  const host = createActorHost({
    store: deps.store,
    definitions: ACTOR_DEFINITIONS,
    clock,
    publish: (notice) => bus.publish(notice),
    timersCreated: (due) => late.timers?.mirror(due),
    effectsWritten: () => late.relay?.kick(),
  });
  const availability = createAvailabilityFeed({ ledger: deps.store.ledger, clock, log: deps.log });
  const ledger = availability.observe(deps.store.ledger);
  const bookings = createBookingService({ host, ledger, clock, timings: deps.timings, log: deps.log, capacityChanged: (slotId) => availability.changed(slotId) });
  const tickets = deps.tickets && createTicketService({ ...deps.tickets, host, clock, log: deps.log.child({ part: 'tickets' }) });
  const notifications =
    deps.notifications &&
    createNotificationService({
      ...deps.notifications,
      host,
      tickets: tickets ?? null,
      slots: deps.tickets?.slots ?? null,
      clock,
      log: deps.log.child({ part: 'notifications' }),
    });
  const payments =
    deps.payments && createPayments({ ...deps.payments, host, store: { ...deps.store, ledger }, clock, log: deps.log.child({ part: 'payments' }) });
  const relay = createOutboxRelay({
    store: deps.store,
    handlers: {
      ...bookings.effectHandlers,
      ...tickets?.effectHandlers,
      ...notifications?.effectHandlers,
      ...payments?.effectHandlers,
      ...deps.effectHandlers,
    },
    log: deps.log.child({ part: 'relay' }),
  });
  const timers = createDurableTimers({
    backend: deps.jobsBackend,
    store: deps.store,
    host,
    clock,
    log: deps.log.child({ part: 'timers' }),
    pollMs: deps.timerPollMs,
  });
  late.timers = timers;
  late.relay = relay;
  await timers.start();
  if (deps.relay !== false) relay.start();
  payments?.start();
  const orphanHoldMs = deps.orphanHoldMs ?? 60_000;
  const orphanSweep = setInterval(() => {
    bookings.releaseOrphans(orphanHoldMs).catch((error: unknown) => deps.log.error('orphan hold sweep failed', { error: String(error) }));
  }, Math.max(1_000, orphanHoldMs / 2));
  orphanSweep.unref();

  return {
    store: deps.store,
    bus,
    host,
    relay,
    timers,
    bookings,
    availability,
    tickets,
    notifications,
    payments,
    async stop() {
      clearInterval(orphanSweep);
      await payments?.stop();
      await timers.stop(); // no new timer events, running ones finish
      await host.idle(); // in-flight commands commit and answer
      await relay.stop();
      await deps.store.close();
    },
  };
}
