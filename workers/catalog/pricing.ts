/**
 * Pricing a hold from the catalog, so that the price and the approval rule never come from the
 * client. Refusals, in the order they are checked:
 *
 *   input.invalid      the request does not parse
 *   catalog.not_found  unknown (or retired) slot, activity, ticket type or add-on
 *   slot.invalid       the slot has already started
 *   catalog.invalid    a ticket type of another activity, or one listed twice
 *   booking.limit      a quantity outside the ticket type's per-booking min / max
 */
import { refuse, type Result } from '../../machines/errors.js';
import { issuesText, PriceHoldInput, type AddOn, type TicketType } from './catalog-schemas.js';
import type { CatalogStore } from './catalog-store.js';

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
  /** Halalas: tickets and add-ons. */
  total: number;
}

function duplicate(ids: readonly string[]): string | undefined {
  return ids.find((id, i) => ids.indexOf(id) !== i);
}

/** Prices a hold against the catalog at time `now`. */
export async function priceHold(store: Pick<CatalogStore, 'items' | 'slots'>, input: unknown, now: number): Promise<Result<PricedHold>> {
  const parsed = PriceHoldInput.safeParse(input);
  if (!parsed.success) return refuse('input.invalid', issuesText(parsed.error));
  const { slotId, items, addOns } = parsed.data;

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

  const total = [...lines, ...extras].reduce((sum, l) => sum + l.qty * l.unitPrice, 0);
  return {
    ok: true,
    data: { slotId, activityId: slot.activityId, startsAt: slot.startsAt, endsAt: slot.endsAt, lines, addOns: extras, requiresApproval, seats, total },
  };
}
