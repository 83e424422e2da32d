/**
 * The wire contract between the hub and every client (visitor screens, admin dashboards,
 * kitchen boards, gate and locker devices, the SDK). One zod schema per socket event; the
 * server parses every inbound payload with these and clients share the same types.
 *
 *   client ──emit(event, payload, ack)──▶ hub        ack: {ok: true, data} | {ok: false, code, message}
 *   hub ──actor:changed / feed:changed / session:*──▶ client
 *
 * Wire events are `noun:verb`; machine events inside payloads are `noun.verb`.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';
import type { ErrorCode, Result } from '../errors.js';
import type { FloorAlert } from './floor-alert.js';
import type { NotificationAlert } from './notification-alert.js';

/** Roles a person can hold. */
export const PERSON_ROLES = ['visitor', 'super_admin', 'finance_admin', 'booking_admin', 'support_admin', 'kitchen_staff'] as const;
export const PersonRole = z.enum(PERSON_ROLES);
export type PersonRole = z.infer<typeof PersonRole>;

/** Kinds of venue device holding a socket. */
export const DEVICE_KINDS = ['gate', 'locker', 'kitchen_board', 'rental_desk'] as const;
export const DeviceKind = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof DeviceKind>;

const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'letters, digits and _ . : - only, 1–128 characters');

/** A reference to one actor. */
export const ActorRef = z.strictObject({ kind: z.string().regex(/^[a-z_]{1,32}$/), id: Id });
export type ActorRef = z.infer<typeof ActorRef>;

/** The state of one actor as subscribers see it; `version` orders every change. */
export const ActorState = z.object({
  kind: z.string(),
  id: z.string(),
  version: z.number().int().positive(),
  state: z.string(),
  status: z.string(),
  context: z.unknown(),
  /** The facts the state carries (the machine's state tags, e.g. a booking's `admits`, `cancellable`). */
  tags: z.array(z.string()),
  duplicate: z.boolean().optional(),
  /** Epoch ms of the next deadline (a hold's expiry, the review or payment deadline), for countdowns. */
  deadline: z.number().int().optional(),
});
export type ActorState = z.infer<typeof ActorState>;

/**
 * A committed change; a client that sees `version` skip ahead re-subscribes for the current state.
 * `cursor` is the change's place in the hub's change log (the read side's cursor; 0 when the store
 * numbers changes after the commit, as the MongoDB store does).
 */
export const ActorChanged = ActorState.extend({ eventType: z.string(), at: z.number(), cursor: z.number().int().nonnegative() });
export type ActorChanged = z.infer<typeof ActorChanged>;

/** Live feeds for staff screens and devices. */
export const FEEDS = ['dashboard', 'reviews', 'kitchen', 'zone'] as const;
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
  feed: FeedName,
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
});
export type FeedSnapshot = z.infer<typeof FeedSnapshot>;

/**
 * The answer to `feed:subscribe`: the snapshot and its cursor, or (when a still-kept cursor was
 * given) the changes after it, oldest first, and the new cursor.
 */
export const FeedSubscribed = z.object({
  feed: FeedName,
  zone: z.string().optional(),
  cursor: z.number().int().nonnegative(),
  snapshot: FeedSnapshot.optional(),
  changes: z.array(FeedChanged).optional(),
});
export type FeedSubscribed = z.infer<typeof FeedSubscribed>;

/** The read models a client can page through. */
export const LISTS = ['bookings', 'payments', 'tickets', 'lockers', 'equipment', 'alerts'] as const;
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

/** Sends one event to one actor; `commandId` makes a retry answer the same instead of applying twice. */
export const ActorCommand = z.strictObject({
  kind: ActorRef.shape.kind,
  id: Id,
  event: z.looseObject({ type: z.string().min(1).max(64) }),
  commandId: z.string().min(8).max(128).optional(),
});
export type ActorCommand = z.infer<typeof ActorCommand>;

/**
 * A visitor asks to hold places in a slot (the first step of a booking): which ticket types and
 * how many. Prices and whether an admin must approve come from the catalog, never from the client.
 */
