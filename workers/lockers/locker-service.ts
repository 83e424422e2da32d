/**
 * Lockers: pools of locker actors by zone and size, handed out automatically.
 *
 * The claim (architecture rule 8: scarce resources are ledgers, not hot actors):
 *
 *   claim(zone, size, band…, assignmentId)
 *     1. ledger.take(`lockers:<zone>:<size>`, holdId = assignmentId, 1)   one atomic, idempotent store op
 *          sold out ──▶ locker.none_free   (no actor touched: a crowd on an empty pool costs one row read each)
 *     2. a locker already assigned under this assignmentId? ──▶ that locker (a retry gets the same one)
 *     3. try `locker.assign` on the pool's lockers in a fixed order, starting at a spot derived from
 *        the assignment id (spreads concurrent claimers); `assign` is accepted only on `free`, and the
 *        host's per-actor mailbox + version compare-and-set make it a compare-and-set across nodes
 *     4. first accepted ──▶ ledger.confirm(holdId) (kept; the orphan sweep leaves it) ──▶ the locker
 *        none accepted  ──▶ ledger.release(holdId) ──▶ locker.none_free
 *
 * The ledger counts free in-service lockers: capacity = every locker of the pool; each assignment
 * and each out-of-service locker holds one unit. So a claim that passes step 1 is sure a free
 * locker exists for it (holders ≤ free lockers) and step 3 only contends with the few claimers that
 * also got a unit, never with the crowd that was refused. No locker is ever given to two visitors
 * because step 3 is a compare-and-set on the locker actor itself, whatever the ledger says.
 *
 * A crash between take and assign leaves a 'held' unit with no actor of that id; the runtime's
 * orphan-hold sweep gives it back. Release and back-in-service re-release the hold the locker
 * recorded (`holdId`), so a retry after a crash between the actor and the ledger repairs the count.
 *
 * The pool membership (which locker ids form a zone/size pool) is kept in the store (a pool
 * registry on the ledger), so every node and worker knows pools defined anywhere; `defineLockers`
 * is idempotent. Each node caches the pools and reloads them when it meets one it does not know.
 */
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { LockerContext, LockerSize } from '../../machines/locker.schemas.js';
import type { WristbandContext } from '../../machines/wristband.schemas.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import type { CapacityLedger } from '../store/actor-store.js';
import { createPoolRegistry } from '../floor/pool-registry.js';
import { WRISTBAND } from '../wristbands/wristband-service.js';

export const LOCKER = 'locker';

export interface ClaimRequest {
  zone: string;
  size: LockerSize;
  bandUid: string;
  bookingId: string;
  visitorId: string;
}

export interface LockerServiceDeps {
  host: ActorHost;
  ledger: CapacityLedger;
  clock: () => number;
}

export interface LockerService {
  /** Creates the missing locker actors (free) and sets the pool capacity to every locker of it. Idempotent. */
  defineLockers(zone: string, size: LockerSize, ids: readonly string[], who?: string): Promise<Result<{ slotId: string; lockers: number }>>;
  /**
   * Assigns a free locker of the zone and size (or exactly `lockerId`, a manual assignment by
   * staff); idempotent by `assignmentId`.
   */
  claim(request: ClaimRequest, assignmentId: string, who?: string, lockerId?: string): Promise<Result<ActorView>>;
  /** Frees an assigned locker and gives its unit back to the pool. */
  release(lockerId: string, who?: string): Promise<Result<ActorView>>;
  /**
   * Opens the locker for its assigned band (or the band that replaced it when it was lost); any
   * other band is refused (`event.rejected`), a deactivated band with `band.inactive`.
   */
  open(lockerId: string, bandUid: string, who?: string): Promise<Result<ActorView>>;
  /** Frees every locker assigned to the booking (the visit closed); returns how many were freed. */
  releaseBooking(bookingId: string, who?: string): Promise<number>;
  /** Lockers still assigned, in every pool (closing-time checks). */
  assigned(): Promise<ActorView[]>;
  /** Every locker of every pool, by id. */
  list(): Promise<ActorView[]>;
  outOfService(lockerId: string, who?: string): Promise<Result<ActorView>>;
  backInService(lockerId: string, who?: string): Promise<Result<ActorView>>;
}

export function poolSlotId(zone: string, size: string): string {
  return `lockers:${zone}:${size}`;
}

