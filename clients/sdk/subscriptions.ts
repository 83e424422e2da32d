/**
 * What one client follows: the latest state per actor (shared by every handle on the same
 * actor, so the hub sees one subscription) and the feeds. Ordering follows `version-order.ts`;
 * a gap or a reconnect re-subscribes, and a subscribe that got no answer is retried.
 *
 * A feed's pushes can arrive before its subscribe's answer (the hub joins the room, then reads):
 *
 *   feed:subscribe ─▶ push c=11 ─▶ push c=8 ─▶ answer {snapshot, cursor 10}
 *                     held          held        snapshot ─▶ c=11 applied; c=8 dropped (in the snapshot)
 */
import type { ActorChanged, ActorRef, ActorState, FeedChanged, FeedSnapshot, FeedSubscribe, FeedSubscribed } from '../../machines/contract/wire.js';
import { isClientErrorCode } from './codes.js';
import type { HubResult } from './codes.js';
import type { HubClientLog } from './connection.js';
import { decideVersion } from './version-order.js';
import type { StateSource } from './version-order.js';

/** How a state reached a listener. `gap`: notices were missed before this one (a resync follows). */
export interface StateUpdate {
  source: StateSource;
  gap: boolean;
  /** The machine event that produced this state, for change notices. */
  eventType?: string;
}

/** Receives every newer state of one actor, in version order. */
export type ActorListener = (state: ActorState, update: StateUpdate) => void;

/** A handle on one actor subscription. */
export interface ActorSubscription {
  readonly ref: ActorRef;
  /** The first subscribe answer: the state, or why the hub refused (then nothing follows). */
  readonly ready: Promise<HubResult<ActorState>>;
  /** The latest state known, if any. */
  current(): ActorState | undefined;
  /** Stops this handle; the hub is told once the last handle on the actor is gone. */
  unsubscribe(): Promise<void>;
}

/** Receives feed changes. */
export type FeedListener = (change: FeedChanged) => void;

/** Receives a feed's snapshot: on subscribing, and whenever the hub answers a resync with a fresh one. */
export type FeedSnapshotListener = (snapshot: FeedSnapshot, cursor: number) => void;

/** A handle on one feed subscription. */
export interface FeedSubscription {
  readonly feed: FeedSubscribe;
  readonly ready: Promise<HubResult<FeedSubscribed>>;
  /** The change log position of the last snapshot or change applied (what a resync asks from). */
  cursor(): number | undefined;
  unsubscribe(): Promise<void>;
}

/** The hub calls the registry needs (each answers within the client's request timeout). */
export interface SubscriptionDeps {
  log: HubClientLog;
  subscribeActor(ref: ActorRef): Promise<HubResult<ActorState>>;
  unsubscribeActor(ref: ActorRef): Promise<HubResult<{ unsubscribed: true }>>;
  subscribeFeed(feed: FeedSubscribe): Promise<HubResult<FeedSubscribed>>;
  unsubscribeFeed(feed: FeedSubscribe): Promise<HubResult<{ unsubscribed: true }>>;
}

/** The registry behind a client. */
export interface Subscriptions {
  actor(ref: ActorRef, listener: ActorListener): ActorSubscription;
  feed(feed: FeedSubscribe, listener: FeedListener, onSnapshot?: FeedSnapshotListener): FeedSubscription;
  onActorChanged(change: ActorChanged): void;
  onFeedChanged(change: FeedChanged): void;
  resubscribeAll(why: string): void;
  clear(): void;
}

interface ActorEntry {
  ref: ActorRef;
  state: ActorState | undefined;
  listeners: Set<ActorListener>;
  inFlight: Promise<HubResult<ActorState>> | undefined;
  again: boolean;
}

interface FeedEntry {
  feed: FeedSubscribe;
  listeners: Set<FeedListener>;
  snapshotListeners: Set<FeedSnapshotListener>;
  /** The cursor of the last snapshot or change applied; a resync asks from it. */
  cursor: number | undefined;
  /**
   * Pushes that arrived while a subscribe (the first or a resync) was in flight: applied after its
   * answer, those it does not already reflect only, so nothing goes back behind a snapshot. Kept
   * until the last answer in flight is in (a later snapshot replaces what an earlier answer showed).
   */
  held: FeedChanged[] | undefined;
  /** Subscribes in flight. */
  pending: number;
  /** Last version seen per actor, to drop late duplicates; bounded. */
  seen: Map<string, number>;
  /** The answer to the first subscribe (set right after the entry is registered). */
  first: Promise<HubResult<FeedSubscribed>> | undefined;
}