export const BookingHold = z.strictObject({
  bookingId: Id,
  slotId: Id,
  items: z.array(z.strictObject({ ticketTypeId: Id, qty: z.number().int().min(1).max(50) })).min(1).max(10),
  addOns: z.array(z.strictObject({ addOnId: Id, qty: z.number().int().min(1).max(20) })).max(20).optional(),
});
export type BookingHold = z.infer<typeof BookingHold>;

/** Why the server asks a client to reconnect (drain) or tells it its session ended. */
export const SessionReconnect = z.object({ reason: z.enum(['draining']), retryAfterMs: z.number().int().nonnegative() });
export type SessionReconnect = z.infer<typeof SessionReconnect>;
export const SessionEnded = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type SessionEnded = z.infer<typeof SessionEnded>;

/**
 * Whose sessions a revocation ends: `user:<userId>` or `device:<deviceId>`. Every token of the
 * subject issued up to now is refused from then on and its open sockets are disconnected.
 */
export const RevocationSubject = z.string().regex(/^(user|device):[A-Za-z0-9_.:-]{1,128}$/, 'user:<id> or device:<id>');
export type RevocationSubject = z.infer<typeof RevocationSubject>;

/** A super admin ends every session of a person (demotion, leaver) or a device (lost, stolen). */
export const AdminRevoke = z.strictObject({ subject: RevocationSubject, reason: z.string().min(1).max(500) });
export type AdminRevoke = z.infer<typeof AdminRevoke>;

/** The answer to `admin:revoke`: tokens issued at or before `revokedBefore` (epoch seconds) are refused. */
export const AdminRevoked = z.object({ subject: RevocationSubject, revokedBefore: z.number().int() });
export type AdminRevoked = z.infer<typeof AdminRevoked>;

/** The places left in one slot, pushed whenever holds take or give back places. */
export const SlotAvailability = z.object({
  slotId: z.string(),
  capacity: z.number().int().nonnegative(),
  taken: z.number().int().nonnegative(),
  remaining: z.number().int().nonnegative(),
  /** Epoch ms of the reading; keep the newest. */
  at: z.number().int().nonnegative(),
});
export type SlotAvailability = z.infer<typeof SlotAvailability>;

/** Watch the places left in some slots (a day's slots on a booking screen). */
export const AvailabilitySubscribe = z.strictObject({ slotIds: z.array(Id).min(1).max(50) });
export type AvailabilitySubscribe = z.infer<typeof AvailabilitySubscribe>;

/**
 * A gate device scans a ticket: the QR payload, a client nonce (a retry of the same scan reuses
 * it and gets the same verdict), the direction and the scan time on the device. The gate and its
 * zone come from the device token, never from the payload.
 */
export const GateScan = z
  .strictObject({
    /** The ticket's QR payload. */
    token: z.string().min(1).max(2048).optional(),
    /** The UID of a tapped RFID wristband. */
    band: z.string().regex(/^[A-Za-z0-9:-]{4,64}$/, 'letters, digits, : and - only, 4–64 characters').optional(),
    nonce: z.string().regex(/^[A-Za-z0-9_.:-]{8,64}$/, 'letters, digits and _ . : - only, 8–64 characters'),
    direction: z.enum(['entry', 'exit']),
    at: z.number().int().nonnegative(),
  })
  .refine((scan) => (scan.token === undefined) !== (scan.band === undefined), { message: 'exactly one of token and band' });
export type GateScan = z.infer<typeof GateScan>;

/** The verdict on a scan, shown by the gate. */
export const ScanVerdict = z.discriminatedUnion('verdict', [
  z.object({
    verdict: z.literal('admitted'),
    ticketId: z.string(),
    bookingId: z.string(),
    ticketTypeId: z.string(),
    holderName: z.string().optional(),
    visitorName: z.string().optional(),
    /** People the booking admits in all. */
    partySize: z.number().int().positive(),
    /** Extras booked with the visit, to hand over at the gate. */
    addOns: z.array(z.object({ addOnId: z.string(), kind: z.enum(['locker', 'equipment', 'food']), qty: z.number().int().positive() })),
    /** False for a single-entry ticket: its exit ends it. */
    reentry: z.boolean(),
  }),
  z.object({ verdict: z.literal('exited'), ticketId: z.string(), bookingId: z.string() }),
  z.object({
    verdict: z.literal('refused'),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    /** With equipment.unreturned: the rented items still out. */
    unreturned: z.array(z.object({ itemId: z.string(), typeId: z.string(), bandUid: z.string().optional() })).optional(),
  }),
  z.object({ verdict: z.literal('already_used'), ticketId: z.string(), at: z.number().int(), gateId: z.string() }),
]);
export type ScanVerdict = z.infer<typeof ScanVerdict>;

