/**
 * Live places per slot for booking screens: any signed-in person may watch up to 50 slots (not a
 * guest session: policy row occupancy.watch); the answer carries the current levels, then
 * `slot:availability` follows every change.
 */
import type { SlotAvailability } from '../../machines/contract/wire.js';
import { accept } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { CapacityLedger } from '../../workers/store/actor-store.js';
import { slotRoom } from '../../workers/fanout/change-rooms.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { mayWatchCounts } from '../policy/role-policy.js';
import { route } from './inbound.js';
import type { Route } from './inbound.js';

/** The routes of `availability:subscribe` and `availability:unsubscribe`. */
export function availabilityRoutes(deps: { ledger: Pick<CapacityLedger, 'level'>; clock: () => number; trail: AuditTrail }): {
  'availability:subscribe': Route;
  'availability:unsubscribe': Route;
} {
  return {
    'availability:subscribe': route('availability:subscribe', async ({ socket, principal }, { slotIds }): Promise<Result<{ slots: SlotAvailability[] }>> => {
      const decision = mayWatchCounts(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'occupancy.watch', null, decision);
      // Join first, then read: a change between the two is either in the reading or pushed after it.
      await socket.join(slotIds.map(slotRoom));
      const at = deps.clock();
      const levels = await Promise.all(slotIds.map((slotId) => deps.ledger.level(slotId)));
      return accept({ slots: levels.flatMap((level) => (level ? [{ ...level, at }] : [])) });
    }),
    'availability:unsubscribe': route('availability:unsubscribe', async ({ socket }, { slotIds }) => {
      for (const slotId of slotIds) await socket.leave(slotRoom(slotId));
      return accept({ unsubscribed: true as const });
    }),
  };
}
