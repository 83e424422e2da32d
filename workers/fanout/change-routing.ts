/**
 * Where a committed change goes, decided from the change alone so every hub node and every
 * worker addresses the same rooms:
 *
 *   notice ─▶ actor:changed ─▶ actor:<kind>:<id>   (authorised subscribers of that actor)
 *          └▶ feed:changed  ─▶ feed:dashboard      (every booking change; admins)
 *          └▶ feed:changed  ─▶ feed:reviews        (bookings entering or leaving under_review)
 */
import type { ActorChanged, FeedChanged, FeedName } from '../../machines/contract/wire.js';
import type { ChangeNotice } from '../actors/change-bus.js';
import { actorRoom, feedRoom } from './change-rooms.js';

/** A feed a change belongs to. */
export interface FeedTarget {
  feed: FeedName;
  zone?: string;
}

/** One emit: a room and what to send there. */
export type RoomMessage =
  | { room: string; event: 'actor:changed'; payload: ActorChanged }
  | { room: string; event: 'feed:changed'; payload: FeedChanged };

/** The wire form of a notice (the previous state stays server-side). */
export function toActorChanged(notice: ChangeNotice): ActorChanged {
  const { kind, id, version, state, status, context, tags, eventType, at, deadline } = notice;
  return { kind, id, version, state, status, context, tags, eventType, at, ...(deadline === undefined ? {} : { deadline }) };
}

/** The feeds a change goes to. */
export function feedsOf(notice: ChangeNotice): FeedTarget[] {
  if (notice.kind !== 'booking') return [];
  const feeds: FeedTarget[] = [{ feed: 'dashboard' }];
  if (notice.state === 'under_review' || notice.from === 'under_review') feeds.push({ feed: 'reviews' });
  return feeds;
}

/** Every single-room emit a change needs, actor room first. */
export function roomMessages(notice: ChangeNotice): RoomMessage[] {
  const change = toActorChanged(notice);
  return [
    { room: actorRoom(notice.kind, notice.id), event: 'actor:changed', payload: change },
    ...feedsOf(notice).map((target): RoomMessage => ({ room: feedRoom(target.feed, target.zone), event: 'feed:changed', payload: { ...target, change } })),
  ];
}
