/**
 * Stored food order snapshots of every machine version must stay restorable: each fixture is a
 * `getPersistedSnapshot()` written by that version, restored the way the host restores one.
 */
import { describe, expect, it } from 'vitest';
import { FOOD_ORDER_MACHINE_VERSION, foodOrderDefinition, foodOrderMachine } from './food-order.machine.js';
import { FOOD_ORDER_STATES, FoodOrderPersisted } from './food-order.schemas.js';
import type { FoodOrderState } from './food-order.schemas.js';
import { DELIVER, bump, foodStep, reachFoodOrder } from './food-order.test-support.js';
import v1Cancelled from './fixtures/food_order.v1.cancelled.json' with { type: 'json' };
import v1Delivered from './fixtures/food_order.v1.delivered.json' with { type: 'json' };
import v1NotCollected from './fixtures/food_order.v1.not_collected.json' with { type: 'json' };
import v1Paid from './fixtures/food_order.v1.paid.json' with { type: 'json' };
import v1Placed from './fixtures/food_order.v1.placed.json' with { type: 'json' };
import v1Preparing from './fixtures/food_order.v1.preparing.json' with { type: 'json' };
import v1Ready from './fixtures/food_order.v1.ready.json' with { type: 'json' };
import v1Scheduled from './fixtures/food_order.v1.scheduled.json' with { type: 'json' };

const V1: Record<FoodOrderState, unknown> = {
  placed: v1Placed,
  paid: v1Paid,
  scheduled: v1Scheduled,
  preparing: v1Preparing,
  ready: v1Ready,
  delivered: v1Delivered,
  cancelled: v1Cancelled,
  not_collected: v1NotCollected,
};

function restore(stored: unknown) {
  const parsed = FoodOrderPersisted.parse(stored);
  return foodOrderMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status });
}

describe('food order fixtures v1', () => {
  it.each(FOOD_ORDER_STATES)('restores %s', (state) => {
    const snapshot = restore(V1[state]);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe('active');
  });

  it.each(FOOD_ORDER_STATES)('the current machine still persists %s exactly as the v1 fixture', (state) => {
    expect(FOOD_ORDER_MACHINE_VERSION).toBe(1);
    const persisted = foodOrderMachine.getPersistedSnapshot(reachFoodOrder(state).snapshot);
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(V1[state]);
  });

  it('a restored order keeps going: preparing bumps on, ready is delivered, a scheduled one can be fired', () => {
    expect(foodStep(restore(V1.preparing), bump('grill', 'cooking')).snapshot.context.tickets[0]?.stage).toBe('done');
    expect(foodStep(restore(V1.ready), DELIVER).snapshot.value).toBe('delivered');
    expect(foodStep(restore(V1.scheduled), { type: 'food.fire', at: 1, by: 'user:chef' }).snapshot.value).toBe('preparing');
  });

  it('refuses an unknown state and any migration', () => {
    expect(FoodOrderPersisted.safeParse({ ...(V1.placed as object), value: 'eaten' }).success).toBe(false);
    expect(() => foodOrderDefinition.migrate(V1.placed, 0)).toThrow(/version 0/);
  });
});
