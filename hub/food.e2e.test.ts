/**
 * Food against a real hub process (`hub/main.ts`, the simulated provider's signed webhooks): a
 * booking's food pre-order paid with its tickets, fired onto the right station board by the
 * gate's entry scan, two boards bumping one ticket at once, boards pinned to their station, the
 * visitor following the order to ready (told once), 86s and edits reaching every open menu live, and the
 * refund arithmetic: a pre-order cancelled before the kitchen goes back on the booking's payment,
 * so captured − refunded is the tickets kept, and the order and the food report record the refund.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTickets, issueDevice, openActivityNow, pollUntil } from '../clients/devices/visitor-flow.js';
import type { OpenActivity } from '../clients/devices/visitor-flow.js';
import { connectHub, createHubApi, unwrap } from '../clients/sdk/index.js';
import type { HubApi, HubClient } from '../clients/sdk/index.js';
import { startHubNode } from '../load-tests/harness/index.js';
import type { HubNode } from '../load-tests/harness/index.js';
import type { ActorState, ClientToServerEvents, FeedChanged, MenuChanged, MenuUpdated, MenuView, ServerToClientEvents } from '../machines/contract/wire.js';
import { collectAlerts, collector } from './journey.test-support.js';

type DeviceSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let node: HubNode;
let dataDir: string;
let api: HubApi;
let admin: string;
let visitorToken: string;
let activity: OpenActivity;
let gate: DeviceSocket;
const sockets: DeviceSocket[] = [];
const clients: HubClient[] = [];

/** A menu that is served round the clock (no windows), so the test holds at any hour. */
const ITEMS = [
  { itemId: 'e2e-burger', categoryId: 'e2e-mains', name: 'Test burger', price: 3_000, station: 'grill', prepMinutes: 10 },
  { itemId: 'e2e-juice', categoryId: 'e2e-drinks', name: 'Test juice', price: 1_000, station: 'drinks', prepMinutes: 2 },
];
const LUNCH = { lines: [{ itemId: 'e2e-burger', qty: 1 }, { itemId: 'e2e-juice', qty: 2 }], pickup: { mode: 'on_arrival' } };
const FOOD_TOTAL = 3_000 + 2 * 1_000;

async function device(deviceId: string, deviceKind: 'gate' | 'kitchen_board', scope: Record<string, string>): Promise<DeviceSocket> {
  const issued = await issueDevice(node.url, admin, { deviceId, deviceKind, scope });
  const socket: DeviceSocket = io(node.url, { transports: ['websocket'], reconnection: false, auth: { token: issued.token } });
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', reject);
  });
  sockets.push(socket);
  return socket;
}

/** Follows one food order as its visitor; resolves each wanted state as it arrives. */
async function watchOrder(visitor: HubClient, orderId: string) {
  const states = collector<ActorState>();
  const sub = visitor.subscribeActor({ kind: 'food_order', id: orderId }, (s) => states.push(s));
  const first = await sub.ready;
  if (!first.ok) throw new Error(`watch ${orderId}: ${first.code} ${first.message}`);
  return { reach: (state: string) => states.next((s) => s.state === state, `order ${orderId} ${state}`), states };
}

