/**
 * Visits: occupancy by zone and slot (watched live), the close of a visit, and the staff's floor
 * admin (check-out, lockers, equipment and bands by hand).
 */
import type { VisitService } from '../../../workers/visits/visit-service.js';
import type { VisitsWiring } from '../../../workers/visits/visits.module.js';
import { visitsRuntime } from '../../../workers/visits/visits.module.js';
import { floorAdminRoutes } from '../../api/floor-admin-routes.js';
import { policyRows } from '../../policy/policy-table.js';
import { floorRoutes } from '../../socket/floor-routes.js';
import { pickRoutes } from '../pick-routes.js';
import type { VenueModule } from '../venue-module.js';
import { floorRouteDeps } from './floor-deps.js';
import { visitsNode } from './node.js';

export const visitsModule: VenueModule<VisitService, VisitsWiring> = {
  ...visitsRuntime,
  node: visitsNode,
  policy: policyRows('booking.check_out', 'occupancy.watch'),
  socket: (ctx) => pickRoutes(floorRoutes(floorRouteDeps(ctx)), 'occupancy:subscribe', 'occupancy:unsubscribe'),
  http({ node, runtime, log }) {
    if (node === undefined) return [];
    return floorAdminRoutes({
      tokens: node.tokens,
      revocations: runtime.access.revocations,
      host: runtime.host,
      lockers: runtime.lockers,
      equipment: runtime.equipment,
      bands: runtime.wristbands,
      audit: runtime.access.audit,
      log,
    });
  },
};
