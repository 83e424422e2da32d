/**
 * Equipment rentals: pools of equipment actors by type, reservations by bookings, pickups and
 * returns at the rental desk, and live counts per type.
 *
 *   pickup({band, type, item?}, rentalId)
 *     1. the band resolves to its ticket, booking and visitor     else band.unknown / band.inactive
 *     2. an item already in use under this rental id? ──▶ that item (a retried pickup)
 *     3. a unit: one of the booking's reserved units if any is left, else a walk-up unit from the
 *        pool (equipment-units.ts)                                  pool short ──▶ equipment.none_available
 *     4. `equipment.pickup` on the named item, or on each item of the type in a fixed order: accepted
 *        only on `available`, so it is a compare-and-set on the item across nodes
 *     5. first accepted ──▶ confirm the unit ──▶ the item; none ──▶ give the unit back, refuse
 *
 *   return ok ──▶ available, its unit back to the pool     return damaged ──▶ maintenance, unit kept
 *   repaired ──▶ available, unit back                      out of service ──▶ maintenance, takes a unit
 *   charge (staff settle an item not coming back) ──▶ lost, unit kept; found ──▶ maintenance
 *
 * A lost item stays out of the pool until it is found and repaired. Every change publishes the
 * type's counts to subscribers (the hub pushes them to `equipment:availability` rooms).
 *
 * The pool membership (which item codes form a type's pool) is kept in the store (a pool registry
 * on the ledger), so every node and worker knows the types defined anywhere; `defineItems` is
 * idempotent. Each node loads the pools once and again when it meets a type it does not know. A crash between the ledger and an item leaves at
 * worst a unit held with no item: walk-up units are swept as orphan holds (never confirmed);
 * returns and repairs re-release the hold the item recorded, so a retry repairs the count.
 */
import { randomUUID } from 'node:crypto';
import type { EquipmentAvailability } from '../../machines/contract/wire.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { EquipmentContext, ReturnCondition } from '../../machines/equipment.schemas.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import type { CapacityLedger } from '../store/actor-store.js';
import type { WristbandService } from '../wristbands/wristband-service.js';
import type { Reservation } from './equipment-units.js';
import { createEquipmentUnits, poolSlotId } from './equipment-units.js';
import { createPoolRegistry } from '../floor/pool-registry.js';

export const EQUIPMENT = 'equipment';

/** Four hours: how long a rental lasts unless the service is configured otherwise. */
export const DEFAULT_RENTAL_MS = 4 * 3_600_000;

export interface EquipmentServiceDeps {
  host: Pick<ActorHost, 'create' | 'send' | 'read'>;
  ledger: CapacityLedger;
  /** Resolves the tapped wristband to its ticket, booking and visitor. */
  bands: Pick<WristbandService, 'resolve'>;
  clock: () => number;
  log: Logger;
  /** How long a rental lasts before it is overdue; default four hours. */
  rentalMs?: number;
}

export interface PickupRequest {
  bandUid: string;
  typeId: string;
  /** The item the desk took off the rack; without it the first available item of the type. */
  itemId?: string;
  /** Idempotency key: a retry with the same rental id answers the same item. Default: a fresh one. */
  rentalId?: string;
}

export interface ReturnRequest {
  itemId: string;
  condition: ReturnCondition;
  note?: string;
}

/** An item still out with a booking (check-out lists these and waits for them). */
export interface UnreturnedItem {
  itemId: string;
  typeId: string;
  bandUid: string;
  dueAt: number;
  overdue: boolean;
}

