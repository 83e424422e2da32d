/**
 * Support's tools in the admin console (/admin/support), in Debian's Chromium against a real hub
 * process with its SQLite store and a real SMTP inbox. A support admin is a person who signed up
 * and was given the role by the demo super admin, signed in with the code emailed to them.
 *
 *   resend tickets: a visitor paid for two tickets (the confirmation with both QR codes arrived);
 *     the mail server then refuses mail to them (451); support finds them by email and resends: the
 *     request is accepted (202) and the page shows it retried; once the server takes mail again the
 *     page shows it sent and the tickets email with both QR codes arrives; the API reports the same
 *     by the resend's reference, the booking's history names the resend, the audit trail has the row
 *   unlock: the visitor typed wrong codes until their account locked (otp.locked even with the
 *     right code) and asked for codes until the address was throttled (otp.throttled); support
 *     unlocks the account, and the visitor asks for a code and signs in; both are audited
 *
 * The page is run through axe-core; screenshots go to the folder printed at the start.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTickets, openActivityNow } from '../clients/devices/visitor-flow.js';
import { unwrap } from '../clients/sdk/index.js';
import { ensureWebBuilt } from '../clients/web/build.js';
import { otpCodeOf, signUpVisitor } from '../load-tests/harness/index.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub } from './journey.test-support.js';
import { accessibilityProblems, CHROMIUM, launchChromium, openStaffPage, shoot, signInToConsole } from './staff-pages.test-support.js';

const SHOTS = join(tmpdir(), 'venue-hub-support-tools');
const DESKTOP = { width: 1280, height: 900 };
/** A whole scenario in a browser; generous because the machine is shared, never a speed check. */
const SCENARIO_MS = 180_000;
/** The gap between two codes to one address, as the hub is started here (OTP_RESEND_SECONDS). */
const RESEND_GAP_MS = 1_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('support tools in the admin console', () => {
  let env: JourneyHub;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const run = randomUUID().slice(0, 6);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    await ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    console.log(`support tools screenshots: ${SHOTS}`);
    // Small limits so that a test reaches them: 3 wrong codes lock, 3 codes an hour per address.
    env = await startJourneyHub({ OTP_RESEND_SECONDS: String(RESEND_GAP_MS / 1000), OTP_FAILURES_PER_HOUR: '3', OTP_SENDS_PER_HOUR: '3' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await env?.stop();
  });

  /** A support admin signed in at /admin/support with the code emailed to them. */
  async function supportDesk(problems: string[]): Promise<Page> {
    const email = `support-${run}@example.com`;
    const person = await signUpVisitor(env.api, env.inbox, email, 'Sara Support');
    unwrap(await env.api.setRole(person.account.userId, 'support_admin', env.adminToken));
    const { context, page } = await openStaffPage(browser, DESKTOP, problems);
    contexts.push(context);
    await signInToConsole(page, env.url, env.inbox, email);
    await page.click('#nav-support');
    await page.waitForSelector('#find-visitor');
    return page;
  }

  async function findVisitor(page: Page, email: string, userId: string): Promise<void> {
    await page.fill('#find-visitor-address', email);
    await page.click('#find-visitor button[type="submit"]');
    await page.waitForSelector(`#person[data-user="${userId}"][data-status="active"]`);
  }

  let desk: Page;
  const deskProblems: string[] = [];

  it('a support admin resends a booking’s tickets through the outbox: accepted, retried while the mail server refuses, then sent', async () => {
    const activity = await openActivityNow({ url: env.url, adminToken: env.adminToken, activityId: `sup-${run}`, zone: `sup-${run}`, capacity: 20 });
    const email = `resend-${run}@example.com`;
    const visitor = await signUpVisitor(env.api, env.inbox, email, 'Reem Resend');
    const bookingId = `bk-resend-${run}`;
    await buyTickets({ url: env.url, visitorToken: visitor.accessToken, bookingId, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 2 });
    const confirmed = (mail: { subject: string }) => mail.subject.includes('confirmed') && mail.subject.includes(bookingId);
    const first = await env.inbox.waitFor(email, confirmed, 30_000);
    expect(first.attachments.filter((a) => a.contentType === 'image/png')).toHaveLength(2);

    desk = await supportDesk(deskProblems);
    await findVisitor(desk, email, visitor.account.userId);
    const row = desk.locator(`li[data-booking="${bookingId}"]`);
    await row.waitFor();
    // The mail server refuses everything to the visitor for now: the resend is accepted all the same and retried.
    env.inbox.refuseNext(email, Number.MAX_SAFE_INTEGER);
    const asked = Date.now();
    const answered = desk.waitForResponse((response) => response.url().endsWith(`/api/admin/bookings/${bookingId}/resend-tickets`) && response.request().method() === 'POST');
    await row.locator('button.resend-tickets').click();
    expect((await answered).status()).toBe(202);
    const progress = row.locator('p.resend[role="status"]');
    await row.locator('p.resend[data-status="retrying"]').waitFor({ timeout: 30_000 });
    expect(await progress.textContent()).toContain(email);
    expect(env.inbox.refused(email)).toBeGreaterThan(0);
    await shoot(desk, SHOTS, '01-resend-retrying');

    // The mail server takes messages again: the next retry sends it, and the page follows to "sent".
    env.inbox.refuseNext(email, 0);
    await row.locator('p.resend[data-status="sent"]').waitFor({ timeout: 60_000 });
    const again = await env.inbox.waitFor(email, (mail) => mail.subject.includes(bookingId) && mail.receivedAt >= asked && mail.messageId !== first.messageId, 30_000);
    expect(again.subject).toContain('Your tickets');
    expect(again.attachments.filter((a) => a.contentType === 'image/png')).toHaveLength(2);
    expect(Number(await progress.getAttribute('data-attempts'))).toBeGreaterThan(1);
    await shoot(desk, SHOTS, '02-tickets-resent');

    // The API reports the same outcome by the reference, and the booking's history names the support admin.
    const reference = await progress.getAttribute('data-reference');
    expect(reference).toMatch(new RegExp(`^booking/${bookingId}@\\d+#0$`));
    const status = unwrap(await env.api.resendStatus(bookingId, reference ?? '', env.adminToken));
    expect(status).toMatchObject({ bookingId, email, tickets: 2, status: 'sent' });
    expect(status.attempts).toBeGreaterThan(1);
    expect(await env.api.resendStatus(bookingId, `booking/other@1#0`, env.adminToken)).toMatchObject({ ok: false, code: 'event.invalid' });
    const history = unwrap(await env.api.bookingHistory(bookingId, env.adminToken)).events;
    expect(history.find((event) => event.eventType === 'booking.resend_tickets')).toMatchObject({ from: 'confirmed', to: 'confirmed' });

    const audit = unwrap(await env.api.audit({ limit: 50 }, env.adminToken)).entries;
    expect(audit.find((entry) => entry.action === 'booking.resend_tickets' && entry.target === `booking/${bookingId}`)).toMatchObject({ outcome: 'allowed', role: 'support_admin' });
    expect(await accessibilityProblems(desk)).toEqual([]);
    expect(deskProblems).toEqual([]);
  }, SCENARIO_MS);

  it('a support admin unlocks a locked-out visitor, who then signs in', async () => {
    const email = `locked-${run}@example.com`;
    const visitor = await signUpVisitor(env.api, env.inbox, email, 'Layla Locked');
    // Wrong codes until the account locks; then even the right code is refused.
    await pause(RESEND_GAP_MS);
    const asked = Date.now();
    const { verificationId } = unwrap(await env.api.signIn({ email }));
    const code = otpCodeOf(await env.inbox.waitFor(email, (mail) => mail.receivedAt >= asked));
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 3; i++) expect((await env.api.completeSignIn({ verificationId, code: wrong })).ok).toBe(false);
    expect(await env.api.completeSignIn({ verificationId, code })).toMatchObject({ ok: false, code: 'otp.locked' });
    // The address has had its three codes this hour: a fourth is refused.
    await pause(RESEND_GAP_MS);
    unwrap(await env.api.signIn({ email }));
    await pause(RESEND_GAP_MS);
    expect(await env.api.signIn({ email })).toMatchObject({ ok: false, code: 'otp.throttled' });

    await findVisitor(desk, email, visitor.account.userId);
    await desk.click('#unlock');
    await desk.waitForSelector('#support p[role="status"]:has-text("Layla Locked was locked out")');
    await shoot(desk, SHOTS, '02-account-unlocked');

    // The visitor asks for a code and signs in.
    const again = Date.now();
    const started = unwrap(await env.api.signIn({ email }));
    const fresh = otpCodeOf(await env.inbox.waitFor(email, (mail) => mail.receivedAt >= again));
    const signedIn = unwrap(await env.api.completeSignIn({ verificationId: started.verificationId, code: fresh }));
    expect(signedIn.account.userId).toBe(visitor.account.userId);

    const audit = unwrap(await env.api.audit({ limit: 50 }, env.adminToken)).entries;
    const row = audit.find((entry) => entry.action === 'account.unlock' && entry.target === `account/${visitor.account.userId}`);
    expect(row).toMatchObject({ outcome: 'allowed', role: 'support_admin', detail: { addressesReset: 1 } });
    expect(row?.detail?.['lockedUntil']).toEqual(expect.any(Number));
    expect(await accessibilityProblems(desk)).toEqual([]);
    expect(deskProblems).toEqual([]);
  }, SCENARIO_MS);
});
