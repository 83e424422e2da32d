/**
 * The catalog's entities and inputs: the contract's schemas (machines/contract/catalog.ts),
 * re-exported with the helpers the catalog workers use.
 */
import type { z } from 'zod';
import { CATALOG_KINDS } from '../../machines/contract/catalog.js';
import type { CatalogEntities, CatalogKind } from '../../machines/contract/catalog.js';

export * from '../../machines/contract/catalog.js';

/** The kinds whose writes count one revision together: the menu's, or one kind alone. */
export type CatalogRealm = 'menu' | Exclude<CatalogKind, 'menu_category' | 'menu_item'>;

/** The revision realm of a kind (menu categories and items are the menu's). */
export function realmOf(kind: CatalogKind): CatalogRealm {
  return kind === 'menu_category' || kind === 'menu_item' ? 'menu' : kind;
}

/** The id of an entity. */
export function idOf<K extends CatalogKind>(kind: K, item: CatalogEntities[K]): string {
  const field = CATALOG_KINDS[kind].id;
  return (item as unknown as Record<string, string>)[field] ?? '';
}

/** The kind an entity of each kind belongs to (stores index it; admins must name an existing one). */
export const PARENT_KIND: { readonly [K in CatalogKind]: CatalogKind | null } = {
  activity: null,
  ticket_type: 'activity',
  schedule: 'activity',
  add_on: null,
  menu_category: null,
  menu_item: 'menu_category',
};

/**
 * The id of the entity an entity belongs to: the activity of a ticket type or schedule, the
 * category of a menu item; null for the others. Stores index it (`items.list(kind, parentId)`).
 */
export function activityOf<K extends CatalogKind>(kind: K, item: CatalogEntities[K]): string | null {
  if (kind === 'menu_item') return (item as unknown as { categoryId: string }).categoryId;
  return kind === 'ticket_type' || kind === 'schedule' ? (item as unknown as { activityId: string }).activityId : null;
}

/** Turns a failed parse into one readable line. */
export function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
}
