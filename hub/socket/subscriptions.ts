/**
 * State-based subscriptions: joining a room answers with the current state and its version;
 * every later `actor:changed` carries the new version, and a client that sees a gap re-subscribes.
 *
 *   actor:subscribe ─▶ read ─▶ policy (ownership needs the state) ─▶ join actor room ─▶ read again ─▶ ack state
 *   feed:subscribe  ─▶ policy ─▶ join feed room ─▶ snapshot {rows, summary?} and its cursor
 *                      (with a kept cursor: the feed's changes since it instead)
 *
 * The second read closes the window between the first read and the join: a change committed in it
 * was broadcast before this socket was in the room, and is contained in what the second read returns.
 */
import type { ActorState, FeedName, FeedSubscribed } from '../../machines/contract/wire.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { ActorHost } from '../../workers/actors/actor-host.js';
import type { Feeds } from '../../workers/projections/feeds.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { mayWatchActor, mayWatchFeed } from '../policy/role-policy.js';
import { actorRoom, feedRoom } from '../rooms.js';
import { route } from './inbound.js';
import type { Route } from './inbound.js';

/** What the subscription handlers need. */
export interface SubscriptionDeps {
  host: Pick<ActorHost, 'read'>;
  /** The feeds' snapshots and resyncs; without them a feed answers an empty snapshot. */
  feeds: Pick<Feeds, 'subscribe'> | undefined;
  trail: AuditTrail;
}

/** The routes of `actor:subscribe`, `actor:unsubscribe`, `feed:subscribe`, `feed:unsubscribe`. */
export function subscriptionRoutes(deps: SubscriptionDeps): {
  'actor:subscribe': Route;
  'actor:unsubscribe': Route;
  'feed:subscribe': Route;
  'feed:unsubscribe': Route;
} {
  return {
    'actor:subscribe': route('actor:subscribe', async ({ socket, principal }, ref): Promise<Result<ActorState>> => {
      const first = await deps.host.read(ref.kind, ref.id);
      const decision = mayWatchActor(principal, ref.kind, first.ok ? first.data : null);
      if (!decision.allowed) return deps.trail.deny(principal, 'actor.subscribe', `${ref.kind}/${ref.id}`, decision);
      if (!first.ok) return first;
      await socket.join(actorRoom(ref.kind, ref.id));
      return deps.host.read(ref.kind, ref.id);
    }),

    'actor:unsubscribe': route('actor:unsubscribe', async ({ socket }, ref) => {
      await socket.leave(actorRoom(ref.kind, ref.id));
      return accept({ unsubscribed: true as const });
    }),

    'feed:subscribe': route('feed:subscribe', async ({ socket, principal }, { feed, zone, cursor, limit }): Promise<Result<FeedSubscribed>> => {
      const shape = feedShape(feed, zone);
      if (!shape.ok) return shape;
      const decision = mayWatchFeed(principal, feed, zone);
      if (!decision.allowed) return deps.trail.deny(principal, 'feed.subscribe', feedRoom(feed, zone), decision);
      // Join first, then read: a change committed in between is in the snapshot or pushed after it.
      await socket.join(feedRoom(feed, zone));
      if (!deps.feeds) return accept({ feed, ...(zone === undefined ? {} : { zone }), cursor: 0, snapshot: { rows: [] } });
      return deps.feeds.subscribe({ feed, zone, cursor, limit });
    }),

    'feed:unsubscribe': route('feed:unsubscribe', async ({ socket }, { feed, zone }) => {
      await socket.leave(feedRoom(feed, zone));
      return accept({ unsubscribed: true as const });
    }),
  };
}

/** Feeds that may be narrowed by `zone`: the kitchen's to a station, the lockers' to a zone (the zone feed and a visitor's food orders always are). */
const SCOPED: ReadonlySet<FeedName> = new Set<FeedName>(['zone', 'kitchen', 'lockers', 'food_orders']);

/** The zone feed is always per zone, the food orders per visitor; the kitchen feed is per station or the expo (none); lockers per zone or all. */
function feedShape(feed: FeedName, zone: string | undefined): Result<true> {
  if (feed === 'zone' && zone === undefined) return refuse('event.invalid', 'zone: the zone feed needs a zone');
  if (feed === 'food_orders' && zone === undefined) return refuse('event.invalid', "zone: the food_orders feed needs the visitor's user id");
  if (!SCOPED.has(feed) && zone !== undefined) return refuse('event.invalid', `zone: the ${feed} feed takes no zone`);
  return accept(true);
}
