/**
 * The gate page (/gate) in Debian's Chromium against a real hub process, its camera being
 * Chromium's fake capture device playing a paid ticket's QR code (a video written by the test,
 * the code shown, then gone, then shown again):
 *
 *   paired by its ?pair= link ─▶ online, offline list downloaded
 *   camera on ─▶ green: admitted, the visitor's name, party size, the locker to hand over
 *   the code shown again ─▶ red: already inside (the hub's one-entry rule)
 *   a band typed by a keyboard-wedge reader ─▶ red: not linked
 *   network off ─▶ offline banner; exit then entry judged from the kept list, queued
 *   network back ─▶ the queue uploads: the hub has the ticket inside again, nothing left queued
 *   Arabic: right to left, axe-clean
 *
 * Screenshots go to the folder printed at the start.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTickets, issueDevice, openActivityNow } from '../clients/devices/visitor-flow.js';
import type { PaidTicket } from '../clients/devices/visitor-flow.js';
import { unwrap } from '../clients/sdk/index.js';
import { ensureWebBuilt } from '../clients/web/build.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub } from './journey.test-support.js';
import { CHROMIUM, accessibilityProblems, launchChromium, middayTimeZone, openStaffPage, shoot, writeQrVideo } from './staff-pages.test-support.js';

const SHOTS = join(tmpdir(), 'venue-hub-gate-page');
const TABLET = { width: 1024, height: 768 };
/** A whole browser journey; generous because the machine is shared, never a speed check. */
const JOURNEY_MS = 240_000;

describe('the gate page', () => {
  let env: JourneyHub;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let ticket: PaidTicket;
  let gateToken: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    await ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    console.log(`gate page screenshots: ${SHOTS}`);
    env = await startJourneyHub({ VENUE_TIME_ZONE: middayTimeZone() });
    const visitorToken = env.node.visitorToken;
    if (visitorToken === undefined) throw new Error('the node printed no demo visitor token');
    const activity = await openActivityNow({ url: env.url, adminToken: env.adminToken, activityId: 'gate-page-pool', zone: 'waterpark' });
    [ticket] = (await buyTickets({ url: env.url, visitorToken, bookingId: 'bk-gate-page', slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 1, addOns: [{ addOnId: 'locker', qty: 1 }] })) as [PaidTicket];
    gateToken = (await issueDevice(env.url, env.adminToken, { deviceId: 'gate-north-tablet', deviceKind: 'gate', scope: { zone: 'waterpark', gateId: 'gate_north' } })).token;
    const video = join(SHOTS, 'ticket-qr.y4m');
    writeQrVideo(video, ticket.token);
    browser = await launchChromium(video);
  }, JOURNEY_MS);
  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await env?.stop();
  });

  it(
    'admits a ticket from the camera, refuses its second entry, admits offline and uploads when back online',
    async () => {
      const problems: string[] = [];
      const opened = await openStaffPage(browser, TABLET, problems, { camera: true, origin: env.url });
      context = opened.context;
      const page = opened.page;

      await page.goto(`${env.url}/gate?pair=${gateToken}`);
      await page.waitForSelector('[data-link="online"]');
      expect(page.url()).toBe(`${env.url}/gate`);
      await page.waitForSelector('.gate-facts >> text=/Tickets on the offline list: \\d+/');
      expect(await page.getAttribute('html', 'dir')).toBe('ltr');
      expect(await accessibilityProblems(page)).toEqual([]);
      await shoot(page, SHOTS, '01-paired-en');

      // The camera sees the ticket: the hub admits it.
      await page.click('[data-camera-toggle]');
      const admitted = page.locator('.verdict.full[data-verdict="admitted"][data-offline="false"]');
      await admitted.waitFor();
      const words = await admitted.innerText();
      expect(words).toContain('Welcome in');
      expect(words).toContain('Demo Visitor');
      expect(words).toContain('Party of 1');
      expect(words).toContain('Locker (all day) × 1');
      await shoot(page, SHOTS, '02-admitted-camera');
      expect(await accessibilityProblems(page)).toEqual([]);

      // The code leaves the view and comes back: a second entry, refused.
      const second = page.locator('.verdict[data-verdict="already_used"][data-offline="false"]');
      await second.waitFor();
      expect(await second.innerText()).toContain('Already inside');
      expect(await second.innerText()).toContain('gate_north');
      await shoot(page, SHOTS, '03-second-entry-refused');

      // Stop the camera (the click waits while a verdict covers the screen).
      await page.click('[data-camera-toggle]');
      await page.waitForSelector('video', { state: 'detached' });

      // A band reader types the UID and Enter into the focused reader field.
      await page.keyboard.press('Escape');
      await page.focus('#gate-reader');
      await page.keyboard.type('BAND-NOT-LINKED-7');
      await page.keyboard.press('Enter');
      const band = page.locator('.verdict[data-verdict="refused"] .verdict-reason[data-code="band.unknown"]');
      await band.waitFor();
      expect(await band.innerText()).toBe('This band is not linked to a ticket.');
      await page.keyboard.press('Escape');

      // The network goes: the gate says so and judges from its list.
      await context.setOffline(true);
      await page.waitForSelector('[data-offline-banner]');
      await page.check('input[name="direction"][value="exit"]');
      await page.click('[data-camera-toggle]');
      await page.locator('.verdict[data-verdict="exited"][data-offline="true"]').waitFor();
      await page.click('[data-camera-toggle]');
      await page.waitForSelector('video', { state: 'detached' });
      await page.check('input[name="direction"][value="entry"]');
      await page.click('[data-camera-toggle]');
      const offlineAdmit = page.locator('.verdict.full[data-verdict="admitted"][data-offline="true"]');
      await offlineAdmit.waitFor();
      expect(await offlineAdmit.innerText()).toContain('Judged offline');
      // Offline too: the visitor's name, the party and what to hand over, from the gate's list.
      expect(await offlineAdmit.innerText()).toContain('Demo Visitor');
      expect(await offlineAdmit.innerText()).toContain('Party of 1');
      expect(await offlineAdmit.innerText()).toContain('Locker (all day) × 1');
      await shoot(page, SHOTS, '04-admitted-offline');
      await page.click('[data-camera-toggle]');
      await page.waitForSelector('video', { state: 'detached' });
      await page.waitForSelector('[data-pending="2"]');
      await page.keyboard.press('Escape');
      expect(await accessibilityProblems(page)).toEqual([]);
      await shoot(page, SHOTS, '05-offline-queue');

      // Back online: the exit and the entry upload; the hub has the ticket inside again.
      await context.setOffline(false);
      await page.waitForSelector('[data-link="online"]');
      await page.waitForSelector('[data-synced="2"]');
      await page.waitForSelector('[data-pending="0"]');
      expect(await page.locator('[data-offline-banner]').count()).toBe(0);
      const tickets = unwrap(await env.api.request<Array<{ ticketId: string; state: string; lastExit?: { gateId: string } }>>('GET', `/api/bookings/${ticket.bookingId}/tickets`, { token: env.adminToken }));
      const kept = tickets.find((t) => t.ticketId === ticket.ticketId);
      expect(kept).toMatchObject({ state: 'inside' });
      expect(kept?.lastExit).toMatchObject({ gateId: 'gate_north' });
      await shoot(page, SHOTS, '06-synced');

      // Arabic, right to left.
      await page.click('button.lang');
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.textContent('h1')).toBe('البوابة');
      expect(await accessibilityProblems(page)).toEqual([]);
      await shoot(page, SHOTS, '07-gate-ar');

      expect(problems).toEqual([]);
    },
    JOURNEY_MS,
  );
});
