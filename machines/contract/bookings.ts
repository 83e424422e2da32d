/**
 * Bookings: holding places in a slot, and the places left in slots.
 */
import { z } from 'zod';
import { Id, Unsubscribed } from './common.js';
import { ActorState } from './actors.js';
import { serverPush, socketEvent } from './contract.js';

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

/** Places left in each watched slot, as `availability:subscribe` answers. */
export const SlotLevels = z.object({ slots: z.array(SlotAvailability) });

/** The socket events of bookings. */
export const BOOKING_EVENTS = {
  'booking:hold': socketEvent({
    payload: BookingHold,
    ack: ActorState,
    summary: 'Hold places in a slot: creates the booking in `held` (or `under_review` after booking.submit when a ticket type requires approval).',
    description: 'Prices and the approval rule come from the catalog. The visitor must be verified and not suspended; unpaid places per visitor are capped (booking.hold_limit). Then send booking.submit with actor:command and pay over HTTP (POST /api/bookings/{id}/pay). When the payment is captured the booking moves to `confirmed`; its tickets are issued right after by the hub (an outbox effect), usually within a second: follow the booking (actor:subscribe) and, on `confirmed`, fetch GET /api/bookings/{id}/tickets, asking again after a short pause while it answers an empty list.',
    by: 'visitors',
  }),
  'availability:subscribe': socketEvent({ payload: AvailabilitySubscribe, ack: SlotLevels, summary: 'Watch the places left in up to 50 slots: the current levels first, then slot:availability on every change.', by: 'anyone signed in' }),
  'availability:unsubscribe': socketEvent({ payload: AvailabilitySubscribe, ack: Unsubscribed, summary: 'Stop watching slots.', by: 'anyone subscribed' }),
} as const;

/** The pushes of bookings. */
export const BOOKING_PUSHES = {
  'slot:availability': serverPush({ payload: SlotAvailability, summary: 'The places left in a watched slot; keep the newest `at`.', to: 'sockets watching the slot' }),
} as const;