export interface EquipmentService {
  /** Creates the missing items (available) and sets the type's pool to every item of it. Idempotent. */
  defineItems(typeId: string, items: ReadonlyArray<{ itemId: string; zone?: string }>, who?: string): Promise<Result<{ slotId: string; items: number }>>;
  /** Reserves units for a booking's add-on (confirmed); refused when the pool is short. Idempotent. */
  reserve(bookingId: string, typeId: string, qty: number): Promise<Result<Reservation>>;
  /** Gives back the booking's reserved units not picked up (cancellation, check-out). Idempotent. */
  releaseReservation(bookingId: string, typeId: string): Promise<Result<{ released: number }>>;
  /** Gives back the booking's unused reservations of every type this node knows (the visit closed). */
  releaseReservations(bookingId: string): Promise<void>;
  /** Hands an available item to the band's visitor, due after the rental duration. */
  pickup(request: PickupRequest, who?: string): Promise<Result<ActorView>>;
  /** Takes an item back: available (unit back to the pool) or, damaged, to maintenance. */
  return(request: ReturnRequest, who?: string): Promise<Result<ActorView>>;
  repaired(itemId: string, who?: string): Promise<Result<ActorView>>;
  /** Takes an available item out for service; refused while every available unit is promised. */
  outOfService(itemId: string, who?: string, note?: string): Promise<Result<ActorView>>;
  /** Staff settle an item that is not coming back: it leaves `in_use` for `lost`, its unit stays out of the pool. */
  charge(itemId: string, who: string, reason: string): Promise<Result<ActorView>>;
  /** A lost item turned up: it goes to maintenance (checked before it is rented again). */
  found(itemId: string, who?: string): Promise<Result<ActorView>>;
  /** The items still in use by the booking's bands. */
  unreturned(bookingId: string): Promise<Result<UnreturnedItem[]>>;
  /** The type's counts now. */
  availability(typeId: string): Promise<Result<EquipmentAvailability>>;
  /** Receives the counts of a type after each change to it, until the returned function is called. */
  subscribe(listener: (level: EquipmentAvailability) => void): () => void;
}

const contextOf = (view: ActorView): EquipmentContext => view.context as EquipmentContext;

