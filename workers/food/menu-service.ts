/**
 * The menu service: the menu as screens show it, pricing orders from it, and 86-ing an item (sold
 * out) or bringing it back, live. Categories and items are catalog entities (kinds `menu_category`
 * and `menu_item`, created and changed through the catalog's admin routes); this service reads
 * them and owns the one change kitchens make during service, the sold-out switch.
 *
 *   setSoldOut(item, soldOut, by) ─▶ audit row ─▶ items.replace (revision n) ─▶ listeners ─▶ menu:changed {version n}
 *   catalog saved a category or item ─▶ edited(edit) ─▶ revision, then the menu read ─▶ listeners ─▶ menu:updated (the whole menu)
 *
 * Versions: every write of a category or item takes the menu's next revision in the catalog
 * store. A view is read after its revision, so it holds at least what that revision says; an 86
 * is one write, so its push is exactly that step. An 86 of an item already so is written (and
 * told) again: a screen that missed the first push sees the step, or a gap.
 *
 * Who may flip the switch is decided at the edge (policy row `menu.sold_out`); the service writes
 * the audit row of what it did.
 */
import type { MenuChanged, MenuEdit, MenuItem, MenuItemView, MenuUpdated, MenuView } from '../../machines/contract/food.js';
import { MenuId, SoldOutChange } from '../../machines/contract/food.js';
import { refuse, type Result } from '../../machines/errors.js';
import type { CatalogStore } from '../catalog/catalog-store.js';
import { issuesText } from '../catalog/catalog-schemas.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../store/actor-store.js';
import { itemView, menuView, priceOrder, venueClock, type PricedOrder } from './menu.js';

/** Who flips the switch: a person (`user:<id>`) or a kitchen board (`device:<id>`), with their role or device kind. */
export interface MenuActor {
  who: string;
  role: string;
}

/** What the menu service needs. */
export interface MenuServiceDeps {
  store: { items: Pick<CatalogStore['items'], 'get' | 'list' | 'replace' | 'revision'> };
  audit: Pick<AuditLog, 'append'>;
  clock: () => number;
  timeZone: string;
  log: Logger;
}

/** The menu service. */
export interface MenuService {
  /** Active categories with their active items, each saying whether it can be ordered now. */
  menu(): Promise<MenuView>;
  item(itemId: string): Promise<MenuItem | null>;
  /** 86 an item (`{soldOut: true}`) or bring it back; every menu screen hears of it. */
  setSoldOut(itemId: unknown, change: unknown, by: MenuActor): Promise<Result<MenuItemView>>;
  /** Prices an order request from the menu for the moment it is for. */
  priceOrder(raw: unknown, forAt: number): Promise<Result<PricedOrder>>;
  /** Hears every sold-out change after it is stored; returns the unsubscribe. */
  onChange(listener: (change: MenuChanged) => void): () => void;
  /**
   * A category or item was saved (created or changed through the catalog at `at`): every listener
   * hears the whole menu as it is now. Resolves once they have; a menu that cannot be read is logged.
   */
  edited(edit: MenuEdit, at: number): Promise<void>;
  /** Hears the whole menu after every edit besides an 86; returns the unsubscribe. */
  onUpdate(listener: (update: MenuUpdated) => void): () => void;
}

/** Creates the menu service. */
export function createMenuService(deps: MenuServiceDeps): MenuService {
  const { store, clock, timeZone } = deps;
  const listeners = new Set<(change: MenuChanged) => void>();
  const updateListeners = new Set<(update: MenuUpdated) => void>();
  const item = (itemId: string) => store.items.get('menu_item', itemId);
  async function menu(): Promise<MenuView> {
    // The revision first: everything it counts was stored before it, so the rows read next hold it.
    const version = await store.items.revision('menu');
    const [categories, items] = await Promise.all([store.items.list('menu_category'), store.items.list('menu_item')]);
    return menuView(categories, items, clock(), timeZone, version);
  }

  return {
    menu,

    item,

    async setSoldOut(itemId, change, by) {
      const id = MenuId.safeParse(itemId);
      if (!id.success) return refuse('input.invalid', 'a menu item id');
      const body = SoldOutChange.safeParse(change);
      if (!body.success) return refuse('input.invalid', issuesText(body.error));
      const existing = await item(id.data);
      const at = clock();
      const target = `menu_item/${id.data}`;
      if (!existing) {
        await deps.audit.append({ at, who: by.who, role: by.role, action: 'menu.sold_out', target, outcome: 'failed', code: 'catalog.not_found', detail: null });
        return refuse('catalog.not_found', `no menu item ${id.data}`);
      }
      const { soldOut } = body.data;
      await deps.audit.append({ at, who: by.who, role: by.role, action: 'menu.sold_out', target, outcome: 'allowed', code: null, detail: { soldOut, was: existing.soldOut } });
      const next = { ...existing, soldOut };
      // Written (and told) again when nothing changed: a screen that missed the first push sees this step, or a gap.
      const version = await store.items.replace('menu_item', next, at);
      if (version === null) return refuse('catalog.not_found', `no menu item ${id.data}`);
      if (existing.soldOut !== soldOut) deps.log.info(soldOut ? 'menu item sold out' : 'menu item back', { itemId: id.data, by: by.who });
      for (const listener of listeners) listener({ version, itemId: id.data, soldOut, at });
      return { ok: true, data: itemView(next, venueClock(at, timeZone)) };
    },

    priceOrder: (raw, forAt) => priceOrder(item, raw, forAt, timeZone),

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async edited(edit, at) {
      let view: MenuView;
      try {
        // Read after the write: the menu carries the edit, and any 86 stored before it.
        view = await menu();
      } catch (error) {
        deps.log.warn('the menu could not be read after an edit: open menus show it on their next read', { ...edit, error: String(error) });
        return;
      }
      for (const listener of updateListeners) listener({ version: view.version, edit, menu: view, at });
    },

    onUpdate(listener) {
      updateListeners.add(listener);
      return () => updateListeners.delete(listener);
    },
  };
}
