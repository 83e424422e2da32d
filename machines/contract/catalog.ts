/**
 * The venue catalog in the contract: the entities admins manage (schema and type share a name)
 * and what visitors send to price a hold (workers/catalog re-exports them). Money is integer halalas (SAR minor units); dates are
 * venue-local `yyyy-mm-dd`, times venue-local `hh:mm`.
 */
import { z } from 'zod';
import { Translations } from './common.js';
import { httpRoute } from './contract.js';
import { MenuCategory, MenuItem } from './food.js';

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

/** Names and descriptions in other languages (defined with the shared names, used by the menu too). */
export { Translations } from './common.js';

/** Something visitors book into slots: a ride, pool or class, in a zone of the venue. */
export const Activity = z.strictObject({
  activityId: CatalogId,
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).default(''),
  zone: CatalogId,
  active: z.boolean().default(true),
  translations: Translations.optional(),
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
    translations: Translations.optional(),
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
  translations: Translations.optional(),
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
  /**
   * A food pre-order, paid with the booking: an order request (`OrderRequest` of contract/food.ts,
   * without a booking id). Parsed by the menu, so a price in it is refused as order.priced_by_client.
   */
  food: z.unknown().optional().describe('A food pre-order: {lines: [{itemId, qty, modifiers?: [{modifierId, choiceId}], note?}], pickup: {mode: "on_arrival"} | {mode: "at", time: "hh:mm"}}; priced from the menu for the slot\'s day.'),
});
/** What a visitor asks to price. */
export type PriceHoldInput = z.infer<typeof PriceHoldInput>;

/** The entity kinds an admin manages, each with its schema and id field. */
export const CATALOG_KINDS = {
  activity: { schema: Activity, id: 'activityId' },
  ticket_type: { schema: TicketType, id: 'ticketTypeId' },
  schedule: { schema: Schedule, id: 'scheduleId' },
  add_on: { schema: AddOn, id: 'addOnId' },
  menu_category: { schema: MenuCategory, id: 'categoryId' },
  menu_item: { schema: MenuItem, id: 'itemId' },
} as const;
/** An entity kind of the catalog. */
export type CatalogKind = keyof typeof CATALOG_KINDS;

/** The entity type of each kind. */
export interface CatalogEntities {
  activity: Activity;
  ticket_type: TicketType;
  schedule: Schedule;
  add_on: AddOn;
  menu_category: MenuCategory;
  menu_item: MenuItem;
}

/** An activity as visitors see it: with its ticket types on sale. */
export const ActivityView = Activity.extend({ ticketTypes: z.array(TicketType) });

/** A slot of a day with its live remaining capacity (times are epoch ms). */
export const SlotView = z.object({
  slotId: z.string(),
  activityId: z.string(),
  date: z.string(),
  startTime: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  capacity: z.number().int(),
  remaining: z.number().int(),
  /** Not started and not sold out. */
  bookable: z.boolean(),
});

/** A price quote, computed exactly as `booking:hold` prices a hold (halalas). */
export const PriceQuote = z.object({
  slotId: z.string(),
  activityId: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  lines: z.array(z.object({ ticketTypeId: z.string(), qty: z.number().int(), unitPrice: z.number().int(), admits: z.number().int() })),
  addOns: z.array(z.object({ addOnId: z.string(), kind: z.enum(ADD_ON_KINDS), qty: z.number().int(), unitPrice: z.number().int() })),
  requiresApproval: z.boolean(),
  /** Places taken in the slot's capacity: Σ qty × admits. */
  seats: z.number().int(),
  /** The food pre-order priced from the menu (its total is part of `total`). */
  food: z
    .object({
      lines: z.array(
        z.object({
          lineId: z.string(),
          itemId: z.string(),
          name: z.string(),
          /** The dish's Arabic name, when the menu gives one. */
          nameAr: z.string().optional(),
          station: z.string(),
          prepMinutes: z.number().int(),
          qty: z.number().int(),
          unitPrice: z.number().int(),
          vatPercent: z.number().int(),
          modifiers: z.array(z.object({ modifierId: z.string(), choiceId: z.string(), name: z.string(), nameAr: z.string().optional(), price: z.number().int() })),
          note: z.string().optional(),
        }),
      ),
      pickup: z.union([z.object({ mode: z.literal('on_arrival') }), z.object({ mode: z.literal('at'), at: z.number().int() })]),
      total: z.number().int(),
      vat: z.number().int(),
      prepMinutes: z.number().int(),
    })
    .optional(),
  total: z.number().int(),
});

const ScheduleExample = {
  scheduleId: 'wave-pool-summer',
  activityId: 'wave-pool',
  days: { fri: ['10:00', '12:00', '16:00'], sat: ['10:00', '12:00', '14:00', '16:00'] },
  durationMinutes: 90,
  capacity: 120,
  validFrom: '2025-06-01',
  validTo: '2025-09-30',
};

