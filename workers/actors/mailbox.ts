/**
 * Per-node mailbox: serialises work per key (one actor) while different keys run freely.
 *
 *   run('booking/b1', f1) ─┐
 *   run('booking/b1', f2) ─┴─▶ f1 ──▶ f2          (same key: strictly one after the other)
 *   run('booking/b2', f3) ───▶ f3                  (other key: concurrent)
 *
 * Across nodes the store's compare-and-set on the version is the arbiter; this only keeps
 * one node from racing itself into needless conflicts.
 */
export interface Mailbox {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Keys with queued or running work (for drain and metrics). */
  readonly busy: number;
  /** Resolves when every queued item has finished. */
  idle(): Promise<void>;
}

/** Creates an empty mailbox. */
export function createMailbox(): Mailbox {
  const tails = new Map<string, Promise<unknown>>();

  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key);
      const result = previous ? previous.then(work, work) : work();
      // The tail never rejects, so one failed item does not poison the queue behind it.
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    get busy() {
      return tails.size;
    },
    async idle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}
