/**
 * Zod catalog of the ticket actor: one ticket per admitted person, created by the ticket
 * issuer when a booking is confirmed and revoked when the booking is cancelled or refunded.
 *
 * Times are epoch milliseconds carried in the input and in events (the machine has no clock).
 */
import { z } from 'zod';

const Id = z.string().min(1).max(64);
const EpochMs = z.number().int().nonnegative();

/** A ticket id: `${bookingId}-t${n}`, so it is a little longer than other ids and must be a valid actor id. */
export const TicketId = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9_.:-]+$/, { error: 'ticket ids use letters, digits and _ . : - only' });
export type TicketId = z.infer<typeof TicketId>;

/**
 * Every state of the ticket machine: `valid` is outside (never scanned in, or scanned out of a
 * re-entry ticket), `inside` after an entry scan, `used` after the exit of a single-entry ticket,
 * `revoked` for good.
 */
export const TICKET_STATES = ['valid', 'inside', 'used', 'revoked'] as const;

/** The states of version 1 (before gate scans). */
export const TICKET_V1_STATES = ['valid', 'revoked'] as const;

/** The states of version 2 (before single-entry tickets). */
export const TICKET_V2_STATES = ['valid', 'inside', 'revoked'] as const;

/** Which way a gate scan goes. */
export const ScanDirection = z.enum(['entry', 'exit']);
export type ScanDirection = z.infer<typeof ScanDirection>;

/** Where and when a gate scan happened; `nonce` is the scan's (absent in version 2 snapshots). */
export const GatePassage = z.object({ at: EpochMs, gateId: Id, nonce: z.string().min(8).max(64).optional() });
export type GatePassage = z.infer<typeof GatePassage>;

/** The states after which the ticket accepts no event (XState status `done`). */
export const TICKET_FINAL_STATES = ['revoked'] as const;

/** A ticket state name. */
export const TicketState = z.enum(TICKET_STATES);
export type TicketState = z.infer<typeof TicketState>;

const TicketFields = z.object({
  ticketId: TicketId,
  bookingId: Id,
  visitorId: Id,
  ticketTypeId: Id,
  slotId: Id,
  /**
   * The ticket's number within its booking, 1-based; a paid booking's change reissues its tickets
   * numbered after the earlier ones, so the bound is well above any one party.
   */
  seq: z.number().int().min(1).max(100_000),
  /** The slot window the ticket admits in; the signed QR adds a grace on both sides. */
  validFrom: EpochMs,
  validUntil: EpochMs,
  holderName: z.string().min(1).max(100).optional(),
  issuedAt: EpochMs,
  /** The zone of the ticket's activity; a gate bound to another zone refuses it. Absent: any zone. */
  zone: Id.optional(),
  /** False for a single-entry ticket (its exit scan ends it); absent or true: re-entry after an exit. */
  reentry: z.boolean().optional(),
});

/** What the issuer gives when it creates a ticket. */
export const TicketInput = TicketFields.refine((t) => t.validUntil > t.validFrom, {
  message: 'validUntil must be after validFrom',
  path: ['validUntil'],
});
export type TicketInput = z.infer<typeof TicketInput>;

/** The machine context: the input, the last gate passages and how the ticket ended. */
export const TicketContext = TicketFields.extend({
  /** The last admitted entry scan: an entry while inside is answered "already used" with it. */
  lastEntry: GatePassage.optional(),
  lastExit: GatePassage.optional(),
  /** Entries recorded while already inside (offline gates that could not know): the newest few. */
  doubleEntries: z.array(GatePassage).max(20).optional(),
  /** The wristband linked to this ticket, when one is. */
  bandUid: Id.optional(),
  revokedAt: EpochMs.optional(),
  revokeReason: z.string().min(1).max(200).optional(),
});
export type TicketContext = z.infer<typeof TicketContext>;

/** Every event a caller may send. */
export const TicketEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ticket.revoke'), reason: z.string().min(1).max(200), at: EpochMs }),
  z.object({
    type: z.literal('ticket.scan'),
    direction: ScanDirection,
    gateId: Id,
    nonce: z.string().min(8).max(64),
    at: EpochMs,
  }),
  /**
   * A scan a gate made while it could not reach the hub, uploaded later. It happened: an entry
   * while inside (or after a single-entry ticket was used) is recorded as a double entry.
   */
  z.object({
    type: z.literal('ticket.offline_scan'),
    direction: ScanDirection,
    gateId: Id,
    nonce: z.string().min(8).max(64),
    at: EpochMs,
  }),
  /** A wristband was linked to the ticket (or unlinked: no uid). */
  z.object({ type: z.literal('ticket.band'), bandUid: Id.optional(), at: EpochMs }),
]);
export type TicketEvent = z.infer<typeof TicketEvent>;

const Passage = z.object({ ticketId: TicketId, bookingId: Id, slotId: Id, zone: Id.optional(), at: EpochMs, gateId: Id });

/**
 * Every effect the ticket emits. `holdId` names the occupancy unit of this stay (taken on entry,
 * given back on exit), so a redelivered effect counts once.
 */
export const TicketEffect = z.discriminatedUnion('type', [
  Passage.extend({ type: z.literal('ticket.entered'), holdId: Id }),
  Passage.extend({ type: z.literal('ticket.exited'), holdId: Id.optional(), used: z.boolean() }),
  Passage.extend({ type: z.literal('ticket.double_entry'), previous: GatePassage.optional(), state: z.enum(['inside', 'used']) }),
]);
export type TicketEffect = z.infer<typeof TicketEffect>;

const finalStates: ReadonlySet<TicketState> = new Set(TICKET_FINAL_STATES);

/**
 * The persisted snapshot of the current machine version; the status must agree with the state,
 * since a final state is always `done`.
 */
export const TicketPersisted = z
  .object({
    status: z.enum(['active', 'done']),
    value: TicketState,
    context: TicketContext,
    historyValue: z.strictObject({}),
    children: z.strictObject({}),
  })
  .refine((s) => (s.status === 'done') === finalStates.has(s.value), {
    message: 'status must be "done" exactly in a final state',
    path: ['status'],
  });
export type TicketPersisted = z.infer<typeof TicketPersisted>;

/**
 * The facts callers ask of a ticket (XState state tags, set on the machine's states):
 *
 *   admits       an entry scan would admit it
 *   inside       its holder is in the venue
 *   void         it will never admit again
 */
export const TICKET_TAGS = ['admits', 'inside', 'void'] as const;
export type TicketTag = (typeof TICKET_TAGS)[number];

