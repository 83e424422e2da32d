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
import type { NotificationAlert } from './notification-alert.js';

/** Roles a person can hold. */
export const PERSON_ROLES = ['visitor', 'super_admin', 'finance_admin', 'booking_admin', 'support_admin', 'kitchen_staff'] as const;
export const PersonRole = z.enum(PERSON_ROLES);
export type PersonRole = z.infer<typeof PersonRole>;

/** Kinds of venue device holding a socket. */
export const DEVICE_KINDS = ['gate', 'locker', 'kitchen_board'] as const;
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
  duplicate: z.boolean().optional(),
  /** Epoch ms of the next deadline (a hold's expiry, the review or payment deadline), for countdowns. */
  deadline: z.number().int().optional(),
});
export type ActorState = z.infer<typeof ActorState>;

/** A committed change; a client that sees `version` skip ahead re-subscribes for the current state. */
export const ActorChanged = ActorState.extend({ eventType: z.string(), at: z.number() });
export type ActorChanged = z.infer<typeof ActorChanged>;

/** Live feeds for staff screens and devices. */
export const FEEDS = ['dashboard', 'reviews', 'kitchen', 'zone'] as const;
export const FeedName = z.enum(FEEDS);
export type FeedName = z.infer<typeof FeedName>;

export const FeedSubscribe = z.strictObject({ feed: FeedName, zone: Id.optional() });
export type FeedSubscribe = z.infer<typeof FeedSubscribe>;

/** A change pushed to a feed: which actor changed and its new state. */
export const FeedChanged = z.object({ feed: FeedName, zone: z.string().optional(), change: ActorChanged });
export type FeedChanged = z.infer<typeof FeedChanged>;

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
  z.object({ verdict: z.literal('admitted'), ticketId: z.string(), bookingId: z.string(), ticketTypeId: z.string(), holderName: z.string().optional() }),
  z.object({ verdict: z.literal('exited'), ticketId: z.string(), bookingId: z.string() }),
  z.object({ verdict: z.literal('refused'), code: z.enum(ERROR_CODES), message: z.string() }),
  z.object({ verdict: z.literal('already_used'), ticketId: z.string(), at: z.number().int(), gateId: z.string() }),
]);
export type ScanVerdict = z.infer<typeof ScanVerdict>;

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
  'feed:subscribe': (payload: FeedSubscribe, ack: AckFn<{ feed: FeedName; zone?: string }>) => void;
  'feed:unsubscribe': (payload: FeedSubscribe, ack: AckFn<{ unsubscribed: true }>) => void;
  'booking:hold': (payload: z.input<typeof BookingHold>, ack: AckFn<ActorState>) => void;
  'admin:revoke': (payload: AdminRevoke, ack: AckFn<AdminRevoked>) => void;
  'availability:subscribe': (payload: AvailabilitySubscribe, ack: AckFn<{ slots: SlotAvailability[] }>) => void;
  'availability:unsubscribe': (payload: AvailabilitySubscribe, ack: AckFn<{ unsubscribed: true }>) => void;
  'gate:scan': (payload: GateScan, ack: AckFn<ScanVerdict>) => void;
}

/** Typed socket.io events, server → client. */
export interface ServerToClientEvents {
  'actor:changed': (change: ActorChanged) => void;
  'feed:changed': (change: FeedChanged) => void;
  'session:reconnect': (info: SessionReconnect) => void;
  'session:ended': (info: SessionEnded) => void;
  /** An in-app alert to the person (NotificationAlert in notification-alert.ts). */
  'notification:alert': (alert: NotificationAlert) => void;
  /** The places left in a slot the socket watches. */
  'slot:availability': (level: SlotAvailability) => void;
}

/** The `connect_error` data a refused handshake carries. */
export interface HandshakeRefusal {
  code: ErrorCode;
  message: string;
}
