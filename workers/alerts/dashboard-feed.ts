/**
 * The `dashboard` feed of the runtime's core: its rows are the unresolved staff alerts (an alert
 * is a row while open or acknowledged and leaves it when resolved), its snapshot carries the day's
 * counts. Modules add their own changes to it as activity (the bookings module: every booking).
 */
import type { FeedDefinition } from '../projections/feed-definition.js';
import { alertsProjection } from '../projections/venue-projections.js';

export const dashboardFeed: FeedDefinition = {
  name: 'dashboard',
  kinds: ['alert'],
  rows: () => ({ projection: alertsProjection.name, filters: { unresolved: 1 } }),
  route: (change) => (change.kind === 'alert' ? [{ member: change.tags.includes('unresolved') }] : []),
};
