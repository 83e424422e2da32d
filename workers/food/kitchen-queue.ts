/**
 * The kitchen's read side: one row per food order (the `food_orders` read model) and the
 * `kitchen` feed the boards follow, snapshot first, then every change with its cursor.
 *
 *   food_orders   by venue day, state, kitchen (1 while preparing or ready), visitor, booking
 *   feed kitchen             the expo board: rows = every order in the kitchen
 *   feed kitchen:<station>   a station board: the same rows (it shows its own station's tickets);
 *                            changes of orders that have a ticket of that station
 *   feed food_orders:<visitor>  one visitor's orders, every state (every phone of the account)
 *
 * An order reaches a station board when it is fired (its tickets are made then) and leaves every
 * board when it is handed over, cancelled or not collected (`member: false`). A board that
 * reconnects asks again from its cursor, or takes a fresh snapshot of the queue.
 */
import type { FoodOrderContext } from '../../machines/food-order.schemas.js';
import { localDate } from '../catalog/venue-time.js';
import type { RoutableChange } from '../fanout/change-routing.js';
import type { FeedDefinition, FeedPlacement } from '../projections/feed-definition.js';
import type { ReadModelSpec } from '../projections/read-model.js';
import { rowKey } from '../projections/read-model.js';
import { rowView } from '../projections/venue-projections.js';

/** The read model's name. */
export const FOOD_ORDERS = 'food_orders';
/** The kitchen feed's name (a built-in name of the contract whose rows this module keeps). */
export const KITCHEN_FEED = 'kitchen';
/** The feed of one visitor's food orders (a contract name too), scoped by the visitor's user id. */
export const VISITOR_FOOD_FEED = 'food_orders';

/** A station id as boards and menu items name it. */
const STATION = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** What the read side reads of an order's context (stored data: read defensively). */
type OrderFacts = Pick<FoodOrderContext, 'placedAt' | 'pickup' | 'tickets'> & Partial<Pick<FoodOrderContext, 'firedAt' | 'fireAt' | 'visitorId' | 'bookingId'>>;

function contextOf(context: unknown): OrderFacts | null {
  if (typeof context !== 'object' || context === null) return null;
  const c = context as OrderFacts;
  return Array.isArray(c.tickets) && typeof c.placedAt === 'number' ? c : null;
}

/** The venue day an order is for: when it went (or goes) to the kitchen, else its pickup time, else when placed. */
export function orderDay(context: Pick<FoodOrderContext, 'placedAt' | 'pickup'> & { firedAt?: number | undefined }, timeZone: string): string {
  const at = context.firedAt ?? (context.pickup.mode === 'at' ? context.pickup.at : context.placedAt);
  return localDate(at, timeZone);
}

/** One row per food order. */
export function foodOrdersProjection(timeZone: string): ReadModelSpec {
  return {
    name: FOOD_ORDERS,
    version: 1,
    kinds: ['food_order'],
    fields: ['day', 'state', 'kitchen', 'visitorId', 'bookingId'],
    row(change) {
      const context = contextOf(change.context);
      if (!context) return null;
      const inKitchen = change.tags.includes('in_kitchen');
      return {
        key: rowKey(change),
        version: change.version,
        fields: { day: orderDay(context, timeZone), state: change.state, kitchen: inKitchen ? 1 : 0, visitorId: context.visitorId ?? null, bookingId: context.bookingId ?? null },
        sort: context.firedAt ?? context.fireAt ?? context.placedAt,
        text: [change.id, context.bookingId ?? ''].join(' ').toLowerCase(),
        data: rowView(change),
      };
    },
  };
}

/** Where an order's change goes on the kitchen feed: the expo, and each station it has a ticket at. */
export function kitchenPlacements(change: RoutableChange): FeedPlacement[] {
  if (change.kind !== 'food_order') return [];
  const context = contextOf(change.context);
  if (!context || context.tickets.length === 0) return [];
  const member = change.tags.includes('in_kitchen');
  return [{ member }, ...context.tickets.map((t) => ({ scope: t.station, member }))];
}

/** The kitchen feed: the expo (no scope) and one scope per station. */
export const kitchenFeed: FeedDefinition = {
  name: KITCHEN_FEED,
  kinds: ['food_order'],
  rows: (scope) => (scope === undefined || STATION.test(scope) ? { projection: FOOD_ORDERS, filters: { kitchen: 1 } } : null),
  route: kitchenPlacements,
};

/** A visitor's orders, by user id: every change of an order is a row of its visitor's feed. */
export const visitorFoodFeed: FeedDefinition = {
  name: VISITOR_FOOD_FEED,
  kinds: ['food_order'],
  rows: (scope) => (scope === undefined ? null : { projection: FOOD_ORDERS, filters: { visitorId: scope } }),
  route(change) {
    if (change.kind !== 'food_order') return [];
    const visitorId = contextOf(change.context)?.visitorId;
    return typeof visitorId === 'string' ? [{ scope: visitorId, member: true }] : [];
  },
};
