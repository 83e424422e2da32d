/**
 * The food module on a node: the menu kept in the catalog store, orders during a visit taken on
 * its booking's day (the catalog's slots), times in the venue's zone, and the pickup point, the
 * not-collected wait and the kitchen refund share (FOOD_*).
 */
import { foodRuntime } from '../../../workers/food/food.module.js';
import { catalogModule } from '../catalog/index.js';
import { nodePartOf } from '../node-part.js';

export const foodNode = nodePartOf(foodRuntime, {
  async open({ config, lent }) {
    const catalog = lent(catalogModule).store;
    return {
      wiring: {
        menuStore: catalog,
        slots: catalog.slots,
        timeZone: config.VENUE_TIME_ZONE,
        settings: {
          pickupPoint: config.FOOD_PICKUP_POINT,
          pickupPointAr: config.FOOD_PICKUP_POINT_AR,
          notCollectedMs: config.FOOD_NOT_COLLECTED_MINUTES * 60_000,
          kitchenRefundPercent: config.FOOD_KITCHEN_REFUND_PERCENT,
        },
      },
      lends: undefined,
    };
  },
});
