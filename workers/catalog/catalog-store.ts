/**
 * The catalog persistence port: admin-managed entities (activities, ticket types, schedules,
 * add-ons) and the slots generated from schedules. Two adapters (SQLite, MongoDB) pass one
 * contract suite (`catalog-store.contract.ts`). Capacity is not here: it lives in the actor
 * store's ledger under the slot id, the one place holds are taken from.
 *
 *   admin ──items.insert / items.put──▶ store        visitors ──items.list / slots.list──▶ store
 *   ensureSlots ──slots.insertMissing (first writer wins)──▶ store ──▶ ledger.defineSlot
 *
 * Every write of an entity takes the next revision of its realm (the menu's categories and items
 * share the realm `menu`; every other kind is a realm of its own): a screen that holds the menu at
 * revision n and hears of n + 2 knows it missed one.
 *
 * The store only ever holds entities the service has validated, so adapters return them as is.
 */
import type { CatalogEntities, CatalogKind, CatalogRealm, Slot } from './catalog-schemas.js';

/** Admin-managed entities by kind. */
export interface CatalogItems {
  /** Inserts unless an item of that kind and id exists: the revision the write took, null when it exists. */
  insert<K extends CatalogKind>(kind: K, item: CatalogEntities[K], at: number): Promise<number | null>;
  /** Replaces the item (by kind and id): the revision the write took, null when it does not exist. */
  replace<K extends CatalogKind>(kind: K, item: CatalogEntities[K], at: number): Promise<number | null>;
  /** The last revision a write of the realm took (0 before any): what is read after it reflects at least that. */
  revision(realm: CatalogRealm): Promise<number>;
  get<K extends CatalogKind>(kind: K, id: string): Promise<CatalogEntities[K] | null>;
  /** Every item of a kind in id order, only those of `activityId` when given. */
  list<K extends CatalogKind>(kind: K, activityId?: string): Promise<Array<CatalogEntities[K]>>;
}

/** Generated slots. */
export interface SlotRepository {
  /** Inserts the slots whose id is not stored yet; returns the ids it inserted. */
  insertMissing(slots: readonly Slot[]): Promise<string[]>;
  get(slotId: string): Promise<Slot | null>;
  /** The slots of an activity on a venue-local date, by start time. */
  list(activityId: string, date: string): Promise<Slot[]>;
  /** The slots starting in [from, to), by start time (for ledger repair and feeds). */
  startingBetween(from: number, to: number): Promise<Slot[]>;
}

/** The catalog store. */
export interface CatalogStore {
  readonly name: string;
  readonly items: CatalogItems;
  readonly slots: SlotRepository;
  close(): Promise<void>;
}
