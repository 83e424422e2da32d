/**
 * A bounded, least-recently-used cache of restored actor snapshots on this node.
 *
 * It is an optimisation, never a source of truth: a command computed from a cached snapshot
 * commits with the cached version as its compare-and-set expectation, so a snapshot that went
 * stale (another node committed) only costs one conflict and a reload from the store.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { TimerRecord } from '../store/actor-store.js';

/** One actor as last committed or loaded by this node. */
export interface CachedActor {
  version: number;
  snapshot: AnyMachineSnapshot;
  persisted: unknown;
  timers: Record<string, TimerRecord>;
}

export interface SnapshotCache {
  get(key: string): CachedActor | undefined;
  set(key: string, value: CachedActor): void;
  delete(key: string): void;
}

/** Creates a cache holding at most `capacity` actors. */
export function createSnapshotCache(capacity: number): SnapshotCache {
  const entries = new Map<string, CachedActor>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (hit) {
        // Re-insert so Map order tracks recency.
        entries.delete(key);
        entries.set(key, hit);
      }
      return hit;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
