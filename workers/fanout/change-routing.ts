/**
 * Which feeds a committed change belongs to, decided from the change alone so every hub node and
 * every worker addresses the same rooms (the rooms themselves: `outbound.ts`):
 *
 *   notice ─▶ actor:changed ─▶ actor:<kind>:<id>   (authorised subscribers of that actor)
 *          └▶ feed:changed  ─▶ feed:dashboard      (every booking change; admins)
 *          └▶ feed:changed  ─▶ feed:reviews        (bookings entering or leaving under_review)
 */
import type { ActorChanged, FeedName } from '../../machines/contract/wire.js';
import type { ChangeNotice } from '../actors/change-bus.js';

/** A feed a change belongs to. */
export interface FeedTarget {
  feed: FeedName;
  zone?: string;
}

/** The wire form of a notice (the previous state stays server-side). */
export function toActorChanged(notice: ChangeNotice): ActorChanged {
  const { kind, id, version, state, status, context, tags, eventType, at, cursor, deadline } = notice;
  return { kind, id, version, state, status, context, tags, eventType, at, cursor, ...(deadline === undefined ? {} : { deadline }) };
}

/** The feeds a change goes to. */
export function feedsOf(notice: ChangeNotice): FeedTarget[] {
  if (notice.kind !== 'booking') return [];
  const feeds: FeedTarget[] = [{ feed: 'dashboard' }];
  if (notice.state === 'under_review' || notice.from === 'under_review') feeds.push({ feed: 'reviews' });
  return feeds;
}
