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
import { equipmentDefinition } from '../machines/equipment.machine.js';
import { alertDefinition } from '../machines/alert.machine.js';
import type { AlertService } from './alerts/alert-service.js';
import { createAlertService } from './alerts/alert-service.js';
import type { Feeds } from './projections/feeds.js';
import { createFeeds } from './projections/feeds.js';
import type { Projector } from './projections/projector.js';
import { createProjector } from './projections/projector.js';
import type { ReadModelSpec, ReadModelStore } from './projections/read-model.js';
import { alertsProjection, bookingsProjection, equipmentProjection, lockersProjection, paymentsProjection, ticketsProjection } from './projections/venue-projections.js';
import type { ActorHost } from './actors/actor-host.js';
import { createActorHost } from './actors/actor-host.js';
import type { ChangeBus } from './actors/change-bus.js';
import { createChangeBus } from './actors/change-bus.js';
import type { DurableTimers } from './actors/durable-timers.js';
import { createDurableTimers } from './actors/durable-timers.js';
import type { BookingService, BookingTimings, HoldLimits } from './bookings/booking-service.js';
import { createBookingService } from './bookings/booking-service.js';
import type { Logger } from './logger.js';
import type { EffectHandler, OutboxRelay } from './outbox/outbox-relay.js';
import { createOutboxRelay } from './outbox/outbox-relay.js';
import type { RuntimeObserver } from './runtime-observer.js';
import type { ActorStore } from './store/actor-store.js';
import type { NotificationService, NotificationWiring } from './notifications/notification-service.js';
import { createNotificationService } from './notifications/notification-service.js';
import type { TicketService, TicketWiring } from './tickets/ticket-service.js';
import type { Payments, PaymentsWiring } from './payments/payments.js';
import { createPayments } from './payments/payments.js';
import { createTicketService } from './tickets/ticket-service.js';
import type { FloorAlert } from '../machines/contract/floor-alert.js';
import type { DashboardSummary } from '../machines/contract/wire.js';
import type { EquipmentService } from './equipment/equipment-service.js';
import { createEquipmentService } from './equipment/equipment-service.js';
import { equipmentEffectHandlers } from './equipment/equipment-alerts.js';
import type { LockerService } from './lockers/locker-service.js';
import { createLockerService } from './lockers/locker-service.js';
import type { VisitService } from './visits/visit-service.js';
import { createVisitService, occupancyCounters } from './visits/visit-service.js';
import type { WristbandService } from './wristbands/wristband-service.js';
import { createWristbandService } from './wristbands/wristband-service.js';

/** Every actor kind this build runs. */
export const ACTOR_DEFINITIONS: readonly ActorDefinition[] = [
  bookingDefinition,
  ticketDefinition,
  paymentDefinition,
  lockerDefinition,
  wristbandDefinition,
  equipmentDefinition,
  alertDefinition,
];

export interface RuntimeDeps {
  store: ActorStore;
  jobsBackend: AgendaBackend;
  log: Logger;
  clock?: () => number;
  timings: BookingTimings;
  /** Caps on a visitor's unpaid held places (HOLD_MAX_PLACES_PER_SLOT, HOLD_MAX_PLACES); none when omitted. */
  holdLimits?: HoldLimits;
  timerPollMs: number;
  /** Effect handlers contributed by other services (notifications, tickets, payments). */
  effectHandlers?: Readonly<Record<string, EffectHandler>>;
  /** Leave the relay stopped (tests that simulate a crash before delivery). */
  relay?: boolean;
  /**
   * False on a hub node that leaves background work to a worker process: no outbox relay (effects,
   * notifications), no timer jobs fired here (they are still saved for the worker), no sweepers or
   * payment reconciliation; the node only answers commands. Default true.
   */
  background?: boolean;
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
  /** Venue floor settings (check-out grace, rental length) and where staff alerts go. */
  floor?: FloorWiring;
  /** Told outbox and timer lag (the mains' Prometheus metrics). */
  observer?: RuntimeObserver;
  /** The read side: projections kept in these read models, and the feeds answered from them. */
  readSide?: ReadSideWiring;
}

/** The read models and how the read side runs. */
export interface ReadSideWiring {
  readModels: ReadModelStore;
  /** The venue's time zone (payments and the dashboard count by venue day). */
  timeZone: string;
  /** How often commits of other processes are projected, ms (default 500). */
  pollMs?: number;
  /** The dashboard's counts are published at most this often, ms (default 1,000). */
  summaryEveryMs?: number;
}

