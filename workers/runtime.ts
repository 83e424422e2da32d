/**
 * Composition of everything that runs actors on one node: store, change bus, actor host,
 * outbox relay, durable timers and the booking service. Called from a `main`; no globals.
 *
 *   store ◀── host ──▶ bus (change notices)
 *     ▲        │ timersCreated ──▶ durable timers (agenda) ──fire──▶ host
 *     │        └ effectsWritten ─▶ relay ──handlers──▶ ledger, notifications, …
 *     └──────── relay / timers / booking service
 */
import type { AgendaBackend } from 'agenda';
import type { ActorDefinition } from '../machines/actor-definition.js';
import { bookingDefinition } from '../machines/booking.machine.js';
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

/** Every actor kind this build runs. */
export const ACTOR_DEFINITIONS: readonly ActorDefinition[] = [bookingDefinition];

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
}

export interface Runtime {
  readonly store: ActorStore;
  readonly bus: ChangeBus;
  readonly host: ActorHost;
  readonly relay: OutboxRelay;
  readonly timers: DurableTimers;
  readonly bookings: BookingService;
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
  const bookings = createBookingService({ host, ledger: deps.store.ledger, clock, timings: deps.timings, log: deps.log });
  const relay = createOutboxRelay({
    store: deps.store,
    handlers: { ...bookings.effectHandlers, ...deps.effectHandlers },
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
    async stop() {
      clearInterval(orphanSweep);
      await timers.stop(); // no new timer events, running ones finish
      await host.idle(); // in-flight commands commit and answer
      await relay.stop();
      await deps.store.close();
    },
  };
}
