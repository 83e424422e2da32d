/** Wristbands: linking RFID bands to tickets at gates and desks. */
import type { WristbandService } from '../../../workers/wristbands/wristband-service.js';
import { wristbandsRuntime } from '../../../workers/wristbands/wristbands.module.js';
import { policyRows } from '../../policy/policy-table.js';
import { floorRoutes } from '../../socket/floor-routes.js';
import { pickRoutes } from '../pick-routes.js';
import type { VenueModule } from '../venue-module.js';
import { floorRouteDeps } from '../visits/floor-deps.js';

export const wristbandsModule: VenueModule<WristbandService> = {
  ...wristbandsRuntime,
  policy: policyRows('band.link'),
  socket: (ctx) => pickRoutes(floorRoutes(floorRouteDeps(ctx)), 'band:link'),
};
