/**
 * Zod catalog of the wristband actor: one RFID band, its id the band UID. What creates it
 * (input), what may be sent to it (events) and how it is stored (persisted snapshot). Times are
 * epoch milliseconds carried in events.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(128);
const EpochMs = z.number().int().nonnegative();
/** Who caused it: `user:<id>`, `device:<id>`, `system`. */
const Who = z.string().min(1).max(128);

/** Every state of the wristband machine. */
export const WRISTBAND_STATES = ['unlinked', 'active', 'deactivated'] as const;
export const WristbandState = z.enum(WRISTBAND_STATES);
export type WristbandState = z.infer<typeof WristbandState>;

/**
 * Why a band stopped being active: lost, returned at check-out, or replaced (its ticket was
 * reissued by a change of the booking that left no place for it in the new party).
 */
export const DeactivationReason = z.enum(['lost', 'returned', 'replaced']);
export type DeactivationReason = z.infer<typeof DeactivationReason>;

/** What the wristband service gives when it first sees a band. */
export const WristbandInput = z.object({ uid: Id });
export type WristbandInput = z.infer<typeof WristbandInput>;

/**
 * The machine context. The link fields are set while active and kept while deactivated (so a
 * retried deactivation can still give the ticket's band slot back through `holdId`); `reset`
 * clears them all.
 */
export const WristbandContext = WristbandInput.extend({
  ticketId: Id.optional(),
  bookingId: Id.optional(),
  visitorId: Id.optional(),
  since: EpochMs.optional(),
  /** The ledger hold on the ticket's one-band slot taken for this link. */
  holdId: Id.optional(),
  reason: DeactivationReason.optional(),
  deactivatedAt: EpochMs.optional(),
});
export type WristbandContext = z.infer<typeof WristbandContext>;

/** Every event a caller may send (the wristband service: check-in, kiosk, staff). */
export const WristbandEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('band.link'), ticketId: Id, bookingId: Id, visitorId: Id, holdId: Id, at: EpochMs }),
  // The band's ticket was reissued (a change of the paid booking): the band follows to the new
  // ticket of the same place in the party, under a new one-band hold on it. Same booking and visitor.
  z.object({ type: z.literal('band.move'), ticketId: Id, holdId: Id, at: EpochMs, by: Who.optional() }),
  z.object({ type: z.literal('band.deactivate'), reason: DeactivationReason, at: EpochMs, by: Who.optional() }),
  z.object({ type: z.literal('band.reset'), at: EpochMs, by: Who.optional() }),
]);
export type WristbandEvent = z.infer<typeof WristbandEvent>;

/** The persisted snapshot of the current machine version (no final state: always active). */
export const WristbandPersisted = z.object({
  status: z.literal('active'),
  value: WristbandState,
  context: WristbandContext,
  historyValue: z.strictObject({}),
  children: z.strictObject({}),
});
export type WristbandPersisted = z.infer<typeof WristbandPersisted>;

/**
 * The facts callers ask of a wristband (XState state tags, set on the machine's states):
 *
 *   active       linked to a ticket and usable
 */
export const WRISTBAND_TAGS = ['active'] as const;
export type WristbandTag = (typeof WRISTBAND_TAGS)[number];

