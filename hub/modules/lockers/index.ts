/** Lockers: locker banks opening doors for bands, claims at the desk, the lockers feed, and the staff's locker admin. */
import type { LockerService } from '../../../workers/lockers/locker-service.js';
import { lockersRuntime } from '../../../workers/lockers/lockers.module.js';
import { policyRows } from '../../policy/policy-table.js';
import { floorRoutes } from '../../socket/floor-routes.js';
import { pickRoutes } from '../pick-routes.js';
import type { VenueModule } from '../venue-module.js';
import { floorRouteDeps } from '../visits/floor-deps.js';
import { lockersNode } from './node.js';

export const lockersModule: VenueModule<LockerService> = {
  ...lockersRuntime,
  node: lockersNode,
  policy: policyRows('locker.use', 'locker.assign', 'locker.release', 'locker.out_of_service', 'locker.back_in_service', 'locker.define', 'feed.lockers'),
  socket: (ctx) => pickRoutes(floorRoutes(floorRouteDeps(ctx)), 'locker:open', 'locker:claim'),
};
