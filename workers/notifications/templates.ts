/**
 * What each notification says, per template and channel. One short copy per template (title,
 * body, optional call to action) is laid out four ways: email (subject, text, HTML with the QR
 * codes inline), SMS (one short line with the link), push (title/body/url) and in-app.
 *
 * Each copy exists in English and Arabic, chosen by the recipient's language: Arabic emails are
 * `lang="ar" dir="rtl"`, amounts and dates use `Intl` in Arabic (Arabic-Indic digits, as the
 * visitor app), activity and ticket names come from the catalog's Arabic translations.
 *
 * Everything that comes from people (names, reasons) is HTML-escaped; amounts are halalas shown
 * as SAR; times are shown in the venue's time zone.
 */
import type { ChangeSettlement, NotifyTemplate } from '../../machines/booking.schemas.js';
import type { Language } from '../../machines/contract/accounts.js';
import type { SlotWindow } from '../tickets/slot-windows.js';
import type { NotifyChannel } from './notification-store.js';
import type { PushMessage } from './web-push.js';

/** The channels each template goes out on, before the person's own preferences narrow them. */
export const TEMPLATE_CHANNELS: Readonly<Record<NotifyTemplate, readonly NotifyChannel[]>> = {
  'booking.held': ['in_app', 'push'],
  'booking.under_review': ['email', 'in_app', 'push'],
  'booking.approved': ['email', 'sms', 'push', 'in_app'],
  'booking.rejected': ['email', 'sms', 'push', 'in_app'],
  'booking.expired': ['email', 'push', 'in_app'],
  'payment.failed': ['email', 'sms', 'push', 'in_app'],
  'payment.refunded_late': ['email', 'sms', 'push', 'in_app'],
  'payment.refunded_auto': ['email', 'push', 'in_app'],
  'booking.confirmed': ['email', 'sms', 'push', 'in_app'],
  'booking.cancelled': ['email', 'push', 'in_app'],
  'booking.refunded': ['email', 'sms', 'in_app'],
  'booking.checked_in': ['push', 'in_app'],
  'booking.checked_out': ['push', 'in_app'],
  'booking.changed': ['email', 'sms', 'push', 'in_app'],
  'booking.change_due': ['email', 'sms', 'push', 'in_app'],
  'booking.change_lapsed': ['email', 'in_app'],
  // Support asked for the tickets email: email only, whatever the person's preferences (see the notifier).
  'booking.tickets_resent': ['email'],
};

/** Links a message may point to, built by the deployment (its public URL and routes). */
export interface NotificationLinks {
  booking(bookingId: string): string;
  pay(bookingId: string): string;
  tickets(bookingId: string): string;
  /** A food order ordered during the visit (the order-ready message of one without a booking). */
  foodOrder?(orderId: string): string;
}

/** Links under one public base URL: `/bookings/<id>`, `/bookings/<id>/pay`, `/bookings/<id>/tickets`, `/food-orders/<id>`. */
export function linksUnder(publicUrl: string): NotificationLinks {
  const base = publicUrl.replace(/\/+$/, '');
  const booking = (id: string) => `${base}/bookings/${encodeURIComponent(id)}`;
  return { booking, pay: (id) => `${booking(id)}/pay`, tickets: (id) => `${booking(id)}/tickets`, foodOrder: (id) => `${base}/food-orders/${encodeURIComponent(id)}` };
}

/** A ticket as a message shows it; `cid` names its inline QR image in the email. */
export interface MessageTicket {
  ticketId: string;
  ticketTypeId: string;
  /** The ticket type's name in the message's language (the catalog's translation when it has one). */
  ticketTypeName?: string;
  cid: string;
}

/** Everything a template may say. */
export interface NotificationFacts {
  template: NotifyTemplate;
  recipientName: string;
  bookingId: string;
  /** Halalas. */
  total: number;
  quantity: number;
  refundRequested: number;
  refunded: number;
  rejectReason: string | null;
  cancelReason: string | null;
  slot: SlotWindow | null;
  tickets: MessageTicket[];
  links: NotificationLinks;
  timeZone: string;
  /** The recipient's language (default en): Arabic copies are right to left with Arabic digits. */
  language?: Language;
  /**
   * A booking admin's change (booking.changed: the latest one; booking.change_due: the one waiting
   * for payment; booking.change_lapsed: the one whose deadline passed unpaid): where it goes, and
   * the money (difference = new total − old total, halalas).
   */
  change?: BookingChangeFacts | null;
}

