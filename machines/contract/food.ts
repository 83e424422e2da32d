/**
 * Food and beverage in the contract: the menu admins manage (categories and items with prices,
 * stations, allergens, modifiers and availability windows), what visitors and staff send to order
 * and run the kitchen, and the menu as screens show it.
 *
 * Money is integer halalas (SAR minor units) with VAT included; every price shown carries the VAT
 * inside it (`vatOf`). Windows are venue-local `hh:mm` on venue-local weekdays.
 *
 *   category ─< item ─< modifier ─< choice (priced)        item.station ─▶ kitchen board
 */
import { z } from 'zod';
import { Translations } from './common.js';

/** Menu ids: lower case, digits and dashes (as catalog ids). */
export const MenuId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'lower-case letters, digits and dashes, e.g. grilled-chicken' });
/** Halalas, VAT included: 35 SAR is 3500. */
export const MenuPrice = z.number().int().nonnegative().max(10_000_000);
/** A venue-local time of day. */
export const MenuTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'a time like 11:30' });
/** Days of the week, Sunday first (as `Date#getUTCDay`). */
export const MENU_WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const MenuWeekday = z.enum(MENU_WEEKDAYS);
export type MenuWeekday = z.infer<typeof MenuWeekday>;

/** The allergens a label must declare (the fourteen of EU FIC / the GSO list). */
export const ALLERGENS = ['gluten', 'crustaceans', 'eggs', 'fish', 'peanuts', 'soy', 'milk', 'tree_nuts', 'celery', 'mustard', 'sesame', 'sulphites', 'lupin', 'molluscs'] as const;
export const Allergen = z.enum(ALLERGENS);
export type Allergen = z.infer<typeof Allergen>;

/** Dietary tags a visitor filters by. */
export const DIETARY_TAGS = ['halal', 'vegetarian', 'vegan', 'gluten_free', 'dairy_free', 'nut_free', 'spicy', 'kids'] as const;
export const DietaryTag = z.enum(DIETARY_TAGS);
export type DietaryTag = z.infer<typeof DietaryTag>;

/** A part of the menu (Mains, Drinks, …), in display order. */
export const MenuCategory = z.strictObject({
  categoryId: MenuId,
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000).default(''),
  sort: z.number().int().min(0).max(10_000).default(0),
  active: z.boolean().default(true),
  /** Its name in Arabic (menus fall back to `name`). */
  translations: Translations.optional(),
});
export type MenuCategory = z.infer<typeof MenuCategory>;

/** One choice of a modifier, with what it adds to the price (VAT included, may be 0). */
export const ModifierChoice = z.strictObject({
  choiceId: MenuId,
  name: z.string().trim().min(1).max(100),
  price: MenuPrice.default(0),
  /** Its name in Arabic (menus fall back to `name`). */
  translations: Translations.optional(),
});
export type ModifierChoice = z.infer<typeof ModifierChoice>;

/** A question asked of an item ("Size", "Extra toppings"): between `min` and `max` choices. */
export const Modifier = z
  .strictObject({
    modifierId: MenuId,
    name: z.string().trim().min(1).max(100),
    min: z.number().int().min(0).max(10).default(0),
    max: z.number().int().min(1).max(10).default(1),
    choices: z.array(ModifierChoice).min(1).max(20),
    /** Its name in Arabic (menus fall back to `name`). */
    translations: Translations.optional(),
  })
  .refine((m) => m.min <= m.max, { error: 'min must not exceed max', path: ['min'] })
  .refine((m) => m.max <= m.choices.length, { error: 'max must not exceed the number of choices', path: ['max'] })
  .refine((m) => new Set(m.choices.map((c) => c.choiceId)).size === m.choices.length, { error: 'choice ids must be unique', path: ['choices'] });
export type Modifier = z.infer<typeof Modifier>;

/** When an item is served: venue-local times on some weekdays (`to` after `from`; all days when absent). */
export const AvailabilityWindow = z
  .strictObject({
    days: z.array(MenuWeekday).min(1).max(7).optional(),
    from: MenuTime,
    to: MenuTime,
  })
  .refine((w) => w.from < w.to, { error: 'to must be after from', path: ['to'] });
export type AvailabilityWindow = z.infer<typeof AvailabilityWindow>;

/**
 * Whether an item with these windows is served at a venue-local moment (`weekday`, `time` as
 * `hh:mm`); no windows: whenever the venue is open. The hub refuses an order outside them
 * (`menu.unavailable`); a menu shows the same rule for the time a pre-order is for.
 */
