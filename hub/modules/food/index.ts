/**
 * Food and beverage: the menu and its 86s, food orders (a booking's pre-order paid with it, fired
 * by the gate's entry or its pickup time; an order during the visit, paid on its own), the
 * kitchen's boards (the `kitchen` feed; bump, recall, fire, hand over), the order-ready message
 * and the food report.
 */
import type { FoodModuleService, FoodWiring } from '../../../workers/food/food.module.js';
import { foodRuntime } from '../../../workers/food/food.module.js';
import { policyRows } from '../../policy/policy-table.js';
import type { EdgeContext, VenueModule } from '../venue-module.js';
import { catalogModule } from '../catalog/index.js';
import { foodHttpRoutes } from './food-http.js';
import { foodNode } from './node.js';
import { kitchenRoutes } from './kitchen-routes.js';
import { visitOrderRoutes } from './visit-order-routes.js';

const food = (ctx: EdgeContext) => () => ctx.runtime.service<FoodModuleService>(foodRuntime);

export const foodModule: VenueModule<FoodModuleService, FoodWiring> = {
  ...foodRuntime,
  node: foodNode,
  policy: policyRows('food.watch', 'feed.food_orders', 'food.read', 'food.cancel', 'kitchen.bump', 'kitchen.expo', 'menu.watch', 'menu.admin', 'menu.sold_out', 'food.report', 'food.order', 'food.pay'),
  socket: (ctx) => kitchenRoutes({ food: food(ctx), policy: ctx.policy, trail: ctx.trail }),
  http: (ctx) =>
    ctx.node === undefined
      ? []
      : foodHttpRoutes({
          food: food(ctx),
          policy: ctx.policy,
          trail: ctx.trail,
          authenticate: (req) => ctx.authenticate(req),
          catalogStore: ctx.node.services.lent(catalogModule).store,
          readModels: ctx.runtime.readModels,
          projector: ctx.runtime.projector,
        }).concat(
          visitOrderRoutes({
            food: food(ctx),
            policy: ctx.policy,
            trail: ctx.trail,
            host: ctx.runtime.host,
            authenticate: (req) => ctx.authenticate(req),
            payments: () => ctx.runtime.payments?.service,
          }),
        ),
};
