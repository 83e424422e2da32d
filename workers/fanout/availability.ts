/**
 * Live slot availability: after a hold takes places or a release gives them back, the slot's
 * level is read again and published, so visitors browsing a day see remaining places move.
 *
 *   ledger.take / release ─▶ changed(slotId) ─┐ (coalesced per slot within one turn of the event loop)
 *                                             └▶ ledger.level(slotId) ─▶ publish {slotId, capacity, taken, remaining, at}
 *
 * Occupancy counts (`occupancy:zone:*`, `occupancy:slot:*`) are counters the ticket commits move;
 * they are read and published at most every OCCUPANCY_PUBLISH_MS per count: a burst of entries
 * becomes one reading (`taken` is who is inside).
 *
 * At most once, like every fan-out: a reader that misses one keeps the newest `at` it has seen and
 * can always re-read the level (`availability:subscribe` answers it).
 */
import type { SlotAvailability } from '../../machines/contract/wire.js';
import type { Logger } from '../logger.js';
import type { ActorStore, CapacityLedger } from '../store/actor-store.js';

/** Publishes slot levels after changes. */
export interface AvailabilityFeed {
  /** The slot's places changed; its level is published soon (once per slot per turn). */
  changed(slotId: string): void;
  /** A ledger that reports its own takes (releases are reported by their callers, who know the slot). */
  observe(ledger: CapacityLedger): CapacityLedger;
  /** Receives every published level until the returned function is called. */
  subscribe(listener: (level: SlotAvailability) => void): () => void;
}

/** Occupancy counts (`occupancy:*` slots) move with every gate scan: published at most this often per slot. */
export const OCCUPANCY_PUBLISH_MS = 1_000;

/** Creates the feed over a ledger; subscribers (socket rooms, Redis) receive the levels. */
export function createAvailabilityFeed(deps: {
  ledger: Pick<CapacityLedger, 'level'>;
  counters: Pick<ActorStore, 'counter'>;
  clock: () => number;
  log: Logger;
  occupancyEveryMs?: number;
}): AvailabilityFeed {
  const pending = new Set<string>();
  const occupancyPending = new Set<string>();
  let occupancyTimer: NodeJS.Timeout | undefined;
  const occupancyEveryMs = deps.occupancyEveryMs ?? OCCUPANCY_PUBLISH_MS;
  const listeners = new Set<(level: SlotAvailability) => void>();
  const publish = (level: SlotAvailability) => {
    for (const listener of listeners) listener(level);
  };
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const slots = [...pending];
    pending.clear();
    publishLevels(slots);
  }

  async function levelOf(slotId: string): Promise<Omit<SlotAvailability, 'at'> | null> {
    if (!slotId.startsWith('occupancy:')) return deps.ledger.level(slotId);
    const inside = await deps.counters.counter(slotId);
    return { slotId, capacity: 0, taken: Math.max(0, inside), remaining: 0 };
  }

  function publishLevels(slots: readonly string[]): void {
    for (const slotId of slots) {
      levelOf(slotId).then(
        (level) => {
          if (level) publish({ ...level, at: deps.clock() });
        },
        (error: unknown) => deps.log.warn('slot level not published', { slotId, error: String(error) }),
      );
    }
  }

  const feed: AvailabilityFeed = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    changed(slotId) {
      // A gate lane admits several people a second; screens need the count, not every step of it.
      if (slotId.startsWith('occupancy:')) {
        occupancyPending.add(slotId);
        occupancyTimer ??= setTimeout(() => {
          occupancyTimer = undefined;
          const slots = [...occupancyPending];
          occupancyPending.clear();
          publishLevels(slots);
        }, occupancyEveryMs);
        occupancyTimer.unref();
        return;
      }
      pending.add(slotId);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    observe(ledger) {
      return {
        ...ledger,
        defineSlot: (slotId, capacity) => ledger.defineSlot(slotId, capacity).then(() => feed.changed(slotId)),
        take: async (slotId, holdId, qty, at, confirmed) => {
          const taken = await ledger.take(slotId, holdId, qty, at, confirmed);
          if (taken.ok) feed.changed(slotId);
          return taken;
        },
        // Holds under the visitor's hold limits take through `takeFor`: those move the places too.
        takeFor: async (slotId, holdId, qty, at, limits) => {
          const taken = await ledger.takeFor(slotId, holdId, qty, at, limits);
          if (taken.ok) feed.changed(slotId);
          return taken;
        },
        // A moved booking changes the places of the slot it left and of the one it went to.
        move: async (holdId, toSlotId, qty, at, absorb) => {
          const moved = await ledger.move(holdId, toSlotId, qty, at, absorb);
          if (moved.ok) {
            feed.changed(toSlotId);
            if (moved.fromSlotId !== toSlotId) feed.changed(moved.fromSlotId);
          }
          return moved;
        },
        release: (holdId, at) => ledger.release(holdId, at),
        confirm: (holdId, at) => ledger.confirm(holdId, at),
        level: (slotId) => ledger.level(slotId),
        orphanHolds: (kind, olderThan, limit) => ledger.orphanHolds(kind, olderThan, limit),
        holdsOf: (slotId) => ledger.holdsOf(slotId),
      };
    },
  };
  return feed;
}