/** What a message says of a change. */
export interface BookingChangeFacts {
  slot: SlotWindow | null;
  people: number;
  difference: number;
  settlement: ChangeSettlement;
}

/** One notification laid out for every channel. */
export interface RenderedNotification {
  email: { subject: string; text: string; html: string };
  sms: string;
  push: PushMessage;
  inApp: { title: string; body: string; url: string };
}

interface Copy {
  title: string;
  body: string;
  action?: { label: string; url: string };
}

/** Formats halalas as SAR, e.g. 12 500 → "125.00 SAR". */
export function sar(halalas: number): string {
  return `${(halalas / 100).toFixed(2)} SAR`;
}

/** The `Intl` locale of Arabic messages: Arabic-Indic digits, Gregorian calendar (as the visitor app). */
export const ARABIC_LOCALE = 'ar-SA-u-ca-gregory-nu-arab';

/** Arabic numbers and SAR amounts: built once (building a formatter costs far more than using it). */
const arabicNumbers = { count: new Intl.NumberFormat(ARABIC_LOCALE), money: new Intl.NumberFormat(ARABIC_LOCALE, { style: 'currency', currency: 'SAR' }) };

/** Halalas as SAR in the language's words: "125.00 SAR", or "‏١٢٥٫٠٠ ر.س.‏" in Arabic. */
export function moneyIn(language: Language, halalas: number): string {
  return language === 'ar' ? arabicNumbers.money.format(halalas / 100) : sar(halalas);
}

/** A whole number in the language's digits. */
export function countIn(language: Language, n: number): string {
  return language === 'ar' ? arabicNumbers.count.format(n) : String(n);
}

interface DateFormatters {
  fmt: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
}

/** Date formatters per language and time zone: building one costs far more than formatting with it. */
const formatters = new Map<string, DateFormatters>();

/** The cached date formatters of a language in a time zone. */
export function formattersOf(timeZone: string, language: Language = 'en'): DateFormatters {
  const key = `${language} ${timeZone}`;
  let kept = formatters.get(key);
  if (kept === undefined) {
    const locale = language === 'ar' ? ARABIC_LOCALE : 'en-GB';
    kept = {
      fmt: new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }),
      time: new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'short' }),
    };
    formatters.set(key, kept);
  }
  return kept;
}

function when(f: NotificationFacts, slot: SlotWindow | null = f.slot): string {
  if (!slot) return '';
  const language = f.language ?? 'en';
  const { fmt, time } = formattersOf(f.timeZone, language);
  const span = `${fmt.format(slot.startsAt)}–${time.format(slot.endsAt)}`;
  if (language === 'ar') {
    const label = slot.labelAr ?? slot.label;
    return ` (${label ? `${label}، ` : ''}${span})`;
  }
  const label = slot.label ? `${slot.label}, ` : '';
  return ` for ${label}${span}`;
}

/** What became of a change's price difference, in English. */
function changeMoney(change: BookingChangeFacts | null | undefined): string {
  if (!change) return '';
  const amount = sar(Math.abs(change.difference));
  switch (change.settlement) {
    case 'refunded':
      return ` ${amount} is being refunded to you.`;
    case 'waived':
      return ` The difference of ${amount} is on us.`;
    case 'paid':
      return ` Thank you for paying the difference of ${amount}.`;
    default:
      return '';
  }
}

/** A number of places in Arabic: one and two have their own words (the case of "one" depends on the sentence). */
function placesAr(n: number, one: string, two: string): string {
  return n === 1 ? one : n === 2 ? two : `${countIn('ar', n)} أماكن`;
}

/** What became of a change's price difference, in Arabic. */
function changeMoneyAr(change: BookingChangeFacts | null | undefined): string {
  if (!change) return '';
  const amount = moneyIn('ar', Math.abs(change.difference));
  switch (change.settlement) {
    case 'refunded':
      return ` سيُعاد إليك ${amount}.`;
    case 'waived':
      return ` فرق السعر (${amount}) على حسابنا.`;
    case 'paid':
      return ` شكرًا لدفعك فرق السعر (${amount}).`;
    default:
      return '';
  }
}