/** Venue floor settings. */
export interface FloorWiring {
  /** How long after the last member's exit the visit closes; default 15 minutes. */
  checkoutGraceMs?: number;
  /** How long a rental lasts before it is overdue; default 4 hours. */
  rentalMs?: number;
  /** Staff alerts (double entries, overdue rentals, lockers held at closing); default: logged only. */
  alert?: (alert: FloorAlert) => void;
  /** A locker accepted a band: tell the locker bank of its zone to open the door. */
  unlock?: (unlock: { lockerId: string; bandUid: string; at: number; zone: string }) => void;
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
  /** The venue floor: lockers, wristbands, rental equipment, and visits (occupancy, check-out). */
  readonly lockers: LockerService;
  readonly wristbands: WristbandService;
  readonly equipment: EquipmentService;
  readonly visits: VisitService;
  /** Staff alerts, persisted (raised, acknowledged, resolved). */
  readonly alerts: AlertService;
  /** Present when the read side was wired: the projections and the feeds answered from them. */
  readonly projector: Projector | undefined;
  readonly feeds: Feeds | undefined;
  readonly readModels: ReadModelStore | undefined;
  /** The dashboard's counts, published after the read models moved (at most once a second). */
  readonly summaries: { subscribe(listener: (summary: DashboardSummary) => void): () => void } | undefined;
  /** Finishes in-flight commands, stops jobs and the relay, closes the store. */
  stop(): Promise<void>;
}

/** Wires and starts the actor runtime. */
export async function startRuntime(deps: RuntimeDeps): Promise<Runtime> {
  const clock = deps.clock ?? Date.now;
  const bus = deps.bus ?? createChangeBus((error) => deps.log.error('change listener failed', { error: String(error) }));
  // The host calls back into the timer service and the relay, which need the host: late-bound.
  const late: { timers?: DurableTimers; relay?: OutboxRelay; availability?: AvailabilityFeed } = {};
  const host = createActorHost({
    store: deps.store,
    definitions: ACTOR_DEFINITIONS,
    clock,
    publish: (notice) => bus.publish(notice),
    timersCreated: (due) => late.timers?.mirror(due),
    effectsWritten: () => late.relay?.kick(),
    counters: { ticket: occupancyCounters },
    countersMoved: (names) => {
      for (const name of names) late.availability?.changed(name);
    },
  });
  const availability = createAvailabilityFeed({ ledger: deps.store.ledger, counters: deps.store, clock, log: deps.log });
  late.availability = availability;
  const ledger = availability.observe(deps.store.ledger);
  const bookings = createBookingService({
    host, ledger, clock, timings: deps.timings, log: deps.log, capacityChanged: (slotId) => availability.changed(slotId),
    ...(deps.holdLimits === undefined ? {} : { holdLimits: deps.holdLimits }),
  });
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
  const floorLog = deps.log.child({ part: 'floor' });
  const alerts = createAlertService({ host, clock, log: deps.log.child({ part: 'alerts' }) });
  const pushAlert = deps.floor?.alert ?? ((a: FloorAlert) => floorLog.warn('floor alert', { ...a }));
  // Every floor alert is kept (an alert actor: the dashboard shows it until resolved) and pushed.
  const alert = (a: FloorAlert) => {
    void alerts.raiseFloor(a);
    pushAlert(a);
  };
  const lockers = createLockerService({ host, ledger, clock });
  const wristbands = createWristbandService({ host, ledger, clock });
  const equipment = createEquipmentService({ host, ledger, bands: wristbands, clock, log: floorLog, ...(deps.floor?.rentalMs === undefined ? {} : { rentalMs: deps.floor.rentalMs }) });
  const visits = createVisitService({
    host,
    counters: deps.store,
    checkoutGraceMs: deps.floor?.checkoutGraceMs ?? 15 * 60_000,
    releases: {
      lockers: (bookingId, who) => lockers.releaseBooking(bookingId, who),
      band: async (uid, who) => {
        const gone = await wristbands.deactivate(uid, 'returned', who);
        if (!gone.ok && gone.code !== 'band.inactive') floorLog.warn('band not deactivated at check-out', { uid, code: gone.code, message: gone.message });
      },
      reservations: (bookingId) => equipment.releaseReservations(bookingId),
    },
    onDoubleEntry: (entry, effectId) =>
      alert({
        type: 'double_entry',
        alertId: effectId,
        ticketId: entry.ticketId,
        bookingId: entry.bookingId,
        gateId: entry.gateId,
        at: entry.at,
        state: entry.state,
        ...(entry.previous === undefined ? {} : { previous: { at: entry.previous.at, gateId: entry.previous.gateId } }),
      }),
    clock,
    log: floorLog,
  });
  const relay = createOutboxRelay({
    store: deps.store,
    handlers: {
      ...bookings.effectHandlers,
      ...tickets?.effectHandlers,
      ...notifications?.effectHandlers,
      ...payments?.effectHandlers,
      ...visits.effectHandlers,
      ...equipmentEffectHandlers({ onOverdue: (a) => alert({ type: 'equipment_overdue', ...a }), log: floorLog }),
      'addons.reserve': async (effect) => {
        const bookingId = effect.payload['bookingId'];
        const items = effect.payload['items'];
        if (typeof bookingId !== 'string' || !Array.isArray(items)) return;
        for (const item of items as Array<{ addOnId: string; qty: number }>) {
          const reserved = await equipment.reserve(bookingId, item.addOnId, item.qty);
          // Short or unknown: the visitor is served at the desk from what is there (walk-up).
          if (!reserved.ok) floorLog.warn('rental add-on not reserved', { bookingId, typeId: item.addOnId, qty: item.qty, code: reserved.code, message: reserved.message });
        }
      },
      'addons.release': async (effect) => {
        const bookingId = effect.payload['bookingId'];
        if (typeof bookingId === 'string') await equipment.releaseReservations(bookingId);
      },
      'locker.unlock': async (effect) => {
        const { lockerId, bandUid, at } = effect.payload;
        if (typeof lockerId !== 'string' || typeof bandUid !== 'string' || typeof at !== 'number') return;
        const locker = await host.read('locker', lockerId);
        const zone = locker.ok ? (locker.data.context as { zone?: unknown }).zone : undefined;
        floorLog.info('locker opened', { lockerId, bandUid });
        if (typeof zone === 'string') deps.floor?.unlock?.({ lockerId, bandUid, at, zone });
      },
      ...deps.effectHandlers,
    },
    log: deps.log.child({ part: 'relay' }),
    ...(deps.observer === undefined ? {} : { observer: deps.observer }),
    clock,
  });
  const timers = createDurableTimers({
    backend: deps.jobsBackend,
    store: deps.store,
    host,
    clock,
    log: deps.log.child({ part: 'timers' }),
    pollMs: deps.timerPollMs,
    ...(deps.observer === undefined ? {} : { observer: deps.observer }),
  });
  late.timers = timers;
  late.relay = relay;
  const readSide = deps.readSide && startReadSide(deps.readSide, deps.store, bus, alerts, clock, deps.log.child({ part: 'projections' }));
  await readSide?.projector.start();
  const background = deps.background !== false;
  await timers.start({ processJobs: background });
  if (background && deps.relay !== false) relay.start();
  if (background) payments?.start();
  const orphanHoldMs = deps.orphanHoldMs ?? 60_000;
  const orphanSweep = setInterval(() => {
    bookings.releaseOrphans(orphanHoldMs).catch((error: unknown) => deps.log.error('orphan hold sweep failed', { error: String(error) }));
  }, Math.max(1_000, orphanHoldMs / 2));
  orphanSweep.unref();
  if (!background) clearInterval(orphanSweep);

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
    lockers,
    wristbands,
    equipment,
    visits,
    alerts,
    projector: readSide?.projector,
    feeds: readSide?.feeds,
    summaries: readSide?.summaries,
    readModels: deps.readSide?.readModels,
    async stop() {
      clearInterval(orphanSweep);
      readSide?.stopKicks();
      await readSide?.projector.stop();
      await payments?.stop();
      await timers.stop(); // no new timer events, running ones finish
      await host.idle(); // in-flight commands commit and answer
      await relay.stop();
      await deps.readSide?.readModels.close();
      await deps.store.close();
    },
  };
}

