/**
 * The `rentals` feed the rental desk follows: the items out now (state `in_use`, overdue or not),
 * snapshot from the equipment read model, then every change of an item out or coming back.
 *
 *   pickup ─▶ {member: true}    overdue ─▶ {member: true, context.overdue}    return, charge ─▶ {member: false}
 *
 * Live, an item's change is pushed when it is out or was out just before (a repair or a new item
 * concerns no desk); a resync from a cursor reports every item's membership.
 */
import type { RoutableChange } from '../fanout/change-routing.js';
import type { FeedDefinition, FeedPlacement } from '../projections/feed-definition.js';
import { equipmentProjection } from '../projections/venue-projections.js';

/** The feed's name (a feed of the contract whose rows this module keeps). */
export const RENTALS_FEED = 'rentals';
/** The state of an item handed out. */
const OUT = 'in_use';

/** Where an item's change goes in the rentals feed. */
export function rentalPlacements(change: RoutableChange): FeedPlacement[] {
  if (change.kind !== 'equipment') return [];
  const out = change.state === OUT;
  return out || change.from === undefined || change.from === OUT ? [{ member: out }] : [];
}

/** The rentals feed (no scopes). */
export const rentalsFeed: FeedDefinition = {
  name: RENTALS_FEED,
  kinds: ['equipment'],
  rows: (scope) => (scope === undefined ? { projection: equipmentProjection.name, filters: { state: OUT } } : null),
  route: rentalPlacements,
};