const places = (n: number): string => (n === 1 ? '1 place' : `${n} places`);

function copyOf(f: NotificationFacts): Copy {
  return f.language === 'ar' ? arabicCopyOf(f) : englishCopyOf(f);
}

function englishCopyOf(f: NotificationFacts): Copy {
  const id = f.bookingId;
  switch (f.template) {
    case 'booking.held':
      return {
        title: 'Your places are held',
        body: `We are holding ${places(f.quantity)}${when(f)} (booking ${id}). Complete your booking before the hold runs out.`,
        action: { label: 'Continue booking', url: f.links.booking(id) },
      };
    case 'booking.under_review':
      return {
        title: 'Your booking is under review',
        body: `Our team is reviewing booking ${id}${when(f)}. Your places stay held meanwhile; we will tell you as soon as it is decided.`,
      };
    case 'booking.approved':
      return {
        title: 'Your booking is approved',
        body: `Booking ${id}${when(f)} was approved. Pay ${sar(f.total)} to confirm your ${places(f.quantity)}.`,
        action: { label: 'Pay now', url: f.links.pay(id) },
      };
    case 'booking.rejected':
      return {
        title: 'Your booking was not approved',
        body: `Booking ${id} was not approved. Reason: ${f.rejectReason ?? 'not given'}. The held places were released.`,
      };
    case 'booking.expired':
      return {
        title: 'Your booking has expired',
        body: `Booking ${id} was not completed in time, so the held places were released. You are welcome to book again.`,
      };
    case 'payment.failed':
      return {
        title: 'Your payment did not go through',
        body: `The payment of ${sar(f.total)} for booking ${id} failed. Your places are still held for a short while: please try again.`,
        action: { label: 'Retry payment', url: f.links.pay(id) },
      };
    case 'payment.refunded_late':
      return {
        title: 'Your payment is being refunded',
        body: `Your payment for booking ${id} arrived after the booking had expired and the slot is now full, so we are refunding it in full. Sorry for the trouble.`,
      };
    case 'payment.refunded_auto':
      return {
        title: 'An extra payment is being refunded',
        body: `We received a payment for booking ${id} that it could not use (it was already paid or cancelled), so we are refunding it in full.`,
      };
    case 'booking.confirmed':
      return {
        title: 'Your booking is confirmed',
        body:
          `Booking ${id}${when(f)} is confirmed. ` +
          (f.tickets.length > 0
            ? `Your ${f.tickets.length === 1 ? 'ticket is' : `${f.tickets.length} tickets are`} below: show the QR code at the gate.`
            : 'Your tickets are on their way.'),
        action: { label: 'View tickets', url: f.links.tickets(id) },
      };
    case 'booking.cancelled':
      return {
        title: 'Your booking is cancelled',
        body:
          `Booking ${id} was cancelled${f.cancelReason ? ` (${f.cancelReason})` : ''}; any tickets for it no longer admit. ` +
          (f.refundRequested > 0 ? `A refund of ${sar(f.refundRequested)} is on its way.` : 'No payment is due.'),
      };
    case 'booking.refunded':
      return {
        title: 'Your refund is complete',
        body: `We refunded ${sar(f.refunded)} for booking ${id}. It may take a few days to show on your statement.`,
      };
    case 'booking.checked_in':
      return { title: 'Welcome!', body: `You are checked in (booking ${id}). Enjoy your visit.` };
    case 'booking.checked_out':
      return { title: 'Thanks for visiting', body: `You have checked out (booking ${id}). We hope to see you again soon.` };
    case 'booking.changed':
      return {
        title: 'Your booking was changed',
        body:
          `The venue changed booking ${id}: it is now ${places(f.quantity)}${when(f)}.${changeMoney(f.change)} ` +
          (f.tickets.length > 0 ? 'Your new tickets are below; the earlier ones no longer admit.' : 'Your new tickets are on their way; the earlier ones no longer admit.'),
        action: { label: 'View tickets', url: f.links.tickets(id) },
      };
    case 'booking.change_due':
      return {
        title: 'Pay to confirm the change of your booking',
        body:
          `We can change booking ${id} to ${places(f.change?.people ?? f.quantity)}${when(f, f.change?.slot ?? null)} for ${sar(f.change?.difference ?? 0)} more. ` +
          'Pay the difference before the deadline to have it; until then your current tickets stay valid.',
        action: { label: 'Pay the difference', url: f.links.booking(id) },
      };
    case 'booking.change_lapsed':
      return {
        title: 'The change of your booking lapsed',
        body:
          `The difference of ${sar(f.change?.difference ?? 0)} for changing booking ${id} to ${places(f.change?.people ?? f.quantity)}${when(f, f.change?.slot ?? null)} was not paid in time, so the change was dropped. ` +
          `Your booking stays as it was: ${places(f.quantity)}${when(f)}, and your tickets still admit.`,
        action: { label: 'View your booking', url: f.links.booking(id) },
      };
    case 'booking.tickets_resent':
      return {
        title: 'Your tickets',
        body:
          `As you asked, here are the tickets of booking ${id}${when(f)} again. ` +
          (f.tickets.length > 0 ? `Show the QR code${f.tickets.length === 1 ? '' : 's'} below at the gate.` : 'They are also on your booking page.'),
        action: { label: 'View tickets', url: f.links.tickets(id) },
      };
  }
}

