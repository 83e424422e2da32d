/**
 * Food orders on a real actor host over the SQLite store and the real menu (demo catalog): placing
 * priced orders, the gate's entry firing a pre-order, boards bumping (two at once: one wins; a
 * board of another station is refused), and cancellation arithmetic under the venue's policy.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foodOrderDefinition } from '../../machines/food-order.machine.js';
import { createActorHost } from '../actors/actor-host.js';
import type { ActorHost } from '../actors/actor-host.js';
import { openCatalogHarness, type CatalogHarness } from '../catalog/catalog.test-support.js';
import { seedDemoCatalog } from '../catalog/demo-venue.js';
import { silentLogger } from '../logger.js';
import { createFoodOrderService, preOrderId, type FoodOrderService } from './food-order-service.js';
import { createMenuService } from './menu-service.js';

// Friday 2025-06-13, 12:30 in Riyadh.
const NOON = Date.UTC(2025, 5, 13, 9, 30);
const MIN = 60_000;

let h: CatalogHarness;
let host: ActorHost;
let food: FoodOrderService;

const lunch = (extra: object = {}) => ({
  lines: [
    { itemId: 'beef-burger', qty: 2, modifiers: [{ modifierId: 'doneness', choiceId: 'medium' }] },
    { itemId: 'mint-lemonade', qty: 1, modifiers: [{ modifierId: 'sugar', choiceId: 'regular' }] },
  ],
  pickup: { mode: 'on_arrival' },
  ...extra,
});

beforeEach(async () => {
  h = await openCatalogHarness(NOON);
  await seedDemoCatalog(h.catalog, silentLogger, NOON);
  const clock = () => h.now.value;
  const menu = createMenuService({ store: h.store, audit: h.actors.audit, clock, timeZone: 'Asia/Riyadh', log: silentLogger });
  host = createActorHost({ store: h.actors, definitions: [foodOrderDefinition], clock, publish: () => {} });
  food = createFoodOrderService({ host, menu, clock, timeZone: 'Asia/Riyadh', settings: { pickupPoint: 'Palm Café', kitchenRefundPercent: 50 } });
});
afterEach(async () => {
  await h.close();
});

describe('food order service', () => {
  it('places a pre-order priced by the menu; the gate entry fires it to one ticket per station', async () => {
    const placed = await food.place('vis-1', lunch(), { orderId: preOrderId('bk-1'), bookingId: 'bk-1' });
    expect(placed).toMatchObject({ ok: true, data: { state: 'placed', context: { total: 9_100, pickupPoint: 'Palm Café', bookingId: 'bk-1' } } });
    // No entry fires an unpaid order.
    expect(await food.arrived('bk-1', 'gate-north')).toBeNull();
    expect(await food.paid(preOrderId('bk-1'), 'pay-1', 9_100)).toMatchObject({ ok: true, data: { state: 'paid' } });
    const fired = await food.arrived('bk-1', 'gate-north');
    expect(fired).toMatchObject({ state: 'preparing', context: { firedAt: NOON } });
    expect(fired?.context.tickets.map((t) => [t.station, t.stage])).toEqual([['grill', 'queued'], ['drinks', 'queued']]);
    // A second entry (re-entry) fires nothing more; a booking without a pre-order neither.
    expect(await food.arrived('bk-1', 'gate-north')).toBeNull();
    expect(await food.arrived('bk-none')).toBeNull();
  });

  it('schedules a chosen pickup time and refuses one sooner than the kitchen can make it', async () => {
    expect(await food.place('vis-1', lunch({ pickup: { mode: 'at', time: '12:35' } }), { orderId: 'fo-soon' })).toMatchObject({ ok: false, code: 'order.pickup_invalid' });
    const placed = await food.place('vis-1', lunch({ pickup: { mode: 'at', time: '13:30' } }), { orderId: 'fo-later' });
    expect(placed).toMatchObject({ ok: true, data: { context: { pickup: { mode: 'at', at: NOON + 60 * MIN }, fireAt: NOON + 46 * MIN } } });
    expect(await food.paid('fo-later', 'pay-2', 9_100)).toMatchObject({ ok: true, data: { state: 'scheduled', deadline: NOON + 46 * MIN } });
  });

  it('refuses what the menu refuses, writes nothing, and will not take a booking id from the client', async () => {
    expect(await food.place('vis-1', lunch({ total: 1 }), { orderId: 'fo-x' })).toMatchObject({ ok: false, code: 'order.priced_by_client' });
    expect(await food.place('vis-1', lunch({ bookingId: 'bk-someone-else' }), { orderId: 'fo-x' })).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(await food.read('fo-x')).toMatchObject({ ok: false, code: 'actor.not_found' });
  });

  it('bumps: two boards at once, one wins; a board of another station is refused; recall takes the last bump back', async () => {
    await food.place('vis-1', lunch(), { orderId: 'fo-1' });
    await food.paid('fo-1', 'pay-1', 9_100);
    await food.fire('fo-1', 'user:chef');
    const grillA = { who: 'device:grill-a', station: 'grill' };
    const grillB = { who: 'device:grill-b', station: 'grill' };
    const both = await Promise.all([food.bump('fo-1', 'grill', 'queued', grillA), food.bump('fo-1', 'grill', 'queued', grillB)]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.find((r) => !r.ok)).toMatchObject({ code: 'kitchen.stale_bump' });
    const order = await food.read('fo-1');
    expect(order.ok && order.data.context.tickets[0]).toMatchObject({ station: 'grill', stage: 'cooking' });
    expect(order.ok && order.data.version).toBe(4);
    expect(await food.bump('fo-1', 'drinks', 'queued', grillA)).toMatchObject({ ok: false, code: 'kitchen.wrong_station' });
    expect(await food.bump('fo-1', 'fryer', 'queued', { who: 'device:expo' })).toMatchObject({ ok: false, code: 'kitchen.wrong_station' });
    expect(await food.recall('fo-1', 'drinks', { who: 'device:drinks', station: 'drinks' })).toMatchObject({ ok: false, code: 'kitchen.stale_bump' });
    await food.bump('fo-1', 'grill', 'cooking', grillA);
    await food.bump('fo-1', 'drinks', 'queued', { who: 'device:drinks', station: 'drinks' });
    expect(await food.bump('fo-1', 'drinks', 'cooking', { who: 'device:drinks', station: 'drinks' })).toMatchObject({ ok: true, data: { state: 'ready' } });
    expect(await food.recall('fo-1', 'grill', grillA)).toMatchObject({ ok: true, data: { state: 'preparing' } });
    await food.bump('fo-1', 'grill', 'cooking', grillA);
    expect(await food.deliver('fo-1', 'device:expo')).toMatchObject({ ok: true, data: { state: 'delivered' } });
    // Told once, although it was ready twice.
    const notices = (await h.actors.pendingEffects(10, ['food.notify_ready'])).filter((e) => e.payload['orderId'] === 'fo-1');
    expect(notices).toHaveLength(1);
  });

  it('cancels in full before the kitchen and by the venue percent after; captured − refunded is what the kitchen kept', async () => {
    await food.place('vis-1', lunch(), { orderId: 'fo-early' });
    await food.paid('fo-early', 'pay-e', 9_100);
    expect(await food.cancel('fo-early', 'user:vis-1', 'plans changed')).toMatchObject({ ok: true, data: { state: 'cancelled', context: { refundRequestedAmount: 9_100 } } });

    await food.place('vis-1', lunch(), { orderId: 'fo-late' });
    await food.paid('fo-late', 'pay-l', 9_100);
    await food.fire('fo-late', 'user:chef');
    const late = await food.cancel('fo-late', 'user:support');
    expect(late).toMatchObject({ ok: true, data: { state: 'cancelled', context: { refundRequestedAmount: 4_550 } } });
    const refunds = (await h.actors.pendingEffects(10, ['food.refund_request'])).map((e) => [e.payload['orderId'], e.payload['amount']]);
    expect(refunds).toEqual([['fo-early', 9_100], ['fo-late', 4_550]]);
    await host.send('food_order', 'fo-late', { type: 'payment.refunded', refundId: 'rf-1', amount: 4_550 }, { who: 'system:payments' });
    const done = await food.read('fo-late');
    expect(done.ok && done.data.context.capturedAmount - done.data.context.refundedAmount).toBe(4_550);
  });
});
