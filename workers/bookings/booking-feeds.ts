/**
 * What the bookings module adds to the feeds:
 *
 *   reviews     rows: bookings under review (the bookings read model); a live change is pushed only
 *               when the booking enters or leaves review, a replay (no `from`) reports every
 *               booking's membership
 *   dashboard   every booking change, as activity (it moves the day's counts; the rows are alerts)
 */
import type { FeedDefinition } from '../projections/feed-definition.js';
import { bookingsProjection } from '../projections/venue-projections.js';

/** The review queue: bookings under review. */
export const reviewsFeed: FeedDefinition = {
  name: 'reviews',
  kinds: ['booking'],
  rows: () => ({ projection: bookingsProjection.name, filters: { state: 'under_review' } }),
  route(change) {
    if (change.kind !== 'booking') return [];
    const inReview = change.tags.includes('in_review');
    return inReview || change.from === undefined || change.from === 'under_review' ? [{ member: inReview }] : [];
  },
};

/** Every booking change, as activity on the dashboard. */
export const bookingActivity: FeedDefinition = {
  name: 'dashboard',
  kinds: ['booking'],
  route: (change) => (change.kind === 'booking' ? [{}] : []),
};
