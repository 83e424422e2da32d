/**
 * The links in messages open the visitor app, in a real headless Chromium against a real hub process:
 * a visitor opens the "pay" link from the approval email, signs in with a code from a real email,
 * pays on the hosted page and comes back to see one QR ticket per person.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub } from '../clients/sdk/index.js';
import { unwrap } from '../clients/sdk/hub-api.js';
import type { HubClient } from '../clients/sdk/hub-client.js';
import { ensureWebBuilt } from '../clients/web/build.js';
import { otpCodeOf, signUpVisitor } from '../load-tests/harness/index.js';
import type { JourneyHub } from './journey.test-support.js';
import { SUCCESS_CARD, startJourneyHub, venueDate, watchBooking } from './journey.test-support.js';

const CHROMIUM = '/usr/bin/chromium';

describe('the booking page', () => {
  let env: JourneyHub;
  let browser: Browser;
  let visitor: HubClient;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    // The visitor signs up and then signs in on the page within seconds: allow a quick second code.
    await ensureWebBuilt();
    env = await startJourneyHub({ OTP_RESEND_SECONDS: '1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    visitor?.close();
    await browser?.close();
    await env?.stop();
  });

  it('signs in from the pay link, pays on the hosted page and shows a QR per person', async () => {
    const email = 'page@example.com';
    const signedIn = await signUpVisitor(env.api, env.inbox, email, 'Page Visitor');
    const slot = unwrap(await env.api.slots('wave-pool', venueDate(1))).slots.find((s) => s.bookable && s.remaining >= 2);
    if (!slot) throw new Error('no bookable wave-pool slot tomorrow');
    visitor = connectHub({ url: env.url, token: signedIn.accessToken });
    await visitor.ready;
    const bookingId = `page-${randomUUID().slice(0, 8)}`;
    unwrap(await visitor.hold({ bookingId, slotId: slot.slotId, items: [{ ticketTypeId: 'wave-pool-adult', qty: 2 }] }));
    const watch = await watchBooking(visitor, bookingId);
    unwrap(await visitor.command('booking', bookingId, { type: 'booking.submit' }));
    await watch.reach('awaiting_payment');

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()} ${response.url()}`);
    });
    page.setDefaultTimeout(10_000);
    await page.goto(`${env.url}/bookings/${bookingId}/pay`);
    // Signed out: the page offers to sign in (a returning visitor) with a code sent to the address.
    expect(await page.isChecked('input[name="mode"][value="returning"]')).toBe(true);
    await page.fill('#email', email);
    // The sign-up code went to this address a moment ago; the page says when to ask again, and
    // the visitor asks again (OTP_RESEND_SECONDS=1 here).
    let asked = 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      asked = Date.now();
      await page.click('#sign-in-form button[type="submit"]');
      await page.waitForSelector('#code-form, #sign-in-form [role="alert"]');
      if (await page.isVisible('#code-form')) break;
      await page.waitForFunction(`Date.now() > ${asked + 1_100}`);
    }
    await page.waitForSelector('#code-form').catch(async (error: unknown) => {
      throw new Error(`no code form: ${await page.textContent('main')} ${problems.join('; ')} ${String(error)}`);
    });
    const code = otpCodeOf(await env.inbox.waitFor(email, (m) => m.receivedAt >= asked, 15_000));
    await page.fill('#code', code);
    await page.click('#code-form button[type="submit"]');
    await page.waitForSelector('#state[data-state="awaiting_payment"]');
    expect(await page.textContent('#countdown')).toMatch(/Pay within 1[45]:\d{2}/); // the payment deadline counts down

    await page.click('.pay button[data-method="card"]');
    await page.waitForURL(/\/pay\/simulated\//);
    await page.check('input[name="method"][value="card"]');
    await page.fill('input[name="card_number"]', SUCCESS_CARD);
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/pay\/return/);
    await watch.reach('confirmed');

    await page.goto(`${env.url}/bookings/${bookingId}/tickets`);
    await page.waitForSelector('#state[data-state="confirmed"]');
    await page.waitForFunction('document.querySelectorAll(".ticket svg").length === 2');
    const cards = page.locator('.ticket');
    const ids = [await cards.nth(0).getAttribute('data-ticket-id'), await cards.nth(1).getAttribute('data-ticket-id')];
    expect(ids).toEqual([`${bookingId}-t1`, `${bookingId}-t2`]);
    // A wrong first code or an early resend answers 4xx on purpose; nothing else may fail.
    expect(problems.filter((p) => !p.includes('/api/auth/sign-in'))).toEqual([]);
    await page.screenshot({ path: join(tmpdir(), `venue-hub-booking-page.png`) });
    await page.close();
  });
});
