/**
 * The `zone` feed a gate or a zone's screen follows: the tickets inside one zone (the tickets read
 * model), then every change of a ticket of that zone, a row while inside. Always scoped by zone;
 * its snapshot also carries the zone's occupancy.
 */
import { zoneOf } from '../fanout/change-routing.js';
import type { FeedDefinition } from '../projections/feed-definition.js';
import { ticketsProjection } from '../projections/venue-projections.js';

export const zoneFeed: FeedDefinition = {
  name: 'zone',
  kinds: ['ticket'],
  rows: (zone) => (zone === undefined ? null : { projection: ticketsProjection.name, filters: { zone, state: 'inside' } }),
  route(change) {
    const zone = change.kind === 'ticket' ? zoneOf(change.context) : undefined;
    return zone === undefined ? [] : [{ scope: zone, member: change.tags.includes('inside') }];
  },
};
