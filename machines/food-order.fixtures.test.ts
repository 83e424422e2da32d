/**
 * Stored food order snapshots of every machine version must stay restorable: each fixture is a
 * `getPersistedSnapshot()` written by that version, restored the way the host restores one.
 */
import { describe, expect, it } from 'vitest';
import { FOOD_ORDER_MACHINE_VERSION, foodOrderDefinition, foodOrderMachine } from './food-order.machine.js';
import { FOOD_ORDER_STATES, FoodOrderPersisted } from './food-order.schemas.js';
import type { FoodOrderState } from './food-order.schemas.js';
import { DELIVER, PAY_FAILED, PAY_OWN, PAY_WITHIN, T0, VISIT_LUNCH, bump, financeRefund, foodStep, reachFoodOrder, startFoodOrder } from './food-order.test-support.js';
import v1Cancelled from './fixtures/food_order.v1.cancelled.json' with { type: 'json' };
import v1Delivered from './fixtures/food_order.v1.delivered.json' with { type: 'json' };
import v1NotCollected from './fixtures/food_order.v1.not_collected.json' with { type: 'json' };
import v1Paid from './fixtures/food_order.v1.paid.json' with { type: 'json' };
import v1Placed from './fixtures/food_order.v1.placed.json' with { type: 'json' };
import v1Preparing from './fixtures/food_order.v1.preparing.json' with { type: 'json' };
import v1Ready from './fixtures/food_order.v1.ready.json' with { type: 'json' };
import v1Scheduled from './fixtures/food_order.v1.scheduled.json' with { type: 'json' };
import v2Cancelled from './fixtures/food_order.v2.cancelled.json' with { type: 'json' };
import v2Delivered from './fixtures/food_order.v2.delivered.json' with { type: 'json' };
import v2NotCollected from './fixtures/food_order.v2.not_collected.json' with { type: 'json' };
import v2Paid from './fixtures/food_order.v2.paid.json' with { type: 'json' };
import v2Placed from './fixtures/food_order.v2.placed.json' with { type: 'json' };
import v2Preparing from './fixtures/food_order.v2.preparing.json' with { type: 'json' };
import v2Ready from './fixtures/food_order.v2.ready.json' with { type: 'json' };
import v2Scheduled from './fixtures/food_order.v2.scheduled.json' with { type: 'json' };
import v2VisitPlacedFailed from './fixtures/food_order.v2.visit_placed_failed.json' with { type: 'json' };
import v2VisitPreparing from './fixtures/food_order.v2.visit_preparing.json' with { type: 'json' };
import v3Cancelled from './fixtures/food_order.v3.cancelled.json' with { type: 'json' };
import v3Delivered from './fixtures/food_order.v3.delivered.json' with { type: 'json' };
import v3NotCollected from './fixtures/food_order.v3.not_collected.json' with { type: 'json' };
import v3Paid from './fixtures/food_order.v3.paid.json' with { type: 'json' };
import v3Placed from './fixtures/food_order.v3.placed.json' with { type: 'json' };
import v3Preparing from './fixtures/food_order.v3.preparing.json' with { type: 'json' };
import v3Ready from './fixtures/food_order.v3.ready.json' with { type: 'json' };
import v3Scheduled from './fixtures/food_order.v3.scheduled.json' with { type: 'json' };
import v3VisitExpired from './fixtures/food_order.v3.visit_expired.json' with { type: 'json' };
import v3VisitFinanceRefunded from './fixtures/food_order.v3.visit_finance_refunded.json' with { type: 'json' };
import v3VisitPlacedFailed from './fixtures/food_order.v3.visit_placed_failed.json' with { type: 'json' };
import v3VisitPreparing from './fixtures/food_order.v3.visit_preparing.json' with { type: 'json' };

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

const V2: Record<FoodOrderState, unknown> = {
  placed: v2Placed,
  paid: v2Paid,
  scheduled: v2Scheduled,
  preparing: v2Preparing,
  ready: v2Ready,
  delivered: v2Delivered,
  cancelled: v2Cancelled,
  not_collected: v2NotCollected,
};

const V3: Record<FoodOrderState, unknown> = {
  placed: v3Placed,
  paid: v3Paid,
  scheduled: v3Scheduled,
  preparing: v3Preparing,
  ready: v3Ready,
  delivered: v3Delivered,
  cancelled: v3Cancelled,
  not_collected: v3NotCollected,
};

const persisted = (snapshot: Parameters<typeof foodOrderMachine.getPersistedSnapshot>[0]) => JSON.parse(JSON.stringify(foodOrderMachine.getPersistedSnapshot(snapshot))) as unknown;

/** Restores a stored snapshot as the host does: migrate (older versions), parse, resolve. */
function restore(stored: unknown, fromVersion = FOOD_ORDER_MACHINE_VERSION) {
  const migrated = fromVersion === FOOD_ORDER_MACHINE_VERSION ? stored : foodOrderDefinition.migrate(stored, fromVersion);
  const parsed = FoodOrderPersisted.parse(migrated);
  return foodOrderMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status });
}

