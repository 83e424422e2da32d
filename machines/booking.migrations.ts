/**
 * Versions of the booking machine's persisted shape and how an older snapshot is brought forward.
 *
 *   v1 ──▶ v2   `expired` stopped being final (a late payment may still confirm or refund the
 *               booking), so a v1 expired snapshot stored with status `done` becomes `active`;
 *               every other v1 snapshot is already a valid v2 snapshot.
 *   v2 ──▶ v3   a `leaving` state (check-out grace) and optional add-ons and departure fields:
 *               every v2 snapshot is already a valid v3 snapshot.
 *   v3 ──▶ v4   `refunded` and `checked_out` stopped being final (finance refunds, refund outcomes
 *               and unusable payments are still accounted for on the booking), so those stored
 *               with status `done` become `active`; the new context fields are optional.
 *   v4 ──▶ v5   changes of paid bookings: optional context fields (the ticket numbering base, a
 *               change waiting for payment, the changes made), new events and effects; every v4
 *               snapshot is already a valid v5 snapshot. The version moved so that a v4 node
 *               refuses a v5 snapshot instead of reading it without its reissued tickets.
 *
 * Pure data in, data out: the host parses the result with the current schema afterwards.
 */
import { CodedError } from './errors.js';

/** Version of the booking machine's persisted shape; bump it and add a migration on incompatible change. */
export const BOOKING_MACHINE_VERSION = 5;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A snapshot stored as done in one of `states`, made active; anything else unchanged (never mutated). */
function reopen(persisted: unknown, states: readonly string[]): unknown {
  if (isRecord(persisted) && states.includes(String(persisted['value'])) && persisted['status'] === 'done') {
    return { ...persisted, status: 'active' };
  }
  return persisted;
}

/** v1 → v2: only the status of an expired booking changes. */
function fromV1(persisted: unknown): unknown {
  return reopen(persisted, ['expired']);
}

/** v3 → v4: refunded and checked-out bookings are no longer final. */
function fromV3(persisted: unknown): unknown {
  return reopen(persisted, ['refunded', 'checked_out']);
}

/**
 * Brings a stored booking snapshot from an older version (< BOOKING_MACHINE_VERSION) to the
 * current one; any other version is refused with `snapshot.unsupported_version`.
 */
export function migrateBookingSnapshot(persisted: unknown, fromVersion: number): unknown {
  switch (fromVersion) {
    case 1:
      return fromV3(fromV1(persisted));
    case 2:
      return fromV3(persisted);
    case 3:
      return fromV3(persisted);
    case 4:
      return persisted;
    default:
      throw new CodedError(
        'snapshot.unsupported_version',
        `booking snapshot version ${String(fromVersion)} cannot be read by booking machine version ${BOOKING_MACHINE_VERSION}`,
      );
  }
}