/**
 * `text` between Unicode's first-strong isolate and pop-directional isolate: an id or an address
 * keeps its own direction inside a sentence of the other one ("bk-1a2b" is not split around its
 * hyphen in Arabic text). The marks take no space.
 */
export function isolated(text: string): string {
  return `\u2068${text}\u2069`;
}

/** The Arabic copy: the same news in the visitor's language, money and dates in Arabic digits. */
function arabicCopyOf(f: NotificationFacts): Copy {
  const id = f.bookingId;
  // The booking id, a left-to-right word inside right-to-left text, isolated so it stays whole.
  const shown = isolated(id);
  const money = (halalas: number) => moneyIn('ar', halalas);
  const count = (n: number) => countIn('ar', n);
  switch (f.template) {
    case 'booking.held':
      return {
        title: 'أماكنك محجوزة مؤقتًا',
        body: `نحجز لك ${f.quantity === 1 ? 'مكانًا واحدًا' : `${count(f.quantity)} أماكن`}${when(f)} (الحجز ${shown}). أكمل حجزك قبل انتهاء مدة الحجز المؤقت.`,
        action: { label: 'متابعة الحجز', url: f.links.booking(id) },
      };
    case 'booking.under_review':
      return {
        title: 'حجزك قيد المراجعة',
        body: `يراجع فريقنا الحجز ${shown}${when(f)}. تبقى أماكنك محجوزة في أثناء ذلك، وسنخبرك فور البتّ فيه.`,
      };
    case 'booking.approved':
      return {
        title: 'تمت الموافقة على حجزك',
        body: `تمت الموافقة على الحجز ${shown}${when(f)}. ادفع ${money(f.total)} لتأكيد أماكنك (${count(f.quantity)}).`,
        action: { label: 'ادفع الآن', url: f.links.pay(id) },
      };
    case 'booking.rejected':
      return {
        title: 'لم تتم الموافقة على حجزك',
        body: `لم تتم الموافقة على الحجز ${shown}. السبب: ${f.rejectReason ?? 'لم يُذكر'}. أُتيحت الأماكن المحجوزة لغيرك.`,
      };
    case 'booking.expired':
      return {
        title: 'انتهت مهلة حجزك',
        body: `لم يكتمل الحجز ${shown} في الوقت المحدد، فأُتيحت الأماكن المحجوزة لغيرك. يسعدنا أن تحجز من جديد.`,
      };
    case 'payment.failed':
      return {
        title: 'لم تتم عملية الدفع',
        body: `تعذّر دفع ${money(f.total)} للحجز ${shown}. ما زالت أماكنك محجوزة لمدة قصيرة: يُرجى المحاولة مرة أخرى.`,
        action: { label: 'أعد محاولة الدفع', url: f.links.pay(id) },
      };
    case 'payment.refunded_late':
      return {
        title: 'نعيد إليك المبلغ المدفوع',
        body: `وصلت دفعتك للحجز ${shown} بعد انتهاء مهلته وقد امتلأ الموعد، لذا نعيد إليك المبلغ كاملًا. نعتذر عن الإزعاج.`,
      };
    case 'payment.refunded_auto':
      return {
        title: 'نعيد إليك دفعة زائدة',
        body: `استلمنا دفعة للحجز ${shown} لا يمكن استخدامها (كان مدفوعًا أو ملغى)، لذا نعيد إليك المبلغ كاملًا.`,
      };
    case 'booking.confirmed':
      return {
        title: 'تم تأكيد حجزك',
        body:
          `تم تأكيد الحجز ${shown}${when(f)}. ` +
          (f.tickets.length > 0
            ? `${f.tickets.length === 1 ? 'تذكرتك' : `تذاكرك (${count(f.tickets.length)})`} أدناه: اعرض رمز QR عند البوابة.`
            : 'تذاكرك في الطريق إليك.'),
        action: { label: 'عرض التذاكر', url: f.links.tickets(id) },
      };
    case 'booking.cancelled':
      return {
        title: 'تم إلغاء حجزك',
        body:
          `أُلغي الحجز ${shown}${f.cancelReason ? ` (${f.cancelReason})` : ''}، ولم تعد تذاكره صالحة للدخول. ` +
          (f.refundRequested > 0 ? `سيُعاد إليك مبلغ ${money(f.refundRequested)}.` : 'لا يلزمك دفع أي مبلغ.'),
      };
    case 'booking.refunded':
      return {
        title: 'اكتمل استرداد المبلغ',
        body: `أعدنا إليك ${money(f.refunded)} عن الحجز ${shown}. قد يستغرق ظهوره في كشف حسابك بضعة أيام.`,
      };
    case 'booking.checked_in':
      return { title: 'أهلًا بك!', body: `تم تسجيل دخولك (الحجز ${shown}). استمتع بزيارتك.` };
    case 'booking.checked_out':
      return { title: 'شكرًا لزيارتك', body: `تم تسجيل خروجك (الحجز ${shown}). نأمل أن نراك قريبًا.` };
    case 'booking.changed':
      return {
        title: 'تم تعديل حجزك',
        body:
          `عدّلنا الحجز ${shown}: أصبح ${placesAr(f.quantity, 'مكانًا واحدًا', 'مكانين')}${when(f)}.${changeMoneyAr(f.change)} ` +
          (f.tickets.length > 0 ? 'تذاكرك الجديدة أدناه، ولم تعد التذاكر السابقة صالحة للدخول.' : 'تذاكرك الجديدة في الطريق إليك، ولم تعد التذاكر السابقة صالحة للدخول.'),
        action: { label: 'عرض التذاكر', url: f.links.tickets(id) },
      };
    case 'booking.change_due': {
      const people = f.change?.people ?? f.quantity;
      return {
        title: 'ادفع لتأكيد تعديل حجزك',
        body:
          `يمكننا تعديل الحجز ${shown} إلى ${placesAr(people, 'مكان واحد', 'مكانين')}${when(f, f.change?.slot ?? null)} مقابل ${money(f.change?.difference ?? 0)} إضافية. ` +
          'ادفع الفرق قبل انتهاء المهلة لإتمام التعديل؛ وحتى ذلك الحين تبقى تذاكرك الحالية صالحة.',
        action: { label: 'ادفع الفرق', url: f.links.booking(id) },
      };
    }
    case 'booking.change_lapsed': {
      const people = f.change?.people ?? f.quantity;
      return {
        title: 'انتهت مهلة تعديل حجزك',
        body:
          `لم يُدفع فرق السعر (${money(f.change?.difference ?? 0)}) لتعديل الحجز ${id} إلى ${placesAr(people, 'مكان واحد', 'مكانين')}${when(f, f.change?.slot ?? null)} في الوقت المحدد، فأُلغي التعديل. ` +
          `يبقى حجزك كما كان: ${placesAr(f.quantity, 'مكان واحد', 'مكانان')}${when(f)}، وتذاكرك ما زالت صالحة للدخول.`,
        action: { label: 'عرض حجزك', url: f.links.booking(id) },
      };
    }
    case 'booking.tickets_resent':
      return {
        title: 'تذاكرك',
        body:
          `كما طلبت، هذه تذاكر الحجز ${id}${when(f)} مرة أخرى. ` +
          (f.tickets.length > 0 ? `اعرض ${f.tickets.length === 1 ? 'رمز QR' : 'رموز QR'} أدناه عند البوابة.` : 'تجدها أيضًا في صفحة حجزك.'),
        action: { label: 'عرض التذاكر', url: f.links.tickets(id) },
      };
  }
}