const RETRY_MS = 1_000;
const SEEN_LIMIT = 10_000;
const actorKey = (kind: string, id: string) => `${kind}/${id}`;
const feedKey = (feed: string, zone: string | undefined) => `${feed}:${zone ?? ''}`;

/** Creates an empty registry. */
export function createSubscriptions(deps: SubscriptionDeps): Subscriptions {
  const actors = new Map<string, ActorEntry>();
  const feeds = new Map<string, FeedEntry>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let cleared = false;

  const later = (work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!cleared) work();
    }, RETRY_MS);
    timers.add(timer);
  };

  function offer(entry: ActorEntry, state: ActorState, source: StateSource, eventType?: string): void {
    const decision = decideVersion(entry.state?.version, state.version, source);
    if (decision === 'ignore') return;
    entry.state = state;
    const update: StateUpdate = eventType === undefined ? { source, gap: decision === 'apply-gap' } : { source, gap: decision === 'apply-gap', eventType };
    for (const listener of entry.listeners) {
      try {
        listener(state, update);
      } catch (error) {
        deps.log.warn('an actor listener threw', { actor: actorKey(entry.ref.kind, entry.ref.id), error: String(error) });
      }
    }
    if (decision === 'apply-gap') void sync(entry, 'resync');
  }

  function sync(entry: ActorEntry, source: StateSource): Promise<HubResult<ActorState>> {
    if (entry.inFlight) {
      entry.again = true;
      return entry.inFlight;
    }
    const key = actorKey(entry.ref.kind, entry.ref.id);
    const inFlight = deps.subscribeActor(entry.ref).then((result) => {
      entry.inFlight = undefined;
      if (actors.get(key) !== entry) return result;
      if (result.ok) offer(entry, result.data, source);
      else if (isClientErrorCode(result.code)) {
        if (result.code !== 'client.closed') later(() => actors.get(key) === entry && void sync(entry, 'resync'));
      } else {
        // The hub refused (not found, forbidden …): this subscription is over.
        deps.log.warn('actor subscription refused', { actor: key, code: result.code, message: result.message });
        actors.delete(key);
      }
      if (entry.again && actors.get(key) === entry) {
        entry.again = false;
        void sync(entry, 'resync');
      }
      return result;
    });
    entry.inFlight = inFlight;
    return inFlight;
  }

  function syncFeed(entry: FeedEntry): Promise<HubResult<FeedSubscribed>> {
    const key = feedKey(entry.feed.feed, entry.feed.zone);
    const request = entry.cursor === undefined ? entry.feed : { ...entry.feed, cursor: entry.cursor };
    // The hub joins the feed's room before it reads the snapshot: pushes may come before the answer.
    entry.pending++;
    entry.held ??= [];
    return deps.subscribeFeed(request).then((result) => {
      entry.pending--;
      if (feeds.get(key) !== entry) return result;
      const held = entry.held ?? [];
      if (entry.pending === 0) entry.held = undefined;
      if (result.ok) applyFeedAnswer(entry, result.data);
      for (const change of held) if (!result.ok || !reflects(result.data, change)) deliverFeed(entry, change);
      if (result.ok) return result;
      if (isClientErrorCode(result.code)) {
        if (result.code !== 'client.closed') later(() => feeds.get(key) === entry && void syncFeed(entry));
      } else {
        deps.log.warn('feed subscription refused', { feed: key, code: result.code, message: result.message });
        feeds.delete(key);
      }
      return result;
    });
  }

  /** A snapshot replaces what was seen; changes since the cursor are applied like pushes. */
  function applyFeedAnswer(entry: FeedEntry, answer: FeedSubscribed): void {
    if (answer.snapshot) {
      entry.seen.clear();
      for (const row of answer.snapshot.rows) entry.seen.set(actorKey(row.kind, row.id), row.version);
      entry.cursor = answer.cursor;
      for (const listener of entry.snapshotListeners) listener(answer.snapshot, answer.cursor);
      return;
    }
    for (const change of answer.changes ?? []) deliverFeed(entry, change);
    entry.cursor = Math.max(entry.cursor ?? 0, answer.cursor);
  }

  /**
   * Is a push already in an answer? Its cursor is at or below the answer's (a cursor of 0 is not
   * known yet, MongoDB: only its version tells, in `deliverFeed`).
   */
  function reflects(answer: FeedSubscribed, change: FeedChanged): boolean {
    return change.change.cursor > 0 && change.change.cursor <= answer.cursor;
  }

  function deliverFeed(entry: FeedEntry, change: FeedChanged): void {
    const key = actorKey(change.change.kind, change.change.id);
    const seen = entry.seen.get(key);
    if (seen !== undefined && change.change.version <= seen) return;
    entry.seen.delete(key); // re-insert so the map's order is least recently changed first
    entry.seen.set(key, change.change.version);
    if (entry.seen.size > SEEN_LIMIT) {
      const oldest = entry.seen.keys().next();
      if (!oldest.done) entry.seen.delete(oldest.value);
    }
    entry.cursor = Math.max(entry.cursor ?? 0, change.change.cursor);
    for (const listener of entry.listeners) {
      try {
        listener(change);
      } catch (error) {
        deps.log.warn('a feed listener threw', { feed: feedKey(change.feed, change.zone), error: String(error) });
      }
    }
  }

  return {
    actor(ref, listener) {
      const key = actorKey(ref.kind, ref.id);
      let entry = actors.get(key);
      let ready: Promise<HubResult<ActorState>>;
      if (entry) {
        entry.listeners.add(listener);
        const known = entry.state;
        if (known) {
          queueMicrotask(() => entry?.listeners.has(listener) && listener(known, { source: 'subscribe', gap: false }));
          ready = Promise.resolve({ ok: true, data: known });
        } else ready = entry.inFlight ?? sync(entry, 'subscribe');
      } else {
        entry = { ref: { kind: ref.kind, id: ref.id }, state: undefined, listeners: new Set([listener]), inFlight: undefined, again: false };
        actors.set(key, entry);
        ready = sync(entry, 'subscribe');
      }
      const mine = entry;
      return {
        ref: mine.ref,
        ready,
        current: () => mine.state,
        async unsubscribe() {
          mine.listeners.delete(listener);
          if (mine.listeners.size > 0 || actors.get(key) !== mine) return;
          actors.delete(key);
          await deps.unsubscribeActor(mine.ref);
        },
      };
    },

    feed(feed, listener, onSnapshot) {
      const key = feedKey(feed.feed, feed.zone);
      let entry = feeds.get(key);
      if (entry) {
        entry.listeners.add(listener);
        if (onSnapshot) entry.snapshotListeners.add(onSnapshot);
      } else {
        entry = { feed: { ...feed }, listeners: new Set([listener]), snapshotListeners: new Set(onSnapshot ? [onSnapshot] : []), cursor: undefined, held: undefined, pending: 0, seen: new Map(), first: undefined };
        feeds.set(key, entry);
        entry.first = syncFeed(entry);
      }
      const mine = entry;
      return {
        feed: mine.feed,
        ready: mine.first ?? syncFeed(mine),
        cursor: () => mine.cursor,
        async unsubscribe() {
          mine.listeners.delete(listener);
          if (mine.listeners.size > 0 || feeds.get(key) !== mine) return;
          feeds.delete(key);
          await deps.unsubscribeFeed(mine.feed);
        },
      };
    },

    onActorChanged(change) {
      const entry = actors.get(actorKey(change.kind, change.id));
      if (entry) offer(entry, change, 'change', change.eventType);
    },

    onFeedChanged(change) {
      const entry = feeds.get(feedKey(change.feed, change.zone));
      if (!entry) return;
      if (entry.held) entry.held.push(change);
      else deliverFeed(entry, change);
    },

    resubscribeAll(why) {
      deps.log.debug('re-subscribing', { why, actors: actors.size, feeds: feeds.size });
      for (const entry of actors.values()) void sync(entry, 'resync');
      for (const entry of feeds.values()) void syncFeed(entry);
    },

    clear() {
      cleared = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      actors.clear();
      feeds.clear();
    },
  };
}
