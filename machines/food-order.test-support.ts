/**
 * Test support for the food order machine: pure steps through `transition()` (timers fired the
 * way the host fires them: the delayed raise's event sent at its due time), and one scripted path
 * to every state, shared by the transition tests and the fixture tests.
 */
import { initialTransition, transition } from 'xstate';
import type { EventObject, SnapshotFrom } from 'xstate';
import { foodOrderMachine } from './food-order.machine.js';
import { FoodOrderEffect, FoodOrderInput } from './food-order.schemas.js';
import type { FoodOrderEvent, FoodOrderState } from './food-order.schemas.js';

export type FoodOrderSnapshot = SnapshotFrom<typeof foodOrderMachine>;

/** A delayed raise the host would store as a durable timer (key, event, delay from the step). */
export interface PendingTimer {
  id: string;
  event: EventObject;
  delay: number;
}

export interface FoodOrderStep {
  snapshot: FoodOrderSnapshot;
  effects: FoodOrderEffect[];
  timers: PendingTimer[];
  cancelled: string[];
}

function toStep(snapshot: FoodOrderSnapshot, actions: ReadonlyArray<{ type: string; params?: unknown }>): FoodOrderStep {
  const effects = actions.filter((a) => a.type === 'xstate.emit').map((a) => FoodOrderEffect.parse((a.params as { event: unknown }).event));
  const timers = actions
    .filter((a) => a.type === 'xstate.raise' && (a.params as { delay?: number }).delay !== undefined)
    .map((a) => {
      const { id, event, delay } = a.params as { id?: string; event: EventObject; delay: number };
      return { id: id ?? event.type, event, delay };
    });
  const cancelled = actions.filter((a) => a.type === 'xstate.cancel').map((a) => String((a.params as { sendId: string }).sendId));
  return { snapshot, effects, timers, cancelled };
}

export const T0 = 1_760_000_000_000;
const MIN = 60_000;

/** A lunch: two burgers (grill, 12 min, one with cheese) and a lemonade (drinks, 2 min). */
export const LUNCH: FoodOrderInput = FoodOrderInput.parse({
  orderId: 'fo_1',
  visitorId: 'vis_1',
  bookingId: 'bk_1',
  lines: [
    {
      lineId: 'l1',
      itemId: 'burger',
      name: 'Beef burger',
      nameAr: 'برجر لحم',
      station: 'grill',
      prepMinutes: 12,
      qty: 2,
      unitPrice: 3_800,
      vatPercent: 15,
      modifiers: [{ modifierId: 'extras', choiceId: 'cheese', name: 'Extras: Cheese', nameAr: 'إضافات: جبن', price: 300 }],
    },
    { lineId: 'l2', itemId: 'lemonade', name: 'Mint lemonade', station: 'drinks', prepMinutes: 2, qty: 1, unitPrice: 1_500, vatPercent: 15, modifiers: [] },
  ],
  pickup: { mode: 'on_arrival' },
  pickupPoint: 'Palm Café counter',
  placedAt: T0,
  notCollectedMs: 30 * MIN,
});

/** The same lunch for a chosen pickup time an hour after it was placed. */
export const LUNCH_AT: FoodOrderInput = { ...LUNCH, orderId: 'fo_2', pickup: { mode: 'at', at: T0 + 60 * MIN } };

/** How long the visitor has to pay an order during the visit, here. */
export const PAY_WITHIN = 15 * MIN;

/** The same lunch ordered during the visit of booking bk_1, paid on its own (within 15 minutes), as soon as possible. */
export const VISIT_LUNCH: FoodOrderInput = FoodOrderInput.parse({ ...LUNCH, orderId: 'fo_3', bookingId: undefined, visitBookingId: 'bk_1', pickup: { mode: 'asap' }, payBy: T0 + PAY_WITHIN });

export function startFoodOrder(input: FoodOrderInput = LUNCH): FoodOrderStep {
  const [snapshot, actions] = initialTransition(foodOrderMachine, input);
  return toStep(snapshot, actions);
}

export function foodStep(snapshot: FoodOrderSnapshot, event: FoodOrderEvent | EventObject): FoodOrderStep {
  const [next, actions] = transition(foodOrderMachine, snapshot, event as FoodOrderEvent);
  return toStep(next, actions);
}

/** Fires the one timer a step asked for, as the host does when it falls due. */
export function fireTimer(step: FoodOrderStep): FoodOrderStep {
  const [timer] = step.timers;
  if (!timer) throw new Error(`no timer pending in ${String(step.snapshot.value)}`);
  return foodStep(step.snapshot, timer.event);
}

export const PAY: FoodOrderEvent = { type: 'food.paid', paymentId: 'pay_1', amount: 9_100, at: T0 + MIN };
/** The order's own payment: a first attempt declined, the second captured. */
export const PAY_FAILED: FoodOrderEvent = { type: 'food.payment_failed', paymentId: 'fo_3-p1', reason: 'DECLINED', at: T0 + MIN };
export const PAY_OWN: FoodOrderEvent = { type: 'food.paid', paymentId: 'fo_3-p2', amount: 9_100, at: T0 + 2 * MIN };
export const ARRIVE: FoodOrderEvent = { type: 'food.arrived', at: T0 + 10 * MIN, gateId: 'gate-north' };
export const bump = (station: string, stage: 'queued' | 'cooking', at = T0 + 15 * MIN, by = `device:board-${station}`): FoodOrderEvent => ({ type: 'food.bump', station, stage, at, by });
export const recall = (station: string, at = T0 + 16 * MIN): FoodOrderEvent => ({ type: 'food.recall', station, at, by: `device:board-${station}` });
export const DELIVER: FoodOrderEvent = { type: 'food.deliver', at: T0 + 30 * MIN, by: 'device:expo' };
/** Finance gives back `amount` of the order's own payment (through at the provider). */
export const financeRefund = (amount: number, refundId = 'rf_fin_1', at = T0 + 40 * MIN): FoodOrderEvent => ({ type: 'finance.refunded', refundId, amount, by: 'user:finance-1', at });
export const cancel = (refundAmount?: number): FoodOrderEvent => ({ type: 'food.cancel', at: T0 + 5 * MIN, by: 'user:vis_1', ...(refundAmount === undefined ? {} : { refundAmount }) });

/** Every station bumped twice: the order is ready. */
export const ALL_BUMPED: readonly FoodOrderEvent[] = [bump('grill', 'queued'), bump('grill', 'cooking'), bump('drinks', 'queued'), bump('drinks', 'cooking')];

/** Scripted paths to every state (events only; `not_collected` and `scheduled` are reached with LUNCH_AT / timers in `reachFoodOrder`). */
export const FOOD_ORDER_PATHS: Record<Exclude<FoodOrderState, 'not_collected'>, readonly FoodOrderEvent[]> = {
  placed: [],
  paid: [PAY],
  scheduled: [PAY],
  preparing: [PAY, ARRIVE, bump('grill', 'queued')],
  ready: [PAY, ARRIVE, ...ALL_BUMPED],
  delivered: [PAY, ARRIVE, ...ALL_BUMPED, DELIVER],
  cancelled: [PAY, cancel()],
};

/** One step-by-step way to each state. */
export function reachFoodOrder(state: FoodOrderState): FoodOrderStep {
  if (state === 'not_collected') return fireTimer(reachFoodOrder('ready'));
  const input = state === 'scheduled' ? LUNCH_AT : LUNCH;
  return FOOD_ORDER_PATHS[state].reduce((current, event) => foodStep(current.snapshot, event), startFoodOrder(input));
}
