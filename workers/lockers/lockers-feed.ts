/**
 * The `lockers` feed the locker counter (and a locker bank's screen) follows: snapshot from the
 * lockers read model, then every locker change with its cursor.
 *
 *   feed lockers          every locker, whatever its state (the counter lists free and in use)
 *   feed lockers:<zone>   the lockers of one zone (a locker device: its own zone's)
 *
 * Every locker is a row of the feed it belongs to (`member: true` on every change): assigned,
 * freed, taken out of service, a locker only changes state. A counter that reconnects asks again
 * from its cursor, or takes a fresh snapshot.
 */
import type { RoutableChange } from '../fanout/change-routing.js';
import type { FeedDefinition, FeedPlacement } from '../projections/feed-definition.js';
import { lockersProjection } from '../projections/venue-projections.js';

/** The feed's name (a feed of the contract whose rows this module keeps). */
export const LOCKERS_FEED = 'lockers';

/** Where a locker's change goes: the whole venue's feed and its zone's. */
export function lockerPlacements(change: RoutableChange): FeedPlacement[] {
  if (change.kind !== 'locker') return [];
  const context = change.context;
  const zone = typeof context === 'object' && context !== null && 'zone' in context && typeof context.zone === 'string' ? context.zone : undefined;
  return zone === undefined ? [{ member: true }] : [{ member: true }, { scope: zone, member: true }];
}

const EVERY_LOCKER: Readonly<Record<string, never>> = {};

/** The lockers feed: every locker, and one scope per zone. */
export const lockersFeed: FeedDefinition = {
  name: LOCKERS_FEED,
  kinds: ['locker'],
  rows: (scope) => ({ projection: lockersProjection.name, filters: scope === undefined ? EVERY_LOCKER : { zone: scope } }),
  route: lockerPlacements,
};
