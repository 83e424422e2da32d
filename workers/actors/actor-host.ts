/**
 * The actor host: one command in, one atomic commit, then the answer.
 *
 *   send(kind, id, event) ─▶ mailbox[kind/id] ─▶ load ─▶ restore ─▶ can(event)? ──no──▶ event.rejected (nothing written)
 *                                                                    │yes
 *                                     transition() ─▶ commit(CAS version, eventId, log, effects, timers)
 *                                                       │conflict: reload and re-apply (bounded)
 *                                                       │duplicate: answer with the current state
 *                                                       ▼committed
 *                                     publish change notice, hand new timers to the timer service, kick the relay, ack
 *
 * The machine is never kept alive between commands; the store is the source of truth.
 */
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { ActorDefinition, AnyActorDefinition, TypedActorView, ViewOf } from '../../machines/actor-definition.js';
import { CodedError, accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { ActorStore, ChangeView, CommitRequest, DueTimer, EffectRow, OmitEffects, TimerRecord } from '../store/actor-store.js';
import type { ChangeNotice } from './change-bus.js';
import { createMailbox } from './mailbox.js';
import type { CachedActor } from './snapshot-cache.js';
import { createSnapshotCache } from './snapshot-cache.js';
import type { StepOutcome } from './pure-step.js';
import { eventStep, initialStep, restore, stateName } from './pure-step.js';

/** Who asked, and the caller's idempotency key for the command (webhook event id, client nonce). */
export interface CommandMeta {
  who: string;
  eventId?: string | null;
  /**
   * Effects of the commit to leave out while another actor is still at the version the caller
   * read (the store checks it inside the commit; see CommitRequest.omitEffects).
   */
  omitEffects?: OmitEffects;
}

/** The current state of one actor as callers and subscribers see it (untyped: any kind). */
export type ActorView = TypedActorView;

export interface ActorHostDeps {
  store: ActorStore;
  definitions: readonly ActorDefinition[];
  clock: () => number;
  /** Called after every commit with the change notice (in-process bus). */
  publish: (notice: ChangeNotice) => void;
  /** Called after a commit that created or replaced timers, so they can be mirrored as jobs. */
  timersCreated?: (timers: DueTimer[]) => void;
  /** Called after a commit that wrote outbox rows. */
  effectsWritten?: () => void;
  /**
   * Counts a transition moves, by actor kind (occupancy: a ticket going in or out), written in the
   * same commit so a committed transition counts exactly once; `countersMoved` hears of them after.
   */
  counters?: Readonly<Record<string, CounterRule>>;
  countersMoved?: (names: readonly string[]) => void;
  /** How many restored snapshots this node keeps (a stale one costs one conflict, never a wrong answer). */
  cacheSize?: number;
  /** How many times a version conflict is reloaded and re-applied before giving up. */
  maxConflictRetries?: number;
}

/** The counter deltas of one transition (`before` is null on creation); empty when it moves none. */
export type CounterRule = (before: AnyMachineSnapshot | null, after: AnyMachineSnapshot) => Record<string, number>;

export interface ActorHost {
  create(kind: string, id: string, input: unknown, meta: CommandMeta): Promise<Result<ActorView>>;
  send(kind: string, id: string, event: unknown, meta: CommandMeta): Promise<Result<ActorView>>;
  /** Delivers a durable timer; a timer whose generation no longer matches is a no-op. */
  fireTimer(timer: Pick<DueTimer, 'kind' | 'id' | 'key' | 'gen'>): Promise<Result<ActorView | null>>;
  /** The typed view of one actor: `read(bookingDefinition, id)` answers a booking's context, state and tags. */
  read<D extends AnyActorDefinition>(definition: D, id: string): Promise<Result<ViewOf<D>>>;
  /** The view of one actor of any kind, by kind name (the socket edge's generic reads). */
  read(kind: string, id: string): Promise<Result<ActorView>>;
  /** Resolves when no command is in flight (used by graceful drain). */
  idle(): Promise<void>;
}

const ACTOR_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Creates an actor host over a store and a fixed set of actor definitions. */
export function createActorHost(deps: ActorHostDeps): ActorHost {
  const defs = new Map(deps.definitions.map((d) => [d.kind, d]));
  const mailbox = createMailbox();
  const cache = createSnapshotCache(deps.cacheSize ?? 10_000);
  const maxRetries = deps.maxConflictRetries ?? 20;

  function definition(kind: string): ActorDefinition | Result<never> {
    const def = defs.get(kind);
    return def ?? refuse('actor.kind_unknown', `no actor kind '${kind}'`);
  }

  function view(kind: string, id: string, version: number, snapshot: AnyMachineSnapshot, timers: Record<string, TimerRecord>): ActorView {
    return { kind, id, version, context: snapshot.context, ...changeView(snapshot, timers) };
  }

  async function commitStep(
    def: ActorDefinition,
    id: string,
    previousVersion: number,
    step: StepOutcome,
    event: EventObject,
    meta: CommandMeta,
    before: AnyMachineSnapshot | null,
    now: number,
  ): Promise<Result<ActorView> | 'conflict' | 'duplicate'> {
    const version = previousVersion + 1;
    const from = before === null ? null : stateName(before.value);
    const counters = deps.counters?.[def.kind]?.(before, step.next);
    const moved = counters === undefined ? [] : Object.keys(counters).filter((name) => counters[name] !== 0);
    const effects: EffectRow[] = step.effects.map((e, index) => ({
      effectId: `${def.kind}/${id}@${version}#${index}`,
      kind: def.kind,
      actorId: id,
      version,
      index,
      type: e.type,
      payload: e.payload,
      createdAt: now,
    }));
    const to = stateName(step.next.value);
    const request: CommitRequest = {
      kind: def.kind,
      id,
      expectedVersion: previousVersion,
      machineVersion: def.version,
      state: step.persisted,
      timers: step.timers,
      eventId: meta.eventId ?? null,
      log: { kind: def.kind, id, version, eventId: meta.eventId ?? null, eventType: event.type, who: meta.who, at: now, from, to },
      effects,
      view: changeView(step.next, step.timers),
      at: now,
      ...(moved.length > 0 ? { counters } : {}),
      ...(meta.omitEffects === undefined || effects.length === 0 ? {} : { omitEffects: meta.omitEffects }),
    };
    const key = `${def.kind}/${id}`;
    const result = await deps.store.commit(request);
    if (result.status !== 'committed') {
      cache.delete(key);
      return result.status;
    }
    cache.set(key, { version: result.version, snapshot: step.next, persisted: step.persisted, timers: step.timers });
    const answer = view(def.kind, id, result.version, step.next, step.timers);
    deps.publish({ ...answer, from, eventType: event.type, at: now, cursor: result.seq });
    const fresh = Object.entries(step.timers)
      .filter(([, t]) => t.gen === version)
      .map(([key, t]) => ({ kind: def.kind, id, key, gen: t.gen, dueAt: t.dueAt }));
    if (fresh.length > 0) deps.timersCreated?.(fresh);
    if (effects.length > (result.omittedEffects ?? 0)) deps.effectsWritten?.();
    if (moved.length > 0) deps.countersMoved?.(moved);
    return accept(answer);
  }

  async function currentView(def: ActorDefinition, id: string, duplicate: boolean): Promise<Result<ActorView>> {
    const record = await deps.store.load(def.kind, id);
    if (!record) return refuse('actor.not_found', `${def.kind} ${id} does not exist`);
    const snapshot = restore(def, record);
    return accept({ ...view(def.kind, id, record.version, snapshot, record.timers), ...(duplicate ? { duplicate } : {}) });
  }

  async function wasApplied(def: ActorDefinition, id: string, eventId: string | null | undefined): Promise<boolean> {
    if (!eventId) return false;
    return deps.store.applied(def.kind, id, eventId);
  }

  /**
   * A read: the cached snapshot when the store still holds its version (one indexed lookup; another
   * node or process may have committed since), else a load that is parsed, validated and cached.
   */
  async function readView(def: ActorDefinition, id: string): Promise<Result<ActorView>> {
    const hit = cache.get(`${def.kind}/${id}`);
    if (hit && (await deps.store.version(def.kind, id)) === hit.version) return accept(view(def.kind, id, hit.version, hit.snapshot, hit.timers));
    const actor = await loadActor(def, id, true);
    if (!actor) return refuse('actor.not_found', `${def.kind} ${id} does not exist`);
    return accept(view(def.kind, id, actor.version, actor.snapshot, actor.timers));
  }

  /** Runs one command with conflict retries; CodedErrors become refusals. */
  async function guarded<T>(work: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof CodedError) return refuse(error.code, error.message);
      throw error;
    }
  }

  /** The actor from this node's cache, or from the store when `fresh` or not cached. */
  async function loadActor(def: ActorDefinition, id: string, fresh: boolean): Promise<CachedActor | null> {
    const key = `${def.kind}/${id}`;
    if (!fresh) {
      const hit = cache.get(key);
      if (hit) return hit;
    }
    const record = await deps.store.load(def.kind, id);
    if (!record) {
      cache.delete(key);
      return null;
    }
    const loaded = { version: record.version, snapshot: restore(def, record), persisted: record.state, timers: record.timers };
    cache.set(key, loaded);
    return loaded;
  }

  async function applyEvent(
    def: ActorDefinition,
    id: string,
    event: EventObject,
    meta: CommandMeta,
    timerKey?: { key: string; gen: number },
  ): Promise<Result<ActorView | null>> {
    // Timers are rare and must see the latest generation: always read them from the store.
    let fresh = timerKey !== undefined;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      const actor = await loadActor(def, id, fresh);
      if (!actor) return refuse('actor.not_found', `${def.kind} ${id} does not exist`);
      const { snapshot } = actor;
      const timers = { ...actor.timers };
      if (timerKey) {
        const timer = timers[timerKey.key];
        if (!timer || timer.gen !== timerKey.gen) return accept(null);
        delete timers[timerKey.key];
      }
      const accepted = snapshot.can(event);
      if (!accepted) {
        // A cached snapshot may be behind another node's commit: refuse only on the stored state.
        if (!fresh) {
          fresh = true;
          continue;
        }
        if (await wasApplied(def, id, meta.eventId)) return currentView(def, id, true);
        if (!timerKey) {
          return refuse('event.rejected', `${def.kind} ${id} in state '${stateName(snapshot.value)}' does not accept ${event.type}`);
        }
      }
      const now = deps.clock();
      const step = accepted
        ? eventStep(def, snapshot, event, timers, now, actor.version + 1)
        : { next: snapshot, persisted: actor.persisted, timers, effects: [] }; // a timer the state no longer takes is dropped
      const outcome = await commitStep(def, id, actor.version, step, event, meta, snapshot, now);
      if (outcome === 'duplicate') return currentView(def, id, true);
      if (outcome !== 'conflict') return outcome;
      fresh = true;
    }
    return refuse('store.conflict', `${def.kind} ${id} kept changing under ${maxRetries} retries`);
  }

  return {
    create(kind, id, input, meta) {
      const def = definition(kind);
      if ('ok' in def) return Promise.resolve(def);
      if (!ACTOR_ID.test(id)) return Promise.resolve(refuse('input.invalid', `actor id must match ${ACTOR_ID}`));
      const parsed = def.input.safeParse(input);
      if (!parsed.success) return Promise.resolve(refuse('input.invalid', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
      return mailbox.run(`${kind}/${id}`, () =>
        guarded(async () => {
          const now = deps.clock();
          const step = initialStep(def, parsed.data, now, 1);
          const outcome = await commitStep(def, id, 0, step, { type: `${kind}.created` }, meta, null, now);
          if (outcome === 'duplicate') return currentView(def, id, true);
          if (outcome === 'conflict') {
            if (await wasApplied(def, id, meta.eventId)) return currentView(def, id, true);
            return refuse('actor.exists', `${kind} ${id} already exists`);
          }
          return outcome;
        }),
      );
    },

    send(kind, id, event, meta) {
      const def = definition(kind);
      if ('ok' in def) return Promise.resolve(def);
      const type = (event as { type?: unknown } | null)?.type;
      if (typeof type !== 'string' || !externalEvents(def).has(type)) {
        return Promise.resolve(refuse('event.unknown', `${kind} has no event '${String(type)}'`));
      }
      const parsed = def.events.safeParse(event);
      if (!parsed.success) {
        return Promise.resolve(refuse('event.invalid', parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ')));
      }
      return mailbox.run(`${kind}/${id}`, () =>
        guarded(async () => {
          const result = await applyEvent(def, id, parsed.data, meta);
          if (!result.ok) return result;
          return result.data ? accept(result.data) : refuse('internal', 'no state after the command');
        }),
      );
    },

    fireTimer(timer) {
      const def = definition(timer.kind);
      if ('ok' in def) return Promise.resolve(def);
      return mailbox.run(`${timer.kind}/${timer.id}`, () =>
        guarded(async () => {
          const record = await deps.store.load(def.kind, timer.id);
          const stored = record?.timers[timer.key];
          if (!stored || stored.gen !== timer.gen) return accept(null);
          return applyEvent(def, timer.id, stored.event, { who: 'timer', eventId: `timer:${timer.key}:${timer.gen}` }, timer);
        }),
      );
    },

    read(kindOrDefinition: string | AnyActorDefinition, id: string): Promise<Result<never>> {
      const def = definition(typeof kindOrDefinition === 'string' ? kindOrDefinition : kindOrDefinition.kind);
      if ('ok' in def) return Promise.resolve(def);
      // The definition's schemas parsed the stored snapshot on restore: the view is of its type.
      return guarded(() => readView(def, id)) as Promise<Result<never>>;
    },

    idle: () => mailbox.idle(),
  };
}

/** What a view and the change log share: state name, status, tags and the next deadline. */
function changeView(snapshot: AnyMachineSnapshot, timers: Record<string, TimerRecord>): ChangeView {
  const base = { state: stateName(snapshot.value), status: snapshot.status, tags: [...snapshot.tags] };
  // The next deadline (a hold's expiry, a review or payment deadline) lets screens count down.
  const dues = Object.values(timers).map((t) => t.dueAt);
  return dues.length > 0 ? { ...base, deadline: Math.min(...dues) } : base;
}

const eventTypeCache = new WeakMap<ActorDefinition, ReadonlySet<string>>();

/** Event types a caller may send: every type the machine handles except XState's internal ones (timers). */
function externalEvents(def: ActorDefinition): ReadonlySet<string> {
  let types = eventTypeCache.get(def);
  if (!types) {
    types = new Set(def.machine.root.events.filter((t: string) => !t.startsWith('xstate.')));
    eventTypeCache.set(def, types);
  }
  return types;
}
