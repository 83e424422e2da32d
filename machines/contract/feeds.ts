/**
 * Feeds and lists: live feeds for staff screens and devices (snapshot, then every change, resumable from a cursor), pages of the read models, and handling alerts.
 */
import { z } from 'zod';
import { Id, Unsubscribed } from './common.js';
import { ActorState, ActorChanged } from './actors.js';
import { serverPush, socketEvent } from './contract.js';
import { FloorAlert } from './floor-alert.js';
import { httpRoute } from './contract.js';

/**
 * Live feeds for staff screens and devices, and a visitor's own food orders (`food_orders`, zone =
 * the visitor's user id: every phone of one account sees the same orders). `kitchen`, `lockers`,
 * `rentals` and `food_orders` are kept by their modules (food, lockers, equipment): without the
 * module they answer an empty snapshot.
 */
export const FEEDS = ['dashboard', 'reviews', 'kitchen', 'zone', 'lockers', 'rentals', 'food_orders'] as const;
export const FeedName = z.enum(FEEDS);
export type FeedName = z.infer<typeof FeedName>;

/**
 * Subscribe to a feed: its current rows first (`limit`, default 100), then every change. With the
 * `cursor` of the last snapshot or change seen (after a gap, a reconnect or `feed:resync`), the
 * answer carries what changed since instead, or a fresh snapshot when the cursor is older than
 * what the hub keeps.
 */