describe('food order fixtures v1 (restored through the migrations)', () => {
  it.each(FOOD_ORDER_STATES)('restores %s', (state) => {
    const snapshot = restore(V1[state], 1);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe('active');
  });

  it('passes every version 1 snapshot through unchanged', () => {
    for (const state of FOOD_ORDER_STATES) expect(foodOrderDefinition.migrate(V1[state], 1)).toBe(V1[state]);
  });

  it('a restored order keeps going: preparing bumps on, ready is delivered, a scheduled one can be fired', () => {
    expect(foodStep(restore(V1.preparing, 1), bump('grill', 'cooking')).snapshot.context.tickets[0]?.stage).toBe('done');
    expect(foodStep(restore(V1.ready, 1), DELIVER).snapshot.value).toBe('delivered');
    expect(foodStep(restore(V1.scheduled, 1), { type: 'food.fire', at: 1, by: 'user:chef' }).snapshot.value).toBe('preparing');
  });
});

describe('food order fixtures v2 (restored through the v2 → v3 migration)', () => {
  it.each(FOOD_ORDER_STATES)('restores %s', (state) => {
    const snapshot = restore(V2[state], 2);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe('active');
  });

  it('passes every version 2 snapshot through unchanged', () => {
    for (const state of FOOD_ORDER_STATES) expect(foodOrderDefinition.migrate(V2[state], 2)).toBe(V2[state]);
  });

  it('an order during the visit placed under v2 has no deadline: it waits for its payment, then goes on as before', () => {
    const restored = restore(v2VisitPlacedFailed, 2);
    expect(restored.context).toMatchObject({ visitBookingId: 'bk_1', pickup: { mode: 'asap' }, paymentFailure: { paymentId: 'fo_3-p1' } });
    expect(restored.context.payBy).toBeUndefined();
    expect(restored.can({ type: 'food.payment_due', at: T0 + PAY_WITHIN })).toBe(false);
    expect(foodStep(restored, PAY_OWN).snapshot.value).toBe('preparing');
    expect(foodStep(restore(v2VisitPreparing, 2), bump('grill', 'queued')).snapshot.context.tickets[0]?.stage).toBe('cooking');
    // A finance refund of its own payment reaches it like a v3 order's.
    expect(foodStep(restore(v2VisitPreparing, 2), financeRefund(9_100)).snapshot).toMatchObject({ value: 'cancelled', context: { cancelCause: 'finance_refund' } });
  });
});

describe('food order fixtures v3', () => {
  it.each(FOOD_ORDER_STATES)('restores %s', (state) => {
    const snapshot = restore(V3[state]);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe('active');
  });

  it.each(FOOD_ORDER_STATES)('the current machine still persists %s exactly as the v3 fixture', (state) => {
    expect(FOOD_ORDER_MACHINE_VERSION).toBe(3);
    expect(persisted(reachFoodOrder(state).snapshot)).toEqual(V3[state]);
  });

  it('an order during the visit: a failed attempt kept, paid and in the kitchen; expired unpaid; refunded in full by finance', () => {
    const failed = foodStep(startFoodOrder(VISIT_LUNCH).snapshot, PAY_FAILED).snapshot;
    expect(persisted(failed)).toEqual(v3VisitPlacedFailed);
    const preparing = foodStep(failed, PAY_OWN).snapshot;
    expect(persisted(preparing)).toEqual(v3VisitPreparing);
    expect(persisted(foodStep(failed, { type: 'food.payment_due', at: T0 + PAY_WITHIN }).snapshot)).toEqual(v3VisitExpired);
    expect(persisted(foodStep(preparing, financeRefund(9_100)).snapshot)).toEqual(v3VisitFinanceRefunded);
    const restored = restore(v3VisitPlacedFailed);
    expect(restored.context).toMatchObject({ visitBookingId: 'bk_1', payBy: T0 + PAY_WITHIN, paymentFailure: { paymentId: 'fo_3-p1' }, lines: [{ nameAr: 'برجر لحم' }, { name: 'Mint lemonade' }] });
    expect(foodStep(restored, { type: 'food.payment_due', at: T0 + PAY_WITHIN }).snapshot.value).toBe('cancelled');
    expect(foodStep(restored, PAY_OWN).snapshot.value).toBe('preparing');
    expect(restore(v3VisitExpired).context).toMatchObject({ cancelCause: 'payment_due', capturedAmount: 0 });
    expect(restore(v3VisitFinanceRefunded).context).toMatchObject({ cancelCause: 'finance_refund', financeRefundedAmount: 9_100 });
  });

  it('refuses an unknown state and any other version', () => {
    expect(FoodOrderPersisted.safeParse({ ...(V3.placed as object), value: 'eaten' }).success).toBe(false);
    expect(FoodOrderPersisted.safeParse({ ...(V3.cancelled as object), context: { ...(V3.cancelled as { context: object }).context, cancelCause: 'bored' } }).success).toBe(false);
    expect(() => foodOrderDefinition.migrate(V3.placed, 0)).toThrow(/version 0/);
    expect(() => foodOrderDefinition.migrate(V3.placed, 3)).toThrow(/version 3/);
  });
});