/**
 * A rental desk hands out an item: the visitor's tapped wristband, the equipment type, optionally
 * the item the desk picked off the rack (else the hub picks an available one), and a client nonce
 * (a retry of the same pickup reuses it and gets the same item).
 */
export const RentalPickup = z.strictObject({
  /** The UID of the visitor's RFID wristband. */
  band: z.string().regex(/^[A-Za-z0-9:-]{4,64}$/, 'letters, digits, : and - only, 4–64 characters'),
  typeId: Id,
  itemId: Id.optional(),
  nonce: z.string().regex(/^[A-Za-z0-9_.:-]{8,64}$/, 'letters, digits and _ . : - only, 8–64 characters'),
});
export type RentalPickup = z.infer<typeof RentalPickup>;

/** A rental desk takes an item back, in good condition or damaged (then it goes to maintenance). */
export const RentalReturn = z.strictObject({
  itemId: Id,
  condition: z.enum(['ok', 'damaged']),
  note: z.string().min(1).max(500).optional(),
});
export type RentalReturn = z.infer<typeof RentalReturn>;

/** How many items of one equipment type are where, pushed after every pickup, return and repair. */
export const EquipmentAvailability = z.object({
  typeId: z.string(),
  total: z.number().int().nonnegative(),
  available: z.number().int().nonnegative(),
  inUse: z.number().int().nonnegative(),
  maintenance: z.number().int().nonnegative(),
  lost: z.number().int().nonnegative(),
  /** Units free for new reservations and walk-up rentals (available items not promised to a booking). */
  remaining: z.number().int().nonnegative(),
  /** Epoch ms of the reading; keep the newest. */
  at: z.number().int().nonnegative(),
});
export type EquipmentAvailability = z.infer<typeof EquipmentAvailability>;

/** Watch the availability of some equipment types (a rental desk's screen, a dashboard). */
export const EquipmentSubscribe = z.strictObject({ typeIds: z.array(Id).min(1).max(20) });
export type EquipmentSubscribe = z.infer<typeof EquipmentSubscribe>;

const BandUid = z.string().regex(/^[A-Za-z0-9:-]{4,64}$/, 'letters, digits, : and - only, 4–64 characters');

/** How many people are inside a zone or a slot now. */
export const OccupancyLevel = z.object({
  scope: z.enum(['zone', 'slot']),
  id: z.string(),
  inside: z.number().int().nonnegative(),
  /** Epoch ms of the reading; keep the newest. */
  at: z.number().int().nonnegative(),
});
export type OccupancyLevel = z.infer<typeof OccupancyLevel>;

/** Watch who is inside some zones and slots (dashboards, visitor screens); at least one of each list. */
export const OccupancySubscribe = z
  .strictObject({ zones: z.array(Id).max(50).optional(), slotIds: z.array(Id).max(50).optional() })
  .refine((s) => (s.zones?.length ?? 0) + (s.slotIds?.length ?? 0) > 0, { message: 'name at least one zone or slot' });
export type OccupancySubscribe = z.infer<typeof OccupancySubscribe>;

/**
 * A band tapped on a locker's reader: the locker device asks the hub whether this band opens it.
 * Staff may open for a visitor too (same payload).
 */
export const LockerOpen = z.strictObject({ lockerId: Id, band: BandUid });
export type LockerOpen = z.infer<typeof LockerOpen>;

/**
 * A band asks for a locker (kiosk or locker bank): a free locker of the size in the device's zone
 * (staff name the zone). `nonce` makes a retry answer the same locker.
 */
export const LockerClaim = z.strictObject({
  band: BandUid,
  size: z.enum(['small', 'medium', 'large']),
  zone: Id.optional(),
  nonce: z.string().regex(/^[A-Za-z0-9_.:-]{8,64}$/, 'letters, digits and _ . : - only, 8–64 characters'),
});
export type LockerClaim = z.infer<typeof LockerClaim>;