export const FeedSubscribe = z.strictObject({
  feed: FeedName,
  zone: Id.optional(),
  cursor: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export type FeedSubscribe = z.infer<typeof FeedSubscribe>;

/**
 * A change pushed to a feed: which actor changed and its new state. `member` says what happens to
 * the feed's list: true, the actor is (now) a row of it (insert or replace by kind and id); false,
 * it left the list (remove its row); absent, it is activity the feed reports (e.g. every booking
 * change on the dashboard) without being one of its rows. `summary` carries the dashboard's counts.
 */
export const FeedChanged = z.object({
  /** A feed of FEEDS, or one a module adds. */
  feed: z.string(),
  zone: z.string().optional(),
  change: ActorChanged,
  member: z.boolean().optional(),
});
export type FeedChanged = z.infer<typeof FeedChanged>;

/** The dashboard's counts for the venue day: what an admin sees first and what moves live. */
export const DashboardSummary = z.object({
  /** The venue-local day (yyyy-mm-dd) the counts are for. */
  day: z.string(),
  /** Bookings of the day's slots by state (`under_review` is the review queue). */
  bookings: z.record(z.string(), z.number().int().nonnegative()),
  /** Payments opened today by state (`pending`, `failed`, `captured`, `refunded`). */
  payments: z.record(z.string(), z.number().int().nonnegative()),
  /** People inside now, by zone. */
  inside: z.record(z.string(), z.number().int().nonnegative()),
  /** Lockers by state (`assigned` = in use). */
  lockers: z.record(z.string(), z.number().int().nonnegative()),
  /** Rental items by state (`in_use` = out), and how many of those are overdue. */
  equipment: z.record(z.string(), z.number().int().nonnegative()),
  equipmentOverdue: z.number().int().nonnegative(),
  /** Alerts not resolved yet. */
  openAlerts: z.number().int().nonnegative(),
  /** The change log position the counts reflect. */
  cursor: z.number().int().nonnegative(),
});
export type DashboardSummary = z.infer<typeof DashboardSummary>;

/** A feed's current rows: the actors in its list (ActorState), newest first, and the next page. */
export const FeedSnapshot = z.object({
  rows: z.array(ActorState),
  /** Pass as `after` to `list:page` for the next rows. */
  next: z.string().optional(),
  /** The dashboard's counts (dashboard feed only). */
  summary: DashboardSummary.optional(),
  /**
   * Zone feeds only: how many are inside the zone now, and in each slot of it, from the tickets
   * read model at `cursor` (a ticket inside counts one, as the occupancy counters do); then follow
   * `occupancy:changed` (occupancy:subscribe) or the feed's ticket changes.
   */
  occupancy: z.object({ zone: z.string(), inside: z.number().int().nonnegative(), slots: z.record(z.string(), z.number().int().nonnegative()) }).optional(),
});
export type FeedSnapshot = z.infer<typeof FeedSnapshot>;

/**
 * The answer to `feed:subscribe`: the snapshot and its cursor, or (when a still-kept cursor was
 * given) the changes after it, oldest first, and the new cursor.
 */
export const FeedSubscribed = z.object({
  /** A feed of FEEDS, or one a module adds. */
  feed: z.string(),
  zone: z.string().optional(),
  cursor: z.number().int().nonnegative(),
  snapshot: FeedSnapshot.optional(),
  changes: z.array(FeedChanged).optional(),
});
export type FeedSubscribed = z.infer<typeof FeedSubscribed>;

/** The read models a client can page through. */
export const LISTS = ['bookings', 'payments', 'tickets', 'lockers', 'equipment', 'alerts', 'devices'] as const;
export const ListName = z.enum(LISTS);
export type ListName = z.infer<typeof ListName>;

/** The fields each list can be filtered by (equality). */
export const LIST_FIELDS = {
  bookings: ['day', 'slotId', 'state', 'visitorId'],
  payments: ['day', 'method', 'state', 'bookingId'],
  tickets: ['zone', 'slotId', 'bookingId', 'state'],
  lockers: ['zone', 'size', 'state', 'bookingId'],
  equipment: ['typeId', 'state', 'bookingId', 'overdue'],
  alerts: ['state', 'unresolved', 'type', 'zone', 'severity'],
  devices: ['deviceKind', 'zone', 'state'],
} as const satisfies Record<ListName, readonly string[]>;

/**
 * One page of a list, newest first: equality filters on the list's fields, words to search for
 * (bookings: reference, visitor name, email, phone), and the `next` of the previous page.
 */
export const ListRequest = z.strictObject({
  list: ListName,
  filters: z.record(z.string().max(32), z.union([z.string().max(128), z.number()])).optional(),
  text: z.string().max(200).optional(),
  after: z.string().max(512).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export type ListRequest = z.infer<typeof ListRequest>;

/** A page of a list: rows (ActorState), the next page's `after`, and the change log position it reflects. */
export const ListPage = z.object({
  list: ListName,
  rows: z.array(ActorState),
  next: z.string().optional(),
  cursor: z.number().int().nonnegative(),
});
export type ListPage = z.infer<typeof ListPage>;

/** Staff acknowledge an alert (who and when are recorded), or resolve it with an optional note. */
export const AlertAcknowledge = z.strictObject({ alertId: z.string().min(1).max(200) });
export type AlertAcknowledge = z.infer<typeof AlertAcknowledge>;
export const AlertResolve = z.strictObject({ alertId: z.string().min(1).max(200), note: z.string().min(1).max(500).optional() });
export type AlertResolve = z.infer<typeof AlertResolve>;

/** The hub tells its sockets that pushes may have been lost (a Redis outage): ask again from your cursors. */
export const FeedResync = z.object({ reason: z.enum(['fanout_interrupted']), at: z.number().int().nonnegative() });
export type FeedResync = z.infer<typeof FeedResync>;

/** The socket events of feeds, lists and alerts. */
export const FEED_EVENTS = {
  'feed:subscribe': socketEvent({
    payload: FeedSubscribe,
    ack: FeedSubscribed,
    summary: 'Follow a feed (dashboard, reviews, kitchen[:station], zone:<z>, lockers[:zone], rentals): its snapshot and cursor first, then every change as feed:changed.',
    description: 'With the cursor of the last snapshot or change seen, the answer carries the changes since (oldest first) or, when the cursor is older than the hub keeps, a fresh snapshot. Ask again from your cursor after a reconnect or a feed:resync. `lockers`: every locker (with `zone`, that zone\'s); `rentals`: the rental items out (state in_use).',
    by: 'staff (dashboard, reviews, zone), kitchen staff and kitchen boards (kitchen), gates (their zone), front-desk staff and locker devices (lockers; a locker device: its own zone), front-desk staff and rental desks (rentals)',
  }),
  'feed:unsubscribe': socketEvent({ payload: FeedSubscribe, ack: Unsubscribed, summary: 'Stop following a feed.', by: 'anyone subscribed' }),
  'list:page': socketEvent({
    payload: ListRequest,
    ack: ListPage,
    summary: 'One page of a read model (bookings, payments, tickets, lockers, equipment, alerts), newest first.',
    description: 'Filters are equalities on the list\'s fields (LIST_FIELDS); `text` searches bookings by reference, visitor name, email and phone; `after` is the previous page\'s `next`; `limit` 1–500 (default 50). A visitor lists only their own bookings.',
    by: 'staff; visitors (own bookings)',
  }),
  'alert:acknowledge': socketEvent({ payload: AlertAcknowledge, ack: ActorState, summary: 'Acknowledge a floor alert (who and when are recorded, audited).', by: 'admins' }),
  'alert:resolve': socketEvent({ payload: AlertResolve, ack: ActorState, summary: 'Resolve a floor alert, with an optional note (audited).', by: 'admins' }),
} as const;

/** The pushes of feeds. */
export const FEED_PUSHES = {
  'feed:changed': serverPush({
    payload: FeedChanged,
    summary: 'A change on a followed feed, with its cursor; `member` says whether the actor is (now) a row of the feed.',
    to: 'feed subscribers',
  }),
  'feed:resync': serverPush({
    payload: FeedResync,
    summary: 'Pushes may have been lost (a Redis outage): subscribe again from the cursors you hold.',
    to: 'every socket',
  }),
  'dashboard:summary': serverPush({ payload: DashboardSummary, summary: 'The dashboard\'s counts moved (at most once a second).', to: 'dashboard feed subscribers' }),
  'floor:alert': serverPush({
    payload: FloorAlert,
    summary: 'Double entries, overdue rentals, lockers held at closing: raised alerts, kept as alert actors (list `alerts`).',
    to: 'dashboard feed subscribers',
  }),
} as const;

const AlertParams = z.strictObject({ id: z.string().min(1).max(200) });

/** The HTTP routes of lists and alerts (same policy, answers and audit rows as their socket events). */
export const FEED_ROUTES = {
  list: httpRoute({
    method: 'GET',
    path: '/api/lists/:list',
    params: z.strictObject({ list: ListName }),
    query: z.looseObject({
      q: z.string().max(200).optional().describe('Words to search for (bookings: reference, visitor name, email, phone).'),
      after: z.string().max(512).optional().describe('The `next` of the previous page.'),
      limit: z.coerce.number().int().min(1).max(500).optional().describe('Rows per page, 1–500 (default 50).'),
    }).describe('Also any of the list\'s fields as equality filters: bookings day, slotId, state, visitorId; payments day, method, state, bookingId; tickets zone, slotId, bookingId, state; lockers zone, size, state, bookingId; equipment typeId, state, bookingId, overdue (0/1); alerts state, unresolved (0/1), type, zone, severity.'),
    answer: ListPage,
    auth: 'bearer',
    by: 'staff; visitors (own bookings)',
    summary: 'One page of a read model, newest first.',
  }),
  acknowledgeAlert: httpRoute({ method: 'POST', path: '/api/admin/alerts/:id/acknowledge', params: AlertParams, answer: ActorState, auth: 'bearer', by: 'admins', summary: 'Acknowledge an alert (audited).' }),
  resolveAlert: httpRoute({ method: 'POST', path: '/api/admin/alerts/:id/resolve', params: AlertParams, body: z.strictObject({ note: z.string().min(1).max(500).optional() }), answer: ActorState, auth: 'bearer', by: 'admins', summary: 'Resolve an alert, with an optional note (audited).' }),
} as const;
