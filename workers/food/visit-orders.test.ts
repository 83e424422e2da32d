/**
 * Orders during the visit in a started runtime with the payments stack (the simulated provider,
 * its hosted page and signed webhooks on a real HTTP server) and the food module with its read
 * side: a visitor inside today orders from the menu, pays on their own through the same flow as a
 * booking, and the order reaches the kitchen's queue; a chosen time is fired ahead by its durable
 * timer; refused inputs write nothing; a cancel before the kitchen goes back on the order's own
 * payment (and a refund the provider cannot make is given back), so captured − refunded adds up in
 * the order, the transaction log and the food report.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuItem } from '../../machines/contract/food.js';
import type { FoodOrderContext } from '../../machines/food-order.schemas.js';
import type { ChangeNotice } from '../actors/change-bus.js';
import { bookingsRuntime } from '../bookings/bookings.module.js';
import { catalogRuntime } from '../catalog/catalog.module.js';
import type { CatalogStore } from '../catalog/catalog-store.js';
import { openSqliteCatalogStore } from '../catalog/sqlite-catalog-store.js';
import { localDate } from '../catalog/venue-time.js';
import { notificationsRuntime } from '../notifications/notifications.module.js';
import { paymentsRuntime } from '../payments/payments.module.js';
import { openSqliteReadModels } from '../projections/sqlite-read-models.js';
import type { ReadModelStore } from '../projections/read-model.js';
import type { PayStack } from '../payments/payments.test-support.js';
import { bookAwaitingPayment, payWith, refOf, startPayStack, until, view } from '../payments/payments.test-support.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import { wire } from '../modules/runtime-module.js';
import { foodReport } from './food-report.js';
import { foodRuntime } from './food.module.js';

/** An `Etc/GMT±n` zone where it is about noon now, so "today" and a pickup later today always exist. */
function middayZone(now = Date.now()): string {
  const offset = 12 - new Date(now).getUTCHours();
  if (offset === 0) return 'Etc/GMT';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

const TZ = middayZone();
const MIN = 60_000;
const PAY_WITHIN = 10 * MIN;
const VISITOR = 'vis_1';
/** Served round the clock: a burger with a required doneness, a lemonade; and a late-night snack never served at noon. */
const ITEMS: Array<Partial<MenuItem> & Pick<MenuItem, 'itemId' | 'name' | 'price' | 'station' | 'prepMinutes'>> = [
  {
    itemId: 'burger', name: 'Beef burger', price: 3_800, station: 'grill', prepMinutes: 12, allergens: ['gluten', 'milk'],
    modifiers: [
      { modifierId: 'doneness', name: 'Doneness', min: 1, max: 1, choices: [{ choiceId: 'medium', name: 'Medium', price: 0 }, { choiceId: 'well', name: 'Well done', price: 0 }] },
      { modifierId: 'extras', name: 'Extras', min: 0, max: 2, choices: [{ choiceId: 'cheese', name: 'Cheese', price: 300 }, { choiceId: 'egg', name: 'Egg', price: 400 }] },
    ],
  },
  { itemId: 'lemonade', name: 'Mint lemonade', price: 1_500, station: 'drinks', prepMinutes: 2, modifiers: [{ modifierId: 'ice', name: 'Ice', min: 0, max: 1, choices: [{ choiceId: 'no-ice', name: 'No ice', price: 0 }] }] },
  { itemId: 'midnight-fries', name: 'Midnight fries', price: 1_000, station: 'fryer', prepMinutes: 5, windows: [{ from: '00:00', to: '00:30' }] },
  { itemId: 'fish-wrap', name: 'Fish wrap', price: 2_900, station: 'grill', prepMinutes: 8, soldOut: true },
];
/** A burger with cheese (41.00) and two lemonades (30.00). */
const LUNCH = {
  lines: [
    { itemId: 'burger', qty: 1, modifiers: [{ modifierId: 'doneness', choiceId: 'medium' }, { modifierId: 'extras', choiceId: 'cheese' }] },
    { itemId: 'lemonade', qty: 2 },
  ],
  pickup: { mode: 'asap' },
};
const LUNCH_TOTAL = 3_800 + 300 + 2 * 1_500;

let stack: PayStack;
let catalog: CatalogStore;
let readModels: ReadModelStore;
const shift = { ms: 0 };
const clock = () => Date.now() + shift.ms;
let changes: ChangeNotice[];

beforeEach(async () => {
  shift.ms = 0;
  changes = [];
  stack = await startPayStack({
    modules: [catalogRuntime, bookingsRuntime, ticketsRuntime, notificationsRuntime, paymentsRuntime, foodRuntime],
    runtime: (file) => {
      catalog = openSqliteCatalogStore({ file: join(file, '..', 'catalog.db') });
      readModels = openSqliteReadModels({ file });
      return {
        clock,
        readSide: { readModels, timeZone: TZ },
        wiring: [wire(foodRuntime, { menuStore: catalog, slots: catalog.slots, timeZone: TZ, settings: { pickupPoint: 'Palm Café counter', payWithinMs: PAY_WITHIN } })],
      };
    },
  });
  stack.rt.bus.subscribe((notice) => changes.push(notice));
  await catalog.items.insert('menu_category', { categoryId: 'mains', name: 'Mains', description: '', sort: 1, active: true }, clock());
  for (const item of ITEMS) {
    const full: MenuItem = { categoryId: 'mains', description: '', vatPercent: 15, allergens: [], dietary: [], modifiers: [], windows: [], soldOut: false, active: true, ...item };
    await catalog.items.insert('menu_item', full, clock());
  }
});
afterEach(async () => {
  await stack.stop();
  await catalog.close();
});

const food = () => stack.rt.service(foodRuntime);
const visitorId = VISITOR;

/** Puts a slot on the catalog (today unless told) and holds it in the ledger as `slot_1` is. */
async function slotOn(slotId: string, startsAt: number, date = localDate(startsAt, TZ)): Promise<void> {
  await catalog.slots.insertMissing([{ slotId, activityId: 'wave-pool', scheduleId: 'daily', date, startTime: '11:00', startsAt, endsAt: startsAt + 120 * MIN, capacity: 10 }]);
}

/** A booking of `slot_1` (today, started an hour ago), paid through the gateway; checked in when asked. */
async function visitToday(bookingId: string, checkedIn = true): Promise<void> {
  await slotOn('slot_1', clock() - 60 * MIN);
  await bookAwaitingPayment(stack, bookingId, 2, visitorId);
  await payWith(stack, bookingId, '4111111111111111');
  await until(stack.rt, 'booking', bookingId, 'confirmed');
  if (!checkedIn) return;
  const entered = await stack.rt.host.send('booking', bookingId, { type: 'booking.check_in', at: clock(), gateId: 'gate-1' }, { who: 'device:gate-1' });
  expect(entered).toMatchObject({ ok: true, data: { state: 'checked_in' } });
}

/** Places the order and pays it on the hosted page with `card`. */
async function placeAndPay(bookingId: string, request: unknown = LUNCH, card = '4111111111111111'): Promise<{ orderId: string; paymentId: string }> {
  const placed = await food().placeVisitOrder(visitorId, bookingId, request);
  if (!placed.ok) throw new Error(`placing refused: ${placed.code} ${placed.message}`);
  const started = await stack.rt.payments!.service.startOrderPayment(placed.data.id, 'card', `user:${visitorId}`);
  if (!started.ok) throw new Error(`paying refused: ${started.code} ${started.message}`);
  const submitted = stack.gateway.submitHostedPage(refOf(started.data.redirectUrl), { method: 'card', card_number: card });
  if (!submitted.ok) throw new Error(`hosted page: ${submitted.code}`);
  return { orderId: placed.data.id, paymentId: started.data.paymentId };
}

const orderOf = async (orderId: string) => (await view(stack, 'food_order', orderId)) as unknown as { state: string; context: FoodOrderContext };

/** Asks `check` again every 20 ms until it holds (throws after 20 s). */
async function pollUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('an order during the visit, paid on its own', () => {
  it('is priced by the menu, paid through the hosted page and the webhook, and reaches the kitchen queue at once (asap)', async () => {
    await visitToday('b1');
    const placed = await food().placeVisitOrder(visitorId, 'b1', LUNCH);
    if (!placed.ok) throw new Error(placed.message);
    expect(placed.data).toMatchObject({ state: 'placed', context: { visitBookingId: 'b1', pickup: { mode: 'asap' }, total: LUNCH_TOTAL, capturedAmount: 0 } });
    expect(placed.data.id).toMatch(/^fo_[0-9a-f]{32}$/);
    expect(placed.data.context.bookingId).toBeUndefined();
    expect(placed.data.context.lines.map((l) => [l.itemId, l.qty, l.unitPrice])).toEqual([['burger', 1, 4_100], ['lemonade', 2, 1_500]]);

    // A pre-order cannot be paid on its own; someone else cannot pay this one.
    expect(await stack.rt.payments!.service.startOrderPayment(placed.data.id, 'card', 'user:vis_2')).toMatchObject({ ok: false, code: 'auth.forbidden' });
    const started = await stack.rt.payments!.service.startOrderPayment(placed.data.id, 'card', `user:${visitorId}`);
    if (!started.ok) throw new Error(started.message);
    expect(started.data.paymentId).toBe(`${placed.data.id}-p1`);
    expect(await view(stack, 'payment', started.data.paymentId)).toMatchObject({ context: { orderId: placed.data.id, bookingId: 'b1', amount: LUNCH_TOTAL } });
    // The payer comes back to the order's page.
    expect(stack.gateway.submitHostedPage(refOf(started.data.redirectUrl), { method: 'card', card_number: '4111111111111111' })).toMatchObject({ ok: true, data: { redirectUrl: expect.stringContaining(`order=${placed.data.id}`) } });

    await until(stack.rt, 'food_order', placed.data.id, 'preparing');
    const order = await orderOf(placed.data.id);
    expect(order.context).toMatchObject({ paymentId: started.data.paymentId, capturedAmount: LUNCH_TOTAL });
    expect(order.context.tickets.map((t) => t.station)).toEqual(['grill', 'drinks']);
    // placed → paid → preparing in one commit after the capture: the kitchen's grill board lists it.
    expect(changes.filter((c) => c.id === placed.data.id).map((c) => c.state)).toEqual(['placed', 'preparing']);
    await pollUntil('the grill queue', async () => {
      const grill = await stack.rt.feeds?.subscribe({ feed: 'kitchen', zone: 'grill' });
      return grill?.ok === true && grill.data.snapshot?.rows.some((r) => (r as { id?: string }).id === placed.data.id) === true;
    });

    // The money is food in the transaction log (a movement of the visit's booking naming the order) and the food report.
    await stack.gateway.webhooks.idle();
    await stack.rt.relay.drain();
    const log = await stack.rt.payments!.service.listTransactions({ bookingId: 'b1' });
    expect(log.ok && log.data.filter((t) => t.orderId === placed.data.id).map((t) => [t.movement, t.amount])).toEqual([['payment.captured', LUNCH_TOTAL]]);
    await stack.rt.projector?.catchUp();
    const report = await foodReport(readModels, TZ, localDate(clock(), TZ), async () => 'mains');
    expect(report).toMatchObject({ captured: LUNCH_TOTAL, refunded: 0, orders: { preparing: 1 } });
    expect(report.categories).toEqual([expect.objectContaining({ categoryId: 'mains', gross: LUNCH_TOTAL, qty: 3 })]);
  });

  it('at a chosen time today: scheduled once paid, fired ahead by its prep time through the durable timer; a declined attempt is shown and paid again', async () => {
    await visitToday('b2', false);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(clock() + 90 * MIN);
    const { orderId } = await placeAndPay('b2', { ...LUNCH, pickup: { mode: 'at', time: local } }, '4000000000000002');
    await pollUntil('the declined attempt on the order', async () => (await orderOf(orderId)).context.paymentFailure?.paymentId === `${orderId}-p1`);
    expect((await orderOf(orderId)).state).toBe('placed');
    // Paid again: the next attempt.
    const again = await stack.rt.payments!.service.startOrderPayment(orderId, 'card', `user:${visitorId}`);
    if (!again.ok) throw new Error(again.message);
    expect(again.data.paymentId).toBe(`${orderId}-p2`);
    stack.gateway.submitHostedPage(refOf(again.data.redirectUrl), { method: 'card', card_number: '4111111111111111' });
    await until(stack.rt, 'food_order', orderId, 'scheduled');
    const scheduled = await orderOf(orderId);
    expect(scheduled.context.paymentFailure).toBeUndefined();
    expect(scheduled.context.fireAt).toBe((scheduled.context.pickup as { at: number }).at - 12 * MIN);
    // The fire timer is due at pickup − prep time: moving the clock there fires it.
    shift.ms = (scheduled.context.fireAt ?? 0) - Date.now() + 1_000;
    await until(stack.rt, 'food_order', orderId, 'preparing');
  });

  it('refuses what it cannot take, coded, and writes nothing', async () => {
    await visitToday('b3');
    const place = (request: unknown, bookingId = 'b3', who = visitorId) => food().placeVisitOrder(who, bookingId, request);
    const refused = [
      [await place({ ...LUNCH, total: 1 }), 'order.priced_by_client'],
      [await place({ ...LUNCH, lines: [{ itemId: 'lemonade', qty: 1, price: 1 }] }), 'order.priced_by_client'],
      [await place({ ...LUNCH, pickup: { mode: 'on_arrival' } }), 'input.invalid'],
      [await place({ ...LUNCH, lines: [{ itemId: 'fish-wrap', qty: 1 }] }), 'menu.sold_out'],
      [await place({ ...LUNCH, lines: [{ itemId: 'midnight-fries', qty: 1 }] }), 'menu.unavailable'],
      [await place({ ...LUNCH, lines: [{ itemId: 'lemonade', qty: 1, modifiers: [{ modifierId: 'doneness', choiceId: 'medium' }] }] }), 'menu.modifier_invalid'],
      [await place({ ...LUNCH, lines: [{ itemId: 'burger', qty: 1, modifiers: [{ modifierId: 'ice', choiceId: 'no-ice' }] }] }), 'menu.modifier_invalid'],
      [await place({ ...LUNCH, lines: [{ itemId: 'burger', qty: 1 }] }), 'menu.modifier_invalid'],
      [await place({ ...LUNCH, lines: [{ itemId: 'no-such-dish', qty: 1 }] }), 'catalog.not_found'],
      [await place({ ...LUNCH, pickup: { mode: 'at', time: '00:00' } }), 'order.pickup_invalid'],
      [await place(LUNCH, 'b3', 'vis_2'), 'actor.not_found'],
      [await place(LUNCH, 'no-such-booking'), 'actor.not_found'],
    ] as const;
    for (const [answer, code] of refused) expect(answer).toMatchObject({ ok: false, code });

    // No visit today: a booking not paid yet, one for tomorrow, one cancelled.
    await bookAwaitingPayment(stack, 'b-unpaid', 1, visitorId);
    expect(await place(LUNCH, 'b-unpaid')).toMatchObject({ ok: false, code: 'order.no_visit' });
    await slotOn('slot_tomorrow', clock() + 24 * 60 * MIN);
    await stack.store.ledger.defineSlot('slot_tomorrow', 10);
    const held = await stack.rt.bookings.hold({ bookingId: 'b-tomorrow', visitorId, slotId: 'slot_tomorrow', lines: [{ ticketTypeId: 'adult', qty: 1, unitPrice: 5_000 }], requiresApproval: false }, `user:${visitorId}`);
    expect(held.ok).toBe(true);
    await stack.rt.host.send('booking', 'b-tomorrow', { type: 'booking.submit' }, { who: `user:${visitorId}` });
    await payWith(stack, 'b-tomorrow', '4111111111111111');
    await until(stack.rt, 'booking', 'b-tomorrow', 'confirmed');
    expect(await place(LUNCH, 'b-tomorrow')).toMatchObject({ ok: false, code: 'order.no_visit' });

    expect(changes.filter((c) => c.kind === 'food_order')).toEqual([]);
  });

  it('cancelled before the kitchen: refunded in full on its own payment, so captured − refunded is 0 on the order, the log and the report', async () => {
    await visitToday('b4');
    const { orderId, paymentId } = await placeAndPay('b4', { ...LUNCH, pickup: { mode: 'at', time: '23:59' } });
    await until(stack.rt, 'food_order', orderId, 'scheduled');
    const cancelled = await food().orders!.cancel(orderId, `user:${visitorId}`, 'changed my mind');
    expect(cancelled).toMatchObject({ ok: true, data: { state: 'cancelled', context: { refundRequestedAmount: LUNCH_TOTAL } } });
    await until(stack.rt, 'payment', paymentId, 'refunded');
    await pollUntil('the order records its refund', async () => (await orderOf(orderId)).context.refundedAmount === LUNCH_TOTAL);
    const order = await orderOf(orderId);
    expect(order.context.capturedAmount - order.context.refundedAmount).toBe(0);

    await stack.gateway.webhooks.idle();
    await stack.rt.relay.drain();
    const log = await stack.rt.payments!.service.listTransactions({ bookingId: 'b4' });
    const food_ = log.ok ? log.data.filter((t) => t.orderId === orderId) : [];
    expect(food_.map((t) => [t.movement, t.amount, t.by])).toEqual([
      ['payment.captured', LUNCH_TOTAL, 'gateway:simulated'],
      ['refund.requested', LUNCH_TOTAL, `user:${visitorId}`],
      ['refund.succeeded', LUNCH_TOTAL, `user:${visitorId}`],
    ]);
    // The visit's booking keeps its own money: the food moved on the order's payment only.
    expect((await view(stack, 'booking', 'b4')).context).toMatchObject({ capturedAmount: 10_000, refundedAmount: 0 });
    await stack.rt.projector?.catchUp();
    const report = await foodReport(readModels, TZ, localDate(clock(), TZ), async () => 'mains');
    expect(report.captured - report.refunded).toBe(report.served);
    expect(report).toMatchObject({ captured: LUNCH_TOTAL, refunded: LUNCH_TOTAL, served: 0, orders: { cancelled: 1 } });
  });

  it('a refund its payment can no longer give is given back on the order (refundable again) and reported', async () => {
    await visitToday('b5');
    const { orderId, paymentId } = await placeAndPay('b5', { ...LUNCH, pickup: { mode: 'at', time: '23:59' } });
    await until(stack.rt, 'food_order', orderId, 'scheduled');
    // The whole payment went back in the provider's dashboard: nothing is left to refund.
    const ref = (await view(stack, 'payment', paymentId)).context as { gatewayRef: string };
    expect(await stack.gateway.refund({ gatewayRef: ref.gatewayRef, amount: LUNCH_TOTAL, idempotencyKey: 'dashboard-1', refundedBefore: 0 })).toMatchObject({ ok: true });
    await stack.gateway.webhooks.idle();
    await pollUntil('the outside refund on the payment', async () => ((await view(stack, 'payment', paymentId)).context as { refundedAmount: number }).refundedAmount === LUNCH_TOTAL);

    expect(await food().orders!.cancel(orderId, `user:${visitorId}`)).toMatchObject({ ok: true, data: { state: 'cancelled' } });
    await pollUntil('the refused refund given back', async () => changes.some((c) => c.id === orderId && c.eventType === 'payment.refund_failed'));
    const order = await orderOf(orderId);
    expect(order.context).toMatchObject({ capturedAmount: LUNCH_TOTAL, refundRequestedAmount: 0, refundedAmount: 0 });
    const audit = await stack.store.audit.list({ limit: 50 });
    expect(audit.some((row) => row.action === 'payment.unmatched' && row.target === `food_order/${orderId}`)).toBe(true);
  });

  it('not paid in time: cancelled by its deadline, live; a payment captured after it goes back in full, and no new attempt opens', async () => {
    await visitToday('b6');
    const placed = await food().placeVisitOrder(visitorId, 'b6', LUNCH);
    if (!placed.ok) throw new Error(placed.message);
    const orderId = placed.data.id;
    expect(placed.data.context.payBy).toBe(placed.data.context.placedAt + PAY_WITHIN);
    // The visitor opens the provider's page in time, but pays only after the deadline.
    const started = await stack.rt.payments!.service.startOrderPayment(orderId, 'card', `user:${visitorId}`);
    if (!started.ok) throw new Error(started.message);
    shift.ms = PAY_WITHIN + MIN;
    expect(await stack.rt.payments!.service.startOrderPayment(orderId, 'card', `user:${visitorId}`)).toMatchObject({ ok: false, code: 'event.rejected' });
    await until(stack.rt, 'food_order', orderId, 'cancelled');
    expect((await orderOf(orderId)).context).toMatchObject({ cancelCause: 'payment_due', capturedAmount: 0 });

    stack.gateway.submitHostedPage(refOf(started.data.redirectUrl), { method: 'card', card_number: '4111111111111111' });
    await until(stack.rt, 'payment', started.data.paymentId, 'refunded');
    await pollUntil('the order records the late payment going back', async () => (await orderOf(orderId)).context.refundedAmount === LUNCH_TOTAL);
    const order = await orderOf(orderId);
    expect(order.state).toBe('cancelled');
    expect(order.context).toMatchObject({ capturedAmount: LUNCH_TOTAL, refundRequestedAmount: LUNCH_TOTAL, refundedAmount: LUNCH_TOTAL, tickets: [] });
    // Never on a kitchen board.
    expect(changes.filter((c) => c.id === orderId).map((c) => c.state)).not.toContain('preparing');
  });

  it('a finance refund of its own payment reaches the order and the report: a part keeps it going, the rest before serving cancels it', async () => {
    await visitToday('b7');
    const served = await placeAndPay('b7');
    await until(stack.rt, 'food_order', served.orderId, 'preparing');
    const timed = await placeAndPay('b7', { ...LUNCH, pickup: { mode: 'at', time: '23:59' } });
    await until(stack.rt, 'food_order', timed.orderId, 'scheduled');
    const payments = stack.rt.payments!.service;

    // A goodwill part while it is cooking: recorded on the order, which goes on and is served.
    expect(await payments.requestRefund({ paymentId: served.paymentId, amount: 1_000, requestId: 'goodwill-0001' }, 'user:fin-1')).toMatchObject({ ok: true, data: { amount: 1_000, bookingId: 'b7' } });
    await pollUntil('the order records the finance refund', async () => (await orderOf(served.orderId)).context.financeRefundedAmount === 1_000);
    expect(await orderOf(served.orderId)).toMatchObject({ state: 'preparing', context: { refundedAmount: 1_000, refundRequestedAmount: 1_000 } });
    const orders = food().orders!;
    for (const [station, stage] of [['grill', 'queued'], ['grill', 'cooking'], ['drinks', 'queued'], ['drinks', 'cooking']] as const) {
      expect(await orders.bump(served.orderId, station, stage, { who: 'user:chef' })).toMatchObject({ ok: true });
    }
    expect(await orders.deliver(served.orderId, 'user:chef')).toMatchObject({ ok: true, data: { state: 'delivered' } });

    // Everything of the timed one before the kitchen fired it: the order is cancelled, its fire timer with it.
    expect(await payments.requestRefund({ paymentId: timed.paymentId, amount: LUNCH_TOTAL, requestId: 'whole-000001' }, 'user:fin-1')).toMatchObject({ ok: true });
    await until(stack.rt, 'food_order', timed.orderId, 'cancelled');
    const cancelled = await orderOf(timed.orderId);
    expect(cancelled.context).toMatchObject({ cancelCause: 'finance_refund', cancelledBy: 'user:fin-1', capturedAmount: LUNCH_TOTAL, refundedAmount: LUNCH_TOTAL, financeRefundedAmount: LUNCH_TOTAL });
    expect(changes.find((c) => c.id === timed.orderId && c.state === 'cancelled')?.deadline).toBeUndefined();
    // It asked for nothing itself: the payment holds the one refund finance made.
    expect((await view(stack, 'payment', timed.paymentId)).context).toMatchObject({ refundedAmount: LUNCH_TOTAL, refunds: [{ reason: 'admin', by: 'user:fin-1' }] });
    expect((await stack.store.pendingEffects(50, ['food.refund_request'])).filter((e) => e.payload['orderId'] === timed.orderId)).toEqual([]);

    // The report: finance's refunds shown, and captured − refunded is what the served food kept.
    await stack.rt.projector?.catchUp();
    const report = await foodReport(readModels, TZ, localDate(clock(), TZ), async () => 'mains');
    expect(report).toMatchObject({
      captured: 2 * LUNCH_TOTAL,
      refunded: LUNCH_TOTAL + 1_000,
      financeRefunded: LUNCH_TOTAL + 1_000,
      served: LUNCH_TOTAL,
      servedRefunded: 1_000,
      keptOnCancel: 0,
      open: 0,
      refundPending: 0,
      orders: { delivered: 1, cancelled: 1 },
    });
    expect(report.captured - report.refunded).toBe(report.served - report.servedRefunded + report.keptOnCancel + report.open + report.refundPending);
    expect(report.captured - report.refunded).toBe(LUNCH_TOTAL - 1_000);
  });
});