let scans = 0;
const scan = (token: string) => gate.emitWithAck('gate:scan', { token, nonce: `food-scan-${++scans}`, direction: 'entry', at: Date.now() });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vh-food-e2e-'));
  node = await startHubNode({ dataDir });
  api = createHubApi({ url: node.url });
  if (node.adminToken === undefined || node.visitorToken === undefined) throw new Error('the node printed no demo tokens');
  admin = node.adminToken;
  visitorToken = node.visitorToken;
  activity = await openActivityNow({ url: node.url, adminToken: admin, activityId: 'food-pool', zone: 'food-zone' });
  unwrap(await api.createCatalogItem('menu_category', { categoryId: 'e2e-mains', name: 'Mains', sort: 1 }, admin));
  unwrap(await api.createCatalogItem('menu_category', { categoryId: 'e2e-drinks', name: 'Drinks', sort: 2 }, admin));
  for (const item of ITEMS) unwrap(await api.createCatalogItem('menu_item', item, admin));
  gate = await device('food-gate', 'gate', { zone: 'food-zone', gateId: 'food_gate' });
});
afterAll(async () => {
  for (const client of clients) client.close();
  for (const socket of sockets) socket.close();
  await node?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('food against hub/main.ts', () => {
  it('a pre-order paid with the booking is fired by the gate scan onto its stations, bumped, and followed to ready by its visitor', async () => {
    const grill = await device('grill-1', 'kitchen_board', { station: 'grill' });
    const grill2 = await device('grill-2', 'kitchen_board', { station: 'grill' });
    const drinks = await device('drinks-1', 'kitchen_board', { station: 'drinks' });
    // A board pinned to the grill watches the grill only.
    expect(await grill.emitWithAck('feed:subscribe', { feed: 'kitchen', zone: 'drinks' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    const onGrill = collector<FeedChanged>();
    grill.on('feed:changed', (c) => onGrill.push(c));
    const subscribed = await grill.emitWithAck('feed:subscribe', { feed: 'kitchen', zone: 'grill' });
    expect(subscribed).toMatchObject({ ok: true, data: { feed: 'kitchen', zone: 'grill' } });
    const onDrinks = collector<FeedChanged>();
    drinks.on('feed:changed', (c) => onDrinks.push(c));
    await drinks.emitWithAck('feed:subscribe', { feed: 'kitchen', zone: 'drinks' });

    const bookingId = `food-${randomUUID()}`;
    const orderId = `${bookingId}-food`;
    const [ticket] = await buyTickets({ url: node.url, visitorToken, bookingId, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 1, food: LUNCH });
    if (!ticket) throw new Error('no ticket');
    const booking = unwrap(await api.request<ActorState>('GET', `/api/bookings/${bookingId}`, { token: visitorToken }));
    expect(booking.context).toMatchObject({ total: 2_500 + FOOD_TOTAL, addOns: [{ addOnId: 'food-preorder', kind: 'food', qty: 1, unitPrice: FOOD_TOTAL }] });

    const visitor = connectHub({ url: node.url, token: visitorToken });
    clients.push(visitor);
    await visitor.ready;
    const alerts = collectAlerts(visitor);
    const order = await watchOrder(visitor, orderId);
    await order.reach('paid');

    expect(await scan(ticket.token)).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
    const arrived = await onGrill.next((c) => c.change.id === orderId && c.member === true, 'the order on the grill board');
    expect(arrived).toMatchObject({ feed: 'kitchen', zone: 'grill', change: { state: 'preparing' } });
    await onDrinks.next((c) => c.change.id === orderId && c.member === true, 'the order on the drinks board');
    await order.reach('preparing');

    // The drinks board may not touch the grill's ticket; the visitor may not cancel once the kitchen started.
    expect(await drinks.emitWithAck('kitchen:bump', { orderId, station: 'grill', stage: 'queued' })).toMatchObject({ ok: false, code: 'kitchen.wrong_station' });
    expect(await visitor.cancelOrder(orderId)).toMatchObject({ ok: false, code: 'event.rejected' });

    // Two grill boards bump the same ticket at once: one wins, the other is told it moved on.
    const both = await Promise.all([grill.emitWithAck('kitchen:bump', { orderId, station: 'grill', stage: 'queued' }), grill2.emitWithAck('kitchen:bump', { orderId, station: 'grill', stage: 'queued' })]);
    expect(both.map((a) => a.ok).sort()).toEqual([false, true]);
    expect(both.find((a) => !a.ok)).toMatchObject({ code: 'kitchen.stale_bump' });

    expect(await grill.emitWithAck('kitchen:bump', { orderId, station: 'grill', stage: 'cooking' })).toMatchObject({ ok: true });
    expect(await drinks.emitWithAck('kitchen:bump', { orderId, station: 'drinks', stage: 'queued' })).toMatchObject({ ok: true });
    expect(await drinks.emitWithAck('kitchen:bump', { orderId, station: 'drinks', stage: 'cooking' })).toMatchObject({ ok: true, data: { state: 'ready' } });
    await order.reach('ready');
    const ready = await alerts.next((a) => a.template === 'food.ready', 'the order-ready alert');
    expect(ready.body).toContain('Poolside café counter');

    const expo = await device('expo-1', 'kitchen_board', {});
    expect(await expo.emitWithAck('kitchen:deliver', { orderId })).toMatchObject({ ok: true, data: { state: 'delivered' } });
    await onGrill.next((c) => c.change.id === orderId && c.member === false, 'the order off the grill board');
    await order.reach('delivered');
    expect(alerts.all.filter((a) => a.template === 'food.ready')).toHaveLength(1);
  });

  it('86 reaches every open menu live, and a hold with the item is refused until it is back', async () => {
    const first = connectHub({ url: node.url, token: visitorToken });
    const second = connectHub({ url: node.url, token: visitorToken });
    clients.push(first, second);
    const changes = [collector<MenuChanged>(), collector<MenuChanged>()];
    const watches = [first.followMenu(() => {}, (c) => changes[0]?.push(c)), second.followMenu(() => {}, (c) => changes[1]?.push(c))];
    const menu = unwrap(await (watches[0]?.ready ?? Promise.reject(new Error('no watch'))));
    expect(menu.categories.flatMap((c) => c.items).find((i) => i.itemId === 'e2e-juice')).toMatchObject({ soldOut: false, orderable: true, vat: 130 });
    await watches[1]?.ready;

    // A screen that is away while the 86 happens: back, its menu's version tells it missed one.
    const away = await device('menu-away', 'kitchen_board', {});
    const before = await away.emitWithAck('menu:subscribe', {});
    if (!before.ok) throw new Error(before.message);
    away.disconnect();

    expect(unwrap(await api.request('POST', '/api/admin/menu/items/e2e-juice/sold-out', { body: { soldOut: true }, token: admin }))).toMatchObject({ itemId: 'e2e-juice', soldOut: true, orderable: false });
    for (const seen of changes) expect(await seen.next((c) => c.itemId === 'e2e-juice' && c.soldOut, 'the 86')).toMatchObject({ soldOut: true, version: menu.version + 1 });
    const back = new Promise((resolve) => away.once('connect', () => resolve(undefined)));
    away.connect();
    await back;
    const after = await away.emitWithAck('menu:subscribe', {});
    if (!after.ok) throw new Error(after.message);
    expect(after.data.version).toBe(before.data.version + 1);
    expect(after.data.categories.flatMap((c) => c.items).find((i) => i.itemId === 'e2e-juice')).toMatchObject({ soldOut: true });
    const refused = await first.hold({ bookingId: `food-${randomUUID()}`, slotId: activity.slotId, items: [{ ticketTypeId: activity.ticketTypeId, qty: 1 }], food: LUNCH });
    expect(refused).toMatchObject({ ok: false, code: 'menu.sold_out' });
    const priced = await first.hold({ bookingId: `food-${randomUUID()}`, slotId: activity.slotId, items: [{ ticketTypeId: activity.ticketTypeId, qty: 1 }], food: { ...LUNCH, lines: [{ itemId: 'e2e-burger', qty: 1, price: 1 }] } });
    expect(priced).toMatchObject({ ok: false, code: 'order.priced_by_client' });
    expect(await api.request('POST', '/api/admin/menu/items/e2e-juice/sold-out', { body: { soldOut: 'yes' }, token: admin })).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(await api.request('POST', '/api/admin/menu/items/e2e-juice/sold-out', { body: { soldOut: false }, token: visitorToken })).toMatchObject({ ok: false, code: 'auth.forbidden' });

    unwrap(await api.request('POST', '/api/admin/menu/items/e2e-juice/sold-out', { body: { soldOut: false }, token: admin }));
    for (const seen of changes) expect(await seen.next((c) => c.itemId === 'e2e-juice' && !c.soldOut, 'the item back')).toMatchObject({ version: menu.version + 2 });
  });

  it('an item or category created or changed reaches every open menu as the whole menu (menu:updated); prices stay the hub\'s', async () => {
    const follower = connectHub({ url: node.url, token: visitorToken });
    clients.push(follower);
    const menus = collector<MenuView>();
    const watch = follower.followMenu((menu) => menus.push(menu), () => {});
    unwrap(await watch.ready);
    const raw = await device('menu-board', 'kitchen_board', {});
    const updates = collector<MenuUpdated>();
    raw.on('menu:updated', (update) => updates.push(update));
    expect(await raw.emitWithAck('menu:subscribe', {})).toMatchObject({ ok: true });
    const item = (menu: MenuView, itemId: string) => menu.categories.flatMap((c) => c.items).find((i) => i.itemId === itemId);
    /** The next push (from now on) that matches: asked before the change, awaited after it. */
    const pushed = (what: string, match: (update: MenuUpdated) => boolean) => {
      const from = updates.all.length;
      return updates.next((u) => updates.all.indexOf(u) >= from && match(u), what);
    };

    // A new item.
    let next = pushed('the new item', (u) => u.edit.id === 'e2e-tea');
    unwrap(await api.createCatalogItem('menu_item', { itemId: 'e2e-tea', categoryId: 'e2e-drinks', name: 'Test tea', price: 600, station: 'drinks', prepMinutes: 2 }, admin));
    const created = await next;
    expect(created).toMatchObject({ edit: { kind: 'menu_item', id: 'e2e-tea' }, at: expect.any(Number), version: created.menu.version });
    expect(item(created.menu, 'e2e-tea')).toMatchObject({ price: 600, vat: 78, orderable: true });
    await menus.next((m) => item(m, 'e2e-tea') !== undefined, 'the follower’s menu with the new item');

    // Its price and names: every open menu shows them; a quote prices from the hub's menu.
    next = pushed('the new price', (u) => item(u.menu, 'e2e-tea')?.price === 750);
    unwrap(await api.updateCatalogItem('menu_item', 'e2e-tea', { price: 750, name: 'Karak tea', translations: { ar: { name: 'شاي كرك' } } }, admin));
    expect(item((await next).menu, 'e2e-tea')).toMatchObject({ name: 'Karak tea', vat: 98, translations: { ar: { name: 'شاي كرك' } } });
    await menus.next((m) => item(m, 'e2e-tea')?.price === 750, 'the follower’s menu with the new price');
    const quote = unwrap(await api.request<{ food?: { total: number } }>('POST', '/api/catalog/price', { body: { slotId: activity.slotId, items: [{ ticketTypeId: activity.ticketTypeId, qty: 1 }], food: { lines: [{ itemId: 'e2e-tea', qty: 2 }], pickup: { mode: 'on_arrival' } } } }));
    expect(quote.food?.total).toBe(1_500);

    // A category renamed and moved first; hidden, it leaves the menu with its items; then back.
    next = pushed('the renamed category', (u) => u.edit.kind === 'menu_category');
    unwrap(await api.updateCatalogItem('menu_category', 'e2e-drinks', { name: 'Cold and hot drinks', sort: 0, translations: { ar: { name: 'مشروبات' } } }, admin));
    const renamed = (await next).menu.categories;
    expect(renamed.find((c) => c.categoryId === 'e2e-drinks')).toMatchObject({ name: 'Cold and hot drinks', translations: { ar: { name: 'مشروبات' } } });
    expect(renamed.findIndex((c) => c.categoryId === 'e2e-drinks')).toBeLessThan(renamed.findIndex((c) => c.categoryId === 'e2e-mains'));
    next = pushed('the category hidden', (u) => u.edit.id === 'e2e-drinks');
    unwrap(await api.updateCatalogItem('menu_category', 'e2e-drinks', { active: false }, admin));
    expect((await next).menu.categories.some((c) => c.categoryId === 'e2e-drinks')).toBe(false);
    await menus.next((m) => !m.categories.some((c) => c.categoryId === 'e2e-drinks'), 'the follower’s menu without the hidden category');
    next = pushed('the category back', (u) => u.edit.id === 'e2e-drinks');
    unwrap(await api.updateCatalogItem('menu_category', 'e2e-drinks', { active: true, name: 'Drinks', sort: 2 }, admin));
    expect(item((await next).menu, 'e2e-tea')).toMatchObject({ price: 750 });

    // A refused edit pushes nothing: the next push is the next edit that was stored.
    next = pushed('the next push', () => true);
    expect(await api.updateCatalogItem('menu_item', 'e2e-tea', { price: -1 }, admin)).toMatchObject({ ok: false, code: 'catalog.invalid' });
    expect(await api.updateCatalogItem('menu_item', 'e2e-tea', { price: 1 }, visitorToken)).toMatchObject({ ok: false, code: 'auth.forbidden' });
    unwrap(await api.updateCatalogItem('menu_item', 'e2e-tea', { active: false }, admin));
    const hidden = await next;
    expect(hidden.edit).toEqual({ kind: 'menu_item', id: 'e2e-tea' });
    expect(item(hidden.menu, 'e2e-tea')).toBeUndefined();
    watch.unsubscribe();
  });

  it('a pre-order cancelled before the kitchen goes back on the booking payment: captured − refunded = the tickets', async () => {
    const bookingId = `food-${randomUUID()}`;
    const orderId = `${bookingId}-food`;
    await buyTickets({ url: node.url, visitorToken, bookingId, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 2, food: LUNCH });
    await pollUntil('the pre-order paid', async () => (await api.request<ActorState>('GET', `/api/food/orders/${orderId}`, { token: visitorToken })).ok === true && unwrap(await api.request<ActorState>('GET', `/api/food/orders/${orderId}`, { token: visitorToken })).state === 'paid');
    const cancelled = unwrap(await api.request<ActorState>('POST', `/api/food/orders/${orderId}/cancel`, { body: { reason: 'not hungry' }, token: visitorToken }));
    expect(cancelled).toMatchObject({ state: 'cancelled', context: { capturedAmount: FOOD_TOTAL, refundRequestedAmount: FOOD_TOTAL } });
    // A second cancel changes nothing.
    expect(await api.request('POST', `/api/food/orders/${orderId}/cancel`, { body: {}, token: visitorToken })).toMatchObject({ ok: false, code: 'event.rejected' });

    let money = { capturedAmount: 0, refundedAmount: 0, refundRequestedAmount: 0 };
    await pollUntil('the food refund through', async () => {
      const read = await api.request<ActorState>('GET', `/api/bookings/${bookingId}`, { token: admin });
      if (read.ok) money = read.data.context as typeof money;
      return money.refundedAmount === FOOD_TOTAL;
    }, 20_000);
    expect(money.capturedAmount - money.refundedAmount).toBe(2 * 2_500);
    const movements = unwrap(await api.transactions({ bookingId }, admin)).map((t) => [t.movement, t.amount]);
    expect(movements).toEqual(expect.arrayContaining([['payment.captured', 2 * 2_500 + FOOD_TOTAL], ['refund.succeeded', FOOD_TOTAL]]));
    // The order's own books follow: nothing served, so captured − refunded is 0 on it too.
    let order = cancelled;
    await pollUntil('the order records its refund', async () => {
      order = unwrap(await api.request<ActorState>('GET', `/api/food/orders/${orderId}`, { token: visitorToken }));
      return (order.context as { refundedAmount: number }).refundedAmount === FOOD_TOTAL;
    }, 20_000);
    expect(order.context).toMatchObject({ capturedAmount: FOOD_TOTAL, refundRequestedAmount: FOOD_TOTAL, refundedAmount: FOOD_TOTAL, refunds: [{ amount: FOOD_TOTAL }] });

    // An order not fired yet counts on the day it was placed.
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Riyadh', year: 'numeric', month: '2-digit', day: '2-digit' }).format((cancelled.context as { placedAt: number }).placedAt);
    const report = unwrap(await api.request<{ categories: Array<{ categoryId: string; cancelled: number }>; captured: number; refunded: number; refundRequested: number }>('GET', `/api/admin/reports/food?day=${day}`, { token: admin }));
    expect(report.categories.find((c) => c.categoryId === 'e2e-drinks')?.cancelled).toBeGreaterThanOrEqual(2_000);
    expect(report.refunded).toBeGreaterThanOrEqual(FOOD_TOTAL);
    expect(report.refunded).toBeLessThanOrEqual(report.refundRequested);
    expect(await api.request('GET', '/api/admin/reports/food?day=yesterday', { token: admin })).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await api.request('GET', `/api/food/orders/${orderId}`, { token: 'nope' })).toMatchObject({ ok: false });
  });
});
