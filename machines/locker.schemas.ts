/**
 * Zod catalog of the locker actor: one physical locker with a zone and a size. What creates it
 * (input), what may be sent to it (events), what it asks the host to do (effects) and how it is
 * stored (persisted snapshot). Times are epoch milliseconds carried in events.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(128);
const EpochMs = z.number().int().nonnegative();
/** Who caused it: `user:<id>`, `device:<id>`, `system`. */
const Who = z.string().min(1).max(128);

/** Every state of the locker machine. */
export const LOCKER_STATES = ['free', 'assigned', 'out_of_service'] as const;
export const LockerState = z.enum(LOCKER_STATES);
export type LockerState = z.infer<typeof LockerState>;

export const LockerSize = z.enum(['small', 'medium', 'large']);
export type LockerSize = z.infer<typeof LockerSize>;

/** What `defineLockers` gives when it creates a locker. */
export const LockerInput = z.object({
  lockerId: Id,
  zone: Id,
  size: LockerSize,
});
export type LockerInput = z.infer<typeof LockerInput>;

/**
 * The machine context. The assignment fields are set exactly while assigned. `holdId` is the
 * ledger hold of the last assignment or out-of-service period; it stays after the locker leaves
 * that state so a retried release can still give the hold back (the ledger releases once).
 */
export const LockerContext = LockerInput.extend({
  assignmentId: Id.optional(),
  bandUid: Id.optional(),
  bookingId: Id.optional(),
  visitorId: Id.optional(),
  since: EpochMs.optional(),
  holdId: Id.optional(),
});
export type LockerContext = z.infer<typeof LockerContext>;

/** Every event a caller may send (the locker service, the locker device, an admin). */
export const LockerEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('locker.assign'), assignmentId: Id, bandUid: Id, bookingId: Id, visitorId: Id, at: EpochMs }),
  z.object({ type: z.literal('locker.release'), at: EpochMs, by: Who }),
  // `bandUid` is the band the locker was assigned to; `presentedBy` the band tapped, when it replaced that one.
  z.object({ type: z.literal('locker.open'), bandUid: Id, presentedBy: Id.optional(), at: EpochMs }),
  z.object({ type: z.literal('locker.out_of_service'), holdId: Id, at: EpochMs, by: Who }),
  z.object({ type: z.literal('locker.back_in_service'), at: EpochMs, by: Who }),
]);
export type LockerEvent = z.infer<typeof LockerEvent>;

/** Every effect the locker emits; the host writes each as an outbox row. */
export const LockerEffect = z.discriminatedUnion('type', [
  // The locker device opens the door.
  z.object({ type: z.literal('locker.unlock'), lockerId: Id, bandUid: Id, at: EpochMs }),
]);
export type LockerEffect = z.infer<typeof LockerEffect>;

/** The persisted snapshot of the current machine version (no final state: always active). */
export const LockerPersisted = z.object({
  status: z.literal('active'),
  value: LockerState,
  context: LockerContext,
  historyValue: z.strictObject({}),
  children: z.strictObject({}),
});
export type LockerPersisted = z.infer<typeof LockerPersisted>;

/**
 * The facts callers ask of a locker (XState state tags, set on the machine's states):
 *
 *   available    free to assign
 *   in_use       assigned to a band
 */
export const LOCKER_TAGS = ['available', 'in_use'] as const;
export type LockerTag = (typeof LOCKER_TAGS)[number];

