/**
 * The read side at the edge: watching actors and feeds (snapshot, then stream), paging lists, and
 * acknowledging and resolving staff alerts. The projections themselves belong to the modules whose
 * actors they read; staff alerts and the dashboard are the runtime's core.
 */
import { listRoutes } from '../../api/list-routes.js';
import { policyRows } from '../../policy/policy-table.js';
import { readRoutes } from '../../socket/read-routes.js';
import { subscriptionRoutes } from '../../socket/subscriptions.js';
import { edgeModule } from '../venue-module.js';

export const readSideModule = edgeModule({
  name: 'read-side',
  policy: policyRows(
    'feed.dashboard',
    'feed.reviews',
    'feed.kitchen',
    'feed.zone',
    'list.bookings',
    'list.payments',
    'list.tickets',
    'list.lockers',
    'list.equipment',
    'list.alerts',
    'alert.acknowledge',
    'alert.resolve',
  ),
  socket: ({ runtime, trail }) => ({
    ...subscriptionRoutes({ host: runtime.host, feeds: runtime.feeds, trail }),
    ...readRoutes({ feeds: runtime.feeds, alerts: runtime.alerts, trail }),
  }),
  http: ({ runtime, trail, authenticate, node }) => (node === undefined ? [] : listRoutes({ authenticate, feeds: runtime.feeds, alerts: runtime.alerts, trail })),
});
