/**
 * Gates and tickets: scans and their verdicts, the ticket token format and keys, and the offline bundle and sync of a gate that lost the hub.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { socketEvent } from './contract.js';
import { Id } from './common.js';
import { httpRoute } from './contract.js';
import { TicketContext, TicketState } from '../ticket.schemas.js';

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

/** An extra booked with the visit that the party collects on the way in (a locker key, a towel, a meal voucher). */
export const AddOnToCollect = z.object({ addOnId: z.string(), kind: z.enum(['locker', 'equipment', 'food']), qty: z.number().int().positive() });
export type AddOnToCollect = z.infer<typeof AddOnToCollect>;

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
    addOns: z.array(AddOnToCollect),
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
  /**
   * The display name of the visitor who booked, as an online verdict shows it (`visitorName`), so an
   * offline gate greets the party the same way; nothing else of the account is in the bundle.
   */
  visitorName: z.string().optional(),
  /** The UID of the wristband linked to the ticket, so a tap admits offline too. */
  band: z.string().optional(),
  /** People the ticket's booking admits in all, and the extras to hand over (as an online verdict shows them). */
  partySize: z.number().int().positive().optional(),
  addOns: z.array(AddOnToCollect).optional(),
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

/** How long before its slot starts and after it ends a ticket still admits, in minutes (signed into the token as nbf / exp). */
export const TICKET_VALIDITY_GRACE_MINUTES = 60;

/** The socket events of gates. */
export const GATE_EVENTS = {
  'gate:scan': socketEvent({
    payload: GateScan,
    ack: ScanVerdict,
    summary: 'A gate scans a ticket QR or a wristband; answers the verdict to show.',
    description: `A ticket admits from ${TICKET_VALIDITY_GRACE_MINUTES} minutes before its slot starts to ${TICKET_VALIDITY_GRACE_MINUTES} minutes after it ends (signed into the token as nbf/exp). Retrying with the same nonce answers the same verdict. The gate and its zone come from the device token.`,
    by: 'gate devices',
  }),
  'gate:offline_bundle': socketEvent({ payload: OfflineBundleRequest, ack: OfflineBundle, summary: 'Download what the gate needs to keep admitting offline: keys, today\'s tickets of its zone with their entry state, revocations.', by: 'gate devices' }),
  'gate:sync': socketEvent({ payload: GateSync, ack: GateSynced, summary: 'Upload the scans judged offline, oldest first; one result per scan (keep the ones refused with a RETRYABLE_SYNC_CODES code).', by: 'gate devices' }),
} as const;

/** A ticket of a booking as its visitor sees it; `token` (the signed QR payload) until it is revoked. */
export const BookingTicket = TicketContext.extend({ state: TicketState, version: z.number().int(), token: z.string().optional() });


/** The HTTP routes of tickets. */
export const TICKET_ROUTES = {
  tickets: httpRoute({
    method: 'GET',
    path: '/api/bookings/:id/tickets',
    params: z.strictObject({ id: Id }),
    answer: z.array(BookingTicket),
    auth: 'bearer',
    by: 'the booking\'s visitor, staff',
    summary: 'The tickets of a booking with their signed QR payloads.',
    description: `Tickets are issued by the hub right after the booking becomes \`confirmed\` (an outbox effect, usually well under a second): until then, and for a moment after, the list is empty. Wait for the booking's \`confirmed\` change, then ask again after a short pause while the list is empty. Each token is an EdDSA JWS (typ vh-ticket+jwt, audience venue-hub:gates) valid from ${TICKET_VALIDITY_GRACE_MINUTES} minutes before its slot starts to ${TICKET_VALIDITY_GRACE_MINUTES} minutes after it ends; verify it with GET /.well-known/ticket-jwks.json.`,
  }),
  qr: httpRoute({
    method: 'GET',
    path: '/api/tickets/:id/:file',
    params: z.strictObject({ id: Id, file: z.enum(['qr.svg', 'qr.png']) }),
    answer: z.string(),
    produces: ['image/svg+xml', 'image/png'],
    auth: 'bearer',
    by: 'the ticket\'s visitor, staff',
    summary: 'The ticket\'s QR image (ticket.revoked once revoked).',
  }),
  ticketKeys: httpRoute({
    method: 'GET',
    path: '/.well-known/ticket-jwks.json',
    answer: z.object({ keys: z.array(TicketJwk) }),
    produces: ['application/json'],
    auth: 'none',
    by: 'anyone (gates)',
    summary: 'The public keys ticket tokens are signed with (a JWK set, not wrapped in {ok, data}).',
  }),
} as const;
