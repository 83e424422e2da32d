/**
 * The admin console (clients/web, /admin) in Debian's Chromium against a real hub process with its
 * SQLite store and a real SMTP inbox. Staff are people who signed up and were given a role by the
 * demo super admin; each signs in at /admin with the code emailed to them, as a person does.
 *
 *   booking admin: sees the sections the policy gives the role (no money, no staff), approves a
 *     family pass from the review queue, and the visitor's booking page moves on without a reload
 *   super admin, Arabic (right to left): the dashboard opens on the zone's people inside (one
 *     admitted before), then a gate admits another and the zone's count follows live
 *   finance admin: refunds part of a booking from its detail page, then exports the day's CSV from
 *     the daily report; the CSV's totals equal those of GET /api/admin/transactions
 *   support admin: the booking's detail and history show, the refund form does not, and the hub
 *     refuses the refund anyway
 *   booking admin: moves a held booking to another time and adds a person; the places left of both
 *     slots follow, and the booking's total is the catalog's price of the new party
 *   booking admin, a paid booking: moves it to another time with one person fewer, seeing the refund
 *     before confirming; the refund is in the transaction log, the history says who and how much, and
 *     the visitor's open page shows the new tickets without a reload. Then, in Arabic, adds the
 *     person back for the difference: the visitor's page offers it, the visitor pays it on the
 *     provider's page, and the change applies with its places and tickets
 *
 * Every page checked is run through axe-core; screenshots go to the folder printed at the start.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, accessibilityProblems, launchChromium, signInToConsole } from './staff-pages.test-support.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectGate, scanOn } from '../clients/devices/gate-simulator.js';
import { buyTickets, issueDevice, openActivityNow, pollUntil } from '../clients/devices/visitor-flow.js';
import type { PaidTicket } from '../clients/devices/visitor-flow.js';
import { connectHub, unwrap } from '../clients/sdk/index.js';
import type { HubClient, SignedIn, Transaction } from '../clients/sdk/index.js';
import { dayStart, nextDay } from '../clients/web/src/admin/ledger.js';
import { ensureWebBuilt } from '../clients/web/build.js';
import { signUpVisitor } from '../load-tests/harness/index.js';
import type { PersonRole } from '../machines/contract/wire.js';
import type { JourneyHub } from './journey.test-support.js';
import { decodeQrPng, startJourneyHub, venueDate, watchBooking } from './journey.test-support.js';

const SHOTS = join(tmpdir(), 'venue-hub-admin-console');
const DESKTOP = { width: 1280, height: 900 };
/** A whole scenario in a browser; generous because the machine is shared, never a speed check. */
const SCENARIO_MS = 180_000;

