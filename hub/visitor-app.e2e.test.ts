/**
 * The visitor app (clients/web) in Debian's Chromium against a real hub process with its SQLite
 * store and a real SMTP inbox, driven as a person drives it: clicks and typing only.
 *
 *   phone (390×844), English: sign up with the emailed code → book 2 adults + a locker (priced by
 *     the hub; places left follow another visitor's hold live) → hold → send → pay: declined card,
 *     back on the booking, retry → confirmed → QR tickets decoded from a 1x screenshot, and again
 *     offline from what the device kept → my bookings
 *   desktop (1280×800), Arabic: right to left, a mobile number typed in Arabic-Indic digits is
 *     stored in E.164 → a family pass goes under review → an admin approves and my bookings and the
 *     booking page show it without a reload, with the alert in Arabic
 *   phone, English: sign up with the emailed link → a paid booking is cancelled and the refund the
 *     policy gives is shown before confirming, and on my bookings once made → texts turned off in
 *     the notification preferences
 *   phone, Arabic: the same journey's pages with no English left on them (refusals in Arabic
 *     too), labels that do not read a dot as a zero, the payment return page in both languages,
 *     and a Web Push shown by the service worker right to left
 *
 * The phone runs on a clock far from the venue's (America/Los_Angeles): times are the venue's.
 * Every page checked is run through axe-core; screenshots go to the folder printed at the start.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, accessibilityProblems, launchChromium } from './staff-pages.test-support.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub, unwrap } from '../clients/sdk/index.js';
import type { HubClient } from '../clients/sdk/index.js';
import { ensureWebBuilt } from '../clients/web/build.js';
import { otpCodeOf, signUpVisitor } from '../load-tests/harness/index.js';
import { DEFAULT_REFUND_POLICY, refundFor } from '../workers/bookings/refund-policy.js';
import type { JourneyHub } from './journey.test-support.js';
import { DECLINED_CARD, SUCCESS_CARD, decodeQrPng, payOnHostedPage, startJourneyHub, venueDate, watchBooking } from './journey.test-support.js';

const SHOTS = join(tmpdir(), 'venue-hub-visitor-app');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
/** A whole journey in a browser; generous because the machine is shared, never a speed check. */
const JOURNEY_MS = 180_000;

/** The access token the page keeps for its session (null when signed out). */
async function accessTokenOf(page: Page): Promise<string | null> {
  return (await page.evaluate(`localStorage.getItem('vh.access')`)) as string | null;
}