export function servedAtLocal(windows: readonly AvailabilityWindow[], weekday: MenuWeekday, time: string): boolean {
  if (windows.length === 0) return true;
  return windows.some((w) => (w.days === undefined || w.days.includes(weekday)) && w.from <= time && time < w.to);
}

/** The weekday of a calendar date (`yyyy-mm-dd`), as menus name it. */
export function menuWeekdayOf(date: string): MenuWeekday {
  const [y, m, d] = date.split('-').map(Number);
  return MENU_WEEKDAYS[new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)).getUTCDay()] ?? 'sun';
}

/** Saudi VAT, percent. */
export const DEFAULT_VAT_PERCENT = 15;

/** A dish or drink. */
export const MenuItem = z
  .strictObject({
    itemId: MenuId,
    categoryId: MenuId,
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(2000).default(''),
    /** Halalas, VAT included. */
    price: MenuPrice,
    vatPercent: z.number().int().min(0).max(100).default(DEFAULT_VAT_PERCENT),
    /** The kitchen board its tickets go to (grill, fryer, drinks, …). */
    station: MenuId,
    /** Minutes from firing to ready; a chosen pickup time fires this much ahead. */
    prepMinutes: z.number().int().min(0).max(240),
    allergens: z.array(Allergen).max(ALLERGENS.length).default([]),
    dietary: z.array(DietaryTag).max(DIETARY_TAGS.length).default([]),
    modifiers: z.array(Modifier).max(10).default([]),
    /** Empty: served whenever the venue is open. */
    windows: z.array(AvailabilityWindow).max(10).default([]),
    /** 86'd: out for now, back with one switch. */
    soldOut: z.boolean().default(false),
    active: z.boolean().default(true),
    /** Its name and description in Arabic (menus fall back to `name`). */
    translations: Translations.optional(),
  })
  .refine((i) => new Set(i.modifiers.map((m) => m.modifierId)).size === i.modifiers.length, { error: 'modifier ids must be unique', path: ['modifiers'] });
export type MenuItem = z.infer<typeof MenuItem>;

/** The VAT inside a VAT-included amount, to the halala: 3500 at 15 % holds 457. */
export function vatOf(grossHalalas: number, vatPercent: number): number {
  return Math.round((grossHalalas * vatPercent) / (100 + vatPercent));
}

/** An item as menus show it: with the VAT in its price and whether it can be ordered now. */
export const MenuItemView = z.object({
  itemId: z.string(),
  categoryId: z.string(),
  name: z.string(),
  description: z.string(),
  price: z.number().int(),
  vatPercent: z.number().int(),
  /** Halalas of VAT inside `price`. */
  vat: z.number().int(),
  station: z.string(),
  prepMinutes: z.number().int(),
  allergens: z.array(Allergen),
  dietary: z.array(DietaryTag),
  modifiers: z.array(Modifier),
  windows: z.array(AvailabilityWindow),
  soldOut: z.boolean(),
  /** Inside one of its windows now (and not sold out). */
  orderable: z.boolean(),
  translations: Translations.optional(),
});
export type MenuItemView = z.infer<typeof MenuItemView>;

/**
 * The menu's revision: every stored change of a category or an item (an 86 and its return
 * included) takes the next one. A view or push carries the revision it reflects; a screen that
 * holds revision n and hears of n + 2 missed one and asks for the whole menu again.
 */
export const MenuVersion = z.number().int().nonnegative();

/** The menu as visitors and boards see it: active categories with their active items, in order. */
export const MenuView = z.object({
  /** The menu's revision this view reflects (at least: changes after it may be in it too). */
  version: MenuVersion,
  timeZone: z.string(),
  categories: z.array(MenuCategory.extend({ items: z.array(MenuItemView) })),
});
export type MenuView = z.infer<typeof MenuView>;

/** 86 an item or bring it back (`POST /api/admin/menu/items/:id/sold-out`). */
export const SoldOutChange = z.strictObject({ soldOut: z.boolean() });
export type SoldOutChange = z.infer<typeof SoldOutChange>;

/** Pushed to every menu screen when an item is 86'd or back (`menu:changed`). */
export const MenuChanged = z.object({
  /** The revision of this change: the next after the menu a screen holds, or it missed one. */
  version: MenuVersion,
  itemId: z.string(),
  soldOut: z.boolean(),
  /** Epoch ms of the change. */
  at: z.number().int(),
});
export type MenuChanged = z.infer<typeof MenuChanged>;