/** The hub tells a locker bank to open a door (after an accepted `locker:open`). */
export const LockerUnlock = z.object({ lockerId: z.string(), bandUid: z.string(), at: z.number().int() });
export type LockerUnlock = z.infer<typeof LockerUnlock>;

/**
 * Activation: a band is linked to a ticket at the gate (check-in) or at a kiosk, by the ticket's QR
 * payload or, for staff, its id. A lost band is replaced with `replaces`.
 */
export const BandLink = z
  .strictObject({
    band: BandUid,
    token: z.string().min(1).max(2048).optional(),
    ticketId: Id.optional(),
    /** The UID of the lost band this one replaces (deactivated, reason lost). */
    replaces: BandUid.optional(),
  })
  .refine((b) => b.replaces !== undefined || (b.token === undefined) !== (b.ticketId === undefined), { message: 'exactly one of token and ticketId (or replaces)' });
export type BandLink = z.infer<typeof BandLink>;

/**
 * How a ticket's QR token is signed, for gates that verify it themselves: the algorithm, the `typ`
 * header and the audience (the values workers/tickets/ticket-token.ts signs and checks with).
 */
export const TICKET_TOKEN_FORMAT = { alg: 'EdDSA', typ: 'vh-ticket+jwt', audience: 'venue-hub:gates' } as const;

/** The public half of a ticket signing key, as `GET /.well-known/ticket-jwks.json` publishes it. */
export const TicketJwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url'),
  kid: z.string().min(1).max(128),
  alg: z.literal('EdDSA'),
  use: z.literal('sig').optional(),
});
export type TicketJwk = z.infer<typeof TicketJwk>;

/** A ticket's entry state as an offline gate keeps it: outside, inside, used up (single entry), revoked. */
export const OFFLINE_TICKET_STATES = ['valid', 'inside', 'used', 'revoked'] as const;
export const OfflineTicketState = z.enum(OFFLINE_TICKET_STATES);
export type OfflineTicketState = z.infer<typeof OfflineTicketState>;

/** One ticket an offline gate may meet today, with its entry state when the bundle was made. */
export const OfflineTicket = z.object({
  ticketId: z.string(),
  bookingId: z.string(),
  ticketTypeId: z.string(),
  slotId: z.string(),
  /** Absent: valid in any zone. */
  zone: z.string().optional(),
  /** The slot window (epoch ms); the signed token adds the grace. */
  validFrom: z.number().int().nonnegative(),
  validUntil: z.number().int().nonnegative(),
  /** `used` also when the booking's visit was closed. */
  state: OfflineTicketState,
  /** False for a single-entry ticket: its exit ends it. */
  reentry: z.boolean(),
  holderName: z.string().optional(),
  /** The UID of the wristband linked to the ticket, so a tap admits offline too. */
  band: z.string().optional(),
});
export type OfflineTicket = z.infer<typeof OfflineTicket>;

/**
 * What a gate downloads to keep admitting while the hub is unreachable: the ticket keys, the
 * tickets valid today in its zone with their entry state, and the revoked ones. Good until the
 * end of the venue day (`validUntil`); fetch a fresh one whenever the hub is reachable.
 */
export const OfflineBundle = z.object({
  gateId: z.string(),
  zone: z.string().optional(),
  /** The `iss` every ticket token carries. */
  issuer: z.string().min(1),
  issuedAt: z.number().int().nonnegative(),
  /** Epoch ms of the end of the venue day the bundle is for. */
  validUntil: z.number().int().nonnegative(),
  keys: z.object({ keys: z.array(TicketJwk).max(20) }),
  tickets: z.array(OfflineTicket),
  revoked: z.array(z.string()),
});
export type OfflineBundle = z.infer<typeof OfflineBundle>;

/** A gate asks for its offline bundle (nothing to say: the gate and zone come from its token). */
export const OfflineBundleRequest = z.strictObject({});
export type OfflineBundleRequest = z.infer<typeof OfflineBundleRequest>;

/** The most scans one `gate:sync` may carry (the per-event size limit usually binds first). */
export const MAX_OFFLINE_SCANS_PER_SYNC = 500;

