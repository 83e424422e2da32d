/**
 * The food module on a node: the menu kept in the catalog store, orders during a visit taken on
 * its booking's day (the catalog's slots), times in the venue's zone, and the pickup point, the
 * not-collected wait and the kitchen refund share (FOOD_*).
 */
import { z } from 'zod';
import { foodRuntime } from '../../../workers/food/food.module.js';
import { integer, text } from '../../env-fields.js';
import { catalogModule } from '../catalog/index.js';
import { nodePartOf } from '../node-part.js';

/** The food module's variables. */
export const FoodSettings = z.object({
  /** Where visitors collect food orders (on the order and in the ready message). */
  FOOD_PICKUP_POINT: text('FOOD_PICKUP_POINT', 'Poolside café counter'),
  /** The same place named in Arabic (the order and the ready message of visitors who read Arabic). */
  FOOD_PICKUP_POINT_AR: text('FOOD_PICKUP_POINT_AR', 'كاونتر مقهى المسبح'),
  /** Minutes a ready order waits before it counts as not collected. */
  FOOD_NOT_COLLECTED_MINUTES: integer('FOOD_NOT_COLLECTED_MINUTES', 1, 24 * 60, 30),
  /** Percent of an order refunded when it is cancelled after the kitchen started. */
  FOOD_KITCHEN_REFUND_PERCENT: integer('FOOD_KITCHEN_REFUND_PERCENT', 0, 100, 0),
  /** Minutes a visitor has to pay an order placed during the visit before it is cancelled. */
  FOOD_PAYMENT_MINUTES: integer('FOOD_PAYMENT_MINUTES', 1, 240, 15),
});

export const foodNode = nodePartOf(foodRuntime, {
  settings: FoodSettings,
  async open({ config, lent }, settings) {
    const catalog = lent(catalogModule).store;
    return {
      wiring: {
        menuStore: catalog,
        slots: catalog.slots,
        timeZone: config.VENUE_TIME_ZONE,
        settings: {
          pickupPoint: settings.FOOD_PICKUP_POINT,
          pickupPointAr: settings.FOOD_PICKUP_POINT_AR,
          notCollectedMs: settings.FOOD_NOT_COLLECTED_MINUTES * 60_000,
          kitchenRefundPercent: settings.FOOD_KITCHEN_REFUND_PERCENT,
          payWithinMs: settings.FOOD_PAYMENT_MINUTES * 60_000,
        },
      },
      lends: undefined,
    };
  },
});