/** A menu entity an admin created or changed: a category or an item, by id. */
export const MenuEdit = z.object({ kind: z.enum(['menu_category', 'menu_item']), id: z.string() });
export type MenuEdit = z.infer<typeof MenuEdit>;

/**
 * Pushed to every menu screen when the menu changed beyond an 86 (`menu:updated`): an item or a
 * category was created or changed (price, names, choices, serving hours, order, shown or hidden).
 * It carries the whole menu as it is now, so a screen replaces what it shows and misses nothing
 * it would have had to ask for.
 */
export const MenuUpdated = z.object({
  /** The revision the menu below reflects (its `version`): shown when newer than the one a screen holds. */
  version: MenuVersion,
  /** What was saved. */
  edit: MenuEdit,
  /** The menu after it, as `menu:subscribe` answers it. */
  menu: MenuView,
  /** Epoch ms of the change. */
  at: z.number().int(),
});
export type MenuUpdated = z.infer<typeof MenuUpdated>;

/** One chosen modifier choice on an order line. */
export const ChosenModifier = z.strictObject({ modifierId: MenuId, choiceId: MenuId });
export type ChosenModifier = z.infer<typeof ChosenModifier>;

/**
 * One line a visitor orders: an item, how many and its choices. Prices are not the client's to
 * give: the menu prices every line (a `price` or `total` sent along is refused, see `order.priced_by_client`).
 */
export const OrderLineRequest = z.strictObject({
  itemId: MenuId,
  qty: z.number().int().min(1).max(20),
  modifiers: z.array(ChosenModifier).max(20).default([]),
  note: z.string().trim().max(200).optional(),
});
export type OrderLineRequest = z.infer<typeof OrderLineRequest>;

/** When the visitor picks the order up: fired when they come in, or ready at a chosen time. */
export const PickupRequest = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('on_arrival') }),
  z.strictObject({ mode: z.literal('at'), time: MenuTime }),
]);
export type PickupRequest = z.infer<typeof PickupRequest>;

/** What a visitor sends to order: the lines and the pickup (the booking's day when pre-ordered). */
export const OrderRequest = z.strictObject({
  lines: z.array(OrderLineRequest).min(1).max(30),
  pickup: PickupRequest,
  /** Pre-order: the order is paid with this booking and fired on its day. */
  bookingId: z.string().min(1).max(64).optional(),
});
export type OrderRequest = z.infer<typeof OrderRequest>;

/**
 * When an order placed during the visit is picked up: as soon as the kitchen can make it (sent to
 * the kitchen once paid), or ready at a chosen time today (sent ahead by its prep time).
 */
export const VisitPickupRequest = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('asap') }),
  z.strictObject({ mode: z.literal('at'), time: MenuTime }),
]);
export type VisitPickupRequest = z.infer<typeof VisitPickupRequest>;

/**
 * What a visitor sends to order during the visit (`POST /api/bookings/:id/food-orders`): the lines
 * and the pickup. The menu prices it (a money field is refused with `order.priced_by_client`); the
 * order is paid on its own (`POST /api/food/orders/:id/pay`).
 */
export const VisitOrderRequest = z.strictObject({
  lines: z.array(OrderLineRequest).min(1).max(30),
  pickup: VisitPickupRequest,
});
export type VisitOrderRequest = z.infer<typeof VisitOrderRequest>;

/** Field names that carry money: a client that sends one is refused rather than ignored. */
export const CLIENT_PRICE_FIELDS = ['price', 'unitPrice', 'total', 'amount', 'vat'] as const;

/** The first money field a raw order request carries, at any depth of its lines, or null. */
export function clientPriceField(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const record = raw as Record<string, unknown>;
  for (const field of CLIENT_PRICE_FIELDS) if (field in record) return field;
  const lines = Array.isArray(record['lines']) ? (record['lines'] as unknown[]) : [];
  for (const [i, line] of lines.entries()) {
    if (typeof line !== 'object' || line === null) continue;
    for (const field of CLIENT_PRICE_FIELDS) if (field in line) return `lines.${i}.${field}`;
  }
  return null;
}

// ── The food module on the wire: kitchen boards, the visitor's order, menus that follow 86s ──

/** A food order's id: a booking's pre-order is `<bookingId>-food`. */
export const OrderId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'letters, digits and _ . : - only, 1–128 characters' });

