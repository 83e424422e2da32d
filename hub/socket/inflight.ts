/**
 * Socket events still being handled, so that a drain can wait for their commits and acks
 * before it disconnects anyone.
 */

/** Tracks promises until they settle. */
export interface InflightTracker {
  /** Registers work; returns the same promise. */
  track<T>(work: Promise<T>): Promise<T>;
  readonly size: number;
  /** Resolves true when nothing is in flight, false if `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean>;
}

/** Creates an empty tracker. */
export function createInflightTracker(): InflightTracker {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      pending.add(work);
      const done = () => void pending.delete(work);
      work.then(done, done);
      return work;
    },
    get size() {
      return pending.size;
    },
    async idle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // New work may start while older work settles (until the caller stops taking events), so loop.
      while (pending.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, left)));
        await Promise.race([Promise.allSettled([...pending]), timeout]);
        clearTimeout(timer);
      }
      return true;
    },
  };
}
