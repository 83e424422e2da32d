/**
 * Which feeds a committed change belongs to, decided from the change alone by the feeds' own
 * definitions (`projections/feed-definition.ts`, declared by the runtime's core and its modules), so
 * every hub node and every worker addresses the same rooms (the rooms themselves: `outbound.ts`),
 * and whether the actor is, after the change, one of the rows of the feed's list. For example:
 *
 *   alert   ─▶ dashboard (the core's: member while unresolved)
 *   booking ─▶ dashboard (the bookings module's: activity, every change moves the day's counts)
 *           └▶ reviews   (the bookings module's: member while under_review, pushed entering or leaving review)
 *   ticket  ─▶ zone:<z>  (the tickets module's: member while inside; z = the ticket's zone)
 */
import type { ActorChanged, FeedName } from '../../machines/contract/wire.js';
import type { ChangeNotice } from '../actors/change-bus.js';
import type { FeedDefinition } from '../projections/feed-definition.js';

/** A feed a change belongs to, and what it does to the feed's list (absent: activity, not a row). */
export interface FeedTarget {
  /** A feed of the contract, or one a module adds. */
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

/** Where a change goes in the given feeds, in their order. */
export function feedTargets(feeds: readonly FeedDefinition[], change: RoutableChange): FeedTarget[] {
  const out: FeedTarget[] = [];
  for (const feed of feeds) {
    if (!feed.kinds.includes(change.kind)) continue;
    for (const p of feed.route(change)) out.push({ feed: feed.name, ...(p.scope === undefined ? {} : { zone: p.scope }), ...(p.member === undefined ? {} : { member: p.member }) });
  }
  return out;
}

/** The zone named by an actor's context, if any. */
export function zoneOf(context: unknown): string | undefined {
  if (typeof context !== 'object' || context === null || !('zone' in context)) return undefined;
  return typeof context.zone === 'string' ? context.zone : undefined;
}
