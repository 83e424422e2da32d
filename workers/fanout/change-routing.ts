/**
 * Which feeds a committed change belongs to, decided from the change alone so every hub node and
 * every worker addresses the same rooms (the rooms themselves: `outbound.ts`), and whether the
 * actor is, after the change, one of the rows of the feed's list:
 *
 *   booking ─▶ dashboard (activity: every booking change moves the day's counts)
 *           └▶ reviews   (member while under_review; pushed when it enters or leaves review)
 *   alert   ─▶ dashboard (member while unresolved)
 *   ticket  ─▶ zone:<z>  (member while inside; z = the ticket's zone)
 */
import type { ActorChanged, FeedName } from '../../machines/contract/wire.js';
import type { ChangeNotice } from '../actors/change-bus.js';

/** A feed a change belongs to, and what it does to the feed's list (absent: activity, not a row). */
export interface FeedTarget {
  /** A built-in feed, or one a module adds. */
  feed: FeedName | string;
  zone?: string;
  member?: boolean;
}

/** What routing reads of a change; `from` is absent when replaying the change log. */
export type RoutableChange = Pick<ChangeNotice, 'kind' | 'state' | 'tags' | 'context'> & { from?: string | null };

/** The wire form of a notice (the previous state stays server-side). */
export function toActorChanged(notice: ChangeNotice): ActorChanged {
  const { kind, id, version, state, status, context, tags, eventType, at, cursor, deadline } = notice;
  return { kind, id, version, state, status, context, tags, eventType, at, cursor, ...(deadline === undefined ? {} : { deadline }) };
}

function zoneOf(context: unknown): string | undefined {
  if (typeof context !== 'object' || context === null || !('zone' in context)) return undefined;
  return typeof context.zone === 'string' ? context.zone : undefined;
}

/**
 * The feeds a change goes to. Live pushes (with `from`) reach `reviews` only when the booking
 * enters or leaves review; a replay (no `from`) reports every booking's membership.
 */
export function feedsOf(change: RoutableChange): FeedTarget[] {
  switch (change.kind) {
    case 'booking': {
      const feeds: FeedTarget[] = [{ feed: 'dashboard' }];
      const inReview = change.tags.includes('in_review');
      if (inReview || change.from === undefined || change.from === 'under_review') feeds.push({ feed: 'reviews', member: inReview });
      return feeds;
    }
    case 'alert':
      return [{ feed: 'dashboard', member: change.tags.includes('unresolved') }];
    case 'ticket': {
      const zone = zoneOf(change.context);
      return zone === undefined ? [] : [{ feed: 'zone', zone, member: change.tags.includes('inside') }];
    }
    default:
      return [];
  }
}
