/**
 * Composition of everything that runs actors on one node: the core (store, change bus, actor
 * host, outbox relay, durable timers, slot places, staff alerts, the read side) and the venue's
 * modules on top of it, started in list order. Called from a `main`; no globals.
 *
 *   store ◀── host ──▶ bus (change notices)
 *     ▲        │ timersCreated ──▶ durable timers (agenda) ──fire──▶ host
 *     │        └ effectsWritten ─▶ relay ──module effect handlers (payload parsed first)──▶ …
 *     └──────── relay / timers / module services
 *
 *   modules: machines + counters ──▶ host · start(ctx) ──▶ services, effects, publications, background
 *            projections + feeds ──▶ projector, feeds
 */
import type { AgendaBackend } from 'agenda';
import type { AvailabilityFeed } from './fanout/availability.js';
import { createAvailabilityFeed } from './fanout/availability.js';
import type { AnyActorDefinition } from '../machines/actor-definition.js';
import { alertDefinition } from '../machines/alert.machine.js';
import type { AlertService } from './alerts/alert-service.js';
import { createAlertService } from './alerts/alert-service.js';
import { dashboardFeed } from './alerts/dashboard-feed.js';
import type { Feeds } from './projections/feeds.js';
import { createFeeds } from './projections/feeds.js';
import type { FeedDefinition } from './projections/feed-definition.js';
import type { Projector } from './projections/projector.js';
import { createProjector } from './projections/projector.js';
import type { ReadModelSpec, ReadModelStore } from './projections/read-model.js';
import { alertsProjection } from './projections/venue-projections.js';
import type { ActorHost, CounterRule } from './actors/actor-host.js';
import { createActorHost } from './actors/actor-host.js';
import type { ChangeBus } from './actors/change-bus.js';
import { createChangeBus } from './actors/change-bus.js';
import type { DurableTimers } from './actors/durable-timers.js';
import { createDurableTimers } from './actors/durable-timers.js';
import type { BookingsModuleService } from './bookings/bookings.module.js';
import { bookingsRuntime } from './bookings/bookings.module.js';
import type { Logger } from './logger.js';
import type { EffectHandler, OutboxRelay } from './outbox/outbox-relay.js';
import { createOutboxRelay } from './outbox/outbox-relay.js';
import type { RuntimeObserver } from './runtime-observer.js';
import type { ActorStore, AuditLog, RevocationList } from './store/actor-store.js';
import type { NotificationsModuleService } from './notifications/notifications.module.js';
import { notificationsRuntime } from './notifications/notifications.module.js';
import type { TicketService } from './tickets/ticket-service.js';
import { ticketsRuntime } from './tickets/tickets.module.js';
import type { Payments } from './payments/payments.js';
import { paymentsRuntime } from './payments/payments.module.js';
import type { FloorAlert } from '../machines/contract/floor-alert.js';
import type { DashboardSummary } from '../machines/contract/wire.js';
import type { EquipmentService } from './equipment/equipment-service.js';
import { equipmentRuntime } from './equipment/equipment.module.js';
import type { LockerService } from './lockers/locker-service.js';
import { lockersRuntime } from './lockers/lockers.module.js';
import type { VisitService } from './visits/visit-service.js';
import { visitsRuntime } from './visits/visits.module.js';
import type { WristbandService } from './wristbands/wristband-service.js';
import { wristbandsRuntime } from './wristbands/wristbands.module.js';
import type { Publisher } from './fanout/outbound.js';
import { publishRuntime } from './fanout/publish-runtime.js';
import type { ModuleContext, ModuleParts, ModuleStore, ModuleWiring, RuntimeModule } from './modules/runtime-module.js';

/** The actor kinds of the core (staff alerts), beside those of the modules. */
const CORE_DEFINITIONS: readonly AnyActorDefinition[] = [alertDefinition];

/** The core's feeds: the dashboard's rows are its alerts. */
const CORE_FEEDS: readonly FeedDefinition[] = [dashboardFeed];

/** Every actor kind a list of modules runs (the core's first). */
export function definitionsOf(modules: readonly RuntimeModule[]): AnyActorDefinition[] {
  const all = [...CORE_DEFINITIONS, ...modules.flatMap((m) => m.machines ?? [])];
  const seen = new Set<string>();
  for (const definition of all) {
    if (seen.has(definition.kind)) throw new Error(`two modules define the actor kind ${definition.kind}`);
    seen.add(definition.kind);
  }
  return all;
}