/** What a gate showed for a scan it judged offline. */
export const OFFLINE_VERDICTS = ['admitted', 'exited', 'refused', 'already_used'] as const;

/**
 * One scan a gate judged while offline, uploaded when the hub is back: the same fields as a
 * `gate:scan` (its own nonce and the time it happened) plus the verdict the gate showed.
 */
export const OfflineScan = z
  .strictObject({
    token: z.string().min(1).max(2048).optional(),
    band: z.string().regex(/^[A-Za-z0-9:-]{4,64}$/, 'letters, digits, : and - only, 4–64 characters').optional(),
    nonce: z.string().regex(/^[A-Za-z0-9_.:-]{8,64}$/, 'letters, digits and _ . : - only, 8–64 characters'),
    direction: z.enum(['entry', 'exit']),
    at: z.number().int().nonnegative(),
    verdictShown: z.enum(OFFLINE_VERDICTS),
  })
  .refine((scan) => (scan.token === undefined) !== (scan.band === undefined), { message: 'exactly one of token and band' })
  .refine((scan) => (scan.verdictShown !== 'admitted' || scan.direction === 'entry') && (scan.verdictShown !== 'exited' || scan.direction === 'exit'), {
    message: 'admitted goes with entry, exited with exit',
  });
export type OfflineScan = z.infer<typeof OfflineScan>;

/** A gate uploads the scans it judged offline, oldest first. */
export const GateSync = z.strictObject({ scans: z.array(OfflineScan).min(1).max(MAX_OFFLINE_SCANS_PER_SYNC) });
export type GateSync = z.infer<typeof GateSync>;

/** What became of one uploaded scan: its passage recorded (maybe as a double entry), or why not. */
export const OfflineScanResult = z.union([
  z.object({ nonce: z.string(), recorded: z.literal(true), ticketId: z.string(), doubleEntry: z.boolean() }),
  z.object({ nonce: z.string(), recorded: z.literal(false), code: z.enum(ERROR_CODES), message: z.string() }),
]);
export type OfflineScanResult = z.infer<typeof OfflineScanResult>;

/** The answer to `gate:sync`: one result per scan, in upload order. */
export const GateSynced = z.object({ results: z.array(OfflineScanResult) });
export type GateSynced = z.infer<typeof GateSynced>;

/** Refusals of an uploaded scan that a later upload may overcome: the gate keeps those scans queued. */
export const RETRYABLE_SYNC_CODES = ['internal', 'store.conflict', 'store.unavailable', 'hub.draining', 'rate.limited'] as const satisfies readonly ErrorCode[];

/** Catalog of client → server events and their payload schemas (the server parses with these). */
export const CLIENT_EVENTS = {
  'actor:subscribe': ActorRef,
  'actor:unsubscribe': ActorRef,
  'actor:command': ActorCommand,
  'feed:subscribe': FeedSubscribe,
  'feed:unsubscribe': FeedSubscribe,
  'booking:hold': BookingHold,
  'admin:revoke': AdminRevoke,
  'availability:subscribe': AvailabilitySubscribe,
  'availability:unsubscribe': AvailabilitySubscribe,
  'gate:scan': GateScan,
  'gate:offline_bundle': OfflineBundleRequest,
  'gate:sync': GateSync,
  'rental:pickup': RentalPickup,
  'rental:return': RentalReturn,
  'equipment:subscribe': EquipmentSubscribe,
  'equipment:unsubscribe': EquipmentSubscribe,
  'occupancy:subscribe': OccupancySubscribe,
  'occupancy:unsubscribe': OccupancySubscribe,
  'locker:open': LockerOpen,
  'locker:claim': LockerClaim,
  'band:link': BandLink,
  'list:page': ListRequest,
  'alert:acknowledge': AlertAcknowledge,
  'alert:resolve': AlertResolve,
} as const;
export type ClientEventName = keyof typeof CLIENT_EVENTS;

/** Every ack has this shape. */
export type Ack<T> = Result<T>;
export type AckFn<T> = (answer: Ack<T>) => void;

