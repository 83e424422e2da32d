/**
 * Rental desks on the venue floor, and live equipment counts.
 *
 *   rental:pickup ─▶ mayRent (rental desk device, super/booking/support admin)? ──no──▶ auth.forbidden (audited)
 *                 ─▶ equipment service: band → booking, a unit (reserved or walk-up), an item ─▶ ack ActorState
 *   rental:return ─▶ mayRent ─▶ equipment service: ok → available, damaged → maintenance ─▶ ack ActorState
 *   equipment:subscribe {typeIds} ─▶ join equipment:<typeId> rooms, then read ─▶ ack {levels}
 *                                    then `equipment:availability` after every change of a watched type
 *
 * A pickup's rental id is derived from the desk's nonce, so a retried pickup (lost ack, reconnect to
 * another node) answers the same item instead of handing out a second one.
 */
import type { ActorState, EquipmentAvailability } from '../../machines/contract/wire.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { EquipmentService } from '../../workers/equipment/equipment-service.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { mayRent, mayWatchCounts } from '../policy/role-policy.js';
import { subjectOf } from '../rooms.js';
import { route } from './inbound.js';
import type { Route } from './inbound.js';
import { equipmentRoom } from '../../workers/fanout/change-rooms.js';

/** What the rental routes need. */
export interface RentalRouteDeps {
  /** Absent when the node runs no rentals: pickups and returns are then refused. */
  equipment: Pick<EquipmentService, 'pickup' | 'return' | 'availability'> | undefined;
  trail: AuditTrail;
}

const NO_RENTALS = 'this hub node runs no equipment rentals';

/** The routes of `rental:pickup`, `rental:return`, `equipment:subscribe` and `equipment:unsubscribe`. */
export function rentalRoutes(deps: RentalRouteDeps): {
  'rental:pickup': Route;
  'rental:return': Route;
  'equipment:subscribe': Route;
  'equipment:unsubscribe': Route;
} {
  return {
    'rental:pickup': route('rental:pickup', async ({ principal }, pickup): Promise<Result<ActorState>> => {
      const decision = mayRent(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'equipment.pickup', `equipment-type/${pickup.typeId}`, decision);
      if (deps.equipment === undefined) return refuse('internal', NO_RENTALS);
      const { band, typeId, itemId, nonce } = pickup;
      const request = { bandUid: band, typeId, rentalId: `rent:${nonce}`, ...(itemId === undefined ? {} : { itemId }) };
      return deps.equipment.pickup(request, subjectOf(principal));
    }),

    'rental:return': route('rental:return', async ({ principal }, returned): Promise<Result<ActorState>> => {
      const decision = mayRent(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'equipment.return', `equipment/${returned.itemId}`, decision);
      if (deps.equipment === undefined) return refuse('internal', NO_RENTALS);
      return deps.equipment.return(returned, subjectOf(principal));
    }),

    'equipment:subscribe': route('equipment:subscribe', async ({ socket, principal }, { typeIds }): Promise<Result<{ levels: EquipmentAvailability[] }>> => {
      const decision = mayWatchCounts(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'occupancy.watch', null, decision);
      if (deps.equipment === undefined) return accept({ levels: [] });
      const { equipment } = deps;
      // Join first, then read: a change between the two is either in the reading or pushed after it.
      await socket.join(typeIds.map(equipmentRoom));
      const levels = await Promise.all(typeIds.map((typeId) => equipment.availability(typeId)));
      return accept({ levels: levels.flatMap((level) => (level.ok ? [level.data] : [])) });
    }),

    'equipment:unsubscribe': route('equipment:unsubscribe', async ({ socket }, { typeIds }) => {
      for (const typeId of typeIds) await socket.leave(equipmentRoom(typeId));
      return accept({ unsubscribed: true as const });
    }),
  };
}