/** Every feed's definitions a list of modules declares (the core's dashboard first): how changes are placed in feeds. */
export function feedDefinitionsOf(modules: readonly RuntimeModule[]): FeedDefinition[] {
  return [...CORE_FEEDS, ...modules.flatMap((m) => m.feeds ?? [])];
}

/** Every read model a list of modules keeps (the core's alerts first). */
export function projectionsOf(modules: readonly RuntimeModule[], timeZone: string): ReadModelSpec[] {
  const all = [alertsProjection, ...modules.flatMap((m) => m.projections?.({ timeZone }) ?? [])];
  const seen = new Set<string>();
  for (const spec of all) {
    if (seen.has(spec.name)) throw new Error(`two modules keep a read model named ${spec.name}`);
    seen.add(spec.name);
  }
  return all;
}

export interface RuntimeDeps {
  store: ActorStore;
  jobsBackend: AgendaBackend;
  log: Logger;
  clock?: () => number;
  timerPollMs: number;
  /**
   * The modules to run, in start order (a module may use the services of those before it): a
   * `main` passes the venue's one list (`hub/modules/index.ts`), a test the modules it exercises.
   */
  modules: readonly RuntimeModule[];
  /**
   * What each module is wired with (`wire(module, wiring)`): a node builds each from the module's
   * own settings and stores (its node part), a test passes what it needs. A module without one
   * runs unwired (each says what it then does).
   */
  wiring?: readonly ModuleWiring[];
  /** Also told of every staff alert, after it is kept and published; without it each is logged. */
  onAlert?: (alert: FloorAlert) => void;
  /** Extra effect handlers without a module (tests that watch or fail deliveries). */
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

/**
 * What the network edge needs of the store for access control, and nothing more: the revocation
 * list (handshakes, sessions, bearer tokens, `admin:revoke`), the audit log (the audit trail of
 * privileged actions and denied attempts, read by `GET /api/admin/audit`), and a readiness probe.
 */
export interface AccessPort {
  readonly revocations: RevocationList;
  readonly audit: AuditLog;
  /** Resolves once the store answered a trivial read; rejects when it cannot (`/readyz`). */
  probe(): Promise<void>;
}

/**
 * A running runtime. It hands out no actor store: modules reach the parts they may use through
 * their context, the edge reaches access control through `access`; whoever opened the store (a
 * `main`, a test) keeps its own handle.
 */
export interface Runtime {
  /** The store as the edge's access control sees it (revocations, audit log, readiness). */
  readonly access: AccessPort;
  readonly bus: ChangeBus;
  readonly host: ActorHost;
  readonly relay: OutboxRelay;
  readonly timers: DurableTimers;
  /**
   * The services of the venue's own modules, for the edge and tests (a new module's is
   * `service(module)`): each throws when read on a runtime without its module; those marked
   * "present when" are undefined without their wiring or module.
   */
  readonly bookings: BookingsModuleService;
  /** Present when `tickets` was wired. */
  readonly tickets: TicketService | undefined;
  /** Present when `notifications` was wired. */
  readonly notifications: NotificationsModuleService | undefined;
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
  /** Raises a staff alert as modules do (`ModuleContext.alert`): kept, pushed to the dashboard, logged. */
  alert(alert: FloorAlert): void;
  /** Present when the read side was wired: the projections and the feeds answered from them. */
  readonly projector: Projector | undefined;
  readonly feeds: Feeds | undefined;
  readonly readModels: ReadModelStore | undefined;
  /** The dashboard's counts, published after the read models moved (at most once a second). */
  readonly summaries: { subscribe(listener: (summary: DashboardSummary) => void): () => void } | undefined;
  /** The modules running, in start order. */
  readonly modules: readonly RuntimeModule[];
  /** The service a running module offers; throws when the module is not running. */
  service<S>(module: RuntimeModule<S>): S;
  /**
   * Publishes everything this runtime produces (changes, places, occupancy, module publications,
   * counts) until the returned function is called; `changes: false` leaves out the bus, for a
   * caller that subscribed to it before the runtime started (`changePublisher`).
   */
  publishTo(publisher: Publisher, options?: { changes?: boolean }): () => void;
  /** Finishes in-flight commands, stops jobs and the relay, closes the store. */
  stop(): Promise<void>;
}

/** Wires and starts the actor runtime. */
export async function startRuntime(deps: RuntimeDeps): Promise<Runtime> {
  const clock = deps.clock ?? Date.now;
  const { modules } = deps;
  const bus = deps.bus ?? createChangeBus((error) => deps.log.error('change listener failed', { error: String(error) }));
  // The host calls back into the timer service and the relay, which need the host: late-bound.
  const late: { timers?: DurableTimers; relay?: OutboxRelay; availability?: AvailabilityFeed } = {};
  const host = createActorHost({
    store: deps.store,
    definitions: definitionsOf(modules),
    clock,
    publish: (notice) => bus.publish(notice),
    timersCreated: (due) => late.timers?.mirror(due),
    effectsWritten: () => late.relay?.kick(),
    counters: countersOf(modules),
    countersMoved: (names) => {
      for (const name of names) late.availability?.changed(name);
    },
  });
  const availability = createAvailabilityFeed({ ledger: deps.store.ledger, counters: deps.store, clock, log: deps.log });
  late.availability = availability;
  const ledger = availability.observe(deps.store.ledger);
  const floorLog = deps.log.child({ part: 'floor' });
  const alerts = createAlertService({ host, clock, log: deps.log.child({ part: 'alerts' }) });
  const alsoTell = deps.onAlert ?? ((a: FloorAlert) => floorLog.warn('floor alert', { ...a }));
  const alertListeners = new Set<(alert: FloorAlert) => void>();
  // Every floor alert is kept (an alert actor: the dashboard shows it until resolved) and pushed.
  const alert = (a: FloorAlert) => {
    void alerts.raiseFloor(a);
    for (const listener of alertListeners) listener(a);
    alsoTell(a);
  };

  // By name: the hub's modules carry the runtime parts of the venue's own as copies with routes added.
  const started = new Map<string, { module: RuntimeModule; parts: ModuleParts<unknown> }>();
  const service = <S>(module: RuntimeModule<S>): S => {
    const found = started.get(module.name);
    if (found === undefined) throw new Error(`the ${module.name} module is not running here (or is listed after the module that needs it)`);
    return found.parts.service as S;
  };
  const wirings = wiringsOf(modules, deps.wiring ?? []);
  const core = { host, ledger, store: moduleStore(deps.store), availability, clock, log: deps.log, alert, service };
  for (const module of modules) {
    if (started.has(module.name)) throw new Error(`two modules are named ${module.name}`);
    const ctx: ModuleContext = { ...core, wiring: wirings.get(module.name) };
    started.set(module.name, { module, parts: await module.start(ctx) });
  }

  const relay = createOutboxRelay({
    store: deps.store,
    handlers: { ...effectHandlersOf(started, deps.log.child({ part: 'relay' })), ...deps.effectHandlers },
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
  const feedDefinitions = feedDefinitionsOf(modules);
  const readSide =
    deps.readSide && startReadSide(deps.readSide, modules, feedDefinitions, deps.store, bus, alerts, clock, deps.log.child({ part: 'projections' }));
  await readSide?.projector.start();
  const background = deps.background !== false;
  await timers.start({ processJobs: background });
  if (background && deps.relay !== false) relay.start();
  const backgroundWork = [...started.values()].flatMap(({ parts }) => (parts.background === undefined ? [] : [parts.background]));
  if (background) for (const work of backgroundWork) work.start();

  const optional = <S>(module: RuntimeModule<S>): S | undefined => (started.has(module.name) ? service(module) : undefined);
  return {
    access: accessPort(deps.store),
    bus,
    host,
    relay,
    timers,
    // Read when asked: a runtime of fewer modules (a test's) starts without them.
    get bookings() {
      return service(bookingsRuntime);
    },
    availability,
    get tickets() {
      return optional<TicketService | undefined>(ticketsRuntime);
    },
    get notifications() {
      return optional(notificationsRuntime);
    },
    get payments() {
      return optional<Payments | undefined>(paymentsRuntime);
    },
    get lockers() {
      return service<LockerService>(lockersRuntime);
    },
    get wristbands() {
      return service<WristbandService>(wristbandsRuntime);
    },
    get equipment() {
      return service<EquipmentService>(equipmentRuntime);
    },
    get visits() {
      return service<VisitService>(visitsRuntime);
    },
    alerts,
    alert,
    projector: readSide?.projector,
    feeds: readSide?.feeds,
    summaries: readSide?.summaries,
    readModels: deps.readSide?.readModels,
    modules,
    service,
    publishTo(publisher, options = {}) {
      const stops = [
        publishRuntime({ ...(options.changes === false ? {} : { bus, feeds: feedDefinitions }), availability, summaries: readSide?.summaries }, publisher),
        subscribe(alertListeners, (a: FloorAlert) => publisher.publish({ type: 'alert', alert: a })),
        ...[...started.values()].map(({ parts }) => parts.publishes?.(publisher)),
      ];
      return () => {
        for (const stop of stops) stop?.();
      };
    },
    async stop() {
      readSide?.stopKicks();
      await readSide?.projector.stop();
      if (background) for (const work of [...backgroundWork].reverse()) await work.stop();
      await timers.stop(); // no new timer events, running ones finish
      await host.idle(); // in-flight commands commit and answer
      await relay.stop();
      await deps.readSide?.readModels.close();
      await deps.store.close();
    },
  };
}

/** Each module's wiring by name; refuses wiring for a module not in the list, or two for one. */
function wiringsOf(modules: readonly RuntimeModule[], wiring: readonly ModuleWiring[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const { module, wiring: value } of wiring) {
    if (!modules.some((m) => m.name === module)) throw new Error(`wiring for the ${module} module, which is not in the module list`);
    if (out.has(module)) throw new Error(`the ${module} module is wired twice`);
    out.set(module, value);
  }
  return out;
}

/** The parts of the store a module may use (a view: the store itself is not handed out). */
function moduleStore(store: ActorStore): ModuleStore {
  return {
    audit: store.audit,
    revocations: store.revocations,
    ledger: store.ledger,
    eventLog: (kind, id) => store.eventLog(kind, id),
    counter: (name) => store.counter(name),
  };
}

/** The narrow view of the store the edge's access control reads and writes. */
function accessPort(store: ActorStore): AccessPort {
  return {
    revocations: store.revocations,
    audit: store.audit,
    // Any indexed read will do: the level of a slot that never exists.
    probe: async () => void (await store.ledger.level('__readiness__')),
  };
}

/** Adds a listener to a set until the returned function is called. */
function subscribe<T>(listeners: Set<(value: T) => void>, listener: (value: T) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The counters the modules' commits move, by actor kind (one rule per kind). */
function countersOf(modules: readonly RuntimeModule[]): Record<string, CounterRule> {
  const out: Record<string, CounterRule> = {};
  for (const module of modules) {
    for (const [kind, rule] of Object.entries(module.counters ?? {})) {
      if (out[kind] !== undefined) throw new Error(`two modules count commits of ${kind}`);
      out[kind] = rule;
    }
  }
  return out;
}

/**
 * The outbox handlers of the started modules, each behind the payload schema its module declares.
 * A row that does not parse is dropped with an error: retrying cannot make it valid, and holding it
 * would block the actor's later effects.
 */
function effectHandlersOf(started: ReadonlyMap<string, { module: RuntimeModule; parts: ModuleParts<unknown> }>, log: Logger): Record<string, EffectHandler> {
  const out: Record<string, EffectHandler> = {};
  for (const { module, parts } of started.values()) {
    for (const [type, handle] of Object.entries(parts.effects ?? {})) {
      const schema = module.effects?.[type];
      if (schema === undefined) throw new Error(`the ${module.name} module handles ${type} without declaring its payload schema`);
      if (out[type] !== undefined) throw new Error(`two modules handle the effect ${type}`);
      out[type] = async (effect) => {
        const parsed = schema.safeParse({ type: effect.type, ...effect.payload });
        if (!parsed.success) {
          log.error('malformed effect dropped', { code: 'effect.invalid', type, effectId: effect.effectId, module: module.name, error: parsed.error.message });
          return;
        }
        await handle(effect);
      };
    }
  }
  return out;
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

/** Starts projecting (kicked by every commit on this node) and answers feeds from the read models. */
function startReadSide(
  wiring: ReadSideWiring,
  modules: readonly RuntimeModule[],
  feedDefinitions: readonly FeedDefinition[],
  store: ActorStore,
  bus: ChangeBus,
  alerts: AlertService,
  clock: () => number,
  log: Logger,
) {
  const all = projectionsOf(modules, wiring.timeZone);
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
  const stopKicks = bus.subscribe((notice) => projector.kick(notice.kind));
  const feeds = createFeeds({ changes: store.changes, models: wiring.readModels, projector, projections: all, feeds: feedDefinitions, timeZone: wiring.timeZone, clock });
  const summaries = createSummaryFeed(feeds, wiring.summaryEveryMs ?? 1_000, log);
  return { projector, feeds, summaries, stopKicks: () => (stopKicks(), summaries.stop()) };
}
