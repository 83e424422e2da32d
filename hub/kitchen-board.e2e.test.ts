/**
 * The kitchen display (`/kitchen`, clients/web/src/kitchen) and the visitor's food in Debian's
 * Chromium against a real hub process, driven as people drive them: a visitor books two tickets
 * with lunch on the booking page, pays, and watches the order; the gate's entry scan fires it onto
 * the grill board (a 1920×1080 screen, dark); the cook bumps with the keyboard bump bar (1 = the
 * oldest ticket, R = recall) and by touch; a board that loses its connection shows the queue as it
 * is once back; the expo hands the ready order over; the visitor's page goes Preparing → Ready →
 * Collected live, and is told once.
 *
 * Screenshots go to the folder printed at the start; every page is checked with axe-core.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, accessibilityProblems, connectDevice, launchChromium } from './staff-pages.test-support.js';
import type { DeviceSocket } from './staff-pages.test-support.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDevice, openActivityNow } from '../clients/devices/visitor-flow.js';
import type { OpenActivity } from '../clients/devices/visitor-flow.js';
import { unwrap } from '../clients/sdk/index.js';
import type { PaidTicket } from '../clients/devices/visitor-flow.js';
import { ensureWebBuilt } from '../clients/web/build.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub, venueDate } from './journey.test-support.js';

/** The venue-local date of an instant. */
const venueDateOf = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Riyadh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

const SHOTS = join(tmpdir(), 'venue-hub-kitchen');
const BOARD = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };
const JOURNEY_MS = 180_000;


