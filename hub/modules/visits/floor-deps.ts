/** What the floor's socket routes (occupancy, lockers, bands) are built from. */
import type { FloorRouteDeps } from '../../socket/floor-routes.js';
import type { EdgeContext } from '../venue-module.js';

export function floorRouteDeps(ctx: EdgeContext): FloorRouteDeps {
  const { runtime } = ctx;
  return {
    visits: runtime.visits,
    lockers: { open: (id, band, who) => runtime.lockers.open(id, band, who), claim: (r, a, who) => runtime.lockers.claim(r, a, who), read: (id) => runtime.host.read('locker', id) },
    bands: runtime.wristbands,
    host: runtime.host,
    ...(ctx.ticketTokens === undefined ? {} : { tickets: ctx.ticketTokens }),
    trail: ctx.trail,
    clock: ctx.clock,
  };
}