/**
 * A board bumps its station's ticket of an order from the stage it shows (`queued` → cooking,
 * `cooking` → done). Two boards bumping the same ticket at once: one wins, the other is refused
 * with `kitchen.stale_bump`; a board of another station with `kitchen.wrong_station`.
 */
export const KitchenBump = z.strictObject({ orderId: OrderId, station: MenuId, stage: z.enum(['queued', 'cooking']) });
export type KitchenBump = z.infer<typeof KitchenBump>;

/** Take the last bump of a station's ticket back (done → cooking → queued; a ready order returns to preparing). */
export const KitchenRecall = z.strictObject({ orderId: OrderId, station: MenuId });
export type KitchenRecall = z.infer<typeof KitchenRecall>;

/** One order, by id: fire it now, hand it over at the pickup point. */
export const OrderRef = z.strictObject({ orderId: OrderId });
export type OrderRef = z.infer<typeof OrderRef>;

/** Cancel an order: in full before the kitchen starts, the venue's percent after. */
export const OrderCancel = z.strictObject({ orderId: OrderId, reason: z.string().trim().min(1).max(500).optional() });
export type OrderCancel = z.infer<typeof OrderCancel>;

/** Follow the menu: its current view first, then `menu:changed` on every 86 and return and `menu:updated` on every other edit. */
export const MenuSubscribe = z.strictObject({});
export type MenuSubscribe = z.infer<typeof MenuSubscribe>;

/** Every category and item, inactive ones too, as the menu editor edits them. */
export const MenuAdminView = z.object({ categories: z.array(MenuCategory), items: z.array(MenuItem) });
export type MenuAdminView = z.infer<typeof MenuAdminView>;

/** One line of the food report: a menu category's orders of a venue day. */
export const FoodReportLine = z.object({
  categoryId: z.string(),
  /** Items ordered (Σ qty) in orders that were paid. */
  qty: z.number().int().nonnegative(),
  /** Halalas, VAT included, of paid orders' lines. */
  gross: z.number().int().nonnegative(),
  /** Halalas of VAT inside `gross`. */
  vat: z.number().int().nonnegative(),
  /** Halalas of lines in orders cancelled after payment. */
  cancelled: z.number().int().nonnegative(),
  /** Halalas of lines served (delivered, or ready and waiting). */
  served: z.number().int().nonnegative(),
});
export type FoodReportLine = z.infer<typeof FoodReportLine>;

/**
 * The food report of a venue day: per category, and what was captured and refunded for food. Its
 * money always adds up, order by order:
 *
 *   captured − refunded = served − servedRefunded + keptOnCancel + open + refundPending
 *
 * so once every order is served or cancelled and every refund is through, captured − refunded is
 * the food served (less what finance gave back on it) plus what cancelled orders kept under the
 * venue's policy (FOOD_KITCHEN_REFUND_PERCENT: a cancel once the kitchen started).
 */
export const FoodReport = z.object({
  day: z.string(),
  categories: z.array(FoodReportLine),
  /** Halalas captured for food (the food share of bookings' payments, and orders' own payments). */
  captured: z.number().int().nonnegative(),
  /** Halalas asked back: cancelled food, payments not needed, and finance refunds. */
  refundRequested: z.number().int().nonnegative(),
  /** Halalas the provider gave back (the refunds through; at most refundRequested). */
  refunded: z.number().int().nonnegative(),
  /** Of `refunded`, what finance gave back on orders' own payments (POST /api/admin/refunds). */
  financeRefunded: z.number().int().nonnegative(),
  /** Halalas of the lines of orders served (ready, delivered, not collected). */
  served: z.number().int().nonnegative(),
  /** Of `financeRefunded`, what went back on orders that were served (goodwill): served − servedRefunded is what the served food kept. */
  servedRefunded: z.number().int().nonnegative(),
  /** What cancelled orders kept (captured, not asked back): a cancel once the kitchen started, under the venue's policy. */
  keptOnCancel: z.number().int().nonnegative(),
  /** What paid orders not served or cancelled yet hold (waiting to fire, in the kitchen), less what they asked back. */
  open: z.number().int().nonnegative(),
  /** Asked back and not through yet: refundRequested − refunded. */
  refundPending: z.number().int().nonnegative(),
  orders: z.record(z.string(), z.number().int().nonnegative()),
});
export type FoodReport = z.infer<typeof FoodReport>;

/** The day a report is for: a venue-local `yyyy-mm-dd`. */
export const FoodReportQuery = z.strictObject({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'a venue-local date like 2026-07-14' }) });
