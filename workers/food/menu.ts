/**
 * The menu's rules, pure: when an item is served (its windows in venue time), the menu as screens
 * show it (VAT inside every price), and pricing an order from the menu so that no price ever
 * comes from the client. A priced line keeps the dish's names in English and Arabic (and its
 * choices'), so the order names them in either language whatever the menu says later. Refusals, in the order they are checked:
 *
 *   order.priced_by_client  the request carries a price, unit price, total, amount or VAT
 *   input.invalid           the request does not parse
 *   catalog.not_found       an item that does not exist or is retired
 *   menu.sold_out           an item that is 86'd
 *   menu.unavailable        an item outside its availability windows at the time it is for
 *   menu.modifier_invalid   a modifier or choice of another item, one given twice, or too few / too many choices
 */
import type { MenuCategory, MenuItem, MenuItemView, MenuView, MenuWeekday } from '../../machines/contract/food.js';
import { clientPriceField, MENU_WEEKDAYS, OrderRequest, servedAtLocal, vatOf } from '../../machines/contract/food.js';
import type { FoodLine } from '../../machines/food-order.schemas.js';
import { refuse, type Result } from '../../machines/errors.js';
import { issuesText } from '../catalog/catalog-schemas.js';
import { localDate, weekdayIndex, zoneOffsetMs } from '../catalog/venue-time.js';

/** A venue-local moment: the date, its weekday and the time of day. */
export interface VenueClock {
  date: string;
  weekday: MenuWeekday;
  /** `hh:mm`. */
  time: string;
}

