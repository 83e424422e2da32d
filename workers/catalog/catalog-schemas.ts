/**
 * The catalog's entities and inputs: the contract's schemas (machines/contract/catalog.ts),
 * re-exported with the helpers the catalog workers use.
 */
import type { z } from 'zod';
import { CATALOG_KINDS } from '../../machines/contract/catalog.js';
import type { CatalogEntities, CatalogKind } from '../../machines/contract/catalog.js';

export * from '../../machines/contract/catalog.js';

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
