/**
 * Zod catalog of the equipment actor: one physical rental item (a tube, a life vest, a locker
 * key fob…) of an equipment type. What creates it (input), what may be sent to it (events), what
 * it asks the host to do (effects) and how it is stored (persisted snapshot). Times are epoch
 * milliseconds carried in events.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(128);
const EpochMs = z.number().int().nonnegative();
/** Who caused it: `user:<id>`, `device:<id>`, `system`. */
const Who = z.string().min(1).max(128);
const Note = z.string().min(1).max(500);
/** A capacity-ledger hold id; reservation units embed the booking and type ids, so it may be longer than an id. */
const HoldId = z.string().min(1).max(400);

/** Every state of the equipment machine. */
export const EQUIPMENT_STATES = ['available', 'in_use', 'maintenance', 'lost'] as const;
export const EquipmentState = z.enum(EQUIPMENT_STATES);
export type EquipmentState = z.infer<typeof EquipmentState>;

/** The physical condition a returning item is reported in. */
export const ReturnCondition = z.enum(['ok', 'damaged']);
export type ReturnCondition = z.infer<typeof ReturnCondition>;

/** What `defineItems` gives when it creates an item: its code (e.g. `TUBE-017`), its type, where it lives. */
export const EquipmentInput = z.object({
  itemId: Id,
  typeId: Id,
  zone: Id.optional(),
});
export type EquipmentInput = z.infer<typeof EquipmentInput>;

/**
 * The machine context. The rental fields are set exactly while in use; `overdue` turns true when
 * the rental's due time passes. `holdId` is the ledger unit the item holds while it is not
 * available (its rental, then its maintenance or loss); it stays after the item is available
 * again so a retried return or repair can still give it back (the ledger releases once).
 * `condition` is the last reported physical condition; `note` the last damage, service or charge note.
 */
export const EquipmentContext = EquipmentInput.extend({
  condition: ReturnCondition,
  rentalId: Id.optional(),
  bandUid: Id.optional(),
  bookingId: Id.optional(),
  visitorId: Id.optional(),
  ticketId: Id.optional(),
  pickedUpAt: EpochMs.optional(),
  dueAt: EpochMs.optional(),
  overdue: z.boolean().optional(),
  holdId: HoldId.optional(),
  note: Note.optional(),
});
export type EquipmentContext = z.infer<typeof EquipmentContext>;

/** Every event a caller may send (the equipment service on behalf of a rental desk or staff). */
export const EquipmentEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('equipment.pickup'),
    rentalId: Id,
    holdId: HoldId,
    bandUid: Id,
    bookingId: Id,
    visitorId: Id,
    ticketId: Id,
    at: EpochMs,
    dueAt: EpochMs,
    by: Who,
  }),
  z.object({ type: z.literal('equipment.return'), condition: ReturnCondition, note: Note.optional(), at: EpochMs, by: Who }),
  z.object({ type: z.literal('equipment.charge'), reason: Note, at: EpochMs, by: Who }),
  z.object({ type: z.literal('equipment.out_of_service'), holdId: HoldId, note: Note.optional(), at: EpochMs, by: Who }),
  z.object({ type: z.literal('equipment.repaired'), at: EpochMs, by: Who }),
  z.object({ type: z.literal('equipment.found'), at: EpochMs, by: Who }),
]);
export type EquipmentEvent = z.infer<typeof EquipmentEvent>;

/** The internal timer event of a rental's due time (raised by the `after` delay, never sent by callers). */
export const EQUIPMENT_DUE_TIMER = 'xstate.after.rentalDue.equipment.in_use';
export const EquipmentTimerEvent = z.object({ type: z.literal(EQUIPMENT_DUE_TIMER) });
export type EquipmentTimerEvent = z.infer<typeof EquipmentTimerEvent>;

/** An item kept past its due time: what staff need to chase it. */
export const EquipmentOverdue = z.object({
  type: z.literal('equipment.overdue'),
  itemId: Id,
  typeId: Id,
  bandUid: Id,
  bookingId: Id,
  dueAt: EpochMs,
});
export type EquipmentOverdue = z.infer<typeof EquipmentOverdue>;

/** Every effect the equipment actor emits; the host writes each as an outbox row. */
export const EquipmentEffect = z.discriminatedUnion('type', [EquipmentOverdue]);
export type EquipmentEffect = z.infer<typeof EquipmentEffect>;

/** The persisted snapshot of the current machine version (no final state: always active). */
export const EquipmentPersisted = z.object({
  status: z.literal('active'),
  value: EquipmentState,
  context: EquipmentContext,
  historyValue: z.strictObject({}),
  children: z.strictObject({}),
});
export type EquipmentPersisted = z.infer<typeof EquipmentPersisted>;

/**
 * The facts callers ask of a equipment (XState state tags, set on the machine's states):
 *
 *   available    on the rack, can be handed out
 *   out          rented out
 */
export const EQUIPMENT_TAGS = ['available', 'out'] as const;
export type EquipmentTag = (typeof EQUIPMENT_TAGS)[number];

