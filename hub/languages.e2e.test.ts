/**
 * Messages in the visitor's language, against a real hub process with real SMTP, its local
 * mailbox for texts and a real HTTPS push service on this machine that decrypts what the hub
 * pushes: a visitor who signs up in Arabic gets the code in Arabic (email, and SMS in the local
 * mailbox), adds a mobile (its code texted in Arabic) and a device for Web Push, then gets the
 * payment notice and the confirmation in Arabic on every channel: email (right to left, SAR in
 * Arabic digits, the activity's and ticket type's Arabic names), SMS, Web Push and the in-app
 * alerts; switching to English makes the next messages English on every channel; a language the
 * hub does not write is refused and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub } from '../clients/sdk/index.js';
import { unwrap } from '../clients/sdk/hub-api.js';
import type { HubClient } from '../clients/sdk/hub-client.js';
import { otpCodeOf } from '../load-tests/harness/index.js';
import { collectAlerts, DECLINED_CARD, payOnHostedPage, startJourneyHub, SUCCESS_CARD, venueDate, watchBooking } from './journey.test-support.js';
import type { JourneyHub } from './journey.test-support.js';
import { startPushService } from '../workers/notifications/notifications.test-support.js';
import type { PushDelivery, PushServiceStub } from '../workers/notifications/notifications.test-support.js';

let env: JourneyHub;
let push: PushServiceStub;
let certDir: string;
const clients: HubClient[] = [];
const connect = async (token: string): Promise<HubClient> => {
  const hub = connectHub({ url: env.url, token });
  clients.push(hub);
  await hub.ready;
  return hub;
};

beforeAll(async () => {
  // The push service on 127.0.0.1 with a certificate of its own: the hub accepts subscriptions
  // on it (PUSH_SERVICE_HOSTS) and trusts its certificate (NODE_EXTRA_CA_CERTS, read at start).
  push = await startPushService();
  certDir = mkdtempSync(join(tmpdir(), 'vh-push-ca-'));
  writeFileSync(join(certDir, 'push-ca.pem'), push.certPem);
  // DEV_MAILBOX: the SMS of the embedded provider can be read on /mailbox (loopback only).
  env = await startJourneyHub({ DEV_MAILBOX: 'true', PUSH_SERVICE_HOSTS: '127.0.0.1', NODE_EXTRA_CA_CERTS: join(certDir, 'push-ca.pem') });
});
afterAll(async () => {
  for (const hub of clients) hub.close();
  await env?.stop();
  await push?.close();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

/** What a push the service received says, decrypted: the JSON the device's service worker reads. */
interface PushedMessage {
  title: string;
  body: string;
  url?: string;
  lang?: string;
}

/** The next push to the device named `device` whose message matches. */
async function pushed(device: string, match: (message: PushedMessage) => boolean): Promise<PushedMessage> {
  const readable = (d: PushDelivery): PushedMessage | null => (d.name === device && d.payload !== null ? (JSON.parse(d.payload) as PushedMessage) : null);
  const delivery = await push.waitFor((d) => {
    const message = readable(d);
    return message !== null && match(message);
  });
  return readable(delivery) as PushedMessage;
}

/** The local mailbox page for one recipient (SMS land there). */
async function mailboxOf(to: string): Promise<string> {
  const answer = await fetch(`${env.url}/mailbox?to=${encodeURIComponent(to)}`);
  expect(answer.status).toBe(200);
  return answer.text();
}

