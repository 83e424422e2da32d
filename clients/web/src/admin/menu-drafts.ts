/**
 * The menu editor's drafts: what the item form holds as typed, and the entity it sends the hub
 * (the hub checks it again; it is the one that decides).
 */
import type { Allergen, DietaryTag, MenuCategory, MenuItem, MenuWeekday, Translations } from '../../../../machines/contract/wire.js';
import { ALLERGENS, DEFAULT_VAT_PERCENT, DIETARY_TAGS, MENU_WEEKDAYS } from '../../../../machines/contract/wire.js';
import { westernDigits } from '../phone.js';

export interface ChoiceDraft {
  choiceId: string;
  name: string;
  nameAr: string;
  price: string;
}
export interface ModifierDraft {
  modifierId: string;
  name: string;
  nameAr: string;
  min: string;
  max: string;
  choices: ChoiceDraft[];
}
export interface WindowDraft {
  days: MenuWeekday[];
  from: string;
  to: string;
}
export interface ItemDraft {
  itemId: string;
  categoryId: string;
  name: string;
  nameAr: string;
  description: string;
  price: string;
  vatPercent: string;
  station: string;
  prepMinutes: string;
  allergens: Allergen[];
  dietary: DietaryTag[];
  modifiers: ModifierDraft[];
  windows: WindowDraft[];
  active: boolean;
}

/** Halalas as the form shows them: 3500 → "35.00". */
export const sar = (halalas: number) => (halalas / 100).toFixed(2);

/** The form of an item (or of a new one, in the first category). */
export function draftOf(item: MenuItem | null, categories: readonly MenuCategory[]): ItemDraft {
  if (item === null) {
    return { itemId: '', categoryId: categories[0]?.categoryId ?? '', name: '', nameAr: '', description: '', price: '', vatPercent: String(DEFAULT_VAT_PERCENT), station: '', prepMinutes: '10', allergens: [], dietary: [], modifiers: [], windows: [], active: true };
  }
  return {
    itemId: item.itemId,
    categoryId: item.categoryId,
    name: item.name,
    nameAr: item.translations?.ar?.name ?? '',
    description: item.description,
    price: sar(item.price),
    vatPercent: String(item.vatPercent),
    station: item.station,
    prepMinutes: String(item.prepMinutes),
    allergens: [...item.allergens],
    dietary: [...item.dietary],
    modifiers: item.modifiers.map((m) => ({
      modifierId: m.modifierId,
      name: m.name,
      nameAr: m.translations?.ar?.name ?? '',
      min: String(m.min),
      max: String(m.max),
      choices: m.choices.map((c) => ({ choiceId: c.choiceId, name: c.name, nameAr: c.translations?.ar?.name ?? '', price: sar(c.price) })),
    })),
    windows: item.windows.map((w) => ({ days: [...(w.days ?? [])], from: w.from, to: w.to })),
    active: item.active,
  };
}

/** SAR as typed ("35", "35.5", "٣٥٫٠٠") in halalas; NaN when it is not an amount. */
export function halalasOf(typed: string): number {
  const text = westernDigits(typed).trim().replace('٫', '.').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return Number.NaN;
  return Math.round(Number(text) * 100);
}

