/**
 * Committed changes to socket rooms. The node that commits publishes here (its runtime bus); with
 * the Redis adapter each emit also reaches the same room on every other node.
 *
 *   ChangeNotice ─▶ actor:changed ─▶ actor:<kind>:<id>        (authorised subscribers only: full context)
 *                └▶ feed:changed  ─▶ feed:dashboard           (every booking change; admins only)
 *                └▶ feed:changed  ─▶ feed:reviews             (bookings entering or leaving under_review)
 *
 * One room per emit, never `to([a, b])`: a single-room broadcast without `except` takes socket.io's
 * uWebSockets.js fast path (one native publish per topic, no per-socket JavaScript), which is also
 * why a large fan-out does not hold up acks to gates.
 */
import type { ActorChanged, FeedName } from '../../machines/contract/wire.js';
import type { ChangeBus, ChangeNotice } from '../../workers/actors/change-bus.js';
import type { HubMetrics } from '../metrics.js';
import { actorRoom, feedRoom } from '../rooms.js';
import type { HubIo } from './types.js';

/** A feed a change belongs to. */
export interface FeedTarget {
  feed: FeedName;
  zone?: string;
}

/** Events that can take a booking out of review (approve, reject, cancel, the review deadline). */
const LEAVES_REVIEW = new Set(['booking.approve', 'booking.reject', 'booking.cancel', 'xstate.after.review.booking.under_review']);

/**
 * Which feeds a change goes to, derived from the change alone so every node (and a worker) agrees.
 * The reviews feed may also see a cancellation of a booking that was never in review (a notice
 * does not say the previous state); its clients drop ids they do not list.
 */
export function feedsOf(notice: ChangeNotice): FeedTarget[] {
  if (notice.kind !== 'booking') return [];
  const feeds: FeedTarget[] = [{ feed: 'dashboard' }];
  if (notice.state === 'under_review' || (LEAVES_REVIEW.has(notice.eventType) && needsApproval(notice.context))) feeds.push({ feed: 'reviews' });
  return feeds;
}

function needsApproval(context: unknown): boolean {
  return typeof context === 'object' && context !== null && 'requiresApproval' in context && context.requiresApproval === true;
}

/** Forwards the bus to socket rooms until the returned function is called. */
export function startFanout(deps: { io: HubIo; bus: Pick<ChangeBus, 'subscribe'>; metrics: HubMetrics }): () => void {
  return deps.bus.subscribe((notice) => {
    const change: ActorChanged = {
      kind: notice.kind,
      id: notice.id,
      version: notice.version,
      state: notice.state,
      status: notice.status,
      context: notice.context,
      eventType: notice.eventType,
      at: notice.at,
    };
    deps.io.to(actorRoom(notice.kind, notice.id)).emit('actor:changed', change);
    deps.metrics.messageOut('actor:changed');
    for (const target of feedsOf(notice)) {
      deps.io.to(feedRoom(target.feed, target.zone)).emit('feed:changed', { ...target, change });
      deps.metrics.messageOut('feed:changed');
    }
  });
}
