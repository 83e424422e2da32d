/**
 * Pricing a hold from the catalog, so that the price and the approval rule never come from the
 * client. Refusals, in the order they are checked:
 *
 *   input.invalid      the request does not parse
 *   catalog.not_found  unknown (or retired) slot, activity, ticket type or add-on
 *   slot.invalid       the slot has already started
 *   catalog.invalid    a ticket type of another activity, or one listed twice
 *   booking.limit      a quantity outside the ticket type's per-booking min / max
 *   (food)             the menu's refusals (workers/food/menu.ts) and order.pickup_invalid for a
 *                      pickup time before the slot starts
 *
 * A food pre-order is priced for the slot's day: "on arrival" for the slot's start, a chosen
 * pickup time on the slot's date. Its total is part of the hold's, so one payment covers both.
 */
import { refuse, type Result } from '../../machines/errors.js';
import type { FoodLine, FoodPickup } from '../../machines/food-order.schemas.js';
import { priceOrder } from '../food/menu.js';
import { issuesText, PriceHoldInput, type AddOn, type TicketType } from './catalog-schemas.js';
import type { CatalogStore } from './catalog-store.js';
import { DEFAULT_VENUE_TIME_ZONE, zonedTime } from './venue-time.js';

/** One ticket line at its catalog price (halalas). */
export interface PricedLine {
  ticketTypeId: string;
  qty: number;
  unitPrice: number;
  /** People one ticket of this type admits. */
  admits: number;
}

/** One add-on line at its catalog price (halalas). */
export interface PricedAddOn {
  addOnId: string;
  kind: AddOn['kind'];
  qty: number;
  unitPrice: number;
}

/** A food pre-order priced from the menu, paid with the booking. */
export interface PricedFood {
  lines: FoodLine[];
  pickup: FoodPickup;
  /** Halalas, VAT included (part of the hold's total). */
  total: number;
  /** Halalas of VAT inside `total`. */
  vat: number;
  prepMinutes: number;
}

/** A priced hold: what the booking is created with. */
export interface PricedHold {
  slotId: string;
  activityId: string;
  startsAt: number;
  endsAt: number;
  lines: PricedLine[];
  addOns: PricedAddOn[];
  /** True when any ticket type in the hold requires an admin's approval. */
  requiresApproval: boolean;
  /** Places taken in the slot's capacity: Σ qty × admits. */
  seats: number;
  /** The food pre-order, when the hold carries one. */
  food?: PricedFood;
  /** Halalas: tickets, add-ons and food. */
  total: number;
}

function duplicate(ids: readonly string[]): string | undefined {
  return ids.find((id, i) => ids.indexOf(id) !== i);
}

/** Prices a hold against the catalog at time `now`. */
export async function priceHold(store: Pick<CatalogStore, 'items' | 'slots'>, input: unknown, now: number, timeZone = DEFAULT_VENUE_TIME_ZONE): Promise<Result<PricedHold>> {
  const parsed = PriceHoldInput.safeParse(input);
  if (!parsed.success) return refuse('input.invalid', issuesText(parsed.error));
  const { slotId, items, addOns, food: foodRequest } = parsed.data;

  const slot = await store.slots.get(slotId);
  if (!slot) return refuse('catalog.not_found', `no slot ${slotId}`);
  const activity = await store.items.get('activity', slot.activityId);
  if (!activity || !activity.active) return refuse('catalog.not_found', `activity ${slot.activityId} is not offered`);
  if (slot.startsAt <= now) return refuse('slot.invalid', `slot ${slotId} has already started; pick a later one`);

  const twice = duplicate(items.map((i) => i.ticketTypeId));
  if (twice !== undefined) return refuse('catalog.invalid', `ticket type ${twice} is listed twice; give one line per ticket type`);
  const lines: PricedLine[] = [];
  let requiresApproval = false;
  let seats = 0;
  for (const { ticketTypeId, qty } of items) {
    const type: TicketType | null = await store.items.get('ticket_type', ticketTypeId);
    if (!type || !type.active) return refuse('catalog.not_found', `no ticket type ${ticketTypeId}`);
    if (type.activityId !== slot.activityId) return refuse('catalog.invalid', `ticket type ${ticketTypeId} is not for ${activity.name}`);
    if (qty < type.minPerBooking || qty > type.maxPerBooking) {
      return refuse('booking.limit', `${type.name}: between ${type.minPerBooking} and ${type.maxPerBooking} per booking`);
    }
    lines.push({ ticketTypeId, qty, unitPrice: type.price, admits: type.admits });
    requiresApproval ||= type.requiresApproval;
    seats += qty * type.admits;
  }

  const twiceAddOn = duplicate(addOns.map((a) => a.addOnId));
  if (twiceAddOn !== undefined) return refuse('catalog.invalid', `add-on ${twiceAddOn} is listed twice`);
  const extras: PricedAddOn[] = [];
  for (const { addOnId, qty } of addOns) {
    const addOn = await store.items.get('add_on', addOnId);
    if (!addOn || !addOn.active) return refuse('catalog.not_found', `no add-on ${addOnId}`);
    extras.push({ addOnId, kind: addOn.kind, qty, unitPrice: addOn.price });
  }

  let food: PricedFood | undefined;
  if (foodRequest !== undefined) {
    const priced = await priceFood(store, foodRequest, slot, timeZone);
    if (!priced.ok) return priced;
    food = priced.data;
  }

  const total = [...lines, ...extras].reduce((sum, l) => sum + l.qty * l.unitPrice, 0) + (food?.total ?? 0);
  return {
    ok: true,
    data: { slotId, activityId: slot.activityId, startsAt: slot.startsAt, endsAt: slot.endsAt, lines, addOns: extras, requiresApproval, seats, ...(food === undefined ? {} : { food }), total },
  };
}

/** Prices a pre-order for the slot's day: on arrival at the slot's start, or at a time on its date. */
async function priceFood(store: Pick<CatalogStore, 'items'>, raw: unknown, slot: { date: string; startsAt: number }, timeZone: string): Promise<Result<PricedFood>> {
  const pickupRequest = (raw as { pickup?: { mode?: unknown; time?: unknown } } | null)?.pickup;
  const pickupAt = pickupRequest?.mode === 'at' && typeof pickupRequest.time === 'string' && /^\d\d:\d\d$/.test(pickupRequest.time) ? zonedTime(slot.date, pickupRequest.time, timeZone) : undefined;
  const priced = await priceOrder((itemId) => store.items.get('menu_item', itemId), raw, pickupAt ?? slot.startsAt, timeZone);
  if (!priced.ok) return priced;
  if (priced.data.request.bookingId !== undefined) return refuse('input.invalid', 'food.bookingId: a pre-order belongs to the booking being held; leave it out');
  if (pickupAt !== undefined && pickupAt < slot.startsAt) return refuse('order.pickup_invalid', `pick the food up once the visit has started (${pickupRequest?.time as string} is before the slot)`);
  const { lines, total, vat, prepMinutes } = priced.data;
  return { ok: true, data: { lines, pickup: pickupAt === undefined ? { mode: 'on_arrival' } : { mode: 'at', at: pickupAt }, total, vat, prepMinutes } };
}
