/**
 * The HTTP status of every error code, in one exhaustive table: an HTTP answer `{ok: false, code}`
 * always carries the status listed here, whichever route refused. The table is a
 * `Record<ErrorCode, …>`, so a code added to `machines/errors.ts` without a status here does not
 * compile. Socket acks carry the code only; the status is for HTTP clients and the OpenAPI document.
 *
 *   400 the request is malformed or breaks a rule of the data     409 the state says no (retry after a change)
 *   401 who is calling is unknown or their token is not valid     413 the request is too large
 *   403 the caller is known but may not do this                   429 slow down
 *   404 no such thing (or not yours: ids are not probed)          500 the hub failed (message never echoed)
 *                                                                 503 try again shortly (draining, store, gateway)
 */
import type { ErrorCode } from '../errors.js';

/** The statuses refusals use. */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503;

/** Every error code's HTTP status. */
export const ERROR_STATUS = {
  // actors and events
  'actor.not_found': 404,
  'actor.exists': 409,
  'actor.kind_unknown': 400,
  'event.unknown': 400,
  'event.invalid': 400,
  'event.rejected': 409,
  'input.invalid': 400,
  'snapshot.unsupported_version': 500,
  'snapshot.invalid': 500,
  // capacity ledger
  'slot.not_found': 404,
  'slot.sold_out': 409,
  'slot.invalid': 400,
  // auth and edge
  'auth.missing': 401,
  'auth.invalid': 401,
  'auth.expired': 401,
  'auth.wrong_audience': 401,
  'auth.wrong_type': 401,
  'auth.revoked': 401,
  'auth.forbidden': 403,
  'auth.origin': 403,
  'config.invalid': 500,
  'engine.unavailable': 500,
  'rate.limited': 429,
  'message.too_large': 413,
  'route.not_found': 404,
  'hub.draining': 503,
  // accounts and verification
  'account.unverified': 403,
  'account.suspended': 403,
  'account.invalid': 400,
  'otp.invalid': 400,
  'otp.expired': 400,
  'otp.locked': 429,
  'otp.throttled': 429,
  'signin.failed': 401,
  'session.invalid': 401,
  // catalog and booking rules
  'catalog.not_found': 404,
  'catalog.invalid': 400,
  'booking.limit': 400,
  'booking.hold_limit': 400,
  // payments and refunds
  'payment.signature': 401,
  'payment.stale': 400,
  'payment.unknown': 404,
  'payment.declined': 400,
  'payment.gateway': 503,
  'refund.exceeds_capture': 400,
  // tickets
  'ticket.invalid': 400,
  'ticket.revoked': 400,
  'ticket.not_inside': 400,
  'ticket.wrong_zone': 400,
  'ticket.used': 400,
  'booking.not_paid': 400,
  // lockers
  'locker.none_free': 400,
  'locker.not_yours': 400,
  'locker.wrong_zone': 400,
  // wristbands
  'band.unknown': 400,
  'band.inactive': 400,
  'band.in_use': 400,
  'band.ticket_has_band': 400,
  // equipment rentals
  'equipment.unknown': 400,
  'equipment.none_available': 400,
  'equipment.unavailable': 400,
  'equipment.unreturned': 400,
  // food and the kitchen
  'menu.sold_out': 409,
  'menu.unavailable': 409,
  'menu.modifier_invalid': 400,
  'order.priced_by_client': 400,
  'order.pickup_invalid': 400,
  'order.no_visit': 409,
  'kitchen.wrong_station': 403,
  'kitchen.stale_bump': 409,
  // notifications
  // read side
  'projection.failed': 500,
  // infrastructure
  'store.conflict': 409,
  'store.unavailable': 503,
  internal: 500,
} as const satisfies Record<ErrorCode, RefusalStatus>;

/** The HTTP status of a refusal with `code`. */
export function statusOf(code: ErrorCode): RefusalStatus {
  return ERROR_STATUS[code];
}

/** The codes whose status is `status` (for the OpenAPI document's responses). */
export function codesWithStatus(status: RefusalStatus): ErrorCode[] {
  return (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => ERROR_STATUS[code] === status);
}

/** A refusal whose details are not for the caller: the hub logs them under the reference it gives instead. */
export function isServerFault(code: ErrorCode): boolean {
  return ERROR_STATUS[code] === 500;
}