describe('the kitchen display and the visitor’s food', () => {
  let env: JourneyHub;
  let browser: Browser;
  let activity: OpenActivity;
  const contexts: BrowserContext[] = [];
  const sockets: DeviceSocket[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    await ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    console.log(`kitchen screenshots: ${SHOTS}`);
    env = await startJourneyHub();
    const admin = env.adminToken;
    activity = await openActivityNow({ url: env.url, adminToken: admin, activityId: 'kds-pool', zone: 'kds-zone' });
    // Items served round the clock, so the test runs at any hour.
    unwrap(await env.api.createCatalogItem('menu_category', { categoryId: 'kds-mains', name: 'Grill', sort: 1 }, admin));
    unwrap(await env.api.createCatalogItem('menu_category', { categoryId: 'kds-drinks', name: 'Cold drinks', sort: 2 }, admin));
    const cooked = { modifierId: 'cooked', name: 'Cooked', translations: { ar: { name: 'الطهي' } }, min: 1, max: 1, choices: [{ choiceId: 'medium', name: 'Medium', translations: { ar: { name: 'متوسط' } } }] };
    unwrap(await env.api.createCatalogItem('menu_item', { itemId: 'kds-burger', categoryId: 'kds-mains', name: 'Smash burger', price: 3_400, station: 'grill', prepMinutes: 12, allergens: ['gluten', 'milk'], modifiers: [cooked], translations: { ar: { name: 'برجر سماش' } } }, admin));
    unwrap(await env.api.createCatalogItem('menu_item', { itemId: 'kds-lemonade', categoryId: 'kds-drinks', name: 'Iced lemonade', price: 1_200, station: 'drinks', prepMinutes: 2, translations: { ar: { name: 'ليموناضة مثلجة' } } }, admin));
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await env?.stop();
  });

  async function openPage(viewport: { width: number; height: number }, problems: string[]): Promise<Page> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    return page;
  }
  const shoot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  async function deviceSocket(token: string): Promise<DeviceSocket> {
    const socket = await connectDevice(env.url, token);
    sockets.push(socket);
    return socket;
  }

  it(
    'a pre-order booked on the visitor page is fired by the gate scan onto the grill board, bumped from the bump bar, handed over by the expo, and the visitor sees it ready live, once',
    async () => {
      const problems: string[] = [];
      const admin = env.adminToken;
      const grillToken = (await issueDevice(env.url, admin, { deviceId: 'kds-grill', deviceKind: 'kitchen_board', scope: { station: 'grill' } })).token;
      const drinksToken = (await issueDevice(env.url, admin, { deviceId: 'kds-drinks', deviceKind: 'kitchen_board', scope: { station: 'drinks' } })).token;
      const expoToken = (await issueDevice(env.url, admin, { deviceId: 'kds-expo', deviceKind: 'kitchen_board', scope: {} })).token;
      const gateToken = (await issueDevice(env.url, admin, { deviceId: 'kds-gate', deviceKind: 'gate', scope: { zone: 'kds-zone', gateId: 'kds_gate' } })).token;

      // The grill board, open before anyone orders.
      const grill = await openPage(BOARD, problems);
      await grill.goto(`${env.url}/kitchen#token=${grillToken}`);
      await grill.waitForSelector('.kds[data-station="grill"] .live.on');
      await grill.waitForSelector('.empty');
      expect(await accessibilityProblems(grill)).toEqual([]);
      await shoot(grill, '01-grill-empty');

      // The visitor books two tickets with a burger and two lemonades, on the phone.
      const visitor = await openPage(PHONE, problems);
      await visitor.goto(env.url);
      await visitor.evaluate(`localStorage.setItem('vh.access', ${JSON.stringify(env.node.visitorToken)}); localStorage.setItem('vh.accessExpiresAt', String(Date.now() + 3600000))`);
      await visitor.goto(`${env.url}/activities/kds-pool`);
      // The slot is today's or, just before midnight, tomorrow's.
      const slotDay = venueDateOf(activity.startsAt);
      await visitor.locator('.days label').nth(slotDay === venueDate(0) ? 0 : 1).click();
      await visitor.locator(`.slots[data-day="${slotDay}"] .slot[data-slot="${activity.slotId}"]`).click();
      const plusTicket = visitor.locator(`[data-ticket-type="${activity.ticketTypeId}"] .stepper button`).last();
      await plusTicket.click();
      await plusTicket.click();
      await visitor.click('.menu-item[data-item="kds-burger"] button[aria-label="+ Smash burger"]');
      await visitor.click('.menu-item[data-item="kds-lemonade"] button[aria-label="+ Iced lemonade"]');
      await visitor.click('.menu-item[data-item="kds-lemonade"] button[aria-label="+ Iced lemonade"]');
      // The quote follows each click: wait for the one of the whole cart, not the first that shows food.
      await visitor.waitForSelector('tr.food-line');
      await visitor.waitForFunction("document.querySelector('#quote-total')?.textContent?.includes('108') === true");
      expect(await visitor.textContent('#quote-total')).toContain('108');
      await shoot(visitor, '02-visitor-cart-with-food');
      await visitor.click('#hold');
      await visitor.waitForURL(/\/bookings\//);
      const bookingId = decodeURIComponent(new URL(visitor.url()).pathname.split('/')[2] ?? '');
      const orderId = `${bookingId}-food`;
      await visitor.click('#submit');
      await visitor.click('button[data-method="card"]');
      await visitor.waitForURL(/\/pay\/simulated\//);
      await visitor.check('input[name="method"][value="card"]');
      await visitor.fill('input[name="card_number"]', '4111111111111111');
      await visitor.click('button[type="submit"]');
      await visitor.waitForURL(/\/bookings\//);
      await visitor.waitForSelector('#food-state[data-state="paid"]');
      expect(await accessibilityProblems(visitor)).toEqual([]);
      await shoot(visitor, '03-visitor-food-paid');

      // The party comes in: the gate's entry scan fires the order onto the grill board.
      const ticket = unwrap(await env.api.tickets(bookingId, env.node.visitorToken ?? ''))[0] as PaidTicket | undefined;
      if (!ticket?.token) throw new Error('no ticket to scan');
      const gate = await deviceSocket(gateToken);
      expect(await gate.emitWithAck('gate:scan', { token: ticket.token, nonce: `kds-${randomUUID()}`, direction: 'entry', at: Date.now() })).toMatchObject({ ok: true, data: { verdict: 'admitted' } });
      const card = grill.locator(`.ticket[data-order="${orderId}"]`);
      await card.waitFor();
      expect(await card.getAttribute('data-stage')).toBe('queued');
      expect(await card.textContent()).toContain('Smash burger');
      expect(await card.textContent()).not.toContain('Iced lemonade');
      expect(await card.textContent()).toContain('Cooked: Medium');
      expect(await grill.textContent('.all-day')).toContain('1 Smash burger');
      await visitor.waitForSelector('#food-state[data-state="preparing"]');
      await shoot(grill, '04-grill-ticket');
      // In the board's language: switched to Arabic, the ticket and the all-day counts name the dish as the order kept it in Arabic.
      await grill.click('button.lang');
      await grill.waitForFunction("document.documentElement.dir === 'rtl'");
      expect(await card.textContent()).toContain('برجر سماش');
      expect(await card.textContent()).toContain('الطهي: متوسط');
      expect(await card.textContent()).not.toContain('Smash burger');
      expect(await grill.textContent('.all-day')).toContain('برجر سماش');
      expect(await accessibilityProblems(grill)).toEqual([]);
      await shoot(grill, '04b-grill-ticket-arabic');
      await grill.click('button.lang');
      await grill.waitForFunction("document.documentElement.dir === 'ltr'");

      // The bump bar: 1 starts the oldest ticket, 1 again finishes it, R takes that back.
      await grill.keyboard.press('1');
      await grill.waitForSelector(`.ticket[data-order="${orderId}"][data-stage="cooking"]`);
      await grill.keyboard.press('1');
      await card.waitFor({ state: 'detached' });
      await grill.keyboard.press('r');
      await grill.waitForSelector(`.ticket[data-order="${orderId}"][data-stage="cooking"]`);
      expect(await accessibilityProblems(grill)).toEqual([]);
      await shoot(grill, '05-grill-recalled');

      // The board goes away (its socket with it); meanwhile another grill screen finishes the ticket.
      // Back, with the token it kept, it shows the queue from the snapshot: the ticket is gone.
      await grill.goto('about:blank');
      const otherGrill = await deviceSocket(grillToken);
      expect(await otherGrill.emitWithAck('kitchen:bump', { orderId, station: 'grill', stage: 'cooking' })).toMatchObject({ ok: true });
      await grill.goto(`${env.url}/kitchen`);
      await grill.waitForSelector('.kds[data-station="grill"] .live.on');
      await grill.waitForSelector('.empty');
      expect(await grill.locator(`.ticket[data-order="${orderId}"]`).count()).toBe(0);

      // The drinks station by touch; then the order is ready and the visitor sees it.
      const drinks = await openPage(BOARD, problems);
      await drinks.goto(`${env.url}/kitchen#token=${drinksToken}`);
      const drinksCard = drinks.locator(`.ticket[data-order="${orderId}"]`);
      await drinksCard.locator('button.bump').click();
      await drinks.waitForSelector(`.ticket[data-order="${orderId}"][data-stage="cooking"]`);
      await drinksCard.locator('button.bump').click();
      await drinksCard.waitFor({ state: 'detached' });
      await visitor.waitForSelector('#food-state[data-state="ready"]');
      await visitor.waitForSelector('.alert[data-template="food.ready"]');
      expect(await visitor.textContent('.alert[data-template="food.ready"]')).toContain('Poolside café counter');
      await shoot(visitor, '06-visitor-food-ready');

      // The expo hands it over with its bump bar.
      const expo = await openPage(BOARD, problems);
      await expo.goto(`${env.url}/kitchen#token=${expoToken}`);
      await expo.waitForSelector(`.ticket[data-order="${orderId}"][data-state="ready"]`);
      expect(await accessibilityProblems(expo)).toEqual([]);
      await shoot(expo, '07-expo-ready');
      await expo.keyboard.press('1');
      await expo.waitForSelector(`.ticket[data-order="${orderId}"]`, { state: 'detached' });
      await visitor.waitForSelector('#food-state[data-state="delivered"]');
      expect(await visitor.locator('.alert[data-template="food.ready"]').count()).toBe(1);
      await shoot(visitor, '08-visitor-food-collected');
      expect(problems).toEqual([]);
    },
    JOURNEY_MS,
  );
});