/** Creates the equipment service. */
export function createEquipmentService(deps: EquipmentServiceDeps): EquipmentService {
  const pools = new Map<string, readonly string[]>();
  const registry = createPoolRegistry(deps.ledger, EQUIPMENT, deps.clock);
  let loaded = false;

  /** Loads the pools from the store once, and again when a type is not known here. */
  async function loadPools(typeId?: string): Promise<void> {
    if (loaded && (typeId === undefined || pools.has(typeId))) return;
    for (const [type, ids] of await registry.pools()) pools.set(type, [...ids].sort());
    loaded = true;
  }
  const listeners = new Set<(level: EquipmentAvailability) => void>();
  const units = createEquipmentUnits({ ledger: deps.ledger, clock: deps.clock });
  const rentalMs = deps.rentalMs ?? DEFAULT_RENTAL_MS;

  async function readItem(itemId: string): Promise<Result<ActorView>> {
    const item = await deps.host.read(EQUIPMENT, itemId);
    return !item.ok && item.code === 'actor.not_found' ? refuse('equipment.unknown', `no item ${itemId}`) : item;
  }

  async function send(itemId: string, event: Record<string, unknown> & { type: string }, who: string): Promise<Result<ActorView>> {
    const sent = await deps.host.send(EQUIPMENT, itemId, event, { who });
    return !sent.ok && sent.code === 'actor.not_found' ? refuse('equipment.unknown', `no item ${itemId}`) : sent;
  }

  async function availability(typeId: string): Promise<Result<EquipmentAvailability>> {
    await loadPools(typeId);
    const items = pools.get(typeId);
    if (!items) return refuse('equipment.unknown', `no ${typeId} items on this venue`);
    const counts = { available: 0, in_use: 0, maintenance: 0, lost: 0 };
    for (const itemId of items) {
      const item = await deps.host.read(EQUIPMENT, itemId);
      if (item.ok && Object.hasOwn(counts, item.data.state)) counts[item.data.state as keyof typeof counts]++;
    }
    const level = await deps.ledger.level(poolSlotId(typeId));
    const { available, in_use: inUse, maintenance, lost } = counts;
    return accept({ typeId, total: items.length, available, inUse, maintenance, lost, remaining: level?.remaining ?? 0, at: deps.clock() });
  }

  /** Publishes the type's counts; at most once, like every fan-out (readers re-read on subscribe). */
  function changed(typeId: string): void {
    if (listeners.size === 0) return;
    availability(typeId).then(
      (level) => {
        if (level.ok) for (const listener of listeners) listener(level.data);
      },
      (error: unknown) => deps.log.warn('equipment counts not published', { typeId, error: String(error) }),
    );
  }

  /** Gives back the unit an item recorded (a retry after a crash between item and ledger repairs the count). */
  async function releaseRecorded(view: ActorView): Promise<void> {
    const { holdId, typeId } = contextOf(view);
    if (holdId !== undefined) await deps.ledger.release(holdId, deps.clock());
    changed(typeId);
  }

  async function retriedPickup(items: readonly string[], rentalId: string, bandUid: string): Promise<Result<ActorView> | null> {
    for (const itemId of items) {
      const item = await deps.host.read(EQUIPMENT, itemId);
      if (!item.ok || item.data.state !== 'in_use' || contextOf(item.data).rentalId !== rentalId) continue;
      return contextOf(item.data).bandUid === bandUid ? item : refuse('input.invalid', `rental ${rentalId} was used for another band; send a new nonce`);
    }
    return null;
  }

  async function pickup(request: PickupRequest, who = 'system'): Promise<Result<ActorView>> {
    const { bandUid, typeId } = request;
    await loadPools(typeId);
    const items = pools.get(typeId);
    if (!items) return refuse('equipment.unknown', `no ${typeId} items on this venue`);
    if (request.itemId !== undefined && !items.includes(request.itemId)) return refuse('equipment.unknown', `no ${typeId} item ${request.itemId}`);
    const band = await deps.bands.resolve(bandUid);
    if (!band.ok) return band;
    const rentalId = request.rentalId ?? `rent:${randomUUID()}`;
    const retried = request.rentalId === undefined ? null : await retriedPickup(items, rentalId, bandUid);
    if (retried) return retried;
    const order = request.itemId === undefined ? items : [request.itemId];
    if (request.itemId !== undefined) {
      const named = await readItem(request.itemId);
      if (!named.ok) return named;
      if (named.data.state !== 'available') return refuse('equipment.unavailable', `item ${request.itemId} is ${named.data.state}`);
    }

    const unit = await units.take(band.data.bookingId, typeId, rentalId);
    if (!unit.ok) return unit;
    const at = deps.clock();
    const { bookingId, visitorId, ticketId } = band.data;
    const event = { type: 'equipment.pickup', rentalId, holdId: unit.data.holdId, bandUid, bookingId, visitorId, ticketId, at, dueAt: at + rentalMs, by: who };
    for (const itemId of order) {
      const picked = await deps.host.send(EQUIPMENT, itemId, event, { who, eventId: `pickup:${rentalId}` });
      if (picked.ok && contextOf(picked.data).rentalId === rentalId) {
        await deps.ledger.confirm(unit.data.holdId, deps.clock());
        deps.log.info('equipment picked up', { itemId, typeId, bookingId, reserved: unit.data.reserved, by: who });
        changed(typeId);
        return picked;
      }
      if (!picked.ok && picked.code !== 'event.rejected') {
        await unit.data.undo();
        return picked;
      }
    }
    await unit.data.undo();
    return request.itemId === undefined
      ? refuse('equipment.none_available', `no ${typeId} item is available`)
      : refuse('equipment.unavailable', `item ${request.itemId} was just taken`);
  }

  return {
    async defineItems(typeId, items, who = 'system') {
      const ids = [...new Set(items.map((i) => i.itemId))].sort();
      for (const { itemId, zone } of items) {
        const created = await deps.host.create(EQUIPMENT, itemId, { itemId, typeId, ...(zone === undefined ? {} : { zone }) }, { who });
        if (!created.ok && created.code !== 'actor.exists') return created;
        const item = created.ok ? created : await readItem(itemId);
        if (!item.ok) return item;
        const existing = contextOf(item.data).typeId;
        if (existing !== typeId) return refuse('input.invalid', `item ${itemId} is a ${existing}, not a ${typeId}`);
      }
      const slotId = poolSlotId(typeId);
      await registry.register(typeId, ids);
      const members = [...((await registry.pools()).get(typeId) ?? ids)].sort();
      await deps.ledger.defineSlot(slotId, members.length);
      pools.set(typeId, members);
      changed(typeId);
      return accept({ slotId, items: ids.length });
    },

    async reserve(bookingId, typeId, qty) {
      await loadPools(typeId);
      if (!pools.has(typeId)) return refuse('equipment.unknown', `no ${typeId} items on this venue`);
      if (!Number.isInteger(qty) || qty < 1 || qty > 50) return refuse('input.invalid', 'a reservation is 1 to 50 units');
      const reserved = await units.reserve(bookingId, typeId, qty);
      if (reserved.ok) changed(typeId);
      return reserved;
    },

    async releaseReservation(bookingId, typeId) {
      const released = await units.release(bookingId, typeId);
      if (released.ok && released.data.released > 0) changed(typeId);
      return released;
    },

    async releaseReservations(bookingId) {
      await loadPools();
      for (const typeId of pools.keys()) {
        const released = await units.release(bookingId, typeId);
        if (released.ok && released.data.released > 0) changed(typeId);
      }
    },

    pickup,

    async return({ itemId, condition, note }, who = 'system') {
      const event = { type: 'equipment.return', condition, ...(note === undefined ? {} : { note }), at: deps.clock(), by: who };
      const sent = await send(itemId, event, who);
      const view = sent.ok ? sent : sent.code === 'event.rejected' ? await readItem(itemId) : sent;
      if (!view.ok) return view;
      const state = view.data.state;
      // A retried return finds the item where the first one left it.
      if (condition === 'ok' && state === 'available') await releaseRecorded(view.data);
      else if (condition === 'damaged' && state === 'maintenance') changed(contextOf(view.data).typeId);
      else return refuse('event.rejected', `item ${itemId} is ${state}, not in use`);
      return view;
    },

    async repaired(itemId, who = 'system') {
      const sent = await send(itemId, { type: 'equipment.repaired', at: deps.clock(), by: who }, who);
      const view = sent.ok ? sent : sent.code === 'event.rejected' ? await readItem(itemId) : sent;
      if (!view.ok) return view;
      if (view.data.state !== 'available') return refuse('event.rejected', `item ${itemId} is ${view.data.state}, not in maintenance`);
      await releaseRecorded(view.data);
      return view;
    },

    async outOfService(itemId, who = 'system', note) {
      const current = await readItem(itemId);
      if (!current.ok) return current;
      if (current.data.state !== 'available') return refuse('equipment.unavailable', `item ${itemId} is ${current.data.state}, not available`);
      const { typeId } = contextOf(current.data);
      // The service period holds one unit, taken before the item leaves `available`.
      const holdId = `oos:${itemId}:${current.data.version}`;
      const taken = await deps.ledger.take(poolSlotId(typeId), holdId, 1, deps.clock());
      if (!taken.ok) return refuse('equipment.none_available', `every available ${typeId} is promised to a rental or reservation; retry later`);
      const out = await send(itemId, { type: 'equipment.out_of_service', holdId, ...(note === undefined ? {} : { note }), at: deps.clock(), by: who }, who);
      if (out.ok) await deps.ledger.confirm(holdId, deps.clock());
      else await deps.ledger.release(holdId, deps.clock());
      if (out.ok) changed(typeId);
      return out;
    },

    async charge(itemId, who, reason) {
      const charged = await send(itemId, { type: 'equipment.charge', reason, at: deps.clock(), by: who }, who);
      if (charged.ok) {
        deps.log.warn('equipment charged as lost', { itemId, by: who, reason });
        changed(contextOf(charged.data).typeId);
      }
      return charged;
    },

    async found(itemId, who = 'system') {
      const back = await send(itemId, { type: 'equipment.found', at: deps.clock(), by: who }, who);
      if (back.ok) changed(contextOf(back.data).typeId);
      return back;
    },

    async unreturned(bookingId) {
      await loadPools();
      const out: UnreturnedItem[] = [];
      for (const [typeId, items] of pools) {
        for (const itemId of items) {
          const item = await deps.host.read(EQUIPMENT, itemId);
          if (!item.ok) return item;
          const ctx = contextOf(item.data);
          if (item.data.state !== 'in_use' || ctx.bookingId !== bookingId) continue;
          out.push({ itemId, typeId, bandUid: ctx.bandUid ?? '', dueAt: ctx.dueAt ?? 0, overdue: ctx.overdue === true });
        }
      }
      return accept(out);
    },

    availability,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
