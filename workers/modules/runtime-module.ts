/**
 * The part of a venue module that runs actors: its machines, the counters its commits move, the
 * effects it carries out (each with the zod schema of its payload), its read models and feeds, the
 * service it offers, what it publishes, and its background work. The runtime runs the list it is
 * given (a `main`'s is the venue's one list, `hub/modules/index.ts`); the hub adds each module's
 * routes and policy rows (`hub/modules/venue-module.ts`).
 *
 *   startRuntime(modules, wiring)
 *     machines, counters ──▶ actor host            projections ──▶ projector ──▶ feeds
 *     start(ctx: its own wiring) in list order ──▶ service (later modules ask ctx.service(earlier))
 *                              ──▶ effect handlers, each behind its payload schema ──▶ outbox relay
 *                              ──▶ publishes(publisher)   background start / stop
 *
 * A module reaches the store only through its context, and only the parts a module may use
 * (`ModuleStore`): commits go through the host, and the change log, the outbox and the timers are
 * the runtime's own. Nothing outside a module's folder reaches the store at all; the edge reads
 * access control through `runtime.access` and everything else through module services.
 */
import type { z } from 'zod';
import type { AnyActorDefinition } from '../../machines/actor-definition.js';
import type { FloorAlert } from '../../machines/contract/floor-alert.js';
import type { ActorHost, CounterRule } from '../actors/actor-host.js';
import type { AvailabilityFeed } from '../fanout/availability.js';
import type { Publisher } from '../fanout/outbound.js';
import type { Logger } from '../logger.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';
import type { FeedDefinition } from '../projections/feed-definition.js';
import type { ReadModelSpec } from '../projections/read-model.js';
import type { ActorStore, CapacityLedger } from '../store/actor-store.js';

/** What projections are built from (the venue's time zone dates rows by venue day). */
export interface ProjectionEnv {
  timeZone: string;
}

/**
 * The actor store as a module may use it: the audit log and the revocation list, the capacity
 * ledger itself (defining slots and pools; takes that move places go through `ModuleContext.ledger`),
 * an actor's event log, and the counters commits move. A module's commits go through the host.
 */
export type ModuleStore = Pick<ActorStore, 'audit' | 'revocations' | 'ledger' | 'eventLog' | 'counter'>;

/** What a module starts with: the runtime's core, its own wiring and the services of the modules before it. */
export interface ModuleContext<W = unknown> {
  readonly host: ActorHost;
  /** The capacity ledger; every take and give-back publishes the slot's places. */
  readonly ledger: CapacityLedger;
  /** The parts of the actor store a module may use, for its own reads, audit rows and ledgers. */
  readonly store: ModuleStore;
  readonly availability: AvailabilityFeed;
  readonly clock: () => number;
  readonly log: Logger;
  /**
   * What the module was wired with (`wire(module, wiring)`: a node builds it from the module's own
   * settings and stores, a test passes it); undefined when it runs unwired.
   */
  readonly wiring: W | undefined;
  /** Keeps a staff alert (the dashboard shows it until resolved) and pushes it. */
  alert(alert: FloorAlert): void;
  /** The service of a module earlier in the list; throws when it is not started before this one. */
  service<S>(module: RuntimeModule<S, never>): S;
}

/** What a started module contributes. */
export interface ModuleParts<S> {
  readonly service: S;
  /** Outbox handlers, by effect type; each type needs its payload schema in the module's `effects`. */
  readonly effects?: Readonly<Record<string, EffectHandler>>;
  /** Connects the module's own outbound sources to a publisher; returns the disconnect. */
  readonly publishes?: (publisher: Publisher) => () => void;
  /** Background work (sweepers, reconciliation), started only where background work runs. */
  readonly background?: { start(): void; stop(): Promise<void> | void };
}

/** The runtime part of a venue module: `S` the service it offers, `W` what it is wired with. */
export interface RuntimeModule<S = unknown, W = unknown> {
  /** Unique in the list, e.g. `bookings`. */
  readonly name: string;
  /** The actor kinds it owns. */
  readonly machines?: readonly AnyActorDefinition[];
  /** Counters moved by commits of an actor kind, in the same transaction (e.g. occupancy by tickets). */
  readonly counters?: Readonly<Record<string, CounterRule>>;
  /** The payload schema of every effect type it handles (parsed before its handler runs). */
  readonly effects?: Readonly<Record<string, z.ZodType>>;
  /** Its read models. */
  readonly projections?: (env: ProjectionEnv) => readonly ReadModelSpec[];
  /**
   * Its feeds (snapshot from one of its read models, then every change routed to it), and the
   * changes it adds to feeds others keep (a definition without `rows`).
   */
  readonly feeds?: readonly FeedDefinition[];
  /** Builds the module's service on the runtime's core and its wiring. */
  start(ctx: ModuleContext<W>): ModuleParts<S> | Promise<ModuleParts<S>>;
}

/** One module's wiring, for the runtime (`RuntimeDeps.wiring`). */
export interface ModuleWiring {
  readonly module: string;
  readonly wiring: unknown;
}

/** A module's wiring, checked against what the module takes. */
export function wire<W>(module: RuntimeModule<unknown, W>, wiring: NoInfer<W>): ModuleWiring {
  return { module: module.name, wiring };
}

/** The payload schemas of the effects in a discriminated union of `{type, …payload}` objects, by type. */
export function effectPayloads(union: { options: readonly z.ZodObject[] }, ...types: readonly string[]): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  for (const option of union.options) {
    const literal = option.shape['type'] as z.ZodLiteral | undefined;
    const type = literal?.value;
    if (typeof type !== 'string') continue;
    if (types.length === 0 || types.includes(type)) out[type] = option;
  }
  const missing = types.filter((type) => !(type in out));
  if (missing.length > 0) throw new Error(`no effect ${missing.join(', ')} in the union`);
  return out;
}