/** The fixed words around a message's copy, per language. */
const FRAME = {
  en: {
    hello: (name: string) => `Hello ${name},`,
    ticketsHeading: 'Tickets (the QR codes are in the HTML version of this email):',
    yourBooking: 'Your booking',
    booking: (id: string) => `booking ${id}`,
    qrAlt: (ticketId: string) => `QR code of ticket ${ticketId}`,
    lang: 'en',
    dir: 'ltr',
  },
  ar: {
    hello: (name: string) => `مرحبًا ${name}،`,
    ticketsHeading: 'التذاكر (رموز QR في نسخة HTML من هذه الرسالة):',
    yourBooking: 'حجزك',
    booking: (id: string) => `الحجز ${isolated(id)}`,
    qrAlt: (ticketId: string) => `رمز QR للتذكرة ${isolated(ticketId)}`,
    lang: 'ar',
    dir: 'rtl',
  },
} as const;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlOf(f: NotificationFacts, copy: Copy): string {
  const frame = FRAME[f.language ?? 'en'];
  const tickets = f.tickets
    .map(
      (t) =>
        `<div style="display:inline-block;margin:8px;text-align:center"><img src="cid:${escapeHtml(t.cid)}" width="240" height="240" alt="${escapeHtml(frame.qrAlt(t.ticketId))}">` +
        `<div style="font:13px sans-serif">${escapeHtml(t.ticketTypeName ?? t.ticketTypeId)} · <span dir="ltr">${escapeHtml(t.ticketId)}</span></div></div>`,
    )
    .join('');
  const action = copy.action
    ? `<p><a href="${escapeHtml(copy.action.url)}" style="background:#0a7cff;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(copy.action.label)}</a></p>`
    : '';
  return [
    `<!doctype html><html lang="${frame.lang}" dir="${frame.dir}"><body style="font:15px/1.5 sans-serif;color:#222;max-width:640px">`,
    `<h2>${escapeHtml(copy.title)}</h2>`,
    `<p>${escapeHtml(frame.hello(f.recipientName))}</p>`,
    `<p>${escapeHtml(copy.body)}</p>`,
    tickets === '' ? '' : `<div>${tickets}</div>`,
    action,
    '<p style="color:#777;font-size:12px">Venue Hub</p></body></html>',
  ].join('');
}