describe('the admin console', () => {
  let env: JourneyHub;
  let browser: Browser;
  const clients: HubClient[] = [];
  const contexts: BrowserContext[] = [];
  const closers: Array<() => void> = [];
  const run = randomUUID().slice(0, 6);
  /** A paid booking today (or tomorrow just before midnight) in a zone of its own, made by the dashboard test. */
  let paid: { visitor: SignedIn; tickets: PaidTicket[]; zone: string; bookingId: string } | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    await ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    console.log(`admin console screenshots: ${SHOTS}`);
    env = await startJourneyHub({ OTP_RESEND_SECONDS: '1' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const close of closers) close();
    for (const client of clients) client.close();
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await env?.stop();
  });

  async function openPage(problems: string[], options: { acceptDownloads?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'en-GB', acceptDownloads: options.acceptDownloads ?? false });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 500) problems.push(`${response.status()} ${response.url()}`);
    });
    return page;
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  /** A person who signed up and was given `role` by the demo super admin. */
  async function staffMember(role: PersonRole, name: string): Promise<{ email: string; userId: string }> {
    const email = `${role.replace('_', '-')}-${randomUUID().slice(0, 6)}-${run}@example.com`;
    const signedIn = await signUpVisitor(env.api, env.inbox, email, name);
    unwrap(await env.api.setRole(signedIn.account.userId, role, env.adminToken));
    return { email, userId: signedIn.account.userId };
  }

  const signInAt = (page: Page, email: string) => signInToConsole(page, env.url, env.inbox, email);

  async function accessTokenOf(page: Page): Promise<string> {
    const token = (await page.evaluate(`localStorage.getItem('vh.access')`)) as string | null;
    if (token === null) throw new Error('the page kept no session');
    return token;
  }

  /** The ids of the sections the navigation shows. */
  async function sectionsShown(page: Page): Promise<string[]> {
    return page.$$eval('header nav a', (links) => links.map((a) => a.id.replace(/^nav-/, '')));
  }

  it('a booking admin sees only their sections and approves from the queue; the visitor’s page follows without a reload', async () => {
    const problems: string[] = [];
    // The visitor's family pass goes under review.
    const visitor = await signUpVisitor(env.api, env.inbox, `family-${run}@example.com`, 'Huda Family');
    const slot = unwrap(await env.api.slots('wave-pool', venueDate(2))).slots.find((s) => s.bookable && s.remaining >= 4);
    if (!slot) throw new Error('no bookable wave-pool slot in two days');
    const visitorHub = connectHub({ url: env.url, token: visitor.accessToken });
    clients.push(visitorHub);
    const bookingId = `bk-review-${run}`;
    unwrap(await visitorHub.hold({ bookingId, slotId: slot.slotId, items: [{ ticketTypeId: 'wave-pool-family', qty: 1 }] }));
    const watch = await watchBooking(visitorHub, bookingId);
    unwrap(await visitorHub.command('booking', bookingId, { type: 'booking.submit' }));
    await watch.reach('under_review');

    // The visitor watches their booking page in a browser of their own, signed in on it.
    const visitorPage = await openPage(problems);
    await visitorPage.addInitScript(
      `localStorage.setItem('vh.access', ${JSON.stringify(visitor.accessToken)}); localStorage.setItem('vh.accessExpiresAt', '${visitor.accessExpiresAt}'); localStorage.setItem('vh.refresh', ${JSON.stringify(visitor.refreshToken)});`,
    );
    await visitorPage.goto(`${env.url}/bookings/${bookingId}`);
    await visitorPage.waitForSelector('#state[data-state="under_review"]');

    const admin = await staffMember('booking_admin', 'Badr Bookings');
    const page = await openPage(problems);
    await page.goto(`${env.url}/admin`);
    await page.waitForSelector('#admin-sign-in');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '01-sign-in-en');
    await signInAt(page, admin.email);
    expect(await page.getAttribute('#who', 'data-role')).toBe('booking_admin');
    // The policy table's choice for the role: reviews and bookings, no money, audit, staff or devices.
    expect(await sectionsShown(page)).toEqual(['dashboard', 'reviews', 'bookings']);

    await page.click('#nav-reviews');
    const card = page.locator(`.review[data-booking="${bookingId}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('Huda Family');
    expect(await card.textContent()).toContain('needs approval');
    await card.locator('.capacity[data-remaining]:not([data-remaining=""])').waitFor();
    expect(Number(await card.locator('.capacity').getAttribute('data-remaining'))).toBeLessThanOrEqual(slot.remaining);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '02-review-queue-en');

    await card.locator('button.approve').click();
    await card.waitFor({ state: 'detached' });
    await page.waitForSelector('#review-notice:has-text("Approved")');
    // The visitor's page, never reloaded, shows the approval.
    await visitorPage.waitForSelector('#state[data-state="awaiting_payment"]');
    await shoot(visitorPage, '03-visitor-approved-live');
    await watch.reach('awaiting_payment');

    // The history says why: who approved it and when.
    await page.goto(`${env.url}/admin/bookings/${bookingId}`);
    await page.waitForSelector('#booking-history tr[data-event="booking.approve"]');
    expect(await page.textContent('#booking-history tr[data-event="booking.approve"]')).toContain(`user:${admin.userId}`);
    expect(await page.$('.refund-form')).toBeNull();
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '04-booking-history-en');

    // A section the role may not see does not open by its address either.
    await page.goto(`${env.url}/admin/report`);
    await page.waitForURL(/\/admin\/dashboard$/);
    expect(problems).toEqual([]);
  }, SCENARIO_MS);

  it('the dashboard opens on the current numbers and its occupancy follows a gate admitting (Arabic, right to left)', async () => {
    const problems: string[] = [];
    const zone = `adm-${run}`;
    const activity = await openActivityNow({ url: env.url, adminToken: env.adminToken, activityId: `adm-${run}`, zone, capacity: 40 });
    const visitor = await signUpVisitor(env.api, env.inbox, `floor-${run}@example.com`, 'Faisal Floor');
    const bookingId = `bk-floor-${run}`;
    const tickets = await buyTickets({ url: env.url, visitorToken: visitor.accessToken, bookingId, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 3 });
    paid = { visitor, tickets, zone, bookingId };
    const device = await issueDevice(env.url, env.adminToken, { deviceId: `adm-gate-${run}`, deviceKind: 'gate', scope: { zone, gateId: `adm-gate-${run}` } });
    const gate = await connectGate(env.url, device.token);
    closers.push(() => gate.close());
    // One person is inside before the dashboard opens.
    const first = unwrap(await scanOn(gate, tickets[0]?.token ?? '', 'entry'));
    expect(first.verdict).toBe('admitted');

    const admin = await staffMember('super_admin', 'Sami Super');
    const page = await openPage(problems);
    await signInAt(page, admin.email);
    await page.click('button.lang');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.click('#nav-dashboard');
    const zoneCard = page.locator(`.zone[data-zone="${zone}"]`);
    await zoneCard.waitFor();
    // Loaded, not streamed: the person admitted before the page opened is counted.
    expect(await zoneCard.getAttribute('data-inside')).toBe('1');
    expect(await page.getAttribute('#count-reviews', 'data-value')).not.toBeNull();
    await page.waitForSelector('#revenue');
    expect(Number(await page.getAttribute('#revenue', 'data-gross'))).toBeGreaterThan(0);
    expect(await page.textContent('h1')).toBe('لوحة المتابعة المباشرة');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '05-dashboard-ar-before');

    // The gate admits two more: the dashboard follows without a reload.
    expect(unwrap(await scanOn(gate, tickets[1]?.token ?? '', 'entry')).verdict).toBe('admitted');
    expect(unwrap(await scanOn(gate, tickets[2]?.token ?? '', 'entry')).verdict).toBe('admitted');
    await page.waitForSelector(`.zone[data-zone="${zone}"][data-inside="3"]`);
    await shoot(page, '06-dashboard-ar-after');
    expect(problems).toEqual([]);
  }, SCENARIO_MS);

  it('a finance admin refunds from a booking and exports the day’s CSV, whose totals equal the transaction log’s', async () => {
    if (!paid) throw new Error('the dashboard test makes the paid booking this one refunds');
    const problems: string[] = [];
    const finance = await staffMember('finance_admin', 'Fatima Finance');
    const page = await openPage(problems, { acceptDownloads: true });
    await signInAt(page, finance.email);
    expect(await sectionsShown(page)).toEqual(['dashboard', 'bookings', 'transactions', 'report', 'audit']);

    // A partial refund from the booking's page (10.00 SAR).
    await page.goto(`${env.url}/admin/bookings/${paid.bookingId}`);
    const form = page.locator('.refund-form').first();
    await form.waitFor();
    await form.locator('input').fill('10.00');
    await form.locator('button.refund').click();
    await form.locator('[role="status"]').waitFor();
    const token = await accessTokenOf(page);
    await pollUntil('the refund done', async () => unwrap(await env.api.transactions({ bookingId: paid?.bookingId ?? '' }, token)).some((t) => t.movement === 'refund.succeeded'), 20_000, 100);

    await page.click('#nav-report');
    await page.waitForSelector('#report-totals');
    const day = await page.inputValue('#report-day');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '07-daily-report-en');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const file = await download.path();
    const csv = readFileSync(file, 'utf8');
    const totalsLine = csv.split('\r\n').find((line) => line.startsWith(`day ${day},all,`));
    if (totalsLine === undefined) throw new Error(`no totals line in the CSV:\n${csv}`);
    const [, , gross, refunds, net] = totalsLine.split(',');

    // The same day straight from the API.
    const from = dayStart(day, 'Asia/Riyadh');
    const to = dayStart(nextDay(day), 'Asia/Riyadh');
    const rows: Transaction[] = unwrap(await env.api.transactions({ since: from, limit: 500 }, token)).filter((t) => t.at < to);
    const sum = (movements: readonly string[]) => rows.filter((t) => movements.includes(t.movement)).reduce((total, t) => total + t.amount, 0);
    const apiGross = sum(['payment.captured']);
    const apiRefunds = sum(['refund.succeeded', 'refund.external']);
    expect(apiRefunds).toBeGreaterThanOrEqual(1_000);
    expect({ gross, refunds, net }).toEqual({ gross: (apiGross / 100).toFixed(2), refunds: (apiRefunds / 100).toFixed(2), net: ((apiGross - apiRefunds) / 100).toFixed(2) });
    // One line per movement of the day.
    expect(csv.split('\r\n').filter((line) => /^txn/.test(line) === false && line.split(',').length === 13 && line !== '').length).toBe(rows.length);
    expect(problems).toEqual([]);
  }, SCENARIO_MS);

  it('a support admin does not see the refund form and the hub refuses the refund anyway', async () => {
    if (!paid) throw new Error('the dashboard test makes the paid booking');
    const problems: string[] = [];
    const support = await staffMember('support_admin', 'Salma Support');
    const page = await openPage(problems);
    await signInAt(page, support.email);
    expect(await sectionsShown(page)).toEqual(['dashboard', 'bookings', 'support']);
    await page.goto(`${env.url}/admin/bookings/${paid.bookingId}`);
    await page.waitForSelector('#booking-history tr');
    expect(await page.$('.refund-form')).toBeNull();
    expect(await page.$('button.refund')).toBeNull();
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '08-support-booking-en');

    const token = await accessTokenOf(page);
    const booking = unwrap(await env.api.booking(paid.bookingId, token));
    const paymentId = (booking.context as { payments: Array<{ paymentId: string; status: string }> }).payments.find((p) => p.status === 'captured')?.paymentId ?? '';
    const refused = await env.api.refund({ paymentId, amount: 100, requestId: `support-${run}` }, token);
    expect(refused.ok ? 'allowed' : refused.code).toBe('auth.forbidden');

    // Support tools: find the visitor by their address, see their booking, suspend them.
    await page.click('#nav-support');
    await page.fill('#find-visitor-address', `floor-${run}@example.com`);
    await page.click('#find-visitor button[type="submit"]');
    await page.waitForSelector(`#person[data-user="${paid.visitor.account.userId}"][data-status="active"]`);
    await page.waitForSelector(`#support a[href="/admin/bookings/${paid.bookingId}"]`);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '11-support-tools-en');
    await page.fill('#suspend-reason', 'chargeback under review');
    await page.click('#suspend');
    await page.waitForSelector('#person[data-status="suspended"]');
    const me = await env.api.me(paid.visitor.accessToken);
    expect(me.ok ? 'still signed in' : me.code).toMatch(/^auth\.|^account\./);
    expect(problems).toEqual([]);
  }, SCENARIO_MS);

  it('a booking admin moves a booking to another slot and changes its party; the capacity of both slots follows', async () => {
    const problems: string[] = [];
    const date = venueDate(3);
    const bookable = unwrap(await env.api.slots('wave-pool', date)).slots.filter((s) => s.bookable && s.remaining >= 5);
    const [from, to] = bookable;
    if (!from || !to) throw new Error(`fewer than two bookable wave-pool slots on ${date}`);
    const visitor = await signUpVisitor(env.api, env.inbox, `mover-${run}@example.com`, 'Maha Mover');
    const visitorHub = connectHub({ url: env.url, token: visitor.accessToken });
    clients.push(visitorHub);
    const bookingId = `bk-move-${run}`;
    unwrap(await visitorHub.hold({ bookingId, slotId: from.slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty: 2 }] }));
    const remaining = async (slotId: string) => unwrap(await env.api.slots('wave-pool', date)).slots.find((s) => s.slotId === slotId)?.remaining;
    const fromBefore = await remaining(from.slotId);
    const toBefore = await remaining(to.slotId);

    const admin = await staffMember('booking_admin', 'Bilal Bookings');
    const page = await openPage(problems);
    await signInAt(page, admin.email);
    await page.click('#nav-bookings');
    await page.fill('#booking-text', 'Maha');
    await page.click('#booking-search button[type="submit"]');
    await page.click(`.booking-row[data-booking="${bookingId}"] a`);
    await page.waitForSelector('#move-booking');
    await page.click(`#move-booking .slot[data-slot="${to.slotId}"]`);
    await page.fill('#move-qty-wave-pool-adult', '3');
    const quote = unwrap(await env.api.price({ slotId: to.slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty: 3 }] }));
    await page.waitForSelector(`#move-quote[data-total="${quote.total}"]`);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '09-move-booking-en');
    await page.click('#move-submit');
    await page.waitForSelector(`#booking-slot[data-slot="${to.slotId}"]`);
    await page.waitForSelector(`#booking-total[data-total="${quote.total}"]`);
    await page.waitForSelector('#booking-history tr[data-event="booking.change"]');
    await shoot(page, '10-moved-booking-en');

    // The old slot got its two places back, the new one gave three.
    expect(await remaining(from.slotId)).toBe((fromBefore ?? 0) + 2);
    expect(await remaining(to.slotId)).toBe((toBefore ?? 0) - 3);
    const booking = unwrap(await env.api.booking(bookingId, visitor.accessToken));
    expect(booking.context).toMatchObject({ slotId: to.slotId, quantity: 3, total: quote.total });
    expect(booking.state).toBe('held');
    expect(problems).toEqual([]);
  }, SCENARIO_MS);

  it('a booking admin changes a paid booking: the money shown before confirming, refunded or paid through the usual flow, and the visitor’s page follows live', async () => {
    const problems: string[] = [];
    const date = venueDate(4);
    const bookable = unwrap(await env.api.slots('wave-pool', date)).slots.filter((s) => s.bookable && s.remaining >= 6);
    const [from, to] = bookable;
    if (!from || !to) throw new Error(`fewer than two bookable wave-pool slots on ${date}`);
    const visitor = await signUpVisitor(env.api, env.inbox, `paid-mover-${run}@example.com`, 'Nora Paid');
    const bookingId = `bk-paidmove-${run}`;
    const bought = await buyTickets({ url: env.url, visitorToken: visitor.accessToken, bookingId, slotId: from.slotId, ticketTypeId: 'wave-pool-adult', qty: 3 });
    expect(bought.map((t) => t.ticketId)).toEqual([1, 2, 3].map((n) => `${bookingId}-t${n}`));
    const remaining = async (slotId: string) => unwrap(await env.api.slots('wave-pool', date)).slots.find((s) => s.slotId === slotId)?.remaining;
    const [fromBefore, toBefore] = [await remaining(from.slotId), await remaining(to.slotId)];
    const two = unwrap(await env.api.price({ slotId: to.slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty: 2 }] }));
    const three = unwrap(await env.api.price({ slotId: to.slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty: 3 }] }));
    const perPlace = three.total - two.total;

    // The visitor keeps their booking page open, signed in on it.
    const visitorPage = await openPage(problems);
    await visitorPage.addInitScript(
      `localStorage.setItem('vh.access', ${JSON.stringify(visitor.accessToken)}); localStorage.setItem('vh.accessExpiresAt', '${visitor.accessExpiresAt}'); localStorage.setItem('vh.refresh', ${JSON.stringify(visitor.refreshToken)});`,
    );
    await visitorPage.goto(`${env.url}/bookings/${bookingId}`);
    await visitorPage.waitForSelector(`.ticket[data-ticket-id="${bookingId}-t3"] svg`);

    const admin = await staffMember('booking_admin', 'Basma Bookings');
    const page = await openPage(problems);
    await signInAt(page, admin.email);
    await page.goto(`${env.url}/admin/bookings/${bookingId}`);
    await page.waitForSelector('#move-booking[data-paid="true"]');
    await page.click(`#move-booking .slot[data-slot="${to.slotId}"]`);
    await page.fill('#move-qty-wave-pool-adult', '2');
    // Before confirming: the price difference and what happens to the money.
    await page.waitForSelector(`#move-money[data-difference="${-perPlace}"]`);
    const money = (await page.textContent('#move-money')) ?? '';
    expect(money).toContain('Cheaper by');
    expect(money).toContain('transaction log');
    expect(money).toContain('tickets are reissued');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '14-move-paid-refund-en');
    await page.click('#move-submit');
    await page.waitForSelector(`#booking-slot[data-slot="${to.slotId}"]`);
    await page.waitForSelector('#booking-history tr[data-event="booking.change"][data-settlement="refunded"]');
    const row = (await page.textContent('#booking-history tr[data-event="booking.change"]')) ?? '';
    expect(row).toContain(`user:${admin.userId}`);
    expect(row).toContain('3 → 2 people');
    expect(row).toContain('refunded');
    await shoot(page, '15-moved-paid-history-en');

    // The visitor's page, never reloaded, shows the new slot's tickets; the old ones are gone.
    await visitorPage.waitForSelector(`.ticket[data-ticket-id="${bookingId}-t5"] svg`);
    expect(await visitorPage.$$eval('.ticket', (cards) => cards.map((c) => c.getAttribute('data-ticket-id')))).toEqual([`${bookingId}-t4`, `${bookingId}-t5`]);
    await shoot(visitorPage, '16-visitor-changed-live');
    // Both slots' places followed; the refund is in the transaction log, for the admin who made the change.
    expect(await remaining(from.slotId)).toBe((fromBefore ?? 0) + 3);
    expect(await remaining(to.slotId)).toBe((toBefore ?? 0) - 2);
    await pollUntil(
      'the change refund in the transaction log',
      async () => unwrap(await env.api.transactions({ bookingId }, env.adminToken)).some((t) => t.movement === 'refund.succeeded' && t.reason === 'change' && t.amount === perPlace && t.by === `user:${admin.userId}`),
      20_000,
      100,
    );

    // In Arabic: the person comes back, for the difference the visitor pays first.
    await page.click('button.lang');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.waitForSelector('#move-booking[data-paid="true"]');
    // The party's fields are named as the catalog names the ticket types in Arabic.
    expect((await page.textContent('label[for="move-qty-wave-pool-adult"]'))?.trim()).toBe('بالغ');
    await page.fill('#move-qty-wave-pool-adult', '3');
    await page.waitForSelector(`#move-money[data-difference="${perPlace}"]`);
    expect(await page.isChecked('#move-collect')).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '17-move-paid-collect-ar');
    await page.click('#move-submit');
    await page.waitForSelector(`#move-pending[data-due="${perPlace}"]`);
    await shoot(page, '18-move-pending-ar');

    // The visitor's page offers it with the pay buttons; the visitor pays on the provider's page.
    await visitorPage.waitForSelector(`#change-due[data-due="${perPlace}"]`);
    await shoot(visitorPage, '19-visitor-change-due');
    await visitorPage.click('#change-due button[data-method="card"]');
    await visitorPage.waitForURL(/\/pay\/simulated\//);
    await visitorPage.check('input[name="method"][value="card"]');
    await visitorPage.fill('input[name="card_number"]', '4111111111111111');
    await visitorPage.click('button[type="submit"]');
    await visitorPage.waitForURL(/\/pay\/return/);
    await visitorPage.goto(`${env.url}/bookings/${bookingId}`);
    await visitorPage.waitForSelector(`.ticket[data-ticket-id="${bookingId}-t8"] svg`);
    expect(await visitorPage.$('#change-due')).toBeNull();

    // The console follows: the change was paid, its places are the booking's.
    await page.waitForSelector('#booking-history tr[data-event="payment.captured"][data-settlement="paid"]');
    await page.waitForSelector('#move-booking[data-paid="true"]');
    await shoot(page, '20-moved-paid-history-ar');
    expect(await remaining(to.slotId)).toBe((toBefore ?? 0) - 3);
    const booking = unwrap(await env.api.booking(bookingId, visitor.accessToken));
    expect(booking.context).toMatchObject({ slotId: to.slotId, quantity: 3, total: three.total, capturedAmount: three.total + perPlace });
    expect(problems).toEqual([]);
  }, SCENARIO_MS);

  it('a super admin mints a gate token shown as a QR a gate connects with, and finds it in the audit log', async () => {
    const problems: string[] = [];
    const admin = await staffMember('super_admin', 'Saud Super');
    const page = await openPage(problems);
    await signInAt(page, admin.email);
    expect(await sectionsShown(page)).toEqual(['dashboard', 'reviews', 'bookings', 'transactions', 'report', 'menu', 'audit', 'staff', 'devices', 'support']);
    await page.click('#nav-devices');
    const deviceId = `gate-qr-${run}`;
    await page.fill('#device-id', deviceId);
    await page.selectOption('#device-kind', 'gate');
    await page.fill('#device-zone', 'waterpark');
    await page.fill('#device-place', `north-${run}`);
    await page.click('#mint-device button[type="submit"]');
    await page.waitForSelector(`#minted[data-device="${deviceId}"] svg.qr`);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '12-device-minted-en');
    const token = decodeQrPng(await page.locator('#minted svg.qr').screenshot());
    // The token the QR carries opens a gate socket.
    const gate = await connectGate(env.url, token);
    closers.push(() => gate.close());
    expect(gate.connected).toBe(true);

    await page.click('#nav-audit');
    await page.waitForSelector('#audit-table tr[data-action="device.issue_token"]');
    expect(await page.textContent('#audit-table')).toContain(`device/${deviceId}`);
    await shoot(page, '13-audit-en');
    expect(problems).toEqual([]);
  }, SCENARIO_MS);
});
