/** Gates: ticket and band scans (entry, exit, re-entry), and offline gates' bundles and uploads. */
import type { GateServices, GatesWiring } from '../../../workers/gates/gates.module.js';
import { gatesRuntime } from '../../../workers/gates/gates.module.js';
import { policyRows } from '../../policy/policy-table.js';
import { gateRoutes } from '../../socket/gate-routes.js';
import { offlineRoutes } from '../../socket/offline-routes.js';
import { serviceOf } from '../venue-module.js';
import type { VenueModule } from '../venue-module.js';
import { gatesNode } from './node.js';

export const gatesModule: VenueModule<GateServices, GatesWiring> = {
  ...gatesRuntime,
  node: gatesNode,
  policy: policyRows('gate.scan', 'gate.offline'),
  socket: (ctx) => {
    const gates = serviceOf(ctx.runtime, gatesRuntime);
    return {
      ...gateRoutes({ scans: gates?.scans, trail: ctx.trail, metrics: ctx.metrics }),
      ...offlineRoutes({ bundles: gates?.bundles, sync: gates?.sync, trail: ctx.trail }),
    };
  },
};
