/**
 * What a visitor's food pages learn live from a real hub process (`hub/main.ts`, the simulated
 * provider), in Debian's Chromium on a phone-sized screen: an order placed during the visit and left
 * unpaid shows its deadline and, once the deadline passes (FOOD_PAYMENT_MINUTES=1 here), turns
 * cancelled on the open page without a reload; a finance refund of an order's own payment reaches
 * the open page (and the food report) as it goes through; an order placed on one phone appears,
 * and moves on, on another phone of the same visitor (the orders are the account's, not a device's);
 * a signed-out visitor's menu follows an 86 and its return live, on a guest session.
 *
 * Screenshots go to the folder printed at the start; every page is checked with axe-core.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTickets, openActivityNow, payOnHostedPage } from '../clients/devices/visitor-flow.js';
import type { OpenActivity } from '../clients/devices/visitor-flow.js';
import { unwrap } from '../clients/sdk/index.js';
import { ensureWebBuilt } from '../clients/web/build.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub } from './journey.test-support.js';
import { CHROMIUM, accessibilityProblems, connectDevice, launchChromium, middayTimeZone, openStaffPage } from './staff-pages.test-support.js';

const SHOTS = join(tmpdir(), 'venue-hub-visit-food-live');
const PHONE = { width: 390, height: 844 };
const JOURNEY_MS = 180_000;
const JUICE = { lines: [{ itemId: 'vl-juice', qty: 1 }], pickup: { mode: 'asap' as const } };

describe('the visitor’s food pages, live', () => {
  let env: JourneyHub;
  let browser: Browser;
  let activity: OpenActivity;
  let zone: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    await ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    console.log(`visit food live screenshots: ${SHOTS}`);
    // Midday on the venue's clock (the slot opened now is today's); one minute to pay an order.
    zone = middayTimeZone();
    env = await startJourneyHub({ VENUE_TIME_ZONE: zone, FOOD_PAYMENT_MINUTES: '1' });
    const admin = env.adminToken;
    activity = await openActivityNow({ url: env.url, adminToken: admin, activityId: 'vl-pool', zone: 'vl-zone' });
    unwrap(await env.api.createCatalogItem('menu_category', { categoryId: 'vl-drinks', name: 'Cold drinks', sort: 0, translations: { ar: { name: 'مشروبات باردة' } } }, admin));
    unwrap(await env.api.createCatalogItem('menu_item', { itemId: 'vl-juice', categoryId: 'vl-drinks', name: 'Mango juice', price: 1_800, station: 'drinks', prepMinutes: 2, dietary: ['vegan'], translations: { ar: { name: 'عصير المانجو' } } }, admin));
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await env?.stop();
  });

  const shoot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  /** A phone signed in as the demo visitor, in `lang`. */
  async function visitorPhone(problems: string[], lang: 'en' | 'ar' = 'en'): Promise<Page> {
    const { context, page } = await openStaffPage(browser, PHONE, problems);
    contexts.push(context);
    const token = env.node.visitorToken ?? '';
    await page.goto(env.url);
    await page.evaluate(`localStorage.setItem('vh.access', ${JSON.stringify(token)}); localStorage.setItem('vh.accessExpiresAt', String(Date.now() + 3600000)); localStorage.setItem('vh.lang', ${JSON.stringify(lang)})`);
    return page;
  }

  /** A paid booking of today's slot, for the demo visitor. */
  async function visitToday(): Promise<string> {
    const bookingId = `vl-${randomUUID()}`;
    await buyTickets({ url: env.url, visitorToken: env.node.visitorToken ?? '', bookingId, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 1 });
    return bookingId;
  }

  it(
    'an order left unpaid shows when it must be paid by, and turns cancelled on the open page when that passes',
    async () => {
      const problems: string[] = [];
      const visitorToken = env.node.visitorToken ?? '';
      const bookingId = await visitToday();
      const order = unwrap(await env.api.placeVisitOrder(bookingId, JUICE, visitorToken));
      const payBy = (order.context as { payBy?: number }).payBy;
      expect(payBy).toBe((order.context as { placedAt: number }).placedAt + 60_000);

      const phone = await visitorPhone(problems);
      await phone.goto(`${env.url}/food-orders/${order.id}`);
      await phone.waitForSelector('#pay-by');
      expect(await phone.textContent('#pay-by')).toMatch(/^Pay by \d\d:\d\d, or the order is cancelled\.$/);
      expect(await phone.locator('button[data-method="card"]').count()).toBe(1);
      expect(await accessibilityProblems(phone)).toEqual([]);
      await shoot(phone, '01-order-pay-by');

      // Nobody pays: at the deadline the hub cancels it, and the open page shows it without a reload.
      await phone.waitForSelector('#cancel-cause[data-cause="payment_due"]', { timeout: 120_000 });
      expect(await phone.textContent('#cancel-cause')).toContain('Not paid in time');
      expect(await phone.textContent('#food-state')).toBe('Cancelled');
      expect(await phone.locator('button[data-method="card"]').count()).toBe(0);
      expect(await phone.locator('#cancel-order').count()).toBe(0);
      expect(await accessibilityProblems(phone)).toEqual([]);
      await shoot(phone, '02-order-expired');
      // Paying is refused now; in Arabic the page says why, right to left.
      expect(await env.api.payFoodOrder(order.id, 'card', visitorToken)).toMatchObject({ ok: false, code: 'event.rejected' });
      await phone.click('button.lang');
      await phone.waitForFunction("document.documentElement.dir === 'rtl'");
      expect(await phone.textContent('#cancel-cause')).toContain('لم يُدفع في الوقت المحدد');
      expect(await accessibilityProblems(phone)).toEqual([]);
      await shoot(phone, '03-order-expired-arabic');
      expect(problems).toEqual([]);
    },
    JOURNEY_MS,
  );

  it(
    'a finance refund of everything an order paid, before the kitchen fired it, cancels it on the visitor’s open page and shows in the food report',
    async () => {
      const problems: string[] = [];
      const visitorToken = env.node.visitorToken ?? '';
      const bookingId = await visitToday();
      const order = unwrap(await env.api.placeVisitOrder(bookingId, { ...JUICE, pickup: { mode: 'at', time: '23:55' } }, visitorToken));
      const payment = unwrap(await env.api.payFoodOrder(order.id, 'card', visitorToken));
      await payOnHostedPage(env.url, payment.redirectUrl);

      const phone = await visitorPhone(problems);
      await phone.goto(`${env.url}/food-orders/${order.id}`);
      await phone.waitForSelector('#food-state[data-state="scheduled"]');
      await shoot(phone, '04-order-scheduled');

      // Finance gives the whole payment back: the open page shows the order cancelled and refunded.
      const refund = unwrap(await env.api.request<{ refundId: string }>('POST', '/api/admin/refunds', { body: { paymentId: payment.paymentId, amount: 1_800, requestId: `vl-${randomUUID()}` }, token: env.adminToken }));
      expect(refund.refundId).toMatch(/^rf_/);
      await phone.waitForSelector('#cancel-cause[data-cause="finance_refund"]');
      await phone.waitForSelector('#food-refunded');
      expect(await phone.textContent('#cancel-cause')).toContain('The venue gave back what you paid for this order');
      expect(await phone.textContent('#food-refunded')).toContain('18.00');
      expect(await phone.textContent('#food-state')).toBe('Cancelled');
      expect(await accessibilityProblems(phone)).toEqual([]);
      await shoot(phone, '05-order-refunded-by-finance');

      const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
      const report = unwrap(await env.api.foodReport({ day }, env.adminToken));
      expect(report.financeRefunded).toBeGreaterThanOrEqual(1_800);
      expect(report.captured - report.refunded).toBe(report.served - report.servedRefunded + report.keptOnCancel + report.open + report.refundPending);
      expect(problems).toEqual([]);
    },
    JOURNEY_MS,
  );

  it(
    'an order placed on one phone shows up live on another phone of the same visitor, and follows its state there',
    async () => {
      const problems: string[] = [];
      const bookingId = await visitToday();
      const other = await visitorPhone(problems);
      await other.goto(`${env.url}/bookings/${bookingId}`);
      await other.waitForSelector('#state[data-state="confirmed"]');
      await other.waitForSelector('#order-food');
      expect(await other.locator('.visit-orders').count()).toBe(0);

      // The first phone orders from the menu.
      const phone = await visitorPhone(problems);
      await phone.goto(`${env.url}/bookings/${bookingId}/food`);
      await phone.click('.menu-item[data-item="vl-juice"] button[aria-label="+ Mango juice"]');
      await phone.click('#place-order');
      await phone.waitForURL(/\/food-orders\/fo_/);
      const orderId = decodeURIComponent(new URL(phone.url()).pathname.split('/')[2] ?? '');

      // The other phone, open all along, lists it as the hub placed it, then as it is paid.
      await other.waitForSelector(`.visit-orders li[data-order="${orderId}"] .state[data-state="placed"]`);
      expect(await other.textContent(`.visit-orders li[data-order="${orderId}"]`)).toContain('18.00');
      expect(await accessibilityProblems(other)).toEqual([]);
      await shoot(other, '06-other-phone-order-placed');
      const payment = unwrap(await env.api.payFoodOrder(orderId, 'card', env.node.visitorToken ?? ''));
      await payOnHostedPage(env.url, payment.redirectUrl);
      await other.waitForSelector(`.visit-orders li[data-order="${orderId}"] .state[data-state="preparing"]`);
      await shoot(other, '07-other-phone-order-preparing');
      // The menu page opened afresh on the other phone lists it too (from the hub: nothing is kept on a device).
      await other.goto(`${env.url}/bookings/${bookingId}/food`);
      await other.waitForSelector(`.visit-orders li[data-order="${orderId}"] .state[data-state="preparing"]`);
      expect(await accessibilityProblems(other)).toEqual([]);

      // The feed is the account's own: another visitor's id, or none, is refused at the socket.
      const socket = await connectDevice(env.url, env.node.visitorToken ?? '');
      try {
        expect(await socket.emitWithAck('feed:subscribe', { feed: 'food_orders', zone: 'someone-else' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
        expect(await socket.emitWithAck('feed:subscribe', { feed: 'food_orders' })).toMatchObject({ ok: false, code: 'event.invalid' });
      } finally {
        socket.close();
      }
      expect(problems).toEqual([]);
    },
    JOURNEY_MS,
  );

  it(
    'a signed-out visitor’s menu marks an item sold out and back live, on a guest session that may do nothing else',
    async () => {
      const problems: string[] = [];
      const { context, page } = await openStaffPage(browser, PHONE, problems);
      contexts.push(context);
      await page.goto(`${env.url}/activities/vl-pool`);
      const juice = page.locator('.menu-item[data-item="vl-juice"]');
      await juice.waitFor();
      expect(await juice.getAttribute('data-sold-out')).toBe('false');
      expect(await page.evaluate("localStorage.getItem('vh.access')")).toBeNull();
      expect(await accessibilityProblems(page)).toEqual([]);
      await shoot(page, '08-signed-out-menu');

      // The kitchen 86s it: the open page shows it sold out without a reload, and orderable again when it is back.
      const soldOut = (value: boolean) => env.api.request('POST', '/api/admin/menu/items/vl-juice/sold-out', { body: { soldOut: value }, token: env.adminToken });
      unwrap(await soldOut(true));
      await page.waitForSelector('.menu-item[data-item="vl-juice"][data-sold-out="true"]');
      expect(await juice.textContent()).toContain('Sold out');
      expect(await juice.locator('button[aria-label="+ Mango juice"]').isDisabled()).toBe(true);
      expect(await accessibilityProblems(page)).toEqual([]);
      await shoot(page, '09-signed-out-menu-sold-out');
      await page.click('button.lang');
      await page.waitForFunction("document.documentElement.dir === 'rtl'");
      expect(await juice.textContent()).toContain('نفد');
      await shoot(page, '10-signed-out-menu-sold-out-arabic');
      await page.click('button.lang');
      unwrap(await soldOut(false));
      await page.waitForSelector('.menu-item[data-item="vl-juice"][data-sold-out="false"]');

      // The page's guest session follows the menu and nothing else: the policy refuses the rest, and HTTP routes of a person too.
      const guest = String(await page.evaluate("localStorage.getItem('vh.guest')"));
      expect(guest).toMatch(/^ey/);
      expect(await env.api.request('GET', '/api/me', { token: guest })).toMatchObject({ ok: false, code: 'auth.wrong_type' });
      const socket = await connectDevice(env.url, guest);
      try {
        expect(await socket.emitWithAck('menu:subscribe', {})).toMatchObject({ ok: true, data: { version: expect.any(Number) } });
        expect(await socket.emitWithAck('feed:subscribe', { feed: 'food_orders', zone: 'demo-visitor' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
        expect(await socket.emitWithAck('booking:hold', { bookingId: `vl-${randomUUID()}`, slotId: activity.slotId, items: [{ ticketTypeId: activity.ticketTypeId, qty: 1 }] })).toMatchObject({ ok: false, code: 'auth.forbidden' });
      } finally {
        socket.close();
      }
      expect(problems).toEqual([]);
    },
    JOURNEY_MS,
  );
});
