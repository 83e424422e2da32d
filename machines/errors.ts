/**
 * The closed list of error codes. Every refusal the product gives (ack, HTTP body,
 * connect_error) carries exactly one of these; clients switch over them exhaustively.
 */
export const ERROR_CODES = [
  // actors and events
  'actor.not_found',
  'actor.exists',
  'actor.kind_unknown',
  'event.unknown',
  'event.invalid',
  'event.rejected',
  'input.invalid',
  'snapshot.unsupported_version',
  'snapshot.invalid',
  // capacity ledger
  'slot.not_found',
  'slot.sold_out',
  'slot.invalid',
  // auth and edge
  'auth.missing',
  'auth.invalid',
  'auth.expired',
  'auth.wrong_audience',
  'auth.wrong_type',
  'auth.revoked',
  'auth.forbidden',
  'auth.origin',
  'config.invalid',
  'engine.unavailable',
  'rate.limited',
  'message.too_large',
  'route.not_found',
  // the node is shutting down: retry on another node (see session:reconnect)
  'hub.draining',
  // accounts and verification
  'account.unverified',
  'account.suspended',
  'account.invalid',
  'otp.invalid',
  'otp.expired',
  'otp.locked',
  'otp.throttled',
  'signin.failed',
  'session.invalid',
  // catalog and booking rules
  'catalog.not_found',
  'catalog.invalid',
  'booking.limit',
  'booking.hold_limit', // the visitor already holds the most unpaid places allowed (in the slot or in total)
  // payments and refunds
  'payment.signature',
  'payment.stale',
  'payment.unknown',
  'payment.declined',
  'payment.gateway',
  'refund.exceeds_capture',
  // tickets
  'ticket.invalid',
  'ticket.revoked',
  'ticket.not_inside',
  'ticket.wrong_zone', // the ticket is for another zone than the gate's
  'ticket.used', // a single-entry ticket that has already been in and out
  'booking.not_paid', // the ticket's booking is not paid (or no longer admits): cancelled, refunded, expired
  // lockers
  'locker.none_free',
  'locker.not_yours', // the band is not the one the locker is assigned to (or the locker is not assigned)
  'locker.wrong_zone', // the locker is not in the zone of the device that asked
  // wristbands
  'band.unknown',
  'band.inactive',
  'band.in_use',
  'band.ticket_has_band',
  // equipment rentals
  'equipment.unknown', // no such rental item, or no items of that equipment type on this venue
  'equipment.none_available', // not enough units of the equipment type left for the reservation or walk-up rental
  'equipment.unavailable', // the named item is not available (in use, in maintenance or lost)
  'equipment.unreturned', // the booking still has rented items out; return them or have staff charge them
  // food and the kitchen
  'menu.sold_out', // the item is 86'd for now
  'menu.unavailable', // the item is not served at the time the order is for (outside its windows)
  'menu.modifier_invalid', // a modifier or choice of another item, one chosen twice, or too few / too many choices
  'order.priced_by_client', // the order carried a price or a total: the menu prices every line
  'order.pickup_invalid', // a pickup time that has passed, or sooner than the order can be prepared
  'order.no_visit', // ordering during the visit needs the visitor's paid booking for today, not over yet
  'kitchen.wrong_station', // the board is not the station of the ticket it bumped or recalled
  'kitchen.stale_bump', // the ticket is not at the stage the board saw (another board bumped it first), or nothing to recall
  // notifications
  // read side
  'projection.failed', // a read model stopped on a change it could not apply (an alert on the dashboard; lists are behind)
  // infrastructure
  'store.conflict',
  'store.unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A coded refusal: the shape of every `{ok: false}` answer. */
export interface Refusal {
  ok: false;
  code: ErrorCode;
  message: string;
}

/** The shape of every successful answer. */
export interface Accepted<T> {
  ok: true;
  data: T;
}

export type Result<T> = Accepted<T> | Refusal;

export function refuse(code: ErrorCode, message: string): Refusal {
  return { ok: false, code, message };
}

export function accept<T>(data: T): Accepted<T> {
  return { ok: true, data };
}

/** Thrown inside the kernel when a coded refusal must cross a call stack (e.g. a failed migration). */
export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}