/** The body of each admin catalog kind, documented for the create routes. */
export const CATALOG_BODIES = {
  activity: Activity.meta({
    description: 'An activity visitors book into slots, in a zone of the venue. Ids are lower-case letters, digits and dashes.',
    examples: [{ activityId: 'wave-pool', name: 'Wave pool', description: 'Waves every 10 minutes', zone: 'pools', active: true }],
  }),
  ticket_type: TicketType.meta({
    description: 'A way in to an activity. price in halalas (SAR 150 = 15000); admits = people per ticket (seats taken); reentry false = single entry (the exit ends it); requiresApproval puts bookings under review.',
    examples: [{ ticketTypeId: 'wave-adult', activityId: 'wave-pool', name: 'Adult', price: 15000, requiresApproval: false, minPerBooking: 0, maxPerBooking: 10, admits: 1, reentry: true, active: true }],
  }),
  schedule: Schedule.meta({
    description:
      'When an activity runs. `days` maps weekdays (sun, mon, tue, wed, thu, fri, sat; omitted days have no slots) to venue-local start times "hh:mm" (24 h, up to 96 a day); every start makes one slot of `durationMinutes` with `capacity` places, on each date from `validFrom` to `validTo` (yyyy-mm-dd, venue-local; null = open-ended). Slot ids are `<activityId>-<yyyy-mm-dd>-<hhmm>`.',
    examples: [ScheduleExample],
  }),
  add_on: AddOn.meta({
    description: 'An extra sold with a booking: kind locker (a locker at the gate), equipment (a rental) or food; price in halalas.',
    examples: [{ addOnId: 'towel', kind: 'equipment', name: 'Towel', description: '', price: 1500, active: true }],
  }),
  menu_category: MenuCategory.meta({
    description: 'A part of the menu (Mains, Drinks, …); `sort` orders categories on menus.',
    examples: [{ categoryId: 'mains', name: 'Mains', description: 'Hot lunch from the grill.', sort: 10, active: true }],
  }),
  menu_item: MenuItem.meta({
    description:
      'A dish or drink in a category. price in halalas with VAT included (vatPercent, default 15); station = the kitchen board its tickets go to; prepMinutes = firing to ready; modifiers ask min..max choices, each with a price added to the item\'s; windows = venue-local hours (and weekdays) it is served, none = always; soldOut = 86\'d. translations.ar.name of the item, of each modifier and of each choice is shown to visitors who chose Arabic (English otherwise).',
    examples: [
      {
        itemId: 'beef-burger', categoryId: 'mains', name: 'Beef burger', description: '', price: 3800, vatPercent: 15, station: 'grill', prepMinutes: 14,
        allergens: ['gluten', 'milk'], dietary: ['halal'],
        modifiers: [{ modifierId: 'doneness', name: 'Cooked', translations: { ar: { name: 'درجة الطهي' } }, min: 1, max: 1, choices: [{ choiceId: 'medium', name: 'Medium', translations: { ar: { name: 'متوسط' } }, price: 0 }, { choiceId: 'well-done', name: 'Well done', translations: { ar: { name: 'مطهو جيدًا' } }, price: 0 }] }],
        windows: [{ from: '11:00', to: '16:00' }], soldOut: false, active: true, translations: { ar: { name: 'برجر لحم' } },
      },
    ],
  }),
} as const;

const EntityPatch = z
  .record(z.string(), z.unknown())
  .describe('Any fields of the kind\'s entity (see the create route of the kind) except its id. Each field given replaces the stored one whole; a field given as null is removed and takes its default (translations: null clears the Arabic name, so the English one shows). The merged entity must still be valid (catalog.invalid says which field is not).');
const CatalogEntityAnswer = z.union([Activity, TicketType, Schedule, AddOn, MenuCategory, MenuItem]);

function adminCreate<K extends CatalogKind>(kind: K) {
  return httpRoute({
    method: 'POST',
    path: `/api/admin/catalog/${kind}`,
    body: CATALOG_BODIES[kind],
    answer: CATALOG_KINDS[kind].schema,
    status: 201,
    auth: 'bearer',
    by: 'super admins',
    summary: `Create a catalog ${kind.replace('_', ' ')} (audited); answers the stored entity with its defaults.`,
    description: 'An invalid entity is refused with catalog.invalid naming the field; an existing id with actor.exists.',
  });
}


/** The HTTP routes of the catalog: public browsing and admin changes. */
export const CATALOG_ROUTES = {
  activities: httpRoute({ method: 'GET', path: '/api/catalog/activities', answer: z.object({ timeZone: z.string().describe('The venue\'s IANA time zone: dates and hh:mm times are local to it.'), activities: z.array(ActivityView) }), auth: 'none', by: 'anyone', summary: 'Active activities with their ticket types on sale.' }),
  addOns: httpRoute({ method: 'GET', path: '/api/catalog/add-ons', answer: z.object({ addOns: z.array(AddOn) }), auth: 'none', by: 'anyone', summary: 'Active add-ons.' }),
  slots: httpRoute({
    method: 'GET',
    path: '/api/catalog/activities/:id/slots',
    params: z.strictObject({ id: CatalogId }),
    query: z.strictObject({ date: LocalDate.describe('The venue-local day, yyyy-mm-dd.') }),
    answer: z.object({ activityId: z.string(), date: z.string(), timeZone: z.string(), slots: z.array(SlotView) }),
    auth: 'none',
    by: 'anyone',
    summary: 'The slots of a venue-local day with the places left.',
  }),
  price: httpRoute({ method: 'POST', path: '/api/catalog/price', body: PriceHoldInput, answer: PriceQuote, auth: 'none', by: 'anyone', summary: 'Price a selection exactly as booking:hold will (lines, add-ons, approval, seats, total in halalas).' }),
  createActivity: adminCreate('activity'),
  createTicketType: adminCreate('ticket_type'),
  createSchedule: adminCreate('schedule'),
  createAddOn: adminCreate('add_on'),
  createMenuCategory: adminCreate('menu_category'),
  createMenuItem: adminCreate('menu_item'),
  update: httpRoute({
    method: 'PATCH',
    path: '/api/admin/catalog/:kind/:id',
    params: z.strictObject({ kind: z.enum(['activity', 'ticket_type', 'schedule', 'add_on', 'menu_category', 'menu_item']), id: CatalogId }),
    body: EntityPatch,
    answer: CatalogEntityAnswer,
    auth: 'bearer',
    by: 'super admins',
    summary: 'Change fields of a catalog entity (audited); answers the stored entity.',
  }),
} as const;
