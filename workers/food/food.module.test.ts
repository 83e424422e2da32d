/**
 * The food module in a started runtime (SQLite store, agenda jobs, read side, notifications with a
 * real HTTPS push service): a booking's pre-order is paid with it and fired by its check-in onto
 * the kitchen feed of its stations, two boards bumping one ticket at once (one wins), the visitor
 * told once that it is ready, a chosen pickup fired by its durable timer after a restart, and the
 * money: a cancelled pre-order asks its booking for the refund, the booking's end cancels it, and
 * the food report adds up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FoodOrderContext } from '../../machines/food-order.schemas.js';
import { startPushService } from '../notifications/notifications.test-support.js';
import type { PushServiceStub } from '../notifications/notifications.test-support.js';
import { foodReport } from './food-report.js';
import { preOrderId } from './food-order-service.js';
import { FRIDAY_NOON, MIN, PAY_WITHIN, SLOT_START, startFoodRuntime, TZ } from './food-runtime.test-support.js';
import type { FoodRuntime } from './food-runtime.test-support.js';

let dir: string;
let push: PushServiceStub;
let h: FoodRuntime;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vh-food-'));
  push = await startPushService();
  h = await startFoodRuntime(dir, push);
});
afterEach(async () => {
  await h.stop();
  await push.close();
  rmSync(dir, { recursive: true, force: true });
});

const burgerAndLemonade = (pickup: object = { mode: 'on_arrival' }) => ({
  lines: [
    { itemId: 'beef-burger', qty: 1, modifiers: [{ modifierId: 'doneness', choiceId: 'medium' }] },
    { itemId: 'mint-lemonade', qty: 2, modifiers: [{ modifierId: 'sugar', choiceId: 'regular' }] },
  ],
  pickup,
});

/** Asks `check` again every 20 ms until it holds (throws after 20 s). */
async function pollUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const orderState = async (orderId: string) => {
  const read = await h.food.orders?.read(orderId);
  if (!read?.ok) throw new Error(`order ${orderId}: ${JSON.stringify(read)}`);
  return read.data;
};