/** Publishes the dashboard's counts at most once per `everyMs`, after the read models moved. */
function createSummaryFeed(feeds: Feeds, everyMs: number, log: Logger) {
  const listeners = new Set<(summary: DashboardSummary) => void>();
  let timer: NodeJS.Timeout | undefined;
  return {
    moved() {
      if (listeners.size === 0) return;
      timer ??= setTimeout(() => {
        timer = undefined;
        feeds.summary().then(
          (summary) => {
            for (const listener of listeners) listener(summary);
          },
          (error: unknown) => log.warn('dashboard counts not published', { error: String(error) }),
        );
      }, everyMs);
      timer.unref();
    },
    subscribe(listener: (summary: DashboardSummary) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop() {
      clearTimeout(timer);
      listeners.clear();
    },
  };
}

/** The venue's projections: one per read model the feeds and lists read. */
function venueReadModels(timeZone: string) {
  return {
    bookings: bookingsProjection,
    payments: paymentsProjection(timeZone),
    tickets: ticketsProjection,
    lockers: lockersProjection,
    equipment: equipmentProjection,
    alerts: alertsProjection,
  };
}

/** Starts projecting (kicked by every commit on this node) and answers feeds from the read models. */
function startReadSide(wiring: ReadSideWiring, store: ActorStore, bus: ChangeBus, alerts: AlertService, clock: () => number, log: Logger) {
  const specs = venueReadModels(wiring.timeZone);
  const all: ReadModelSpec[] = Object.values(specs);
  const projector = createProjector({
    changes: store.changes,
    models: wiring.readModels,
    specs: all,
    log,
    ...(wiring.pollMs === undefined ? {} : { pollMs: wiring.pollMs }),
    onApplied: () => summaries.moved(),
    onFailure: (failure) =>
      void alerts.raise({
        alertId: `projection:${failure.projection}:${failure.seq}`,
        type: 'projection_failed',
        severity: 'critical',
        message: `the ${failure.projection} read model stopped at change ${failure.seq} (${failure.message}); its lists are behind until the node restarts`,
        details: { code: 'projection.failed', ...failure },
      }),
  });
  const stopKicks = bus.subscribe(() => projector.kick());
  const feeds = createFeeds({ changes: store.changes, models: wiring.readModels, projector, specs, timeZone: wiring.timeZone, clock });
  const summaries = createSummaryFeed(feeds, wiring.summaryEveryMs ?? 1_000, log);
  return { projector, feeds, summaries, stopKicks: () => (stopKicks(), summaries.stop()) };
}