describe('the visitor app', () => {
  let env: JourneyHub;
  let browser: Browser;
  const clients: HubClient[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    await ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    console.log(`visitor app screenshots: ${SHOTS}`);
    // DEV_MAILBOX: texts (the phone sign-up's code) are read from the local mailbox page.
    env = await startJourneyHub({ OTP_RESEND_SECONDS: '1', DEV_MAILBOX: 'true' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await env?.stop();
  });

  /**
   * A fresh browser profile at `viewport`, 1 device pixel per CSS pixel, on a phone's clock in
   * another time zone than the venue's; page errors fail the test.
   */
  async function openPage(viewport: { width: number; height: number }, problems: string[], locale = 'en-GB'): Promise<Page> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale, timezoneId: 'America/Los_Angeles' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 500) problems.push(`${response.status()} ${response.url()}`);
    });
    return page;
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  /** What is wrong with the page's layout: wider than the screen, the header's links on several rows. */
  async function layoutProblems(page: Page): Promise<string[]> {
    return (await page.evaluate(`(() => {
      const problems = [];
      const root = document.documentElement;
      if (root.scrollWidth > root.clientWidth) problems.push('wider than the screen by ' + (root.scrollWidth - root.clientWidth) + ' px');
      const rows = new Set([...document.querySelectorAll('header nav a')].map((a) => Math.round(a.getBoundingClientRect().top)));
      if (rows.size > 1) problems.push('the header links take ' + rows.size + ' rows');
      return problems;
    })()`)) as string[];
  }

  /**
   * English words left on an Arabic page (its main part and alerts), besides what is English on
   * purpose: parts marked lang="en" or dir="ltr" (an email address), isolated ids and names of
   * things (Apple Pay, SMS, QR).
   */
  async function englishWords(page: Page): Promise<string[]> {
    return (await page.evaluate(`(() => {
      const kept = new Set(['Apple', 'Pay', 'SMS', 'QR']);
      const words = [];
      for (const part of document.querySelectorAll('main, .alerts')) {
        const copy = part.cloneNode(true);
        for (const skip of copy.querySelectorAll('[lang="en"], [dir="ltr"], svg, script')) skip.remove();
        // Ids the hub wrote into Arabic alerts come isolated (U+2068 … U+2069).
        const text = copy.textContent.replace(/\u2068[^\u2069]*\u2069/g, '');
        for (const word of text.match(/[A-Za-z]{2,}/g) ?? []) if (!kept.has(word)) words.push(word);
      }
      return words;
    })()`)) as string[];
  }

  /** Picks the first bookable slot of the venue day `days` ahead on an activity page. */
  async function pickSlot(page: Page, days: number): Promise<string> {
    const day = page.locator('.days label').nth(days);
    await day.click();
    // The slots listed for that day (not the ones of the day shown before, still there for a moment).
    const date = await day.locator('input').getAttribute('value');
    const slot = page.locator(`.slots[data-day="${date}"] .slot:not(:has(input:disabled))`).first();
    await slot.waitFor();
    const slotId = await slot.getAttribute('data-slot');
    if (slotId === null) throw new Error('a slot without its id');
    await slot.click();
    return slotId;
  }

  async function payOnGateway(page: Page, card: string): Promise<void> {
    await page.waitForURL(/\/pay\/simulated\//);
    await page.check('input[name="method"][value="card"]');
    await page.fill('input[name="card_number"]', card);
    await page.click('button[type="submit"]');
    // The return page sends the payer back to the booking by itself.
    await page.waitForURL(/\/bookings\/bk-/);
  }

  it('signs up with a code, books with an add-on, pays after a declined card and shows QR tickets that scan at 1x (phone, English)', async () => {
    const problems: string[] = [];
    const page = await openPage(PHONE, problems);
    await page.goto(env.url);
    await page.waitForSelector('.card.activity');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    expect(await page.textContent('h2')).toBe('Activities');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '01-home-en-phone');

    // Arabic and back, remembered across a reload.
    await page.click('button.lang');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.textContent('h2')).toBe('الأنشطة');
    await page.reload();
    await page.waitForSelector('.card.activity');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '02-home-ar-phone');
    await page.click('button.lang');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');

    await page.click('.card.activity[data-activity="wave-pool"] a.button');
    const slotId = await pickSlot(page, 1);
    // The time shown is the venue's, whatever the phone's clock says.
    const listed = unwrap(await env.api.slots('wave-pool', venueDate(1))).slots.find((s) => s.slotId === slotId);
    expect(await page.textContent(`.slot[data-slot="${slotId}"] .time`)).toBe(listed?.startTime);
    // The menu offers what is served at the time of the visit (lunch from 11:00), not what is served now.
    const burgerMore = '[data-item="beef-burger"] button[aria-label="+ Beef burger"]';
    const beforeLunch = (listed?.startTime ?? '') < '11:00';
    expect(await page.isDisabled(burgerMore)).toBe(beforeLunch);
    expect(await page.isVisible('[data-item="beef-burger"] .not-now')).toBe(beforeLunch);
    await page.check('input[name="pickup"][value="at"]');
    await page.fill('fieldset.pickup input[type="time"]', '13:00');
    expect(await page.isDisabled(burgerMore)).toBe(false);
    await page.check('input[name="pickup"][value="on_arrival"]');
    await page.click('[data-ticket-type="wave-pool-adult"] button[aria-label^="One more"]');
    await page.click('[data-ticket-type="wave-pool-adult"] button[aria-label^="One more"]');
    await page.click('[data-add-on="locker"] button[aria-label^="One more"]');
    const quote = unwrap(await env.api.price({ slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty: 2 }], addOns: [{ addOnId: 'locker', qty: 1 }] }));
    const sar = (quote.total / 100).toFixed(2);
    await page.waitForFunction(`document.getElementById('quote-total')?.textContent?.includes(${JSON.stringify(sar)}) === true`);

    // Not signed in yet: sign up right here, with the code from the email.
    const email = `phone-${randomUUID().slice(0, 8)}@example.com`;
    await page.fill('#name', 'Sara Visitor');
    await page.fill('#email', email);
    const asked = Date.now();
    await page.click('#sign-in-form button[type="submit"]');
    await page.waitForSelector('#code-form');
    const code = otpCodeOf(await env.inbox.waitFor(email, (m) => m.receivedAt >= asked));
    await page.fill('#code', code);
    await page.click('#code-form button[type="submit"]');
    await page.waitForSelector('#hold');
    // Signed in, the places left follow other visitors' holds live.
    const left = page.locator(`.slot[data-slot="${slotId}"] .left`);
    const before = Number(await left.getAttribute('data-remaining'));
    const other = await signUpVisitor(env.api, env.inbox, `other-${randomUUID().slice(0, 8)}@example.com`, 'Other Visitor');
    const otherHub = connectHub({ url: env.url, token: other.accessToken });
    clients.push(otherHub);
    unwrap(await otherHub.hold({ bookingId: `bk-other-${randomUUID().slice(0, 8)}`, slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty: 3 }] }));
    await page.waitForSelector(`.slot[data-slot="${slotId}"] .left[data-remaining="${before - 3}"]`);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '03-book-priced-phone');

    await page.click('#hold');
    await page.waitForSelector('#state[data-state="held"]');
    const bookingId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
    const held = (await page.textContent('#countdown')) ?? '';
    expect(held).toMatch(/held for 1[45]:\d{2} min/);
    // The hold counts down live.
    await page.waitForFunction(`document.getElementById('countdown')?.textContent !== ${JSON.stringify(held)}`);
    expect(await page.textContent('#booking-total')).toContain(sar);
    await page.click('#submit');
    await page.waitForSelector('#state[data-state="awaiting_payment"]');
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.click('.pay button[data-method="card"]');
    await payOnGateway(page, DECLINED_CARD);
    await page.waitForSelector('#payment-failed');
    expect(await page.getAttribute('#state', 'data-state')).toBe('awaiting_payment');
    await shoot(page, '04-payment-failed-phone');

    await page.click('.pay button[data-method="card"]');
    await payOnGateway(page, SUCCESS_CARD);
    await page.waitForSelector('#state[data-state="confirmed"]');
    await page.waitForFunction(`document.querySelectorAll('.ticket svg.qr').length === 2`);
    expect(await page.textContent('.ticket-label')).toBe('Ticket 1 of 2 · Adult');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
    // Shorter than the 77-module code of the first tickets: the phone shows it larger for its size.
    expect(Number(await page.getAttribute('.ticket svg.qr', 'data-modules'))).toBeLessThan(77);
    await shoot(page, '05-tickets-phone');

    // The QR read back from what the screen shows at 1x is the ticket's signed token.
    const token = await accessTokenOf(page);
    if (token === null) throw new Error('the page kept no session');
    const tickets = unwrap(await env.api.tickets(bookingId, token));
    const first = page.locator('.ticket').first();
    const png = await first.locator('svg.qr').screenshot();
    expect(decodeQrPng(png)).toBe(tickets[0]?.token);

    // Offline (no signal at the gate): the service worker serves the app and the page shows the
    // tickets this device kept, still scannable.
    const workerReady = await page.evaluate(`Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 15000))])`);
    expect(workerReady, 'the service worker is active').toBe(true);
    await page.context().setOffline(true);
    await page.reload();
    await page.waitForSelector('#kept-note');
    await page.waitForFunction(`document.querySelectorAll('.ticket svg.qr').length === 2`);
    expect(decodeQrPng(await page.locator('.ticket svg.qr').first().screenshot())).toBe(tickets[0]?.token);
    await shoot(page, '06-tickets-offline-phone');
    await page.context().setOffline(false);
    await page.reload();
    await page.waitForSelector('#state[data-state="confirmed"]');

    await page.click('a[href="/bookings"]');
    await page.waitForSelector(`.card[data-booking="${bookingId}"] .state[data-state="confirmed"]`);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
    await shoot(page, '06b-my-bookings-phone');
    expect(problems).toEqual([]);
  }, JOURNEY_MS);

  it('runs right to left in Arabic, takes a mobile typed in Arabic-Indic digits, and shows an approval without a reload (desktop)', async () => {
    const problems: string[] = [];
    const page = await openPage(DESKTOP, problems);
    await page.goto(`${env.url}/sign-in`);
    await page.click('button.lang');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.fill('#name', 'نورة');
    await page.check('input[name="channel"][value="phone"]');
    // 050 123 4567 as typed on an Arabic keyboard.
    await page.fill('#phone', '٠٥٠ ١٢٣ ٤٥٦٧');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '07-sign-up-ar-desktop');
    const asked = Date.now();
    await page.click('#sign-in-form button[type="submit"]');
    await page.waitForSelector('#code-form');
    let code = '';
    for (let tries = 0; tries < 50 && code === ''; tries++) {
      const mailbox = await (await fetch(`${env.url}/mailbox?to=${encodeURIComponent('+966501234567')}`)).text();
      // The page was in Arabic when the visitor signed up: the SMS is Arabic.
      code = /Venue Hub: استخدم الرمز (\d{6})/.exec(mailbox)?.[1] ?? '';
      if (code === '') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(code, `no text to +966501234567 since ${asked}`).not.toBe('');
    await page.fill('#code', code.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d))));
    await page.click('#code-form button[type="submit"]');
    await page.waitForURL(`${env.url}/`);
    const token = await accessTokenOf(page);
    if (token === null) throw new Error('the page kept no session');
    expect(unwrap(await env.api.me(token))).toMatchObject({ phone: '+966501234567', language: 'ar' });

    // The venue's own words in Arabic: the activity, its ticket types and add-ons.
    expect(await page.textContent('.card.activity[data-activity="wave-pool"] h3')).toBe('مسبح الأمواج');
    await page.click('.card.activity[data-activity="wave-pool"] a.button');
    expect(await page.textContent('h1')).toContain('مسبح الأمواج');
    expect(await page.textContent('[data-ticket-type="wave-pool-family"] label')).toBe('تذكرة عائلية (بالغان وطفلان)');
    expect(await page.textContent('[data-add-on="locker"] label')).toBe('خزانة (طوال اليوم)');
    await pickSlot(page, 2);
    await page.click('[data-ticket-type="wave-pool-family"] button[aria-label^="أضف"]');
    await page.waitForSelector('#quote-total');
    await page.click('#hold');
    await page.waitForSelector('#state[data-state="held"]');
    const bookingId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
    await page.click('#submit');
    await page.waitForSelector('#state[data-state="under_review"]');
    // A day to answer, in hours and minutes and Arabic digits (not "1440:00").
    expect(await page.textContent('#countdown')).toMatch(/[٠-٩]+ س [٠-٩]+ د/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '08-under-review-ar-desktop');

    const desk = connectHub({ url: env.url, token: env.adminToken });
    clients.push(desk);
    await desk.ready;
    const visitor = connectHub({ url: env.url, token });
    clients.push(visitor);
    const watch = await watchBooking(visitor, bookingId);
    // My bookings follows each booking too: the approval shows there without a reload.
    await page.click('a[href="/bookings"]');
    await page.waitForSelector(`.card[data-booking="${bookingId}"] .state[data-state="under_review"]`);
    unwrap(await desk.command('booking', bookingId, { type: 'booking.approve' }, { commandId: `approve-${bookingId}` }));
    await watch.reach('awaiting_payment');
    await page.waitForSelector(`.card[data-booking="${bookingId}"] .state[data-state="awaiting_payment"]`);
    await page.click(`.card[data-booking="${bookingId}"] a.button`);
    await page.waitForSelector('#state[data-state="awaiting_payment"]');
    expect(await page.textContent('#state')).toBe('بانتظار الدفع');
    // The hub's in-app alert, told in Arabic.
    await page.waitForSelector('.alert[data-template="booking.approved"]');
    expect(await page.textContent('.alert[data-template="booking.approved"] strong')).toBe('تمت الموافقة على حجزك');
    // Written by the hub in the account's language: the activity's Arabic name and SAR in Arabic digits.
    const alertBody = (await page.textContent('.alert[data-template="booking.approved"] span')) ?? '';
    expect(alertBody).toContain('مسبح الأمواج');
    expect(alertBody).toMatch(/[٠-٩]+٫[٠-٩]{2}/);
    await shoot(page, '09-approved-live-ar-desktop');
    expect(problems).toEqual([]);
  }, JOURNEY_MS);

  it('signs in with the emailed link and shows the refund the policy gives before cancelling (phone)', async () => {
    const problems: string[] = [];
    const page = await openPage(PHONE, problems);
    await page.goto(`${env.url}/sign-in`);
    const email = `link-${randomUUID().slice(0, 8)}@example.com`;
    await page.fill('#name', 'Omar Visitor');
    await page.fill('#email', email);
    const asked = Date.now();
    await page.click('#sign-in-form button[type="submit"]');
    await page.waitForSelector('#code-form');
    const mail = await env.inbox.waitFor(email, (m) => m.receivedAt >= asked);
    const link = /(http\S+\/verify#\S+)/.exec(mail.text)?.[1];
    if (link === undefined) throw new Error(`no link in the email: ${mail.text}`);
    await page.goto(link);
    await page.waitForSelector('a[href="/account"]');
    const token = await accessTokenOf(page);
    if (token === null) throw new Error('the link kept no session');

    // A paid booking three days ahead (bought through the API; this test is about cancelling it).
    const slot = unwrap(await env.api.slots('wave-pool', venueDate(3))).slots.find((s) => s.bookable && s.remaining >= 1);
    if (!slot) throw new Error('no bookable wave-pool slot in three days');
    const visitor = connectHub({ url: env.url, token });
    clients.push(visitor);
    await visitor.ready;
    const bookingId = `bk-${randomUUID().slice(0, 12)}`;
    unwrap(await visitor.hold({ bookingId, slotId: slot.slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty: 1 }] }));
    const watch = await watchBooking(visitor, bookingId);
    unwrap(await visitor.command('booking', bookingId, { type: 'booking.submit' }));
    const { redirectUrl } = unwrap(await env.api.pay(bookingId, 'card', token));
    await payOnHostedPage(redirectUrl, { method: 'card', card_number: SUCCESS_CARD });
    const confirmed = await watch.reach('confirmed');

    await page.goto(`${env.url}/bookings/${bookingId}`);
    await page.waitForSelector('#state[data-state="confirmed"]');
    await page.click('#cancel');
    await page.waitForSelector('#cancel-terms');
    const captured = (confirmed.context as { capturedAmount: number }).capturedAmount;
    const expected = refundFor({ capturedAmount: captured, alreadyRequested: 0, slotStartsAt: slot.startsAt, now: Date.now(), policy: DEFAULT_REFUND_POLICY });
    expect(expected.rule).toBe('full');
    expect(Number(await page.getAttribute('#cancel-terms', 'data-refund'))).toBe(expected.amount);
    expect(await page.textContent('#cancel-terms')).toContain((expected.amount / 100).toFixed(2));
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '10-cancel-terms-phone');
    await page.click('#cancel-confirm');
    await page.waitForSelector('#state[data-state="cancelled"], #state[data-state="refunded"]');
    expect(await page.textContent('#notice')).toContain((expected.amount / 100).toFixed(2));
    const cancelled = await watch.reach('cancelled');
    expect((cancelled.context as { refundRequestedAmount: number }).refundRequestedAmount).toBe(expected.amount);
    await shoot(page, '11-cancelled-phone');
    // My bookings shows the refund once the provider made it.
    await page.click('a[href="/bookings"]');
    await page.waitForSelector(`.card[data-booking="${bookingId}"] .refunded`);
    expect(await page.textContent(`.card[data-booking="${bookingId}"] .refunded`)).toContain((expected.amount / 100).toFixed(2));
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '11b-my-bookings-refunded-phone');

    // Notification preferences: no texts, saved on the account.
    await page.click('a[href="/account"]');
    expect(await page.isChecked('input[name="sms"]')).toBe(true);
    await page.uncheck('input[name="sms"]');
    await page.waitForSelector('text=Saved.');
    expect(unwrap(await env.api.me(token)).preferences.sms).toBe(false);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '12-account-phone');
    expect(problems).toEqual([]);
  }, JOURNEY_MS);
  it('in Arabic on a phone: no English left on the journey\'s pages, refusals in Arabic, the return page in both languages, a push shown right to left', async () => {
    const problems: string[] = [];
    // A phone set to Arabic: the app opens in Arabic by itself.
    const page = await openPage(PHONE, problems, 'ar-SA');
    await page.context().grantPermissions(['notifications'], { origin: env.url });
    await page.goto(`${env.url}/sign-in`);
    await page.waitForSelector('#sign-in-form');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    const email = `ar-${randomUUID().slice(0, 8)}@example.com`;
    await page.fill('#name', 'ريم');
    await page.fill('#email', email);
    const asked = Date.now();
    await page.click('#sign-in-form button[type="submit"]');
    await page.waitForSelector('#code-form');
    const code = otpCodeOf(await env.inbox.waitFor(email, (m) => m.receivedAt >= asked));
    // A wrong code first: the hub's refusal is told in Arabic, the address kept whole.
    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await page.click('#code-form button[type="submit"]');
    await page.waitForSelector('#code-form [role="alert"]');
    expect(await page.textContent('#code-form [role="alert"]')).toBe('الرمز غير صحيح. تحقّق منه وحاول مرة أخرى.');
    expect(await page.textContent('#code-form bdi.address')).toBe(email);
    expect(await englishWords(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
    await shoot(page, '14-code-refused-ar-phone');
    await page.fill('#code', code);
    await page.click('#code-form button[type="submit"]');
    await page.waitForURL(`${env.url}/`);
    await page.waitForSelector('header a[href="/bookings"]');

    await page.click('.card.activity[data-activity="wave-pool"] a.button');
    await pickSlot(page, 1);
    await page.click('[data-ticket-type="wave-pool-adult"] button[aria-label^="أضف"]');
    await page.waitForSelector('#quote-total');
    expect(await englishWords(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
    await shoot(page, '15-book-ar-phone');
    await page.click('#hold');
    await page.waitForSelector('#state[data-state="held"]');
    expect(await page.textContent('#countdown')).toMatch(/[٠-٩]{2}:[٠-٩]{2} دقيقة/);
    // The parts of a label are apart by a dash: a dot beside Arabic digits reads as a zero (٠).
    const when = (await page.textContent('.facts dd')) ?? '';
    expect(when).toContain(' – ');
    expect(when).not.toContain('·');
    const bookingId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
    await page.click('#submit');
    await page.waitForSelector('#state[data-state="awaiting_payment"]');
    await page.click('.pay button[data-method="card"]');
    await payOnGateway(page, SUCCESS_CARD);
    await page.waitForSelector('#state[data-state="confirmed"]');
    await page.waitForFunction(`document.querySelectorAll('.ticket svg.qr').length === 1`);
    expect(await page.textContent('.ticket-label')).toBe('التذكرة ١ من ١ – بالغ');
    expect(await englishWords(page)).toEqual([]);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
    await shoot(page, '16-tickets-ar-phone');

    // The refund before cancelling: SAR ends the sentence ("ر.س."), without a second full stop.
    await page.click('#cancel');
    await page.waitForSelector('#cancel-terms');
    expect(await page.textContent('#cancel-terms')).not.toContain('..');
    expect(await englishWords(page)).toEqual([]);
    await shoot(page, '17-cancel-terms-ar-phone');
    await page.click('#cancel-dialog button.quiet');

    await page.click('header a[href="/bookings"]');
    await page.waitForSelector(`.card[data-booking="${bookingId}"] .state[data-state="confirmed"]`);
    expect(await englishWords(page)).toEqual([]);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
    await shoot(page, '18-my-bookings-ar-phone');
    await page.click('header a[href="/account"]');
    await page.waitForSelector('input[name="sms"]');
    expect(await englishWords(page)).toEqual([]);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '19-account-ar-phone');

    // The provider's return page knows nobody's language (no session there): both, the browser's first.
    const returned = await (await page.request.get(`${env.url}/pay/return?booking=${encodeURIComponent(bookingId)}`, { headers: { 'accept-language': 'ar-SA,ar;q=0.9' } })).text();
    expect(returned).toContain('<html lang="ar" dir="rtl">');
    expect(returned).toMatch(/<section lang="ar" dir="rtl">.*افتح حجزك.*<section lang="en" dir="ltr">.*Open your booking/s);
    const shown = await page.context().newPage();
    await shown.setContent(returned.replace(/<meta http-equiv="refresh"[^>]*>/, ''));
    expect(await accessibilityProblems(shown)).toEqual([]);
    await shoot(shown, '20-payment-return-ar-phone');
    await shown.close();

    // A push as the hub sends it (docs/protocol.md) reaches the service worker, which shows it right to left.
    const devtools = await page.context().newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
    devtools.on('ServiceWorker.workerRegistrationUpdated', (event) => registrations.push(...event.registrations));
    await devtools.send('ServiceWorker.enable');
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await expect.poll(() => registrations.find((r) => !r.isDeleted && r.scopeURL === `${env.url}/`)).toBeDefined();
    const registration = registrations.find((r) => !r.isDeleted && r.scopeURL === `${env.url}/`);
    const url = `${env.url}/bookings/${bookingId}/tickets`;
    const message = { title: 'تم تأكيد حجزك', body: `تم تأكيد الحجز \u2068${bookingId}\u2069.`, url, tag: `booking-${bookingId}`, lang: 'ar' };
    await devtools.send('ServiceWorker.deliverPushMessage', { origin: env.url, registrationId: registration?.registrationId ?? '', data: JSON.stringify(message) });
    const notifications = `navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((all) => all.map((n) => ({ title: n.title, body: n.body, lang: n.lang, dir: n.dir, url: n.data.url })))`;
    await expect.poll(() => page.evaluate(notifications)).toEqual([{ title: message.title, body: message.body, lang: 'ar', dir: 'rtl', url }]);
    expect(problems).toEqual([]);
  }, JOURNEY_MS);

  it('books with the keyboard alone: days and times are radio groups, quantities are buttons (phone)', async () => {
    const problems: string[] = [];
    const page = await openPage(PHONE, problems);
    await page.goto(`${env.url}/activities/kids-splash`);
    // Today's times are loaded (none are left once the day's last slot has started).
    await page.waitForSelector('.slots[data-day]');
    // Into the day group from the back link, then the arrow key moves the choice to tomorrow.
    await page.focus('#back');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(`document.activeElement?.getAttribute('name')`)).toBe('day');
    await page.keyboard.press('ArrowRight');
    expect(await page.isChecked('.days label:nth-of-type(2) input')).toBe(true);
    // On to the first bookable time of that day, chosen with the space bar.
    const tomorrow = await page.inputValue('.days label:nth-of-type(2) input');
    await page.waitForSelector(`.slots[data-day="${tomorrow}"] .slot input:not(:disabled)`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(`document.activeElement?.getAttribute('name')`)).toBe('slot');
    await page.keyboard.press('Space');
    await page.waitForSelector('.slot.chosen');
    // One child ticket: Tab past the disabled "fewer" button and the number to "one more", then Enter.
    const more = 'button[aria-label="One more Child (2–11)"]';
    for (let i = 0; i < 6 && !(await page.evaluate(`document.activeElement?.matches(${JSON.stringify(more)}) === true`)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#quote-total');
    expect(await page.inputValue('#qty-kids-splash-child')).toBe('1');
    await shoot(page, '13-keyboard-booking-phone');
    expect(problems).toEqual([]);
  }, JOURNEY_MS);
});
