/**
 * Alerts from the venue floor to staff screens, pushed as `floor:alert` to the `dashboard` feed
 * room (every staff socket subscribed to `feed:subscribe {feed: 'dashboard'}`). Part of the wire
 * contract: the runtime raises them, the hub emits them, dashboards parse them.
 *
 * At most once per socket like all fan-out; `alertId` is stable for one alert (the effect or check
 * it came from), so a screen that sees the same id twice shows it once.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(200);
const EpochMs = z.number().int().nonnegative();

export const FloorAlert = z.discriminatedUnion('type', [
  /** An offline gate admitted a ticket that was already inside (or a used single-entry ticket). */
  z.object({
    type: z.literal('double_entry'),
    alertId: Id,
    ticketId: Id,
    bookingId: Id,
    gateId: Id,
    at: EpochMs,
    /** The entry the hub already had. */
    previous: z.object({ at: EpochMs, gateId: Id }).optional(),
    state: z.enum(['inside', 'used']),
  }),
  /** An offline gate admitted a ticket the hub had revoked (or does not know). */
  z.object({ type: z.literal('offline_admit_refused'), alertId: Id, ticketId: Id, gateId: Id, at: EpochMs, code: z.string(), message: z.string() }),
  /** A rented item is past its due time. */
  z.object({ type: z.literal('equipment_overdue'), alertId: Id, itemId: Id, typeId: Id, bandUid: Id, bookingId: Id, dueAt: EpochMs }),
  /** A locker is still assigned at closing time. */
  z.object({ type: z.literal('locker_held_at_closing'), alertId: Id, lockerId: Id, zone: Id, bookingId: Id.optional(), since: EpochMs.optional(), at: EpochMs }),
]);
export type FloorAlert = z.infer<typeof FloorAlert>;

/** The socket event that carries a FloorAlert. */
export const FLOOR_ALERT_EVENT = 'floor:alert';
