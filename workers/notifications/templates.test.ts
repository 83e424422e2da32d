import { describe, expect, it } from 'vitest';
import { NotifyTemplate } from '../../machines/booking.schemas.js';
import { NOTIFY_CHANNELS } from './notification-store.js';
import { TEMPLATE_CHANNELS, linksUnder, moneyIn, renderNotification, sar } from './templates.js';
import type { NotificationFacts } from './templates.js';

const facts = (overrides: Partial<NotificationFacts> = {}): NotificationFacts => ({
  template: 'booking.approved',
  recipientName: 'Sara',
  bookingId: 'bk_1',
  total: 12_500,
  quantity: 3,
  refundRequested: 0,
  refunded: 0,
  rejectReason: null,
  cancelReason: null,
  slot: { startsAt: Date.UTC(2030, 5, 1, 7, 0), endsAt: Date.UTC(2030, 5, 1, 9, 0), label: 'Wave pool' },
  tickets: [],
  links: linksUnder('https://hub.venue.test/'),
  timeZone: 'Asia/Riyadh',
  ...overrides,
});

describe('notification templates', () => {
  it.each(NotifyTemplate.options)('%s renders on every channel and names the booking', (template) => {
    const out = renderNotification(facts({ template }));
    expect(out.email.subject).toContain('bk_1');
    expect(out.email.text).toContain('Hello Sara,');
    expect(out.email.html).toContain('<p>Hello Sara,</p>');
    expect(out.sms.length).toBeLessThanOrEqual(200);
    expect(out.sms).toContain('bk_1');
    expect(out.push.title).toBe(out.inApp.title);
    expect(out.inApp.url).toMatch(/^https:\/\/hub\.venue\.test\/bookings\/bk_1/);
    expect(TEMPLATE_CHANNELS[template].every((c) => (NOTIFY_CHANNELS as readonly string[]).includes(c))).toBe(true);
  });

  it('approval asks for payment with the amount, the slot time in the venue time zone and a pay link', () => {
    const out = renderNotification(facts());
    expect(out.email.text).toContain('Booking bk_1 for Wave pool, 1 Jun 2030, 10:00–12:00 was approved. Pay 125.00 SAR to confirm your 3 places.');
    expect(out.email.text).toContain('Pay now: https://hub.venue.test/bookings/bk_1/pay');
    expect(out.sms).toBe('Venue Hub: Your booking is approved (booking bk_1). Pay now: https://hub.venue.test/bookings/bk_1/pay');
  });

  it('a failed payment carries the retry link on every channel (36.7: retry prompt)', () => {
    const out = renderNotification(facts({ template: 'payment.failed' }));
    const retry = 'https://hub.venue.test/bookings/bk_1/pay';
    expect(out.email.html).toContain(`href="${retry}"`);
    expect(out.sms).toContain(retry);
    expect(out.push.url).toBe(retry);
    expect(out.inApp.url).toBe(retry);
  });

  it('a paid booking changed: the new slot and party, what became of the difference, the new tickets, in English and Arabic', () => {
    const tickets = [{ ticketId: 'bk_1-t4', ticketTypeId: 'adult', cid: 'qr-bk_1-t4@venue-hub' }];
    const refunded = renderNotification(facts({ template: 'booking.changed', quantity: 2, tickets, change: { slot: null, people: 2, difference: -2_500, settlement: 'refunded' } }));
    expect(refunded.email.text).toContain('The venue changed booking bk_1: it is now 2 places for Wave pool, 1 Jun 2030, 10:00–12:00. 25.00 SAR is being refunded to you. Your new tickets are below; the earlier ones no longer admit.');
    expect(refunded.email.html).toContain('src="cid:qr-bk_1-t4@venue-hub"');
    expect(refunded.sms).toContain('https://hub.venue.test/bookings/bk_1/tickets');
    const waived = renderNotification(facts({ template: 'booking.changed', change: { slot: null, people: 3, difference: 1_000, settlement: 'waived' } }));
    expect(waived.email.text).toContain('The difference of 10.00 SAR is on us.');
    const arabic = renderNotification(facts({ template: 'booking.changed', language: 'ar', quantity: 2, tickets, change: { slot: null, people: 2, difference: -2_500, settlement: 'refunded' } }));
    expect(arabic.email.html).toContain('lang="ar" dir="rtl"');
    expect(arabic.inApp.title).toBe('تم تعديل حجزك');
    expect(arabic.inApp.body).toContain(`أصبح مكانين`);
    expect(arabic.inApp.body).toContain(`سيُعاد إليك ${moneyIn('ar', 2_500)}.`);
  });

  it('a change waiting for its difference names the new slot and the amount, and links to the booking to pay it', () => {
    const slot = { startsAt: Date.UTC(2030, 5, 2, 11, 0), endsAt: Date.UTC(2030, 5, 2, 13, 0), label: 'Wave pool' };
    const out = renderNotification(facts({ template: 'booking.change_due', change: { slot, people: 4, difference: 5_000, settlement: 'due' } }));
    expect(out.email.text).toContain('We can change booking bk_1 to 4 places for Wave pool, 2 Jun 2030, 14:00–16:00 for 50.00 SAR more.');
    expect(out.email.text).toContain('Pay the difference: https://hub.venue.test/bookings/bk_1');
    const arabic = renderNotification(facts({ template: 'booking.change_due', language: 'ar', change: { slot, people: 4, difference: 5_000, settlement: 'due' } }));
    expect(arabic.email.subject).toContain('ادفع لتأكيد تعديل حجزك');
    expect(arabic.inApp.body).toContain(`مقابل ${moneyIn('ar', 5_000)} إضافية`);
  });

  it('a change whose difference was not paid in time: what lapsed, and that the booking and its tickets stay, in English and Arabic', () => {
    const slot = { startsAt: Date.UTC(2030, 5, 2, 11, 0), endsAt: Date.UTC(2030, 5, 2, 13, 0), label: 'Wave pool' };
    const change = { slot, people: 4, difference: 5_000, settlement: 'lapsed' as const };
    const out = renderNotification(facts({ template: 'booking.change_lapsed', change }));
    expect(out.email.subject).toBe('The change of your booking lapsed · booking bk_1');
    expect(out.email.text).toContain('The difference of 50.00 SAR for changing booking bk_1 to 4 places for Wave pool, 2 Jun 2030, 14:00–16:00 was not paid in time, so the change was dropped.');
    expect(out.email.text).toContain('Your booking stays as it was: 3 places for Wave pool, 1 Jun 2030, 10:00–12:00, and your tickets still admit.');
    expect(out.inApp.url).toBe('https://hub.venue.test/bookings/bk_1');
    expect(TEMPLATE_CHANNELS['booking.change_lapsed']).toEqual(['email', 'in_app']);
    const arabic = renderNotification(facts({ template: 'booking.change_lapsed', language: 'ar', change }));
    expect(arabic.email.html).toContain('lang="ar" dir="rtl"');
    expect(arabic.inApp.title).toBe('انتهت مهلة تعديل حجزك');
    expect(arabic.inApp.body).toContain(`لم يُدفع فرق السعر (${moneyIn('ar', 5_000)})`);
    expect(arabic.inApp.body).toContain('وتذاكرك ما زالت صالحة للدخول');
  });

  it('support’s resend carries every ticket’s QR by email only, in English and Arabic', () => {
    const tickets = [
      { ticketId: 'bk_1-t1', ticketTypeId: 'adult', cid: 'qr-bk_1-t1@venue-hub' },
      { ticketId: 'bk_1-t2', ticketTypeId: 'adult', cid: 'qr-bk_1-t2@venue-hub' },
    ];
    const out = renderNotification(facts({ template: 'booking.tickets_resent', tickets }));
    expect(out.email.subject).toBe('Your tickets · booking bk_1');
    expect(out.email.text).toContain('As you asked, here are the tickets of booking bk_1 for Wave pool, 1 Jun 2030, 10:00–12:00 again. Show the QR codes below at the gate.');
    expect(out.email.html).toContain('src="cid:qr-bk_1-t2@venue-hub"');
    expect(TEMPLATE_CHANNELS['booking.tickets_resent']).toEqual(['email']);
    const arabic = renderNotification(facts({ template: 'booking.tickets_resent', language: 'ar', tickets }));
    expect(arabic.email.subject).toBe('تذاكرك · الحجز \u2068bk_1\u2069');
    expect(arabic.email.text).toContain('اعرض رموز QR أدناه عند البوابة.');
  });

  it('a rejection gives the reason, escaped in HTML', () => {
    const out = renderNotification(facts({ template: 'booking.rejected', rejectReason: 'members <only> & "guests"' }));
    expect(out.email.text).toContain('Reason: members <only> & "guests".');
    expect(out.email.html).toContain('members &#60;only&#62; &#38; &#34;guests&#34;');
    expect(out.email.html).not.toContain('<only>');
  });

  it('the confirmation shows each ticket as an inline QR image and lists it in the text', () => {
    const tickets = [
      { ticketId: 'bk_1-t1', ticketTypeId: 'adult', cid: 'qr-bk_1-t1@venue-hub' },
      { ticketId: 'bk_1-t2', ticketTypeId: 'child', cid: 'qr-bk_1-t2@venue-hub' },
    ];
    const out = renderNotification(facts({ template: 'booking.confirmed', tickets }));
    expect(out.email.html).toContain('<img src="cid:qr-bk_1-t1@venue-hub"');
    expect(out.email.html).toContain('<img src="cid:qr-bk_1-t2@venue-hub"');
    expect(out.email.text).toContain('  - child: bk_1-t2');
    expect(out.inApp.body).toContain('Your 2 tickets are below');
  });

  it('cancellation and refund state the amounts; a name cannot inject HTML', () => {
    expect(renderNotification(facts({ template: 'booking.cancelled', refundRequested: 10_000, cancelReason: 'ill' })).inApp.body).toBe(
      'Booking bk_1 was cancelled (ill); any tickets for it no longer admit. A refund of 100.00 SAR is on its way.',
    );
    expect(renderNotification(facts({ template: 'booking.refunded', refunded: 10_000 })).sms).toContain('Your refund is complete');
    expect(renderNotification(facts({ recipientName: '<b>x</b>' })).email.html).toContain('Hello &#60;b&#62;x&#60;/b&#62;,');
    expect(sar(5)).toBe('0.05 SAR');
  });

  it('in Arabic: right to left, SAR and dates with Intl in Arabic, the activity and ticket names in Arabic', () => {
    const tickets = [{ ticketId: 'bk_1-t1', ticketTypeId: 'adult', ticketTypeName: 'بالغ', cid: 'qr-bk_1-t1@venue-hub' }];
    const slot = { startsAt: Date.UTC(2030, 5, 1, 7, 0), endsAt: Date.UTC(2030, 5, 1, 9, 0), label: 'Wave pool', labelAr: 'المسبح الموجي' };
    const approved = renderNotification(facts({ language: 'ar', slot }));
    const money = new Intl.NumberFormat('ar-SA-u-nu-arab', { style: 'currency', currency: 'SAR' }).format(125);
    expect(approved.inApp.title).toBe('تمت الموافقة على حجزك');
    expect(approved.inApp.body).toContain(money);
    expect(approved.inApp.body).toContain('المسبح الموجي، ');
    expect(approved.inApp.body).toContain('١٠:٠٠');
    expect(approved.inApp.body).not.toContain('Wave pool');
    expect(approved.email.html.startsWith('<!doctype html><html lang="ar" dir="rtl">')).toBe(true);
    expect(approved.email.text.startsWith('مرحبًا Sara،')).toBe(true);
    // Ids keep their own direction inside the Arabic (isolated), and links stay plain.
    expect(approved.email.subject).toBe('تمت الموافقة على حجزك · الحجز \u2068bk_1\u2069');
    expect(approved.sms).toBe('Venue Hub: تمت الموافقة على حجزك (الحجز \u2068bk_1\u2069). ادفع الآن: https://hub.venue.test/bookings/bk_1/pay');
    expect(approved.inApp.body).toContain('الحجز \u2068bk_1\u2069');
    expect(approved.push).toMatchObject({ title: 'تمت الموافقة على حجزك', lang: 'ar', url: 'https://hub.venue.test/bookings/bk_1/pay' });
    const confirmed = renderNotification(facts({ language: 'ar', slot, template: 'booking.confirmed', tickets }));
    expect(confirmed.email.text).toContain('  - بالغ: \u2068bk_1-t1\u2069');
    expect(confirmed.email.html).toContain('بالغ · <span dir="ltr">bk_1-t1</span>');
    // English stays as it was, with the English names.
    const english = renderNotification(facts({ slot, template: 'booking.confirmed', tickets: [{ ...tickets[0]!, ticketTypeName: 'Adult' }] }));
    expect(english.email.html.startsWith('<!doctype html><html lang="en" dir="ltr">')).toBe(true);
    expect(english.email.text).toContain('  - Adult: bk_1-t1');
    expect(english.push.lang).toBe('en');
  });

  it.each(NotifyTemplate.options)('%s has an Arabic copy on every channel', (template) => {
    const out = renderNotification(facts({ template, language: 'ar' }));
    for (const text of [out.email.subject, out.email.text, out.sms, out.push.title, out.push.body, out.inApp.title]) expect(text).toMatch(/[\u0600-\u06ff]/);
    expect(out.sms.length).toBeLessThanOrEqual(200);
    expect(out.inApp.title).not.toBe(renderNotification(facts({ template })).inApp.title);
  });
});