describe('a pre-order with its booking', () => {
  it('is paid with the booking, fired by the check-in onto its stations, bumped once by two boards at once, and tells the visitor once', async () => {
    const { total, foodTotal } = await h.holdWithFood('b1', 'vis_1', 2, burgerAndLemonade());
    const orderId = preOrderId('b1');
    expect((await orderState(orderId)).state).toBe('placed');
    await h.pay('b1', 'vis_1', total);
    await h.changeOf((c) => c.id === orderId && c.state === 'paid', 'the order paid');
    expect((await orderState(orderId)).context.capturedAmount).toBe(foodTotal);

    // The grill board follows its station before the party arrives: nothing on it yet.
    const grill = await h.rt.feeds?.subscribe({ feed: 'kitchen', zone: 'grill' });
    expect(grill).toMatchObject({ ok: true, data: { snapshot: { rows: [] } } });

    h.now.value = SLOT_START;
    const checkedIn = await h.rt.host.send('booking', 'b1', { type: 'booking.check_in', at: h.now.value, gateId: 'gate-1' }, { who: 'device:gate-1' });
    expect(checkedIn).toMatchObject({ ok: true, data: { state: 'checked_in' } });
    const fired = await h.changeOf((c) => c.id === orderId && c.state === 'preparing', 'the order fired');
    expect((fired.context as FoodOrderContext).tickets.map((t) => [t.station, t.stage])).toEqual([['grill', 'queued'], ['drinks', 'queued']]);

    // The grill board's resync from its cursor carries the order; a fresh snapshot lists it.
    if (!grill?.ok) throw new Error('no grill feed');
    const since = await h.rt.feeds?.subscribe({ feed: 'kitchen', zone: 'grill', cursor: grill.data.cursor });
    expect(since?.ok && since.data.changes?.map((c) => [c.change.id, c.member])).toContainEqual([orderId, true]);
    const drinksOnly = await h.rt.feeds?.subscribe({ feed: 'kitchen', zone: 'drinks' });
    expect(drinksOnly?.ok && drinksOnly.data.snapshot?.rows.map((r) => r.id)).toEqual([orderId]);

    // Two grill boards bump the queued ticket at the same moment: one wins.
    const orders = h.food.orders;
    if (!orders) throw new Error('no orders');
    const [a, b] = await Promise.all([
      orders.bump(orderId, 'grill', 'queued', { who: 'device:grill-1', station: 'grill' }),
      orders.bump(orderId, 'grill', 'queued', { who: 'device:grill-2', station: 'grill' }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ code: 'kitchen.stale_bump' });
    expect(await orders.bump(orderId, 'drinks', 'queued', { who: 'device:grill-1', station: 'grill' })).toMatchObject({ ok: false, code: 'kitchen.wrong_station' });

    await orders.bump(orderId, 'grill', 'cooking', { who: 'device:grill-1', station: 'grill' });
    await orders.bump(orderId, 'drinks', 'queued', { who: 'device:drinks-1', station: 'drinks' });
    const ready = await orders.bump(orderId, 'drinks', 'cooking', { who: 'device:drinks-1', station: 'drinks' });
    expect(ready).toMatchObject({ ok: true, data: { state: 'ready' } });
    const foodReady = (d: { name: string; payload: string | null }) => d.name === 'vis_1' && d.payload?.includes('Your food is ready') === true;
    const delivery = await push.waitFor(foodReady);
    expect(JSON.parse(delivery.payload ?? '{}')).toMatchObject({ title: 'Your food is ready', body: expect.stringContaining('Palm Café counter') });
    await pollUntil('the in-app alert', () => Promise.resolve(h.alerts.some((a) => a.alert.template === 'food.ready')));

    // A recall and a second ready tell nobody again.
    expect(await orders.recall(orderId, 'drinks', { who: 'device:drinks-1', station: 'drinks' })).toMatchObject({ ok: true, data: { state: 'preparing' } });
    expect(await orders.bump(orderId, 'drinks', 'cooking', { who: 'device:drinks-1', station: 'drinks' })).toMatchObject({ ok: true, data: { state: 'ready' } });
    expect(await orders.deliver(orderId, 'device:expo')).toMatchObject({ ok: true, data: { state: 'delivered' } });
    // The SMS goes last of the three channels: once it is there, the one message went everywhere.
    const smsOfOrder = async () => (await h.notifications.mailbox.list({ limit: 10, channel: 'sms' })).filter((m) => m.text.includes('food order is ready'));
    await pollUntil('the order-ready SMS', async () => (await smsOfOrder()).length > 0);
    expect(push.deliveries.filter(foodReady)).toHaveLength(1);
    expect(h.alerts.filter((a) => a.alert.template === 'food.ready')).toHaveLength(1);
    expect(await smsOfOrder()).toHaveLength(1);
  });

  it('asks its booking for the refund when cancelled, and is cancelled with nothing asked when the booking ends', async () => {
    const { total, foodTotal } = await h.holdWithFood('b2', 'vis_2', 1, burgerAndLemonade());
    await h.pay('b2', 'vis_2', total);
    const orderId = preOrderId('b2');
    await h.changeOf((c) => c.id === orderId && c.state === 'paid', 'the order paid');
    const cancelled = await h.food.orders?.cancel(orderId, 'user:vis_2');
    expect(cancelled).toMatchObject({ ok: true, data: { state: 'cancelled', context: { refundRequestedAmount: foodTotal } } });
    const booking = await h.changeOf((c) => c.id === 'b2' && c.eventType === 'booking.refund', 'the booking asked for the food refund');
    // The visit is kept: captured − asked back = the tickets.
    expect(booking.state).toBe('confirmed');
    const money = booking.context as { capturedAmount: number; refundRequestedAmount: number };
    expect(money.capturedAmount - money.refundRequestedAmount).toBe(total - foodTotal);
    // The provider's refund through on the booking's payment: the order's own books follow.
    const asked = (await h.store.pendingEffects(50, ['refund.request'])).find((e) => e.payload['bookingId'] === 'b2');
    const refundId = String(asked?.payload['refundId']);
    expect(refundId).toMatch(/^rf_food_/);
    expect(await h.rt.host.send('booking', 'b2', { type: 'payment.refunded', refundId, amount: foodTotal }, { who: 'gateway', eventId: `refunded:${refundId}` })).toMatchObject({ ok: true });
    const refunded = await h.changeOf((c) => c.id === orderId && c.eventType === 'payment.refunded', 'the order recorded its refund');
    const books = refunded.context as FoodOrderContext;
    expect(books).toMatchObject({ capturedAmount: foodTotal, refundedAmount: foodTotal, refunds: [{ refundId, amount: foodTotal }] });
    expect(books.capturedAmount - books.refundedAmount).toBe(0);

    // A booking that expires unpaid takes its pre-order with it; nothing was captured, nothing goes back.
    await h.holdWithFood('b3', 'vis_3', 1, burgerAndLemonade());
    await h.rt.host.send('booking', 'b3', { type: 'booking.cancel', at: h.now.value }, { who: 'user:vis_3' });
    const gone = await h.changeOf((c) => c.id === preOrderId('b3') && c.state === 'cancelled', 'the pre-order cancelled with its booking');
    expect(gone.context).toMatchObject({ capturedAmount: 0, refundRequestedAmount: 0 });

    // The food report of the day: the paid order's lines by category, cancelled.
    await h.rt.projector?.catchUp();
    const report = await foodReport(h.rt.readModels!, TZ, '2030-06-14', async (itemId) => (await h.food.menu?.item(itemId))?.categoryId);
    expect(report.categories).toEqual([
      { categoryId: 'drinks', qty: 2, gross: 2 * 1500, vat: expect.any(Number), cancelled: 2 * 1500, served: 0 },
      { categoryId: 'mains', qty: 1, gross: 3800, vat: expect.any(Number), cancelled: 3800, served: 0 },
    ]);
    expect(report).toMatchObject({ captured: foodTotal, refundRequested: foodTotal, refunded: foodTotal, served: 0, orders: { cancelled: 2 } });
  });

  it("gives back what a failed refund had asked for, so the order's books and the booking's agree", async () => {
    const { total, foodTotal } = await h.holdWithFood('b5', 'vis_5', 1, burgerAndLemonade());
    await h.pay('b5', 'vis_5', total);
    const orderId = preOrderId('b5');
    await h.changeOf((c) => c.id === orderId && c.state === 'paid', 'the order paid');
    expect(await h.food.orders?.cancel(orderId, 'user:vis_5')).toMatchObject({ ok: true, data: { context: { refundRequestedAmount: foodTotal } } });
    await h.changeOf((c) => c.id === 'b5' && c.eventType === 'booking.refund', 'the booking asked for the food refund');
    const asked = (await h.store.pendingEffects(50, ['refund.request'])).find((e) => e.payload['bookingId'] === 'b5');
    const refundId = String(asked?.payload['refundId']);
    // The provider refuses the refund: the booking and the order both take the amount off what is on its way back.
    expect(await h.rt.host.send('booking', 'b5', { type: 'payment.refund_failed', refundId, amount: foodTotal }, { who: 'gateway', eventId: `refund-failed:${refundId}` })).toMatchObject({ ok: true });
    const failed = await h.changeOf((c) => c.id === orderId && c.eventType === 'payment.refund_failed', 'the order recorded the failed refund');
    expect(failed.context).toMatchObject({ capturedAmount: foodTotal, refundRequestedAmount: 0, refundedAmount: 0 });
    const booking = await h.rt.host.read('booking', 'b5');
    expect(booking).toMatchObject({ ok: true, data: { context: { refundRequestedAmount: 0 } } });
  });
});

describe('a pre-order for a chosen time', () => {
  it('is fired by its durable timer at pickup − prep time, also after a restart', async () => {
    const { total } = await h.holdWithFood('b4', 'vis_4', 1, burgerAndLemonade({ mode: 'at', time: '13:30' }));
    await h.pay('b4', 'vis_4', total);
    const orderId = preOrderId('b4');
    const scheduled = await h.changeOf((c) => c.id === orderId && c.state === 'scheduled', 'the order scheduled');
    // The burger takes 14 minutes: fired at 13:16.
    const fireAt = SLOT_START + 16 * MIN;
    expect((scheduled.context as FoodOrderContext).fireAt).toBe(fireAt);
    expect(scheduled.deadline).toBe(fireAt);

    h.now.value = fireAt - MIN;
    expect(await h.rt.timers.sweep()).toBe(0);
    expect((await orderState(orderId)).state).toBe('scheduled');

    await h.restart();
    h.now.value = fireAt + 10 * MIN;
    await h.rt.timers.sweep();
    const fired = await h.changeOf((c) => c.id === orderId && c.state === 'preparing', 'the order fired by its timer');
    expect((fired.context as FoodOrderContext).firedAt).toBe(fireAt);
    expect(FRIDAY_NOON).toBeLessThan(fireAt);
  });
});

describe('an order during the visit that is not paid in time', () => {
  it('is cancelled by its durable payment deadline, also after a restart: never fired, nothing to refund, off the kitchen', async () => {
    await h.book('b6', 'vis_6', 2);
    // The visitor's orders feed, as another phone of the account follows it from before the order.
    const mine = await h.rt.feeds?.subscribe({ feed: 'food_orders', zone: 'vis_6' });
    if (!mine?.ok) throw new Error('no food_orders feed');
    expect(mine.data.snapshot?.rows).toEqual([]);
    const placed = await h.food.placeVisitOrder('vis_6', 'b6', { lines: [{ itemId: 'mint-lemonade', qty: 1, modifiers: [{ modifierId: 'sugar', choiceId: 'regular' }] }], pickup: { mode: 'asap' } });
    if (!placed.ok) throw new Error(`${placed.code} ${placed.message}`);
    const orderId = placed.data.id;
    expect(placed.data).toMatchObject({ state: 'placed', deadline: FRIDAY_NOON + PAY_WITHIN, context: { payBy: FRIDAY_NOON + PAY_WITHIN } });

    h.now.value = FRIDAY_NOON + PAY_WITHIN - MIN;
    expect(await h.rt.timers.sweep()).toBe(0);
    expect((await orderState(orderId)).state).toBe('placed');

    await h.restart();
    h.now.value = FRIDAY_NOON + PAY_WITHIN + 10 * MIN;
    await h.rt.timers.sweep();
    const expired = await h.changeOf((c) => c.id === orderId && c.state === 'cancelled', 'the order cancelled at its deadline');
    expect(expired.eventType).toBe('food.payment_due');
    expect(expired.context).toMatchObject({ cancelCause: 'payment_due', cancelledAt: FRIDAY_NOON + PAY_WITHIN, capturedAmount: 0, refundRequestedAmount: 0, tickets: [] });
    expect(h.changes.filter((c) => c.id === orderId).map((c) => c.state)).toEqual(['placed', 'cancelled']);
    expect((await h.store.pendingEffects(50, ['food.refund_request'])).filter((e) => e.payload['orderId'] === orderId)).toEqual([]);
    // The feed carried it from placed to cancelled, and a fresh snapshot lists it (nobody else's).
    const since = await h.rt.feeds?.subscribe({ feed: 'food_orders', zone: 'vis_6', cursor: mine.data.cursor });
    expect(since?.ok && since.data.changes?.map((c) => [c.change.id, c.change.state, c.member])).toEqual([
      [orderId, 'placed', true],
      [orderId, 'cancelled', true],
    ]);
    const fresh = await h.rt.feeds?.subscribe({ feed: 'food_orders', zone: 'vis_6' });
    expect(fresh?.ok && fresh.data.snapshot?.rows.map((r) => [r.id, r.state])).toEqual([[orderId, 'cancelled']]);
    expect(await h.rt.feeds?.subscribe({ feed: 'food_orders', zone: 'vis_7' })).toMatchObject({ ok: true, data: { snapshot: { rows: [] } } });
    // A pre-order carries no deadline: its booking's payment ends it.
    await h.holdWithFood('b7', 'vis_7', 1, burgerAndLemonade());
    expect((await orderState(preOrderId('b7'))).context.payBy).toBeUndefined();
  });
});
