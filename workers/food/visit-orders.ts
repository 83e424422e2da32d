/**
 * Orders during the visit: a visitor who is at the venue today orders from their phone and pays
 * for the food on its own (not with the booking).
 *
 *   place(visitor, booking, request)
 *     a money field? order.priced_by_client ─▶ parse (VisitOrderRequest) ─▶ input.invalid
 *     the visitor's booking? (someone else's answers as if it did not exist: actor.not_found)
 *     the visit today? order.no_visit ─▶ the menu prices it for now or the chosen time (sold out,
 *     outside its hours, a modifier of another item: refused, nothing written) ─▶ food_order `fo_…` placed
 *   then: POST /api/food/orders/:id/pay ─▶ its own payment (payments) ─▶ food.order_paid ─▶ paid ─▶
 *     preparing at once (asap) or scheduled (a time: fired ahead by its prep time, a durable timer)
 *
 * The visit rule: the booking is the visitor's, paid and not ended (it admits: confirmed, checked
 * in, or briefly out with the visit still open), and its slot is on today's venue-local date. A
 * party inside (checked in, or out for a moment) may order whatever the hour; one not in yet may
 * order while its tickets still admit (until the grace after the slot ends), so a visitor walking
 * to the gate can order lunch for a time. A cancelled, refunded, expired or checked-out booking,
 * one still unpaid, and another day's are refused with order.no_visit.
 */
import { randomUUID } from 'node:crypto';
import type { Slot } from '../../machines/contract/catalog.js';
import { VisitOrderRequest, clientPriceField } from '../../machines/contract/food.js';
import { TICKET_VALIDITY_GRACE_MINUTES } from '../../machines/contract/gates.js';
import { refuse, type Result } from '../../machines/errors.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import type { SlotRepository } from '../catalog/catalog-store.js';
import { issuesText } from '../catalog/catalog-schemas.js';
import { localDate } from '../catalog/venue-time.js';
import type { FoodOrderService, FoodOrderView } from './food-order-service.js';

/** Booking states whose party is at the venue now (inside, or out with the visit still open). */
const AT_THE_VENUE = new Set(['checked_in', 'leaving']);

/** A new id for an order during the visit (never `<bookingId>-food`, the pre-order's). */
export function visitOrderId(): string {
  return `fo_${randomUUID().replaceAll('-', '')}`;
}

/** Why this booking cannot order food now (null: it can), by the visit rule above. */
export function visitRefusal(booking: Pick<ActorView, 'id' | 'state'>, slot: Pick<Slot, 'date' | 'endsAt'> | null, now: number, timeZone: string): string | null {
  const today = localDate(now, timeZone);
  if (slot === null) return `the slot of booking ${booking.id} is not in the catalog`;
  if (slot.date !== today) return `booking ${booking.id} is for ${slot.date}; order during the visit on its day (today is ${today})`;
  if (AT_THE_VENUE.has(booking.state)) return null;
  if (booking.state !== 'confirmed') return `booking ${booking.id} is ${booking.state}: food is ordered during a paid visit`;
  if (now > slot.endsAt + TICKET_VALIDITY_GRACE_MINUTES * 60_000) return `the tickets of booking ${booking.id} no longer admit today`;
  return null;
}

/** What orders during the visit need. */
export interface VisitOrderDeps {
  host: Pick<ActorHost, 'read'>;
  orders: Pick<FoodOrderService, 'place'>;
  slots: Pick<SlotRepository, 'get'> | undefined;
  clock: () => number;
  timeZone: string;
  newId?: () => string;
}

/** Places a visitor's order during the visit of their booking (see the header). */
export function createVisitOrders(deps: VisitOrderDeps): { place(visitorId: string, bookingId: string, raw: unknown): Promise<Result<FoodOrderView>> } {
  const newId = deps.newId ?? visitOrderId;
  return {
    async place(visitorId, bookingId, raw) {
      const priced = clientPriceField(raw);
      if (priced !== null) return refuse('order.priced_by_client', `${priced}: prices come from the menu; send items, quantities and choices only`);
      const request = VisitOrderRequest.safeParse(raw);
      if (!request.success) return refuse('input.invalid', issuesText(request.error));
      const booking = await deps.host.read('booking', bookingId);
      const owner = booking.ok ? (booking.data.context as { visitorId?: unknown }).visitorId : undefined;
      if (!booking.ok || owner !== visitorId) return booking.ok || booking.code === 'actor.not_found' ? refuse('actor.not_found', `no booking ${bookingId} of yours`) : booking;
      if (deps.slots === undefined) return refuse('menu.unavailable', 'this hub node takes no orders during the visit');
      const now = deps.clock();
      const slotId = (booking.data.context as { slotId?: unknown }).slotId;
      const slot = typeof slotId === 'string' ? await deps.slots.get(slotId) : null;
      const refusal = visitRefusal(booking.data, slot, now, deps.timeZone);
      if (refusal !== null) return refuse('order.no_visit', refusal);
      // The menu prices it as it prices any order: for now (asap) or for the chosen time today.
      const { lines, pickup } = request.data;
      const forMenu = { lines, pickup: pickup.mode === 'at' ? pickup : { mode: 'on_arrival' } };
      return deps.orders.place(visitorId, forMenu, { orderId: newId(), visitBookingId: bookingId, date: localDate(now, deps.timeZone) });
    },
  };
}
