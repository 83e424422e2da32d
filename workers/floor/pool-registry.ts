/**
 * Which lockers (or rental items) form which pool, kept in the store so every node and worker
 * process knows the pools, whoever defined them and whenever it started.
 *
 *   register(kind, pool, members)
 *     ledger slot `registry:<kind>`            one confirmed hold per pool      `registry:<kind>:<pool>`
 *     ledger slot `members:<kind>:<pool>`      one confirmed hold per member    `member:<kind>:<memberId>`
 *
 * Hold ids are unique across the ledger, so a member can belong to one pool only: registering it in
 * a second pool leaves it where it was (the caller checks the actor's own zone and size anyway).
 * Taking an existing hold again is a no-op, so registering is idempotent and safe on every start.
 * The capacities are only there because the ledger needs one.
 */
import type { CapacityLedger } from '../store/actor-store.js';

const UNBOUNDED = 1_000_000_000;

export interface PoolRegistry {
  /** Records the pool and its members (idempotent). */
  register(pool: string, members: readonly string[]): Promise<void>;
  /** Every pool and its members, as stored. */
  pools(): Promise<Map<string, string[]>>;
}

/** A registry of pools of one kind (`locker`, `equipment`) on the capacity ledger. */
export function createPoolRegistry(ledger: Pick<CapacityLedger, 'defineSlot' | 'take' | 'confirm' | 'holdsOf' | 'level'>, kind: string, clock: () => number): PoolRegistry {
  const registrySlot = `registry:${kind}`;
  const poolHold = (pool: string) => `${registrySlot}:${pool}`;
  const membersSlot = (pool: string) => `members:${kind}:${pool}`;
  const memberHold = (id: string) => `member:${kind}:${id}`;
  const memberPrefix = `member:${kind}:`;

  async function ensureSlot(slotId: string): Promise<void> {
    const level = await ledger.level(slotId);
    if (level === null || level.capacity < UNBOUNDED) await ledger.defineSlot(slotId, UNBOUNDED);
  }

  async function hold(slotId: string, holdId: string): Promise<void> {
    await ledger.take(slotId, holdId, 1, clock(), true);
  }

  return {
    async register(pool, members) {
      await ensureSlot(registrySlot);
      await ensureSlot(membersSlot(pool));
      for (const id of members) await hold(membersSlot(pool), memberHold(id));
      // The pool is listed last: a pool that is listed has its members recorded.
      await hold(registrySlot, poolHold(pool));
    },

    async pools() {
      const out = new Map<string, string[]>();
      for (const entry of await ledger.holdsOf(registrySlot)) {
        const pool = entry.holdId.slice(registrySlot.length + 1);
        const members = await ledger.holdsOf(membersSlot(pool));
        out.set(pool, members.map((m) => m.holdId.slice(memberPrefix.length)));
      }
      return out;
    },
  };
}
