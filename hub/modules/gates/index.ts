/** Gates: ticket and band scans (entry, exit, re-entry), and offline gates' bundles and uploads. */
import { createScanService } from '../../../workers/gates/scan-service.js';
import { policyRows } from '../../policy/policy-table.js';
import { gateRoutes } from '../../socket/gate-routes.js';
import { offlineRoutes } from '../../socket/offline-routes.js';
import { edgeModule } from '../venue-module.js';

export const gatesModule = edgeModule({
  name: 'gates',
  policy: policyRows('gate.scan', 'gate.offline'),
  socket: (ctx) => {
    const { runtime } = ctx;
    return {
      ...gateRoutes({
        scans:
          ctx.ticketTokens === undefined
            ? undefined
            : createScanService({
                host: runtime.host,
                tickets: ctx.ticketTokens,
                bands: runtime.wristbands,
                rentals: {
                  unreturned: async (bookingId) => {
                    const out = await runtime.equipment.unreturned(bookingId);
                    return out.ok ? out.data : [];
                  },
                },
                ...(ctx.visitorName === undefined ? {} : { visitorName: ctx.visitorName }),
                clock: ctx.clock,
                log: ctx.log,
              }),
        trail: ctx.trail,
        metrics: ctx.metrics,
      }),
      ...offlineRoutes({ bundles: ctx.offline?.bundles, sync: ctx.offline?.sync, trail: ctx.trail }),
    };
  },
});
