/**
 * The effect relay: drains the outbox at least once, in commit order per actor.
 *
 *   commit ──outbox rows──▶ store ──pendingEffects(types it handles)──▶ relay
 *                                   ▲                                   │ per actor, in order
 *                                   └──────────ackEffects(done)─────────┘ handler(effect)
 *
 * A row is acknowledged only after its handler resolved, so a crash anywhere re-delivers it;
 * handlers use `effectId` (actor, version, index) as their idempotency key. A failing row
 * holds back the rows after it for the same actor (order) and is retried with backoff.
 * Rows of a type with no handler on this node stay in the outbox untouched.
 *
 * A kick (a local commit wrote effects) drains KICK_DELAY_MS later, together with whatever the
 * commits in between wrote: at hundreds of commits a second a pass per commit paid the outbox
 * query, the handlers' setup and an acknowledgement for one row each. A kick while a drain runs
 * makes that drain pass again, as before, so effects written by handlers (and drain()) follow on.
 */
import type { ActorStore, EffectRow } from '../store/actor-store.js';
import type { Logger } from '../logger.js';
import type { RuntimeObserver } from '../runtime-observer.js';

/** How long a kick waits for more effects to deliver in the same pass, ms. */
export const KICK_DELAY_MS = 10;

/** Carries out one effect; must be idempotent by `effect.effectId`. */
export type EffectHandler = (effect: EffectRow) => Promise<void>;

export interface OutboxRelayDeps {
  store: ActorStore;
  handlers: Readonly<Record<string, EffectHandler>>;
  log: Logger;
  batchSize?: number;
  /** Poll interval when nothing kicked the relay (rows written by other processes). */
  pollMs?: number;
  /** How long a kick waits before draining, ms (default KICK_DELAY_MS). */
  kickDelayMs?: number;
  maxBackoffMs?: number;
  /** Told how long each delivered effect waited in the outbox. */
  observer?: Pick<RuntimeObserver, 'effectDelivered'>;
  /** Epoch milliseconds; default Date.now. */
  clock?: () => number;
}

export interface OutboxRelay {
  start(): void;
  /** Asks for a drain soon (after a local commit wrote effects): KICK_DELAY_MS later, with what came meanwhile. */
  kick(): void;
  /** Drains until the outbox holds nothing this relay can handle; returns rows delivered. */
  drain(): Promise<number>;
  stop(): Promise<void>;
  readonly delivered: number;
}

/** Creates a relay over the given handlers. */
export function createOutboxRelay(deps: OutboxRelayDeps): OutboxRelay {
  const types = Object.keys(deps.handlers);
  const batchSize = deps.batchSize ?? 200;
  const pollMs = deps.pollMs ?? 1000;
  const maxBackoffMs = deps.maxBackoffMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;
  let failures = 0;
  let delivered = 0;
  let kicked: NodeJS.Timeout | undefined;

  async function deliverGroup(rows: EffectRow[]): Promise<EffectRow[]> {
    const done: EffectRow[] = [];
    for (const row of rows) {
      const handler = deps.handlers[row.type];
      if (!handler) break;
      try {
        await handler(row);
        done.push(row);
        deps.observer?.effectDelivered(row.type, (deps.clock ?? Date.now)() - row.createdAt);
      } catch (error) {
        deps.log.warn('effect delivery failed; will retry', { effectId: row.effectId, type: row.type, error: String(error) });
        break; // keep per-actor order: later rows of this actor wait for this one
      }
    }
    return done;
  }

  async function pass(): Promise<{ delivered: number; failed: boolean; full: boolean }> {
    const rows = await deps.store.pendingEffects(batchSize, types);
    const groups = new Map<string, EffectRow[]>();
    for (const row of rows) {
      const key = `${row.kind}/${row.actorId}`;
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    const results = await Promise.all([...groups.values()].map(deliverGroup));
    const done = results.flat();
    if (done.length > 0) await deps.store.ackEffects(done);
    return { delivered: done.length, failed: done.length < rows.length, full: rows.length === batchSize };
  }

  async function drainLoop(): Promise<number> {
    let total = 0;
    do {
      again = false;
      for (;;) {
        const result = await pass();
        total += result.delivered;
        delivered += result.delivered;
        if (result.failed) {
          failures++;
          schedule(Math.min(maxBackoffMs, 100 * 2 ** Math.min(failures, 10)));
          return total;
        }
        failures = 0;
        if (!result.full) break;
      }
    } while (again);
    return total;
  }

  function run(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = drainLoop()
      .catch((error: unknown) => {
        deps.log.error('outbox relay pass failed', { error: String(error) });
        schedule(Math.min(maxBackoffMs, 1000));
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  function schedule(ms: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void run().then(() => schedule(pollMs));
    }, ms);
    timer.unref();
  }

  return {
    start() {
      stopped = false;
      schedule(0);
    },
    kick() {
      if (stopped) return;
      // During a drain the rows just written join it (a handler's own commit: drain() waits for the whole chain).
      if (running) {
        again = true;
        return;
      }
      if (kicked) return;
      kicked = setTimeout(() => {
        kicked = undefined;
        void run();
      }, deps.kickDelayMs ?? KICK_DELAY_MS);
      kicked.unref();
    },
    drain: () => run(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (kicked) clearTimeout(kicked);
      await running;
    },
    get delivered() {
      return delivered;
    },
  };
}
