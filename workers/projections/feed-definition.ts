/**
 * A feed, as the module that adds it (or adds its changes to it) declares it: which read model
 * answers its snapshot, which actor kinds its changes come from, and where a committed change goes
 * in it. Decided from the change alone, so every hub node and worker addresses the same rooms.
 *
 *   subscribe(name, scope) ─▶ rows(scope) ─▶ a page of that read model, its cursor
 *   commit ─▶ route(change) ─▶ [{scope, member}] ─▶ feed:changed to feed:<name>[:<scope>]
 *
 * Several definitions may share a name: one keeps the feed's rows (`rows`), the others add the
 * changes of their kinds to it (the bookings module's changes are activity on the runtime's
 * dashboard). Every feed, the contract's built-in ones among them, is declared this way.
 */
import type { RoutableChange } from '../fanout/change-routing.js';
import type { FieldValue } from './read-model.js';

/** Where a change goes in a feed; `member` says whether the actor is (now) one of its rows. */
export interface FeedPlacement {
  scope?: string;
  member?: boolean;
}

/** One feed of a module, or a module's changes added to another's feed. */
export interface FeedDefinition {
  /** The feed's name (letters, digits, `_`): `feed:subscribe {feed: name}`. */
  readonly name: string;
  /** The actor kinds whose changes it carries. */
  readonly kinds: readonly string[];
  /**
   * The read model (projection name) and filter of its rows for a scope; null when the scope is not
   * one. Absent in a definition that only adds changes to a feed whose rows another keeps.
   */
  rows?(scope: string | undefined): { projection: string; filters: Readonly<Record<string, FieldValue>> } | null;
  /** Where a change goes in the feed (none: not this feed's). */
  route(change: RoutableChange): readonly FeedPlacement[];
}
