/**
 * The locker counter (/locker) and the rental desk (/desk) in Debian's Chromium against a real hub
 * process, run by a support admin who signs in with the emailed code, a band reader being the
 * keyboard:
 *
 *   band A tapped (large, waterpark) ─▶ a free locker claimed for band A's booking
 *   "open for a band" on that locker, band B tapped ─▶ refused: not this band's locker
 *   "open for a band", band A tapped ─▶ opened
 *   manual assignment of another locker to band B ─▶ listed with band B, then released
 *   another desk assigns a locker (HTTP) ─▶ listed here without a reload (the lockers feed)
 *   the counter's connection drops; meanwhile that locker is freed and another assigned ─▶ back
 *     online, the SDK asks again from its cursor and the list is what is true now
 *   Arabic: right to left, axe-clean
 *   rental desk: band A takes a tube (listed as out), it comes back damaged (the item goes to
 *     maintenance, the list empties); another desk hands one out (listed live, the count moves);
 *     offline, it comes back and band A takes another ─▶ back online, the list and the count are
 *     current; Arabic, axe-clean
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTickets, openActivityNow } from '../clients/devices/visitor-flow.js';
import { connectHub, unwrap } from '../clients/sdk/index.js';
import type { HubClient } from '../clients/sdk/index.js';
import { ensureWebBuilt } from '../clients/web/build.js';
import { otpCodeOf, signUpVisitor } from '../load-tests/harness/index.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub } from './journey.test-support.js';
import { CHROMIUM, accessibilityProblems, launchChromium, middayTimeZone, openStaffPage, shoot } from './staff-pages.test-support.js';

const SHOTS = join(tmpdir(), 'venue-hub-front-desk-pages');
const TABLET = { width: 1024, height: 768 };
const JOURNEY_MS = 240_000;
const BAND_A = 'BAND-A-0001';
const BAND_B = 'BAND-B-0002';

describe('the front-desk pages', () => {
  let env: JourneyHub;
  let browser: Browser;
  let admin: HubClient;
  let staffEmail: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    await ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    console.log(`front-desk page screenshots: ${SHOTS}`);
    // OTP_RESEND_SECONDS: the sign-in code may follow the sign-up's soon after.
    env = await startJourneyHub({ VENUE_TIME_ZONE: middayTimeZone(), OTP_RESEND_SECONDS: '1' });
    const visitorToken = env.node.visitorToken;
    if (visitorToken === undefined) throw new Error('the node printed no demo visitor token');
    // Two visits that admit, one band each (linked at the front desk by ticket id).
    const activity = await openActivityNow({ url: env.url, adminToken: env.adminToken, activityId: 'locker-page-pool', zone: 'waterpark' });
    const [a] = await buyTickets({ url: env.url, visitorToken, bookingId: 'bk-locker-a', slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 1 });
    const [b] = await buyTickets({ url: env.url, visitorToken, bookingId: 'bk-locker-b', slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 1 });
    admin = connectHub({ url: env.url, token: env.adminToken });
    unwrap(await admin.call('band:link', { band: BAND_A, ticketId: a!.ticketId }));
    unwrap(await admin.call('band:link', { band: BAND_B, ticketId: b!.ticketId }));
    // A front-desk colleague: signed up, then given the support role by the super admin.
    staffEmail = `desk-${randomUUID().slice(0, 8)}@example.com`;
    const staff = await signUpVisitor(env.api, env.inbox, staffEmail, 'Layla Desk');
    unwrap(await env.api.setRole(staff.account.userId, 'support_admin', env.adminToken));
    browser = await launchChromium();
  }, JOURNEY_MS);
  afterAll(async () => {
    admin?.close();
    await browser?.close();
    await env?.stop();
  });

  it(
    'opens a locker for the band it is assigned to only, claims and assigns lockers; hands out and takes back rentals',
    async () => {
      const problems: string[] = [];
      const { context, page } = await openStaffPage(browser, TABLET, problems);

      await page.goto(`${env.url}/locker`);
      await page.fill('#email', staffEmail);
      const asked = Date.now();
      await page.click('#sign-in-form button[type="submit"]');
      await page.waitForSelector('#code-form').catch(async (error: unknown) => {
        await shoot(page, SHOTS, '00-sign-in-failed');
        throw error;
      });
      await page.fill('#code', otpCodeOf(await env.inbox.waitFor(staffEmail, (m) => m.receivedAt >= asked)));
      await page.click('#code-form button[type="submit"]');
      await page.waitForSelector('#locker-reader');
      await page.waitForSelector('#locker-zone option:text-is("waterpark")', { state: 'attached' });
      expect(await accessibilityProblems(page)).toEqual([]);
      await shoot(page, SHOTS, '01-counter-en');

      // Band A on the reader: a free large locker in the water park is claimed for it.
      await page.check('input[name="size"][value="large"]');
      await page.selectOption('#locker-zone', 'waterpark');
      await page.focus('#locker-reader');
      await page.keyboard.type(BAND_A);
      await page.keyboard.press('Enter');
      const claimed = page.locator('[data-outcome="good"]');
      await claimed.waitFor();
      const lockerId = await claimed.getAttribute('data-locker');
      expect(lockerId).toMatch(/^L-0(4[1-9]|50)$/);
      expect(await claimed.innerText()).toBe(`Locker ${lockerId} assigned to band ${BAND_A}`);
      const row = page.locator(`tr[data-locker="${lockerId}"]`);
      await row.waitFor();
      expect(await row.innerText()).toContain(BAND_A);

      // Band B asked to open it: refused.
      await row.locator('button', { hasText: 'Open for a band' }).click();
      await page.waitForSelector(`[data-open-for="${lockerId}"]`);
      await page.keyboard.type(BAND_B);
      await page.keyboard.press('Enter');
      const refused = page.locator(`[data-outcome="bad"][data-locker="${lockerId}"]`);
      await refused.waitFor();
      expect(await refused.innerText()).toBe('Refused: This band does not open this locker.');
      await shoot(page, SHOTS, '02-wrong-band-refused');

      // Band A opens it.
      await row.locator('button', { hasText: 'Open for a band' }).click();
      await page.waitForSelector(`[data-open-for="${lockerId}"]`);
      await page.keyboard.type(BAND_A);
      await page.keyboard.press('Enter');
      const opened = page.locator(`[data-outcome="good"][data-locker="${lockerId}"]`, { hasText: 'opened' });
      await opened.waitFor();
      expect(await opened.innerText()).toBe(`Locker ${lockerId} opened`);
      await shoot(page, SHOTS, '03-right-band-opened');

      // By hand: another locker to band B, then freed again.
      await page.fill('#assign-locker', 'L-002');
      await page.fill('#assign-band', BAND_B);
      await page.click('#locker-assign button[type="submit"]');
      await page.locator('[data-outcome="good"][data-locker="L-002"]').waitFor();
      const manual = page.locator('tr[data-locker="L-002"]');
      await manual.waitFor();
      expect(await manual.innerText()).toContain(BAND_B);
      const lockers = unwrap(await env.api.list('lockers', { limit: 500 }, env.adminToken)).rows;
      expect(lockers.find((l) => l.id === 'L-002')).toMatchObject({ state: 'assigned', context: { bandUid: BAND_B } });
      await shoot(page, SHOTS, '04-assigned-by-hand');
      await manual.locator('button', { hasText: 'Release' }).click();
      await page.locator('[data-outcome="good"][data-locker="L-002"]', { hasText: 'free' }).waitFor();
      await page.waitForSelector('tr[data-locker="L-002"]', { state: 'detached' });
      expect(await accessibilityProblems(page)).toEqual([]);

      // Another desk assigns a locker over HTTP: it is listed here without a reload.
      const assignElsewhere = (locker: string) => env.api.request('POST', `/api/admin/lockers/${locker}/assign`, { body: { band: BAND_B }, token: env.adminToken });
      unwrap(await assignElsewhere('L-003'));
      const elsewhere = page.locator('tr[data-locker="L-003"]');
      await elsewhere.waitFor();
      expect(await elsewhere.innerText()).toContain(BAND_B);
      await shoot(page, SHOTS, '05-assigned-at-another-desk');

      // The counter's connection drops; meanwhile L-003 is freed and L-004 assigned elsewhere.
      await page.waitForSelector('[data-link="online"]');
      await context.setOffline(true);
      await page.waitForSelector('[data-link="connecting"]');
      unwrap(await env.api.request('POST', '/api/admin/lockers/L-003/release', { token: env.adminToken }));
      unwrap(await assignElsewhere('L-004'));
      expect(await page.locator('tr[data-locker="L-003"]').count()).toBe(1);
      await shoot(page, SHOTS, '06-counter-offline');
      // Back: the list is what is true now, without a reload.
      await context.setOffline(false);
      await page.waitForSelector('[data-link="online"]');
      await page.waitForSelector('tr[data-locker="L-003"]', { state: 'detached' });
      const caughtUp = page.locator('tr[data-locker="L-004"]');
      await caughtUp.waitFor();
      expect(await caughtUp.innerText()).toContain(BAND_B);
      const inUse = unwrap(await env.api.list('lockers', { state: 'assigned', limit: 500 }, env.adminToken)).rows;
      expect(await page.locator('table.lockers tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-locker')))).toEqual(inUse.map((l) => l.id).sort());
      await shoot(page, SHOTS, '07-counter-back-online');

      // Arabic, right to left.
      await page.click('button.lang');
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.textContent('h1')).toBe('الخزائن');
      expect(await page.locator('[data-outcome="good"]').innerText()).toBe('أصبحت الخزانة L-002 شاغرة');
      expect(await accessibilityProblems(page)).toEqual([]);
      await shoot(page, SHOTS, '08-counter-ar');

      // The rental desk, same session: band A takes a tube.
      await page.click('button.lang');
      await page.goto(`${env.url}/desk`);
      await page.waitForSelector('#desk-band');
      await page.waitForSelector('.levels [data-type="tube-rental"]');
      await page.selectOption('#desk-type', 'tube-rental');
      await page.focus('#desk-band');
      await page.keyboard.type(BAND_A);
      await page.keyboard.press('Enter');
      const handedOut = page.locator('[data-outcome="good"]');
      await handedOut.waitFor();
      const itemId = await handedOut.getAttribute('data-item');
      expect(itemId).toMatch(/^TUBE-\d{3}$/);
      expect(await handedOut.innerText()).toContain(`${itemId} handed out to band ${BAND_A}, due back `);
      await page.locator(`#out-items tr[data-item="${itemId}"]`).waitFor();
      expect(await page.locator(`#out-items tr[data-item="${itemId}"]`).innerText()).toContain(BAND_A);
      expect(await accessibilityProblems(page)).toEqual([]);
      await shoot(page, SHOTS, '09-desk-handed-out');

      // It comes back damaged: to maintenance.
      await page.locator(`#out-items tr[data-item="${itemId}"] button`).click();
      expect(await page.inputValue('#return-item')).toBe(itemId);
      await page.check('input[name="condition"][value="damaged"]');
      await page.fill('#return-note', 'torn valve');
      await page.click('#desk-return button[type="submit"]');
      await page.locator(`[data-outcome="good"][data-item="${itemId}"]`, { hasText: 'returned' }).waitFor();
      expect(await page.locator('[data-outcome="good"]').innerText()).toBe(`${itemId} returned (Damaged)`);
      await page.waitForSelector(`#out-items tr[data-item="${itemId}"]`, { state: 'detached' });
      const item = unwrap(await admin.call('actor:subscribe', { kind: 'equipment', id: itemId ?? '' }));
      expect(item).toMatchObject({ state: 'maintenance', context: { condition: 'damaged', note: 'torn valve' } });
      await shoot(page, SHOTS, '10-desk-returned-damaged');

      // Another desk hands a tube to band B: listed here without a reload, and the count moves.
      const tubes = async () => unwrap(await admin.call('equipment:subscribe', { typeIds: ['tube-rental'] })).levels[0]?.available;
      const atOtherDesk = unwrap(await admin.pickUpRental({ band: BAND_B, typeId: 'tube-rental', nonce: `other-desk-${randomUUID()}` }));
      const otherRow = page.locator(`#out-items tr[data-item="${atOtherDesk.id}"]`);
      await otherRow.waitFor();
      expect(await otherRow.innerText()).toContain(BAND_B);
      await page.waitForSelector(`.levels [data-type="tube-rental"][data-available="${String(await tubes())}"]`);
      await shoot(page, SHOTS, '11-desk-handed-out-elsewhere');

      // Offline: band A takes another tube at the other desk, and band B's comes back there.
      await page.waitForSelector('[data-link="online"]');
      await context.setOffline(true);
      await page.waitForSelector('[data-link="connecting"]');
      const second = unwrap(await admin.pickUpRental({ band: BAND_A, typeId: 'tube-rental', nonce: `other-desk-${randomUUID()}` }));
      unwrap(await admin.returnRental({ itemId: atOtherDesk.id, condition: 'ok' }));
      expect(await page.locator(`#out-items tr[data-item="${atOtherDesk.id}"]`).count()).toBe(1);
      await context.setOffline(false);
      await page.waitForSelector('[data-link="online"]');
      await page.waitForSelector(`#out-items tr[data-item="${atOtherDesk.id}"]`, { state: 'detached' });
      await page.locator(`#out-items tr[data-item="${second.id}"]`).waitFor();
      expect(await page.locator('#out-items tbody tr').count()).toBe(1);
      await page.waitForSelector(`.levels [data-type="tube-rental"][data-available="${String(await tubes())}"]`);
      await shoot(page, SHOTS, '12-desk-back-online');

      await page.click('button.lang');
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.textContent('h1')).toBe('مكتب التأجير');
      expect(await page.locator('[data-outcome="good"]').innerText()).toBe(`أُعيدت ${itemId} (تالفة)`);
      expect(await accessibilityProblems(page)).toEqual([]);
      await shoot(page, SHOTS, '13-desk-ar');

      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_MS,
  );
});