/** The venue-local date, weekday and time of an instant. */
export function venueClock(epochMs: number, timeZone: string): VenueClock {
  const date = localDate(epochMs, timeZone);
  const wall = new Date(epochMs + zoneOffsetMs(epochMs, timeZone));
  const time = `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
  return { date, weekday: MENU_WEEKDAYS[weekdayIndex(date)] ?? 'sun', time };
}

/** Whether the item is served at that venue-local moment (no windows: whenever the venue is open). */
export function servedAt(item: Pick<MenuItem, 'windows'>, clock: VenueClock): boolean {
  return servedAtLocal(item.windows, clock.weekday, clock.time);
}

/** Whether a visitor can order the item for that moment. */
export function orderable(item: MenuItem, clock: VenueClock): boolean {
  return item.active && !item.soldOut && servedAt(item, clock);
}

/** One item as menus show it. */
export function itemView(item: MenuItem, clock: VenueClock): MenuItemView {
  const { itemId, categoryId, name, description, price, vatPercent, station, prepMinutes, allergens, dietary, modifiers, windows, soldOut, translations } = item;
  const view = { itemId, categoryId, name, description, price, vatPercent, vat: vatOf(price, vatPercent), station, prepMinutes, allergens, dietary, modifiers, windows, soldOut, orderable: orderable(item, clock) };
  return translations === undefined ? view : { ...view, translations };
}

/** The menu at revision `version`: active categories in their order with their active items (sold-out ones shown as such). */
export function menuView(categories: readonly MenuCategory[], items: readonly MenuItem[], now: number, timeZone: string, version: number): MenuView {
  const clock = venueClock(now, timeZone);
  const shown = [...categories].filter((c) => c.active).sort((a, b) => a.sort - b.sort || a.categoryId.localeCompare(b.categoryId));
  return {
    version,
    timeZone,
    categories: shown.map((c) => ({ ...c, items: items.filter((i) => i.active && i.categoryId === c.categoryId).map((i) => itemView(i, clock)) })),
  };
}

/** An order priced from the menu. */
export interface PricedOrder {
  lines: FoodLine[];
  /** Halalas, VAT included. */
  total: number;
  /** Halalas of VAT inside `total` (Σ per line). */
  vat: number;
  /** The longest prep time of its lines, in minutes: a chosen pickup fires this much ahead. */
  prepMinutes: number;
  request: OrderRequest;
}

/**
 * Prices an order request against the menu, for the moment it is meant for (`forAt`: the chosen
 * pickup time, the arrival, or now). `lookup` reads one item of the menu.
 */
export async function priceOrder(lookup: (itemId: string) => Promise<MenuItem | null>, raw: unknown, forAt: number, timeZone: string): Promise<Result<PricedOrder>> {
  const priced = clientPriceField(raw);
  if (priced !== null) return refuse('order.priced_by_client', `${priced}: prices come from the menu; send items, quantities and choices only`);
  const parsed = OrderRequest.safeParse(raw);
  if (!parsed.success) return refuse('input.invalid', issuesText(parsed.error));
  const clock = venueClock(forAt, timeZone);
  const lines: FoodLine[] = [];
  for (const [index, line] of parsed.data.lines.entries()) {
    const item = await lookup(line.itemId);
    if (!item || !item.active) return refuse('catalog.not_found', `no menu item ${line.itemId}`);
    if (item.soldOut) return refuse('menu.sold_out', `${item.name} is sold out for now`);
    if (!servedAt(item, clock)) return refuse('menu.unavailable', `${item.name} is not served at ${clock.time} on ${clock.date}; see its hours on the menu`);
    const choices = chosenChoices(item, line.modifiers);
    if (!choices.ok) return choices;
    const unitPrice = item.price + choices.data.reduce((sum, c) => sum + c.price, 0);
    const nameAr = item.translations?.ar?.name;
    lines.push({
      lineId: `l${index + 1}`,
      itemId: item.itemId,
      name: item.name,
      ...(nameAr === undefined ? {} : { nameAr }),
      station: item.station,
      prepMinutes: item.prepMinutes,
      qty: line.qty,
      unitPrice,
      vatPercent: item.vatPercent,
      modifiers: choices.data,
      ...(line.note === undefined ? {} : { note: line.note }),
    });
  }
  const total = lines.reduce((sum, l) => sum + l.qty * l.unitPrice, 0);
  const vat = lines.reduce((sum, l) => sum + vatOf(l.qty * l.unitPrice, l.vatPercent), 0);
  const prepMinutes = Math.max(...lines.map((l) => l.prepMinutes));
  return { ok: true, data: { lines, total, vat, prepMinutes, request: parsed.data } };
}

/** The item's choices a line names, checked against the item's modifiers and their min / max. */
function chosenChoices(item: MenuItem, chosen: ReadonlyArray<{ modifierId: string; choiceId: string }>): Result<FoodLine['modifiers']> {
  const out: FoodLine['modifiers'] = [];
  const seen = new Set<string>();
  for (const { modifierId, choiceId } of chosen) {
    const modifier = item.modifiers.find((m) => m.modifierId === modifierId);
    if (!modifier) return refuse('menu.modifier_invalid', `${modifierId} is not a modifier of ${item.name}`);
    const choice = modifier.choices.find((c) => c.choiceId === choiceId);
    if (!choice) return refuse('menu.modifier_invalid', `${choiceId} is not a choice of ${item.name}: ${modifier.name}`);
    const key = `${modifierId}/${choiceId}`;
    if (seen.has(key)) return refuse('menu.modifier_invalid', `${modifier.name}: ${choice.name} is chosen twice`);
    seen.add(key);
    out.push({ modifierId, choiceId, name: `${modifier.name}: ${choice.name}`, ...arabicName(modifier, choice), price: choice.price });
  }
  for (const modifier of item.modifiers) {
    const count = out.filter((c) => c.modifierId === modifier.modifierId).length;
    if (count < modifier.min || count > modifier.max) {
      const between = modifier.min === modifier.max ? `exactly ${modifier.min}` : `between ${modifier.min} and ${modifier.max}`;
      return refuse('menu.modifier_invalid', `${item.name}: choose ${between} for ${modifier.name}`);
    }
  }
  return { ok: true, data: out };
}

/** A chosen choice's Arabic name ("الخبز: صاج"), when the menu names the modifier or the choice in Arabic (the other part falls back to English). */
function arabicName(modifier: MenuItem['modifiers'][number], choice: MenuItem['modifiers'][number]['choices'][number]): { nameAr?: string } {
  const modifierAr = modifier.translations?.ar?.name;
  const choiceAr = choice.translations?.ar?.name;
  if (modifierAr === undefined && choiceAr === undefined) return {};
  return { nameAr: `${modifierAr ?? modifier.name}: ${choiceAr ?? choice.name}` };
}