/** Waits until the mailbox page for `to` shows `text`. */
async function waitForMailbox(to: string, text: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const page = await mailboxOf(to);
    if (page.includes(text)) return page;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no message with "${text}" for ${to} in the local mailbox`);
}

describe('messages in the language the visitor chose', () => {
  it('signs up in Arabic: the codes, the payment notice and the tickets come in Arabic by email, SMS, Web Push and in-app alert; English after the switch', async () => {
    const { api, inbox } = env;
    const email = 'noura@example.com';

    // Sign-up in Arabic: the code email is Arabic, right to left.
    const { verificationId } = unwrap(await api.register({ name: 'نورة', email, language: 'ar' }));
    const codeMail = await inbox.waitFor(email, (m) => m.subject === 'رمز التحقق من Venue Hub');
    expect(codeMail.text).toContain('استخدم الرمز');
    expect(codeMail.html).toContain('<html lang="ar" dir="rtl">');
    const signedIn = unwrap(await api.verify({ verificationId, code: otpCodeOf(codeMail) }));
    expect(signedIn.account).toMatchObject({ email, emailVerified: true, language: 'ar' });
    const token = signedIn.accessToken;
    expect(unwrap(await api.me(token)).language).toBe('ar');

    // A mobile added to the account: its code is texted in Arabic.
    const phone = '+966507654321';
    const added = unwrap(await api.addAddress({ phone }, token));
    const addCode = /الرمز (\d{6})/.exec(await waitForMailbox(phone, 'Venue Hub: استخدم الرمز'))?.[1];
    if (addCode === undefined) throw new Error('no code in the Arabic SMS');
    unwrap(await api.verify({ verificationId: added.verificationId, code: addCode }));
    expect(unwrap(await api.me(token))).toMatchObject({ phone, phoneVerified: true });
    // A device subscribed to Web Push (the push service's endpoint, as a browser's would be).
    const device = `noura-phone-${randomUUID().slice(0, 8)}`;
    unwrap(await api.subscribePush(push.subscribe(device).subscription, token));

    // A booking; the first card is declined: the notice and its alert are Arabic, with SAR in Arabic.
    const visitor = await connect(token);
    const alerts = collectAlerts(visitor);
    const slot = unwrap(await api.slots('lazy-river', venueDate(2))).slots.find((s) => s.bookable && s.remaining >= 2);
    if (!slot) throw new Error('no bookable lazy-river slot');
    const bookingId = `ar-${randomUUID()}`;
    expect(await visitor.hold({ bookingId, slotId: slot.slotId, items: [{ ticketTypeId: 'lazy-river-adult', qty: 1 }] })).toMatchObject({ ok: true });
    const watch = await watchBooking(visitor, bookingId);
    expect(await visitor.command('booking', bookingId, { type: 'booking.submit' })).toMatchObject({ ok: true, data: { state: 'awaiting_payment' } });
    const first = unwrap(await api.pay(bookingId, 'card', token));
    expect(await payOnHostedPage(first.redirectUrl, { method: 'card', card_number: DECLINED_CARD })).toMatchObject({ status: 303 });
    const failedMail = await inbox.waitFor(email, (m) => m.subject.startsWith('لم تتم عملية الدفع'));
    const arabicSar = new Intl.NumberFormat('ar-SA-u-nu-arab', { style: 'currency', currency: 'SAR' }).format(80);
    expect(failedMail.text).toContain(arabicSar);
    expect(failedMail.text).toContain('مرحبًا نورة،');
    expect(failedMail.html).toContain('<html lang="ar" dir="rtl">');
    const failedAlert = await alerts.next((a) => a.template === 'payment.failed' && a.bookingId === bookingId, 'payment.failed alert');
    expect(failedAlert.title).toBe('لم تتم عملية الدفع');
    expect(failedAlert.body).toContain(arabicSar);
    // The same news pushed to the device and texted, in Arabic; the booking id kept whole (isolated).
    const failedPush = await pushed(device, (m) => m.title === 'لم تتم عملية الدفع');
    expect(failedPush).toMatchObject({ lang: 'ar', url: `${env.url}/bookings/${bookingId}/pay` });
    expect(failedPush.body).toContain(arabicSar);
    expect(failedPush.body).toContain(`للحجز \u2068${bookingId}\u2069`);
    expect(await waitForMailbox(phone, `Venue Hub: لم تتم عملية الدفع (الحجز \u2068${bookingId}\u2069). أعد محاولة الدفع: `)).toContain(`${env.url}/bookings/${bookingId}/pay`);

    // The retry confirms it: the ticket email names the activity and the ticket type in Arabic.
    const second = unwrap(await api.pay(bookingId, 'card', token));
    expect(await payOnHostedPage(second.redirectUrl, { method: 'card', card_number: SUCCESS_CARD })).toMatchObject({ status: 303 });
    await watch.reach('confirmed');
    const ticketsMail = await inbox.waitFor(email, (m) => m.subject.startsWith('تم تأكيد حجزك'));
    expect(ticketsMail.text).toContain('النهر الهادئ بالعوامات');
    expect(ticketsMail.text).toContain('  - بالغ: ');
    expect(ticketsMail.html).toContain('<html lang="ar" dir="rtl">');
    expect(ticketsMail.text).not.toContain('Lazy River');
    const confirmedAlert = await alerts.next((a) => a.template === 'booking.confirmed' && a.bookingId === bookingId, 'confirmed alert');
    expect(confirmedAlert.title).toBe('تم تأكيد حجزك');
    expect(confirmedAlert.body).toContain('النهر الهادئ بالعوامات');
    const confirmedPush = await pushed(device, (m) => m.title === 'تم تأكيد حجزك');
    expect(confirmedPush).toMatchObject({ lang: 'ar', url: `${env.url}/bookings/${bookingId}/tickets` });
    expect(confirmedPush.body).toContain('النهر الهادئ بالعوامات');
    expect(confirmedPush.body).not.toContain('Lazy River');
    await waitForMailbox(phone, `Venue Hub: تم تأكيد حجزك (الحجز \u2068${bookingId}\u2069). عرض التذاكر: `);
    watch.stop();

    // A language the hub does not write is refused with a code and changes nothing.
    expect(await api.language('fr' as 'en', token)).toMatchObject({ ok: false, code: 'event.invalid' });
    const extra = await fetch(`${env.url}/api/me/language`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ language: 'en', colour: 'blue' }),
    });
    expect(extra.status).toBe(400);
    expect(unwrap(await api.me(token)).language).toBe('ar');

    // The switch to English: the next message is English.
    expect(unwrap(await api.language('en', token))).toMatchObject({ userId: signedIn.account.userId, language: 'en' });
    const nextId = `en-${randomUUID()}`;
    expect(await visitor.hold({ bookingId: nextId, slotId: slot.slotId, items: [{ ticketTypeId: 'lazy-river-adult', qty: 1 }] })).toMatchObject({ ok: true });
    const nextWatch = await watchBooking(visitor, nextId);
    expect(await visitor.command('booking', nextId, { type: 'booking.submit' })).toMatchObject({ ok: true, data: { state: 'awaiting_payment' } });
    const third = unwrap(await api.pay(nextId, 'card', token));
    expect(await payOnHostedPage(third.redirectUrl, { method: 'card', card_number: SUCCESS_CARD })).toMatchObject({ status: 303 });
    await nextWatch.reach('confirmed');
    const englishMail = await inbox.waitFor(email, (m) => m.subject === `Your booking is confirmed · booking ${nextId}`);
    expect(englishMail.text).toContain('Hello نورة,');
    expect(englishMail.text).toContain('Lazy River Tubes');
    expect(englishMail.html).toContain('<html lang="en" dir="ltr">');
    const englishAlert = await alerts.next((a) => a.template === 'booking.confirmed' && a.bookingId === nextId, 'English confirmed alert');
    expect(englishAlert.title).toBe('Your booking is confirmed');
    const englishPush = await pushed(device, (m) => m.url === `${env.url}/bookings/${nextId}/tickets`);
    expect(englishPush).toMatchObject({ title: 'Your booking is confirmed', lang: 'en' });
    expect(englishPush.body).toContain('Lazy River Tubes');
    await waitForMailbox(phone, `Venue Hub: Your booking is confirmed (booking ${nextId}). View tickets: `);
    nextWatch.stop();
  });

  it('a sign-up by phone in Arabic gets its code by SMS in Arabic; a bad language at sign-up is refused', async () => {
    const { api } = env;
    const phone = '+966501112233';
    const { verificationId } = unwrap(await api.register({ name: 'خالد', phone, channel: 'sms', language: 'ar' }));
    const page = await waitForMailbox(phone, 'Venue Hub: استخدم الرمز');
    const code = /الرمز (\d{6})/.exec(page)?.[1];
    if (code === undefined) throw new Error('no code in the Arabic SMS');
    expect(unwrap(await api.verify({ verificationId, code })).account).toMatchObject({ phone, phoneVerified: true, language: 'ar' });

    // A bad language at sign-up is refused with a code; no code goes out.
    expect(await api.register({ name: 'X', email: 'x@example.com', language: 'de' as 'en' })).toMatchObject({ ok: false, code: 'event.invalid' });
  });
});
