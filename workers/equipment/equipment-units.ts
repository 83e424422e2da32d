/**
 * The ledger side of rentals: a pool per equipment type and per-booking reservations, every step
 * one atomic, idempotent ledger operation keyed by a hold id (architecture rule 8).
 *
 *   slot equipment:<typeId>             capacity = every item of the type. Held by: each reservation
 *                                       unit not yet picked up, and each item that is not available
 *                                       (its rental, maintenance or loss). So remaining = available
 *                                       items that nobody has been promised.
 *   hold equip:<b>:<t>:<k>  (k = 1..n)  reservation unit k of booking b, in the pool, confirmed.
 *   slot equip:<b>:<t>                  the reservation's header: capacity n while it stands, 0 once released.
 *   slot equip-unit:<b>:<t>:<k>         capacity 1: taken once, by the pickup that uses unit k
 *                                       (hold `use:<rentalId>:<k>`) or by the release (`equip-cancel:…:<k>`).
 *
 *   pickup with a standing reservation: take the first free equip-unit slot ──▶ the item carries the
 *     pool hold equip:<b>:<t>:<k> (already counted); a return in good condition releases it.
 *   walk-up pickup: take 1 from the pool under the rental id ──▶ the item carries that hold.
 *   release of the reservation: take every unit slot still free under its cancel hold, and give back
 *     those units' pool holds; units a pickup already used are the items' business.
 *
 * Unit slots make "which reserved unit is mine" a compare-and-set: two desks serving one family at
 * once get different units, and a retried pickup (same rental id) gets the unit it already took,
 * because each hold id names its unit (the ledger answers ok for any hold id it already holds).
 *
 * A reservation takes its n units one by one and gives them back if the pool runs short, so it is
 * all or nothing for the caller; two bookings racing for the last units may then both be refused.
 */
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { CapacityLedger } from '../store/actor-store.js';

/** The pool slot of an equipment type. */
export function poolSlotId(typeId: string): string {
  return `equipment:${typeId}`;
}

/** The hold (and header slot) id of a booking's reservation of a type, e.g. `equip:bk_1:tube-rental`. */
export function reservationId(bookingId: string, typeId: string): string {
  return `equip:${bookingId}:${typeId}`;
}

const unitHold = (bookingId: string, typeId: string, k: number) => `${reservationId(bookingId, typeId)}:${k}`;
const unitSlot = (bookingId: string, typeId: string, k: number) => `equip-unit:${bookingId}:${typeId}:${k}`;

/** A booking's reservation of one equipment type. */
export interface Reservation {
  bookingId: string;
  typeId: string;
  qty: number;
}

/** The pool unit a pickup got and how to give it back if no item can be handed over. */
export interface RentalUnit {
  holdId: string;
  reserved: boolean;
  undo(): Promise<void>;
}

/** The ledger operations of the equipment service. */
export interface EquipmentUnits {
  reserve(bookingId: string, typeId: string, qty: number): Promise<Result<Reservation>>;
  /** Gives back the units not picked up; idempotent. Answers how many were given back now. */
  release(bookingId: string, typeId: string): Promise<Result<{ released: number }>>;
  /** A reserved unit of the booking if one is left, else a walk-up unit from the pool. */
  take(bookingId: string, typeId: string, rentalId: string): Promise<Result<RentalUnit>>;
}

/** Creates the unit operations over the ledger. */
export function createEquipmentUnits(deps: { ledger: CapacityLedger; clock: () => number }): EquipmentUnits {
  const { ledger } = deps;

  async function standing(bookingId: string, typeId: string): Promise<number> {
    const header = await ledger.level(reservationId(bookingId, typeId));
    return header?.capacity ?? 0;
  }

  return {
    async reserve(bookingId, typeId, qty) {
      const header = await ledger.level(reservationId(bookingId, typeId));
      if (header) {
        if (header.capacity === qty) return accept({ bookingId, typeId, qty });
        if (header.capacity === 0) return refuse('event.rejected', `the ${typeId} reservation of booking ${bookingId} was released`);
        return refuse('input.invalid', `booking ${bookingId} already reserved ${header.capacity} × ${typeId}`);
      }
      const taken: string[] = [];
      for (let k = 1; k <= qty; k++) {
        const holdId = unitHold(bookingId, typeId, k);
        const result = await ledger.take(poolSlotId(typeId), holdId, 1, deps.clock());
        if (!result.ok) {
          for (const back of taken) await ledger.release(back, deps.clock());
          if (result.code === 'slot.not_found') return refuse('equipment.unknown', `no ${typeId} items on this venue`);
          return refuse('equipment.none_available', `only ${taken.length + result.remaining} × ${typeId} left; ${qty} asked`);
        }
        taken.push(holdId);
      }
      for (let k = 1; k <= qty; k++) {
        await ledger.confirm(unitHold(bookingId, typeId, k), deps.clock());
        await ledger.defineSlot(unitSlot(bookingId, typeId, k), 1);
      }
      // The header last: once it stands, a retry answers from it without taking again.
      await ledger.defineSlot(reservationId(bookingId, typeId), qty);
      return accept({ bookingId, typeId, qty });
    },

    async release(bookingId, typeId) {
      const qty = await standing(bookingId, typeId);
      let released = 0;
      for (let k = 1; k <= qty; k++) {
        const cancel = `equip-cancel:${bookingId}:${typeId}:${k}`;
        const unused = await ledger.take(unitSlot(bookingId, typeId, k), cancel, 1, deps.clock());
        if (!unused.ok) continue; // a pickup used this unit; its item gives it back
        await ledger.confirm(cancel, deps.clock());
        if (await ledger.release(unitHold(bookingId, typeId, k), deps.clock())) released++;
      }
      if (qty > 0) await ledger.defineSlot(reservationId(bookingId, typeId), 0);
      return accept({ released });
    },

    async take(bookingId, typeId, rentalId) {
      const qty = await standing(bookingId, typeId);
      for (let k = 1; k <= qty; k++) {
        const use = `use:${rentalId}:${k}`;
        const got = await ledger.take(unitSlot(bookingId, typeId, k), use, 1, deps.clock());
        if (!got.ok) continue;
        await ledger.confirm(use, deps.clock());
        return accept({ holdId: unitHold(bookingId, typeId, k), reserved: true, undo: async () => void (await ledger.release(use, deps.clock())) });
      }
      const walkUp = await ledger.take(poolSlotId(typeId), rentalId, 1, deps.clock());
      if (!walkUp.ok) {
        return walkUp.code === 'slot.not_found'
          ? refuse('equipment.unknown', `no ${typeId} items on this venue`)
          : refuse('equipment.none_available', `no ${typeId} left to rent`);
      }
      return accept({ holdId: rentalId, reserved: false, undo: async () => void (await ledger.release(rentalId, deps.clock())) });
    },
  };
}
