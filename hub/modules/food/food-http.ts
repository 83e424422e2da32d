/**
 * The food module's HTTP routes (machines/contract/kitchen.ts FOOD_ROUTES):
 *
 *   GET  /api/menu                           anyone          the menu (VAT inside prices, sold out, orderable now)
 *   GET  /api/admin/menu                     kitchen, super  every category and item, inactive too (the menu editor)
 *   POST /api/admin/menu/items/:id/sold-out  kitchen, super  {soldOut}: 86 or back, live to every open menu
 *   GET  /api/food/orders/:id                own, kitchen    the order
 *   POST /api/food/orders/:id/cancel         own, kitchen    {reason?}: as food:cancel
 *   GET  /api/admin/reports/food?day=        finance, super  the day's food by menu category
 *
 * Menu items are created and changed with the catalog's staff routes (kinds menu_category, menu_item).
 */
import { z } from 'zod';
import { FoodReportQuery, OrderId } from '../../../machines/contract/food.js';
import { accept, refuse } from '../../../machines/errors.js';
import type { Result } from '../../../machines/errors.js';
import type { CatalogStore } from '../../../workers/catalog/catalog-store.js';
import { foodReport } from '../../../workers/food/food-report.js';
import type { Projector } from '../../../workers/projections/projector.js';
import type { ReadModelStore } from '../../../workers/projections/read-model.js';
import type { ApiRequest, ApiRoute } from '../../api/api-router.js';
import { readJson } from '../../api/api-router.js';
import type { PersonPrincipal } from '../../auth/tokens.js';
import type { AuditTrail } from '../../policy/audit-trail.js';
import type { Policy } from '../../policy/policy-table.js';
import { ownerOf } from '../../policy/role-policy.js';
import { subjectOf } from '../../rooms.js';
import type { KitchenRouteDeps } from './kitchen-routes.js';
import { cancelOrder } from './kitchen-routes.js';

/** What the food HTTP routes need. */
export interface FoodHttpDeps extends KitchenRouteDeps {
  authenticate(req: ApiRequest): Promise<Result<PersonPrincipal>>;
  policy: Pick<Policy, 'decide'>;
  trail: AuditTrail;
  /** The catalog's store, for the editor's listing (inactive entities too). */
  catalogStore: Pick<CatalogStore, 'items'>;
  readModels: Pick<ReadModelStore, 'list'> | undefined;
  /** Catches the read models up before a report (they fold commits a little later otherwise). */
  projector: Pick<Projector, 'catchUp'> | undefined;
}

const CancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
const NO_FOOD = 'this hub node runs no menu';

/** The food module's HTTP routes. */
export function foodHttpRoutes(deps: FoodHttpDeps): ApiRoute[] {
  const { policy, trail } = deps;
  /** The signed-in person, when the policy allows them `action` (audited refusal otherwise). */
  const staff = async (req: ApiRequest, action: string, target: string): Promise<Result<PersonPrincipal>> => {
    const person = await deps.authenticate(req);
    if (!person.ok) return person;
    const decision = policy.decide(person.data, action);
    return decision.allowed ? person : trail.deny(person.data, action, target, decision);
  };
  const orderIdOf = (req: ApiRequest): Result<string> => {
    const id = OrderId.safeParse(req.params['id']);
    return id.success ? accept(id.data) : refuse('event.invalid', 'id: not a food order id');
  };

  return [
    {
      method: 'GET',
      pattern: '/api/menu',
      handler: async () => {
        const menu = deps.food().menu;
        return menu ? accept(await menu.menu()) : refuse('menu.unavailable', NO_FOOD);
      },
    },
    {
      method: 'GET',
      pattern: '/api/admin/menu',
      handler: async (req) => {
        const person = await staff(req, 'menu.admin', 'menu');
        if (!person.ok) return person;
        const [categories, items] = await Promise.all([deps.catalogStore.items.list('menu_category'), deps.catalogStore.items.list('menu_item')]);
        return accept({ categories, items });
      },
    },
    {
      method: 'POST',
      pattern: '/api/admin/menu/items/:id/sold-out',
      handler: async (req) => {
        const id = req.params['id'] ?? '';
        const person = await staff(req, 'menu.sold_out', `menu_item/${id}`);
        if (!person.ok) return person;
        const menu = deps.food().menu;
        if (!menu) return refuse('menu.unavailable', NO_FOOD);
        const body = readJson(z.unknown(), req);
        if (!body.ok) return body;
        // The menu parses the id and body, writes the audit row and tells every open menu.
        return menu.setSoldOut(id, body.data, { who: subjectOf(person.data), role: person.data.role });
      },
    },
    {
      method: 'GET',
      pattern: '/api/food/orders/:id',
      handler: async (req) => {
        const person = await deps.authenticate(req);
        if (!person.ok) return person;
        const id = orderIdOf(req);
        if (!id.ok) return id;
        const orders = deps.food().orders;
        if (!orders) return refuse('menu.unavailable', NO_FOOD);
        const order = await orders.read(id.data);
        const decision = policy.decide(person.data, 'food.read', { ownerId: order.ok ? ownerOf(order.data) : undefined });
        // Another visitor's order answers as if it did not exist, so ids cannot be probed.
        if (!decision.allowed) return person.data.role === 'visitor' ? refuse('actor.not_found', `no food order ${id.data}`) : trail.deny(person.data, 'food.read', `food_order/${id.data}`, decision);
        return order;
      },
    },
    {
      method: 'POST',
      pattern: '/api/food/orders/:id/cancel',
      handler: async (req) => {
        const person = await deps.authenticate(req);
        if (!person.ok) return person;
        const id = orderIdOf(req);
        if (!id.ok) return id;
        const body = readJson(CancelBody, req);
        if (!body.ok) return body;
        return cancelOrder(deps, person.data, id.data, body.data.reason);
      },
    },
    {
      method: 'GET',
      pattern: '/api/admin/reports/food',
      handler: async (req) => {
        const person = await staff(req, 'food.report', 'reports/food');
        if (!person.ok) return person;
        const query = FoodReportQuery.safeParse({ day: req.search.get('day') ?? undefined });
        if (!query.success) return refuse('event.invalid', `day: ${query.error.issues[0]?.message ?? 'a venue-local date'}`);
        const { menu, timeZone } = deps.food();
        if (!menu || timeZone === undefined || !deps.readModels) return refuse('menu.unavailable', NO_FOOD);
        await deps.projector?.catchUp();
        return accept(await foodReport(deps.readModels, timeZone, query.data.day, async (itemId) => (await menu.item(itemId))?.categoryId));
      },
    },
  ];
}
