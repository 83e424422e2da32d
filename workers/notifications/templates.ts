/**
 * What each notification says, per template and channel. One short copy per template (title,
 * body, optional call to action) is laid out four ways: email (subject, text, HTML with the QR
 * codes inline), SMS (one short line with the link), push (title/body/url) and in-app.
 *
 * Everything that comes from people (names, reasons) is HTML-escaped; amounts are halalas shown
 * as SAR; times are shown in the venue's time zone.
 */
import type { NotifyTemplate } from '../../machines/booking.schemas.js';
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
};

/** Links a message may point to, built by the deployment (its public URL and routes). */
export interface NotificationLinks {
  booking(bookingId: string): string;
  pay(bookingId: string): string;
  tickets(bookingId: string): string;
}

/** Links under one public base URL: `/bookings/<id>`, `/bookings/<id>/pay`, `/bookings/<id>/tickets`. */
export function linksUnder(publicUrl: string): NotificationLinks {
  const base = publicUrl.replace(/\/+$/, '');
  const booking = (id: string) => `${base}/bookings/${encodeURIComponent(id)}`;
  return { booking, pay: (id) => `${booking(id)}/pay`, tickets: (id) => `${booking(id)}/tickets` };
}

/** A ticket as a message shows it; `cid` names its inline QR image in the email. */
export interface MessageTicket {
  ticketId: string;
  ticketTypeId: string;
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

/** Date formatters per time zone: building one costs far more than formatting with it. */
const formatters = new Map<string, { fmt: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

function formattersOf(timeZone: string): { fmt: Intl.DateTimeFormat; time: Intl.DateTimeFormat } {
  let kept = formatters.get(timeZone);
  if (kept === undefined) {
    kept = {
      fmt: new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }),
      time: new Intl.DateTimeFormat('en-GB', { timeZone, timeStyle: 'short' }),
    };
    formatters.set(timeZone, kept);
  }
  return kept;
}

function when(f: NotificationFacts): string {
  if (!f.slot) return '';
  const { fmt, time } = formattersOf(f.timeZone);
  const label = f.slot.label ? `${f.slot.label}, ` : '';
  return ` for ${label}${fmt.format(f.slot.startsAt)}–${time.format(f.slot.endsAt)}`;
}

const places = (n: number): string => (n === 1 ? '1 place' : `${n} places`);

function copyOf(f: NotificationFacts): Copy {
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
  }
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlOf(f: NotificationFacts, copy: Copy): string {
  const tickets = f.tickets
    .map(
      (t) =>
        `<div style="display:inline-block;margin:8px;text-align:center"><img src="cid:${escapeHtml(t.cid)}" width="240" height="240" alt="QR code of ticket ${escapeHtml(t.ticketId)}">` +
        `<div style="font:13px sans-serif">${escapeHtml(t.ticketTypeId)} · ${escapeHtml(t.ticketId)}</div></div>`,
    )
    .join('');
  const action = copy.action
    ? `<p><a href="${escapeHtml(copy.action.url)}" style="background:#0a7cff;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(copy.action.label)}</a></p>`
    : '';
  return [
    '<!doctype html><html><body style="font:15px/1.5 sans-serif;color:#222;max-width:640px">',
    `<h2>${escapeHtml(copy.title)}</h2>`,
    `<p>Hello ${escapeHtml(f.recipientName)},</p>`,
    `<p>${escapeHtml(copy.body)}</p>`,
    tickets === '' ? '' : `<div>${tickets}</div>`,
    action,
    '<p style="color:#777;font-size:12px">Venue Hub</p></body></html>',
  ].join('');
}

/** Lays one notification out for every channel. */
export function renderNotification(f: NotificationFacts): RenderedNotification {
  const copy = copyOf(f);
  const url = copy.action?.url ?? f.links.booking(f.bookingId);
  const ticketLines = f.tickets.map((t) => `  - ${t.ticketTypeId}: ${t.ticketId}`);
  const text = [
    `Hello ${f.recipientName},`,
    '',
    copy.body,
    ...(ticketLines.length > 0 ? ['', 'Tickets (the QR codes are in the HTML version of this email):', ...ticketLines] : []),
    '',
    copy.action ? `${copy.action.label}: ${copy.action.url}` : `Your booking: ${url}`,
    '',
    'Venue Hub',
  ].join('\n');
  return {
    email: { subject: `${copy.title} · booking ${f.bookingId}`, text, html: htmlOf(f, copy) },
    sms: `Venue Hub: ${copy.title} (booking ${f.bookingId}). ${copy.action ? `${copy.action.label}: ` : ''}${url}`,
    push: { title: copy.title, body: copy.body, url, tag: `booking-${f.bookingId}` },
    inApp: { title: copy.title, body: copy.body, url },
  };
}