/** Typed socket.io events, client → server (for `Server<ClientToServerEvents, …>` and the SDK). */
export interface ClientToServerEvents {
  'actor:subscribe': (payload: ActorRef, ack: AckFn<ActorState>) => void;
  'actor:unsubscribe': (payload: ActorRef, ack: AckFn<{ unsubscribed: true }>) => void;
  'actor:command': (payload: ActorCommand, ack: AckFn<ActorState>) => void;
  'feed:subscribe': (payload: FeedSubscribe, ack: AckFn<FeedSubscribed>) => void;
  'feed:unsubscribe': (payload: FeedSubscribe, ack: AckFn<{ unsubscribed: true }>) => void;
  'booking:hold': (payload: z.input<typeof BookingHold>, ack: AckFn<ActorState>) => void;
  'admin:revoke': (payload: AdminRevoke, ack: AckFn<AdminRevoked>) => void;
  'availability:subscribe': (payload: AvailabilitySubscribe, ack: AckFn<{ slots: SlotAvailability[] }>) => void;
  'availability:unsubscribe': (payload: AvailabilitySubscribe, ack: AckFn<{ unsubscribed: true }>) => void;
  'gate:scan': (payload: GateScan, ack: AckFn<ScanVerdict>) => void;
  'gate:offline_bundle': (payload: OfflineBundleRequest, ack: AckFn<OfflineBundle>) => void;
  'gate:sync': (payload: GateSync, ack: AckFn<GateSynced>) => void;
  'rental:pickup': (payload: RentalPickup, ack: AckFn<ActorState>) => void;
  'rental:return': (payload: RentalReturn, ack: AckFn<ActorState>) => void;
  'equipment:subscribe': (payload: EquipmentSubscribe, ack: AckFn<{ levels: EquipmentAvailability[] }>) => void;
  'equipment:unsubscribe': (payload: EquipmentSubscribe, ack: AckFn<{ unsubscribed: true }>) => void;
  'occupancy:subscribe': (payload: OccupancySubscribe, ack: AckFn<{ levels: OccupancyLevel[] }>) => void;
  'occupancy:unsubscribe': (payload: OccupancySubscribe, ack: AckFn<{ unsubscribed: true }>) => void;
  'locker:open': (payload: LockerOpen, ack: AckFn<LockerUnlock>) => void;
  'locker:claim': (payload: LockerClaim, ack: AckFn<ActorState>) => void;
  'band:link': (payload: z.input<typeof BandLink>, ack: AckFn<ActorState>) => void;
  'list:page': (payload: ListRequest, ack: AckFn<ListPage>) => void;
  'alert:acknowledge': (payload: AlertAcknowledge, ack: AckFn<ActorState>) => void;
  'alert:resolve': (payload: AlertResolve, ack: AckFn<ActorState>) => void;
}

/** Typed socket.io events, server → client. */
export interface ServerToClientEvents {
  'actor:changed': (change: ActorChanged) => void;
  'feed:changed': (change: FeedChanged) => void;
  /** Pushes may have been lost (Redis outage): subscribe again from the cursors you hold. */
  'feed:resync': (info: FeedResync) => void;
  /** The dashboard's counts moved (dashboard feed subscribers). */
  'dashboard:summary': (summary: DashboardSummary) => void;
  'session:reconnect': (info: SessionReconnect) => void;
  'session:ended': (info: SessionEnded) => void;
  /** An in-app alert to the person (NotificationAlert in notification-alert.ts). */
  'notification:alert': (alert: NotificationAlert) => void;
  /** The places left in a slot the socket watches. */
  'slot:availability': (level: SlotAvailability) => void;
  /** How many are inside a watched zone or slot, after every entry and exit. */
  'occupancy:changed': (level: OccupancyLevel) => void;
  /** To locker banks: open this door (the band was accepted). */
  'locker:unlock': (unlock: LockerUnlock) => void;
  /** To staff watching the dashboard feed: double entries, overdue rentals, lockers held at closing. */
  'floor:alert': (alert: FloorAlert) => void;
  /** The item counts of an equipment type the socket watches. */
  'equipment:availability': (level: EquipmentAvailability) => void;
}

/** The `connect_error` data a refused handshake carries. */
export interface HandshakeRefusal {
  code: ErrorCode;
  message: string;
}
