/**
 * The visitor journey end to end against a real hub process, as a client does it: sign up over
 * HTTP with the code from a real email, browse, hold a family pass that needs approval, a booking
 * admin approves it from the live review queue, pay on the simulated provider's hosted page, the
 * provider's signed webhook confirms the booking, and the ticket email's QR codes decode to tokens
 * that verify under the node's ticket keys. Then a declined card, its retry notice, and a retry.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub } from '../clients/sdk/index.js';
import { unwrap } from '../clients/sdk/hub-api.js';
import type { HubClient } from '../clients/sdk/hub-client.js';
import { otpCodeOf, signUpVisitor } from '../load-tests/harness/index.js';
import { verifyTicketToken } from '../workers/tickets/ticket-token.js';
import {
  collectAlerts,
  collectFeed,
  DECLINED_CARD,
  decodeQrPng,
  payOnHostedPage,
  startJourneyHub,
  statePath,
  SUCCESS_CARD,
  ticketKeyRing,
  venueDate,
  watchBooking,
} from './journey.test-support.js';
import type { JourneyHub } from './journey.test-support.js';

let env: JourneyHub;
const clients: HubClient[] = [];
const connect = async (token: string): Promise<HubClient> => {
  const hub = connectHub({ url: env.url, token });
  clients.push(hub);
  await hub.ready;
  return hub;
};

beforeAll(async () => {
  env = await startJourneyHub();
});
afterAll(async () => {
  for (const hub of clients) hub.close();
  await env?.stop();
});

describe('visitor journey against hub/main.ts', () => {
  it('registers, is approved, pays by card and receives QR tickets that verify', async () => {
    const { api, inbox, url } = env;

    // A booking admin: signs up like anyone, the super admin promotes them, a refresh carries the role.
    const staff = await signUpVisitor(api, inbox, 'desk@example.com', 'Booking Desk');
    expect(unwrap(await api.setRole(staff.account.userId, 'booking_admin', env.adminToken)).account.role).toBe('booking_admin');
    const deskSession = unwrap(await api.refresh(staff.refreshToken));
    const desk = await connect(deskSession.accessToken);
    const reviews = await collectFeed(desk, { feed: 'reviews' });

    // Sign-up: the code arrives by email; it works once.
    const email = 'sara@example.com';
    const { verificationId } = unwrap(await api.register({ name: 'Sara', email }));
    const code = otpCodeOf(await inbox.waitFor(email, (m) => /verification code/i.test(m.subject)));
    const signedIn = unwrap(await api.verify({ verificationId, code }));
    expect(signedIn.account).toMatchObject({ email, emailVerified: true, role: 'visitor', status: 'active' });
    expect(await api.verify({ verificationId, code })).toMatchObject({ ok: false, code: 'otp.invalid' });
    const token = signedIn.accessToken;

    // Browse: a family pass (needs approval) and an adult ticket for tomorrow.
    const wavePool = unwrap(await api.activities()).activities.find((a) => a.activityId === 'wave-pool');
    const family = wavePool?.ticketTypes.find((t) => t.requiresApproval);
    const adult = wavePool?.ticketTypes.find((t) => t.ticketTypeId === 'wave-pool-adult');
    if (!family || !adult) throw new Error('the demo venue has no family pass or adult ticket');
    const slot = unwrap(await api.slots('wave-pool', venueDate(1))).slots.find((s) => s.bookable && s.remaining >= 2);
    if (!slot) throw new Error('no bookable wave-pool slot tomorrow');
    const items = [
      { ticketTypeId: family.ticketTypeId, qty: 1 },
      { ticketTypeId: adult.ticketTypeId, qty: 1 },
    ];
    const quote = unwrap(await api.price({ slotId: slot.slotId, items }));
    expect(quote).toMatchObject({ requiresApproval: true, total: family.price + adult.price });

    // Hold and submit: the booking waits in the review queue.
    const visitor = await connect(token);
    const alerts = collectAlerts(visitor);
    const bookingId = `journey-${randomUUID()}`;
    const held = await visitor.hold({ bookingId, slotId: slot.slotId, items });
    expect(held).toMatchObject({ ok: true, data: { state: 'held', context: { visitorId: signedIn.account.userId, total: quote.total, requiresApproval: true } } });
    const watch = await watchBooking(visitor, bookingId);
    expect(await visitor.command('booking', bookingId, { type: 'booking.submit' }, { commandId: `submit-${bookingId}` })).toMatchObject({ ok: true, data: { state: 'under_review' } });
    await reviews.next((c) => c.change.id === bookingId && c.change.state === 'under_review', 'review entry');

    // The desk approves; the visitor's screen moves on and the queue drops it.
    const approved = await desk.command('booking', bookingId, { type: 'booking.approve' }, { commandId: `approve-${bookingId}` });
    expect(approved).toMatchObject({ ok: true, data: { state: 'awaiting_payment' } });
    await watch.reach('awaiting_payment');
    await reviews.next((c) => c.change.id === bookingId && c.change.state === 'awaiting_payment', 'review exit');
    await inbox.waitFor(email, (m) => /approved/i.test(m.subject));

    // Pay on the hosted page; the provider's webhook (over HTTP) confirms the booking.
    const started = unwrap(await api.pay(bookingId, 'card', token));
    expect(started.redirectUrl).toBe(`${url}/pay/simulated/${started.gatewayRef}`);
    const submitted = await payOnHostedPage(started.redirectUrl, { method: 'card', card_number: SUCCESS_CARD });
    expect(submitted).toMatchObject({ listsTestCards: true, status: 303 });
    expect(submitted.location).toContain(`${url}/pay/return?payment=${encodeURIComponent(started.paymentId)}`);
    const confirmed = await watch.reach('confirmed');
    // One ticket per admitted person: the family pass lets in `admits` people, the adult ticket one.
    const people = family.admits + 1;
    expect(confirmed.context).toMatchObject({ capturedAmount: quote.total, quantity: people });
    await env.node.waitForOutput(new RegExp(`"eventId":"evt_${started.gatewayRef}_paid","outcome":"applied"`));
    expect(statePath(watch)).toEqual(['held', 'under_review', 'awaiting_payment', 'confirmed']);
    // The return page shows no payment state (anyone could open it); it leads back to the booking page.
    const returned = await fetch(submitted.location ?? '');
    expect(await returned.text()).toContain(`href="/bookings/${bookingId}"`);

    // The ticket email: one inline QR PNG per ticket, each a token that verifies for this booking.
    const mail = await inbox.waitFor(email, (m) => /confirmed/i.test(m.subject));
    const tickets = unwrap(await api.tickets(bookingId, token));
    expect(tickets).toHaveLength(people);
    const cids = [...mail.html.matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
    expect(cids).toHaveLength(tickets.length);
    const keys = await ticketKeyRing(env.dataDir);
    const decoded: string[] = [];
    for (const cid of cids) {
      const image = mail.attachments.find((a) => a.cid === cid);
      expect(image?.contentType).toBe('image/png');
      const qr = decodeQrPng(image?.content ?? Buffer.alloc(0));
      const verified = await verifyTicketToken(qr, { keys, issuer: 'venue-hub', at: slot.startsAt });
      if (!verified.ok) throw new Error(`QR ${cid} does not verify: ${verified.message}`);
      expect(verified.claims.bookingId).toBe(bookingId);
      const listed = tickets.find((t) => t.ticketId === verified.claims.ticketId);
      expect(listed).toMatchObject({ state: 'valid', token: qr });
      decoded.push(verified.claims.ticketId);
    }
    expect(decoded.sort()).toEqual(tickets.map((t) => t.ticketId).sort());
    const onScreen = await alerts.next((a) => a.template === 'booking.confirmed' && a.bookingId === bookingId, 'confirmed alert');
    expect(onScreen.tickets?.map((t) => t.token).sort()).toEqual(tickets.map((t) => t.token).sort());
    watch.stop();
  });

  it('a declined card leaves the booking awaiting payment, says how to retry, and a retry confirms it', async () => {
    const { api, inbox, url } = env;
    const email = 'omar@example.com';
    const signedIn = await signUpVisitor(api, inbox, email, 'Omar');
    const visitor = await connect(signedIn.accessToken);
    const alerts = collectAlerts(visitor);
    const slot = unwrap(await api.slots('lazy-river', venueDate(2))).slots.find((s) => s.bookable);
    if (!slot) throw new Error('no bookable lazy-river slot');
    const bookingId = `declined-${randomUUID()}`;
    expect(await visitor.hold({ bookingId, slotId: slot.slotId, items: [{ ticketTypeId: 'lazy-river-adult', qty: 1 }] })).toMatchObject({ ok: true });
    const watch = await watchBooking(visitor, bookingId);
    expect(await visitor.command('booking', bookingId, { type: 'booking.submit' })).toMatchObject({ ok: true, data: { state: 'awaiting_payment' } });

    const first = unwrap(await api.pay(bookingId, 'card', signedIn.accessToken));
    const declined = await payOnHostedPage(first.redirectUrl, { method: 'card', card_number: DECLINED_CARD });
    expect(declined).toMatchObject({ status: 303 });
    expect(declined.location).toContain('status=failed');

    const retryUrl = `${url}/bookings/${bookingId}/pay`;
    const notice = await alerts.next((a) => a.template === 'payment.failed' && a.bookingId === bookingId, 'payment.failed alert');
    expect(notice.url).toBe(retryUrl);
    const failedMail = await inbox.waitFor(email, (m) => /did not go through/i.test(m.subject));
    expect(failedMail.text).toContain(retryUrl);
    expect(watch.seen.at(-1)).toMatchObject({ state: 'awaiting_payment', context: { paymentAttempts: 1, capturedAmount: 0 } });

    const second = unwrap(await api.pay(bookingId, 'card', signedIn.accessToken));
    expect(second.paymentId).not.toBe(first.paymentId);
    expect(await payOnHostedPage(second.redirectUrl, { method: 'card', card_number: SUCCESS_CARD })).toMatchObject({ status: 303 });
    await watch.reach('confirmed');
    await inbox.waitFor(email, (m) => /confirmed/i.test(m.subject));
    expect(unwrap(await api.tickets(bookingId, signedIn.accessToken))).toHaveLength(1);

    const log = unwrap(await api.transactions({ bookingId }, env.adminToken));
    expect(log.map((t) => [t.paymentId, t.movement]).sort()).toEqual([
      [first.paymentId, 'payment.failed'],
      [second.paymentId, 'payment.captured'],
    ]);
    watch.stop();
  });
});