/** Lays one notification out for every channel. */
export function renderNotification(f: NotificationFacts): RenderedNotification {
  const copy = copyOf(f);
  const frame = FRAME[f.language ?? 'en'];
  const url = copy.action?.url ?? f.links.booking(f.bookingId);
  const ticketLines = f.tickets.map((t) => `  - ${t.ticketTypeName ?? t.ticketTypeId}: ${f.language === 'ar' ? isolated(t.ticketId) : t.ticketId}`);
  const text = [
    frame.hello(f.recipientName),
    '',
    copy.body,
    ...(ticketLines.length > 0 ? ['', frame.ticketsHeading, ...ticketLines] : []),
    '',
    copy.action ? `${copy.action.label}: ${copy.action.url}` : `${frame.yourBooking}: ${url}`,
    '',
    'Venue Hub',
  ].join('\n');
  return {
    email: { subject: `${copy.title} · ${frame.booking(f.bookingId)}`, text, html: htmlOf(f, copy) },
    sms: `Venue Hub: ${copy.title} (${frame.booking(f.bookingId)}). ${copy.action ? `${copy.action.label}: ` : ''}${url}`,
    push: { title: copy.title, body: copy.body, url, tag: `booking-${f.bookingId}`, lang: frame.lang },
    inApp: { title: copy.title, body: copy.body, url },
  };
}
