/**
 * Zod catalog of the venue catalog: the entities admins manage (schema and type share a name)
 * and what visitors send to price a hold. Money is integer halalas (SAR minor units); dates are
 * venue-local `yyyy-mm-dd`, times venue-local `hh:mm`.
 */
import { z } from 'zod';

/** Catalog ids: lower case, digits and dashes, so slot ids `<activityId>-<date>-<hhmm>` stay readable. */
export const CatalogId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'lower-case letters, digits and dashes, e.g. wave-pool' });
/** A slot id: `<activityId>-<yyyy-mm-dd>-<hhmm>`. */
export const SlotId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}-\d{4}-\d{2}-\d{2}-\d{4}$/, { error: 'a slot id like wave-pool-2025-06-01-1000' });
/** Halalas: 150 SAR is 15000. */
export const Halalas = z.number().int().nonnegative().max(100_000_000);
/** A venue-local calendar date. */
export const LocalDate = z.iso.date({ error: 'a date like 2025-06-01' });
/** A venue-local time of day. */
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'a time like 10:00' });

/** Days of the week, Sunday first (as `Date#getUTCDay`). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Something visitors book into slots: a ride, pool or class, in a zone of the venue. */
export const Activity = z.strictObject({
  activityId: CatalogId,
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).default(''),
  zone: CatalogId,
  active: z.boolean().default(true),
});
/** An activity. */
export type Activity = z.infer<typeof Activity>;

/** A way in to an activity, with its price and per-booking limits. */
export const TicketType = z
  .strictObject({
    ticketTypeId: CatalogId,
    activityId: CatalogId,
    name: z.string().trim().min(1).max(100),
    price: Halalas,
    requiresApproval: z.boolean().default(false),
    minPerBooking: z.number().int().min(0).max(50).default(0),
    maxPerBooking: z.number().int().min(1).max(50).default(10),
    /** How many people one ticket admits (a family pass admits 4): seats taken per ticket. */
    admits: z.number().int().min(1).max(20).default(1),
    /** Whether a ticket admits again after an exit scan (false: single entry, the exit ends it). */
    reentry: z.boolean().default(true),
    active: z.boolean().default(true),
  })
  .refine((t) => t.minPerBooking <= t.maxPerBooking, { error: 'minPerBooking must not exceed maxPerBooking', path: ['minPerBooking'] });
/** A ticket type. */
export type TicketType = z.infer<typeof TicketType>;

/** When an activity runs: start times per weekday, slot length and capacity, between two dates. */
export const Schedule = z
  .strictObject({
    scheduleId: CatalogId,
    activityId: CatalogId,
    days: z.partialRecord(z.enum(WEEKDAYS), z.array(LocalTime).max(96)),
    durationMinutes: z.number().int().min(5).max(24 * 60),
    capacity: z.number().int().min(0).max(100_000),
    validFrom: LocalDate,
    validTo: LocalDate.nullable().default(null),
  })
  .refine((s) => s.validTo === null || s.validTo >= s.validFrom, { error: 'validTo must not be before validFrom', path: ['validTo'] });
/** An opening schedule. */
export type Schedule = z.infer<typeof Schedule>;

/** Kinds of extra a booking can carry; later issues fulfil them (lockers, rentals, food orders). */
export const ADD_ON_KINDS = ['locker', 'equipment', 'food'] as const;

/** An extra sold with a booking. */
export const AddOn = z.strictObject({
  addOnId: CatalogId,
  kind: z.enum(ADD_ON_KINDS),
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).default(''),
  price: Halalas,
  active: z.boolean().default(true),
});
/** An add-on. */
export type AddOn = z.infer<typeof AddOn>;

/** One generated time slot; its capacity lives in the ledger under the same id. */
export interface Slot {
  slotId: string;
  activityId: string;
  scheduleId: string;
  /** Venue-local date and start time. */
  date: string;
  startTime: string;
  /** Epoch milliseconds. */
  startsAt: number;
  endsAt: number;
  /** The capacity the slot was created with (the ledger holds the live figure). */
  capacity: number;
}

/** What a visitor asks to price: ticket quantities in one slot, and add-ons. */
export const PriceHoldInput = z.strictObject({
  slotId: SlotId,
  items: z.array(z.strictObject({ ticketTypeId: CatalogId, qty: z.number().int().min(1).max(50) })).min(1).max(10),
  addOns: z.array(z.strictObject({ addOnId: CatalogId, qty: z.number().int().min(1).max(20) })).max(20).default([]),
});
/** What a visitor asks to price. */
export type PriceHoldInput = z.infer<typeof PriceHoldInput>;

/** The entity kinds an admin manages, each with its schema and id field. */
export const CATALOG_KINDS = {
  activity: { schema: Activity, id: 'activityId' },
  ticket_type: { schema: TicketType, id: 'ticketTypeId' },
  schedule: { schema: Schedule, id: 'scheduleId' },
  add_on: { schema: AddOn, id: 'addOnId' },
} as const;
/** An entity kind of the catalog. */
export type CatalogKind = keyof typeof CATALOG_KINDS;

/** The entity type of each kind. */
export interface CatalogEntities {
  activity: Activity;
  ticket_type: TicketType;
  schedule: Schedule;
  add_on: AddOn;
}

/** The id of an entity. */
export function idOf<K extends CatalogKind>(kind: K, item: CatalogEntities[K]): string {
  const field = CATALOG_KINDS[kind].id;
  return (item as unknown as Record<string, string>)[field] ?? '';
}

/** The activity a ticket type or schedule belongs to; null for activities and add-ons. */
export function activityOf<K extends CatalogKind>(kind: K, item: CatalogEntities[K]): string | null {
  return kind === 'ticket_type' || kind === 'schedule' ? (item as unknown as { activityId: string }).activityId : null;
}

/** Turns a failed parse into one readable line. */
export function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
}