/** A stable start index in [0, n) from the assignment id. */
function startIndex(assignmentId: string, n: number): number {
  let h = 0;
  for (let i = 0; i < assignmentId.length; i++) h = (h * 31 + assignmentId.charCodeAt(i)) >>> 0;
  return n === 0 ? 0 : h % n;
}

const contextOf = (view: ActorView): LockerContext => view.context as LockerContext;

/** Creates the locker service. */
export function createLockerService(deps: LockerServiceDeps): LockerService {
  const pools = new Map<string, readonly string[]>();
  const registry = createPoolRegistry(deps.ledger, LOCKER, deps.clock);

  /** Reloads the pools from the store (pools defined on other nodes, or before this one started). */
  async function loadPools(): Promise<void> {
    for (const [slotId, ids] of await registry.pools()) pools.set(slotId, [...ids].sort());
  }

  async function readLocker(lockerId: string): Promise<Result<ActorView>> {
    return deps.host.read(LOCKER, lockerId);
  }

  /**
   * The band uid that opens a locker assigned to `assignedBand` when `presented` is tapped, or the
   * refusal. A band that was deactivated (lost, returned) opens nothing; the band that replaced a
   * lost one opens the lockers of the lost one (the same ticket). Bands the wristband service never
   * saw are compared by uid only.
   */
  async function keyFor(assignedBand: string, presented: string): Promise<string | Result<never>> {
    const band = await deps.host.read(WRISTBAND, presented);
    if (!band.ok) return band.code === 'actor.not_found' ? presented : band;
    if (band.data.state !== 'active') return refuse('band.inactive', `band ${presented} is ${band.data.state}`);
    if (presented === assignedBand) return presented;
    const ticketId = (band.data.context as WristbandContext).ticketId;
    const replaced = await deps.host.read(WRISTBAND, assignedBand);
    if (!replaced.ok) return replaced.code === 'actor.not_found' ? presented : replaced;
    const lost = replaced.data.context as WristbandContext;
    const isReplacement = replaced.data.state === 'deactivated' && lost.reason === 'lost' && ticketId !== undefined && lost.ticketId === ticketId;
    return isReplacement ? assignedBand : presented;
  }

  async function list(): Promise<ActorView[]> {
    await loadPools();
    const out: ActorView[] = [];
    for (const ids of pools.values()) {
      for (const lockerId of ids) {
        const locker = await readLocker(lockerId);
        if (locker.ok) out.push(locker.data);
      }
    }
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }

  async function assigned(): Promise<ActorView[]> {
    return (await list()).filter((locker) => locker.state === 'assigned');
  }

  const service: LockerService = {
    assigned,
    list,

    async releaseBooking(bookingId, who = 'system') {
      let freed = 0;
      for (const locker of await assigned()) {
        if (contextOf(locker).bookingId !== bookingId) continue;
        const released = await service.release(locker.id, who);
        if (released.ok) freed++;
      }
      return freed;
    },

    async defineLockers(zone, size, ids, who = 'system') {
      const slotId = poolSlotId(zone, size);
      const unique = [...new Set(ids)].sort();
      for (const lockerId of unique) {
        const created = await deps.host.create(LOCKER, lockerId, { lockerId, zone, size }, { who });
        if (!created.ok && created.code !== 'actor.exists') return created;
        const locker = created.ok ? created : await readLocker(lockerId);
        if (!locker.ok) return locker;
        const ctx = contextOf(locker.data);
        if (ctx.zone !== zone || ctx.size !== size) return refuse('input.invalid', `locker ${lockerId} belongs to ${ctx.zone}/${ctx.size}`);
      }
      await registry.register(slotId, unique);
      const members = (await registry.pools()).get(slotId) ?? unique;
      pools.set(slotId, [...members].sort());
      await deps.ledger.defineSlot(slotId, members.length);
      return accept({ slotId, lockers: unique.length });
    },

    async claim(request, assignmentId, who = 'system', lockerId) {
      const slotId = poolSlotId(request.zone, request.size);
      if (!pools.has(slotId)) await loadPools();
      const pool = pools.get(slotId);
      if (!pool) return refuse('slot.not_found', `no locker pool ${request.zone}/${request.size}`);
      if (lockerId !== undefined && !pool.includes(lockerId)) return refuse('locker.wrong_zone', `locker ${lockerId} is not a ${request.size} locker of zone ${request.zone}`);
      const lockers = lockerId === undefined ? pool : [lockerId];
      const taken = await deps.ledger.take(slotId, assignmentId, 1, deps.clock());
      if (!taken.ok) {
        return taken.code === 'slot.sold_out' ? refuse('locker.none_free', `no free ${request.size} locker in zone ${request.zone}`) : refuse(taken.code, slotId);
      }
      const start = startIndex(assignmentId, lockers.length);
      const order = [...lockers.slice(start), ...lockers.slice(0, start)];
      // A retry of the same assignment returns the locker it already got.
      for (const lockerId of order) {
        const current = await readLocker(lockerId);
        if (current.ok && current.data.state === 'assigned' && contextOf(current.data).assignmentId === assignmentId) return current;
      }
      const event = { type: 'locker.assign', assignmentId, bandUid: request.bandUid, bookingId: request.bookingId, visitorId: request.visitorId, at: deps.clock() };
      for (const lockerId of order) {
        const assigned = await deps.host.send(LOCKER, lockerId, event, { who, eventId: `assign:${assignmentId}` });
        if (assigned.ok && contextOf(assigned.data).assignmentId === assignmentId) {
          await deps.ledger.confirm(assignmentId, deps.clock());
          return assigned;
        }
        if (!assigned.ok && assigned.code !== 'event.rejected') {
          await deps.ledger.release(assignmentId, deps.clock());
          return assigned;
        }
      }
      await deps.ledger.release(assignmentId, deps.clock());
      return refuse('locker.none_free', `no free ${request.size} locker in zone ${request.zone}`);
    },

    async release(lockerId, who = 'system') {
      const released = await deps.host.send(LOCKER, lockerId, { type: 'locker.release', at: deps.clock(), by: who }, { who });
      // Free already (a retry): give back the recorded hold again; the ledger releases it once.
      const view = released.ok ? released : released.code === 'event.rejected' ? await readLocker(lockerId) : released;
      if (!view.ok) return view;
      if (view.data.state !== 'free') return refuse('event.rejected', `locker ${lockerId} is ${view.data.state}, not assigned`);
      const holdId = contextOf(view.data).holdId;
      if (holdId !== undefined) await deps.ledger.release(holdId, deps.clock());
      return view;
    },

    async open(lockerId, bandUid, who = 'system') {
      const locker = await readLocker(lockerId);
      if (!locker.ok) return locker;
      const assignedBand = locker.data.state === 'assigned' ? contextOf(locker.data).bandUid : undefined;
      const key = assignedBand === undefined ? bandUid : await keyFor(assignedBand, bandUid);
      if (typeof key !== 'string') return key;
      const presentedBy = key === bandUid ? {} : { presentedBy: bandUid };
      return deps.host.send(LOCKER, lockerId, { type: 'locker.open', bandUid: key, ...presentedBy, at: deps.clock() }, { who });
    },

    async outOfService(lockerId, who = 'system') {
      const current = await readLocker(lockerId);
      if (!current.ok) return current;
      if (current.data.state !== 'free') return refuse('event.rejected', `locker ${lockerId} is ${current.data.state}, not free`);
      const ctx = contextOf(current.data);
      // The out-of-service period holds one unit of the pool, taken before the locker leaves `free`.
      const holdId = `oos:${lockerId}:${current.data.version}`;
      const taken = await deps.ledger.take(poolSlotId(ctx.zone, ctx.size), holdId, 1, deps.clock());
      if (!taken.ok) return refuse('event.rejected', `locker ${lockerId} is being claimed; retry`);
      const out = await deps.host.send(LOCKER, lockerId, { type: 'locker.out_of_service', holdId, at: deps.clock(), by: who }, { who });
      if (out.ok) await deps.ledger.confirm(holdId, deps.clock());
      else await deps.ledger.release(holdId, deps.clock());
      return out;
    },

    async backInService(lockerId, who = 'system') {
      const back = await deps.host.send(LOCKER, lockerId, { type: 'locker.back_in_service', at: deps.clock(), by: who }, { who });
      if (!back.ok) return back;
      const holdId = contextOf(back.data).holdId;
      if (holdId !== undefined) await deps.ledger.release(holdId, deps.clock());
      return back;
    },
  };
  return service;
}