/** An id for a new modifier or choice from its name, unique among `taken`. */
function idFrom(name: string, fallback: string, taken: ReadonlySet<string>): string {
  const base = westernDigits(name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || fallback;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * The entity's translations from its Arabic name as typed (its Arabic description kept). Cleared on
 * an entity that had them, they are sent as null, which the hub takes as "remove": the English name
 * shows again, and an Arabic description goes with the name it belongs to. A new entity without one
 * sends none.
 */
function translationsOf(nameAr: string, previous: { translations?: Translations | undefined } | null): { translations?: Translations | null } {
  const name = nameAr.trim();
  if (name === '') return previous === null ? {} : { translations: null };
  const description = previous?.translations?.ar?.description;
  return { translations: { ar: { name, ...(description === undefined ? {} : { description }) } } };
}

/** A modifier's or choice's Arabic name as translations hold it (none when left empty). */
function arabic(typed: string): { translations?: { ar: { name: string } } } {
  const name = typed.trim();
  return name === '' ? {} : { translations: { ar: { name } } };
}

/** The entity the hub checks, from the form (ids of new modifiers and choices made from their names). */
export function entityOf(draft: ItemDraft, previous: MenuItem | null): { ok: true; entity: Record<string, unknown> } | { ok: false } {
  const price = halalasOf(draft.price);
  if (Number.isNaN(price)) return { ok: false };
  const modifierIds = new Set(draft.modifiers.map((m) => m.modifierId).filter((id) => id !== ''));
  const modifiers = [];
  for (const [i, m] of draft.modifiers.entries()) {
    const modifierId = m.modifierId || idFrom(m.name, `modifier-${i + 1}`, modifierIds);
    modifierIds.add(modifierId);
    const choiceIds = new Set(m.choices.map((c) => c.choiceId).filter((id) => id !== ''));
    const choices = [];
    for (const [j, c] of m.choices.entries()) {
      const choiceId = c.choiceId || idFrom(c.name, `choice-${j + 1}`, choiceIds);
      choiceIds.add(choiceId);
      const choicePrice = c.price.trim() === '' ? 0 : halalasOf(c.price);
      if (Number.isNaN(choicePrice)) return { ok: false };
      choices.push({ choiceId, name: c.name, price: choicePrice, ...arabic(c.nameAr) });
    }
    modifiers.push({ modifierId, name: m.name, min: Number(m.min), max: Number(m.max), choices, ...arabic(m.nameAr) });
  }
  const windows = draft.windows.map((w) => ({ ...(w.days.length === 0 || w.days.length === 7 ? {} : { days: MENU_WEEKDAYS.filter((d) => w.days.includes(d)) }), from: w.from, to: w.to }));
  const nameAr = draft.nameAr;
  return {
    ok: true,
    entity: {
      itemId: draft.itemId.trim(),
      categoryId: draft.categoryId,
      name: draft.name,
      description: draft.description,
      price,
      vatPercent: Number(westernDigits(draft.vatPercent)),
      station: draft.station.trim(),
      prepMinutes: Number(westernDigits(draft.prepMinutes)),
      allergens: ALLERGENS.filter((a) => draft.allergens.includes(a)),
      dietary: DIETARY_TAGS.filter((d) => draft.dietary.includes(d)),
      modifiers,
      windows,
      active: draft.active,
      ...translationsOf(nameAr, previous),
    },
  };
}

// ── Categories ──

/** What the category form holds as typed. */
export interface CategoryDraft {
  categoryId: string;
  name: string;
  nameAr: string;
  description: string;
  /** Its place on menus, lower first. */
  sort: string;
  active: boolean;
}

/** Categories in menu order (their `sort`, then their id, as the hub orders them). */
export function inMenuOrder(categories: readonly MenuCategory[]): MenuCategory[] {
  return [...categories].sort((a, b) => a.sort - b.sort || a.categoryId.localeCompare(b.categoryId));
}

/** The form of a category, or of a new one placed after the last. */
export function categoryDraftOf(category: MenuCategory | null, categories: readonly MenuCategory[]): CategoryDraft {
  if (category === null) {
    const last = Math.max(0, ...categories.map((c) => c.sort));
    return { categoryId: '', name: '', nameAr: '', description: '', sort: String(Math.min(10_000, last + 10)), active: true };
  }
  return {
    categoryId: category.categoryId,
    name: category.name,
    nameAr: category.translations?.ar?.name ?? '',
    description: category.description,
    sort: String(category.sort),
    active: category.active,
  };
}

/** The category the hub checks, from the form; not ok when the order is not a whole number. */
export function categoryEntityOf(draft: CategoryDraft, previous: MenuCategory | null): { ok: true; entity: Record<string, unknown> } | { ok: false } {
  const sort = westernDigits(draft.sort).trim();
  if (!/^\d{1,5}$/.test(sort)) return { ok: false };
  const nameAr = draft.nameAr;
  return {
    ok: true,
    entity: {
      categoryId: draft.categoryId.trim(),
      name: draft.name,
      description: draft.description,
      sort: Number(sort),
      active: draft.active,
      ...translationsOf(nameAr, previous),
    },
  };
}

/**
 * The new orders that move one category a place up (-1) or down (+1): every category numbered
 * 10, 20, 30, … in the order wanted, and only those whose number changes (none at either end).
 */
export function moveCategory(categories: readonly MenuCategory[], categoryId: string, by: -1 | 1): Array<{ categoryId: string; sort: number }> {
  const order = inMenuOrder(categories);
  const from = order.findIndex((c) => c.categoryId === categoryId);
  const to = from + by;
  if (from < 0 || to < 0 || to >= order.length) return [];
  const [moved] = order.splice(from, 1);
  if (moved === undefined) return [];
  order.splice(to, 0, moved);
  return order.map((c, i) => ({ categoryId: c.categoryId, sort: (i + 1) * 10, was: c.sort })).filter((c) => c.sort !== c.was).map(({ categoryId: id, sort }) => ({ categoryId: id, sort }));
}
