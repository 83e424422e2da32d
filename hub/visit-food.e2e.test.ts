/**
 * Ordering food during the visit in Debian's Chromium against a real hub process (`hub/main.ts`,
 * the simulated provider's hosted page and signed webhooks), driven as a visitor drives it on a
 * phone: the party is in (the gate's entry scan), the booking page offers "Order food"; the menu
 * names allergens and dietary tags in English and, switched, in Arabic (right to left); the cart
 * is placed and priced by the hub, paid on its own on the provider's page, and back on the order's
 * page it goes to the kitchen at once; the boards bump it and the page goes Preparing → Ready live.
 * Refusals at the edge: someone else's booking, staff, a price sent along.
 *
 * Screenshots go to the folder printed at the start; every page is checked with axe-core.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTickets, issueDevice, openActivityNow } from '../clients/devices/visitor-flow.js';
import type { OpenActivity } from '../clients/devices/visitor-flow.js';
import { unwrap } from '../clients/sdk/index.js';
import { ensureWebBuilt } from '../clients/web/build.js';
import type { ActorState } from '../machines/contract/wire.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub } from './journey.test-support.js';
import { CHROMIUM, accessibilityProblems, connectDevice, launchChromium, middayTimeZone, openStaffPage } from './staff-pages.test-support.js';
import type { DeviceSocket } from './staff-pages.test-support.js';

const SHOTS = join(tmpdir(), 'venue-hub-visit-food');
const PHONE = { width: 390, height: 844 };
const JOURNEY_MS = 180_000;


describe('ordering food during the visit, on the visitor’s phone', () => {
  let env: JourneyHub;
  let browser: Browser;
  let activity: OpenActivity;
  const contexts: BrowserContext[] = [];
  const sockets: DeviceSocket[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    await ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    console.log(`visit food screenshots: ${SHOTS}`);
    // Midday on the venue's clock: the slot opened now is today's.
    env = await startJourneyHub({ VENUE_TIME_ZONE: middayTimeZone() });
    const admin = env.adminToken;
    activity = await openActivityNow({ url: env.url, adminToken: admin, activityId: 'vf-pool', zone: 'vf-zone' });
    unwrap(await env.api.createCatalogItem('menu_category', { categoryId: 'vf-snacks', name: 'Poolside snacks', sort: 0, translations: { ar: { name: 'وجبات المسبح' } } }, admin));
    const doneness = { modifierId: 'doneness', name: 'Doneness', translations: { ar: { name: 'درجة النضج' } }, min: 1, max: 1, choices: [{ choiceId: 'medium', name: 'Medium' }, { choiceId: 'well', name: 'Well done', translations: { ar: { name: 'مطهو جيداً' } } }] };
    unwrap(await env.api.createCatalogItem('menu_item', { itemId: 'vf-burger', categoryId: 'vf-snacks', name: 'Halloumi burger', price: 3_200, station: 'grill', prepMinutes: 10, allergens: ['gluten', 'milk'], dietary: ['vegetarian', 'halal'], modifiers: [doneness], translations: { ar: { name: 'برجر الحلوم' } } }, admin));
    unwrap(await env.api.createCatalogItem('menu_item', { itemId: 'vf-juice', categoryId: 'vf-snacks', name: 'Watermelon juice', price: 1_400, station: 'drinks', prepMinutes: 2, dietary: ['vegan'], translations: { ar: { name: 'عصير البطيخ' } } }, admin));
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await env?.stop();
  });

  async function openPage(problems: string[]): Promise<Page> {
    const { context, page } = await openStaffPage(browser, PHONE, problems);
    contexts.push(context);
    return page;
  }
  const shoot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  async function deviceSocket(token: string): Promise<DeviceSocket> {
    const socket = await connectDevice(env.url, token);
    sockets.push(socket);
    return socket;
  }

  it(
    'a visitor inside orders from the menu, pays on the provider’s page, and sees the order go to the kitchen and to ready live',
    async () => {
      const problems: string[] = [];
      const admin = env.adminToken;
      const visitorToken = env.node.visitorToken ?? '';
      const bookingId = `vf-${randomUUID()}`;
      const [ticket] = await buyTickets({ url: env.url, visitorToken, bookingId, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 2 });
      if (!ticket?.token) throw new Error('no ticket to scan');

      // At the edge: staff may not order for a visitor, a price is never taken, and an unknown booking is nobody's.
      expect(await env.api.placeVisitOrder(bookingId, { lines: [{ itemId: 'vf-juice', qty: 1 }], pickup: { mode: 'asap' } }, admin)).toMatchObject({ ok: false, code: 'auth.forbidden' });
      expect(await env.api.request('POST', `/api/bookings/${bookingId}/food-orders`, { body: { lines: [{ itemId: 'vf-juice', qty: 1, price: 1 }], pickup: { mode: 'asap' } }, token: visitorToken })).toMatchObject({ ok: false, code: 'order.priced_by_client' });
      expect(await env.api.placeVisitOrder('vf-nobody', { lines: [{ itemId: 'vf-juice', qty: 1 }], pickup: { mode: 'asap' } }, visitorToken)).toMatchObject({ ok: false, code: 'actor.not_found' });

      // The party comes in at the gate.
      const gateToken = (await issueDevice(env.url, admin, { deviceId: 'vf-gate', deviceKind: 'gate', scope: { zone: 'vf-zone', gateId: 'vf_gate' } })).token;
      const gate = await deviceSocket(gateToken);
      expect(await gate.emitWithAck('gate:scan', { token: ticket.token, nonce: `vf-${randomUUID()}`, direction: 'entry', at: Date.now() })).toMatchObject({ ok: true, data: { verdict: 'admitted' } });

      const visitor = await openPage(problems);
      await visitor.goto(env.url);
      await visitor.evaluate(`localStorage.setItem('vh.access', ${JSON.stringify(visitorToken)}); localStorage.setItem('vh.accessExpiresAt', String(Date.now() + 3600000)); localStorage.setItem('vh.lang', 'en')`);
      await visitor.goto(`${env.url}/bookings/${bookingId}`);
      await visitor.waitForSelector('#state[data-state="checked_in"]');
      await visitor.click('#order-food');
      await visitor.waitForURL(/\/food$/);

      // The menu: allergens and dietary tags by name, not by id.
      const burger = visitor.locator('.menu-item[data-item="vf-burger"]');
      await burger.waitFor();
      expect(await burger.locator('.allergens').textContent()).toContain('Contains: Gluten and Milk');
      expect(await burger.locator('.dietary').textContent()).toContain('Vegetarian · Halal');
      expect(await burger.textContent()).not.toContain('gluten');
      expect(await accessibilityProblems(visitor)).toEqual([]);
      await shoot(visitor, '01-menu');

      // In Arabic, right to left: the dishes, allergens and tags in Arabic.
      await visitor.click('button.lang');
      await visitor.waitForFunction("document.documentElement.dir === 'rtl'");
      expect(await burger.textContent()).toContain('برجر الحلوم');
      expect(await burger.locator('.allergens').textContent()).toContain('الغلوتين');
      expect(await burger.locator('.allergens').textContent()).toContain('الحليب');
      expect(await burger.locator('.dietary').textContent()).toContain('نباتي');
      expect(await accessibilityProblems(visitor)).toEqual([]);
      await shoot(visitor, '02-menu-arabic');
      await visitor.click('button.lang');
      await visitor.waitForFunction("document.documentElement.dir === 'ltr'");

      // The cart: a burger done well and two juices, as soon as possible.
      await visitor.click('.menu-item[data-item="vf-burger"] button[aria-label="+ Halloumi burger"]');
      await burger.locator('select').selectOption('well');
      await visitor.click('.menu-item[data-item="vf-juice"] button[aria-label="+ Watermelon juice"]');
      await visitor.click('.menu-item[data-item="vf-juice"] button[aria-label="+ Watermelon juice"]');
      expect(await visitor.isChecked('input[name="pickup"][value="asap"]')).toBe(true);
      await shoot(visitor, '03-cart');
      await visitor.click('#place-order');
      await visitor.waitForURL(/\/food-orders\/fo_/);
      const orderId = decodeURIComponent(new URL(visitor.url()).pathname.split('/')[2] ?? '');

      // The hub's prices: 32.00 + 2 × 14.00 = 60.00, paid on its own.
      await visitor.waitForSelector('#order-total');
      expect(await visitor.textContent('#order-total')).toContain('60.00');
      expect(await visitor.textContent('.summary')).toContain('Doneness: Well done');
      expect(await accessibilityProblems(visitor)).toEqual([]);
      await shoot(visitor, '04-order-to-pay');
      await visitor.click('button[data-method="card"]');
      await visitor.waitForURL(/\/pay\/simulated\//);
      await visitor.check('input[name="method"][value="card"]');
      await visitor.fill('input[name="card_number"]', '4111111111111111');
      await visitor.click('button[type="submit"]');
      await visitor.waitForURL(/\/food-orders\//);
      await visitor.waitForSelector('#food-state[data-state="preparing"]');
      expect(await visitor.locator('button[data-method="card"]').count()).toBe(0);
      expect(await accessibilityProblems(visitor)).toEqual([]);
      await shoot(visitor, '05-order-preparing');

      // The money: the order's own payment, a food movement of this visit.
      const order = unwrap(await env.api.foodOrder(orderId, visitorToken)) as ActorState;
      expect(order.context).toMatchObject({ visitBookingId: bookingId, capturedAmount: 6_000, pickup: { mode: 'asap' } });
      const movements = unwrap(await env.api.transactions({ bookingId }, admin)).filter((t) => t.orderId === orderId);
      expect(movements.map((t) => [t.movement, t.amount])).toEqual([['payment.captured', 6_000]]);

      // The kitchen bumps both stations; the visitor's page shows it ready, live, and is told.
      const grill = await deviceSocket((await issueDevice(env.url, admin, { deviceId: 'vf-grill', deviceKind: 'kitchen_board', scope: { station: 'grill' } })).token);
      const drinks = await deviceSocket((await issueDevice(env.url, admin, { deviceId: 'vf-drinks', deviceKind: 'kitchen_board', scope: { station: 'drinks' } })).token);
      for (const stage of ['queued', 'cooking'] as const) {
        expect(await grill.emitWithAck('kitchen:bump', { orderId, station: 'grill', stage })).toMatchObject({ ok: true });
        expect(await drinks.emitWithAck('kitchen:bump', { orderId, station: 'drinks', stage })).toMatchObject({ ok: true });
      }
      await visitor.waitForSelector('#food-state[data-state="ready"]');
      await visitor.waitForSelector(`.alert[data-template="food.ready"] a[href="/food-orders/${orderId}"]`);
      expect(await accessibilityProblems(visitor)).toEqual([]);
      await shoot(visitor, '06-order-ready');
      // In Arabic the order names its dishes in Arabic too.
      await visitor.click('button.lang');
      await visitor.waitForFunction("document.documentElement.dir === 'rtl'");
      // The names the order kept: the dish and the chosen option in Arabic.
      expect(await visitor.textContent('.summary')).toContain('برجر الحلوم');
      expect(await visitor.textContent('.summary')).toContain('درجة النضج: مطهو جيداً');
      expect(await visitor.textContent('.summary')).not.toContain('Halloumi burger');
      expect(await accessibilityProblems(visitor)).toEqual([]);
      await shoot(visitor, '07-order-ready-arabic');
      await visitor.click('button.lang');
      await visitor.waitForFunction("document.documentElement.dir === 'ltr'");

      // Back on the booking page, the order is listed.
      await visitor.goto(`${env.url}/bookings/${bookingId}`);
      await visitor.waitForSelector(`.visit-orders a[href="/food-orders/${orderId}"]`);
      await visitor.waitForSelector(`.visit-orders li[data-order="${orderId}"] .state[data-state="ready"]`);
      expect(await accessibilityProblems(visitor)).toEqual([]);
      await shoot(visitor, '08-booking-with-order');
      expect(problems).toEqual([]);
    },
    JOURNEY_MS,
  );
});
