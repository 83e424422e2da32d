/**
 * The notifier: turns each `notify` effect into messages on the person's channels.
 *
 *   notify {template, bookingId, visitorId}
 *     ─▶ contact (ContactDirectory) ─▶ channels = TEMPLATE_CHANNELS[template] ∩ preferences
 *     ─▶ facts (booking, slot window, tickets with QR for booking.confirmed and booking.changed,
 *        the change a booking.changed or booking.change_due speaks of) ─▶ renderNotification
 *        in the person's language (en | ar; activity and ticket names from the catalog's translations)
 *     ─▶ per channel: sendOnce(effectId, channel) ─▶ email | sms | push | in-app
 *
 * Failures: a channel without an address (no phone, no push subscription) is settled `skipped`
 * and logged; a permanent refusal is settled `failed`; a transient one is thrown after the other
 * channels were tried, so the relay retries and only the unsent channels go out again.
 * `booking.confirmed` waits (by throwing) until the booking's tickets exist, which the relay's
 * per-actor order normally guarantees already.
 *
 * Support's resend (resendTickets) is a booking event whose notify effect (booking.tickets_resent,
 * email only, whatever the preferences) takes this same path; its reference is that effect's id, and
 * its email receipt says how far it got (resendStatus). One that no longer applies is settled skipped.
 */
import { bookingDefinition } from '../../machines/booking.machine.js';
import { hasTag } from '../../machines/actor-definition.js';
import { z } from 'zod';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import { BookingContext, NotifyTemplate, peopleOf } from '../../machines/booking.schemas.js';
import type { NotificationAlert } from '../../machines/contract/notification-alert.js';
import type { ResendStatus, TicketsResend } from '../../machines/contract/bookings.js';
import type { Contact, ContactDirectory } from '../accounts/contact-directory.js';
import type { ActorHost } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';
import type { EffectRow } from '../store/actor-store.js';
import type { SlotWindows } from '../tickets/slot-windows.js';
import { renderTicketQrPng } from '../tickets/ticket-qr.js';
import type { TicketService, TicketView } from '../tickets/ticket-service.js';
import type { EmailAttachment, EmailSender } from './email.js';
import { messageIdOf } from './message-id.js';
import type { NotificationStore, NotifyChannel, Receipt } from './notification-store.js';
import { DEFAULT_SEND_LEASE_MS, sendOnce } from './send-once.js';
import type { ChannelResult, SendOutcome } from './send-once.js';
import type { SmsProvider } from './sms.js';
import { TEMPLATE_CHANNELS, renderNotification } from './templates.js';
import type { BookingChangeFacts, NotificationLinks, RenderedNotification } from './templates.js';
import type { PushSender } from './web-push.js';

/** What a deployment wires: where messages go, who people are, how links look. */
export interface NotificationWiring {
  store: NotificationStore;
  contacts: ContactDirectory;
  email: EmailSender;
  sms: SmsProvider;
  /** Null when Web Push is not configured (push is then skipped). */
  push: PushSender | null;
  /**
   * Delivers an in-app alert. The notifications module publishes it to the socket room
   * `user:<id>` itself; what the wiring gives here is also told (tests watch it).
   */
  inApp?: (userId: string, alert: NotificationAlert) => void | Promise<void>;
  links: NotificationLinks;
  /** IANA time zone of the venue for times in messages. Default Asia/Riyadh. */
  timeZone?: string;
  leaseMs?: number;
}

/** The wiring plus what the runtime supplies. */
export interface NotificationServiceDeps extends NotificationWiring {
  /** Delivers an in-app alert (the module publishes it). */
  inApp: (userId: string, alert: NotificationAlert) => void | Promise<void>;
  host: ActorHost;
  tickets: Pick<TicketService, 'ticketsOfBooking'> | null;
  slots: SlotWindows | null;
  clock: () => number;
  log: Logger;
}

/** Who asked for a resend (the booking's history names them). */
export interface ResendBy {
  adminId: string;
  who: string;
}

/** How one notify effect went, per channel (for logs and tests). */
export type NotifyReport = Partial<Record<NotifyChannel, ChannelResult>>;

/** The notifier as the runtime exposes it. */
export interface NotificationService {
  /** Sends one notify effect (what the outbox handler runs); idempotent by effect id and channel. */
  deliver(effect: EffectRow): Promise<NotifyReport>;
  /**
   * Asks the booking to send its tickets email to its visitor again (support's resend): the booking
   * emits a `notify` effect, which the relay delivers and retries like any other. Answers the
   * resend as accepted, with its reference (the effect id): `booking.not_paid` unless its tickets
   * admit, `account.invalid` without an email address.
   */
  resendTickets(bookingId: string, by: ResendBy): Promise<Result<TicketsResend>>;
  /** How the resend with this reference went (its email receipt); `event.invalid` for a reference not of this booking's resends. */
  resendStatus(bookingId: string, reference: string): Promise<Result<TicketsResend>>;
  /** Outbox handler for `notify`. */
  readonly effectHandlers: Readonly<Record<string, EffectHandler>>;
}

const NotifyPayload = z.object({ template: NotifyTemplate, bookingId: z.string().min(1), visitorId: z.string().min(1) });
const BookingFacts = BookingContext.pick({
  bookingId: true,
  slotId: true,
  total: true,
  quantity: true,
  refundRequestedAmount: true,
  refundedAmount: true,
  rejectReason: true,
  cancelReason: true,
  pendingChange: true,
  changes: true,
});

/** Templates that carry the booking's tickets (with their QR codes). */
const WITH_TICKETS: ReadonlySet<NotifyTemplate> = new Set(['booking.confirmed', 'booking.changed', 'booking.tickets_resent']);

/** The receipt statuses as a resend reports them: a released claim waits for its next try. */
const RESEND_STATUS: Readonly<Record<Receipt['status'], ResendStatus>> = { sending: 'sending', released: 'retrying', sent: 'sent', failed: 'failed', skipped: 'skipped' };

/** A valid ticket with its signed QR payload. */
type SignedTicket = TicketView & { token: string };

/** One notification ready to go out: who, what, and the rendered copy. */
interface Job {
  /** The notify effect's id, or a resend's own id: message ids and receipts derive from it. */
  effectId: string;
  template: NotifyTemplate;
  bookingId: string;
  contact: Contact;
  rendered: RenderedNotification;
  tickets: SignedTicket[];
  attachments: EmailAttachment[];
}

/** Creates the notifier. */
export function createNotificationService(deps: NotificationServiceDeps): NotificationService {
  const { log } = deps;
  const leaseMs = deps.leaseMs ?? DEFAULT_SEND_LEASE_MS;
  const timeZone = deps.timeZone ?? 'Asia/Riyadh';

  /** The booking's tickets for the confirmation; throws while they are still being issued. */
  async function confirmedTickets(bookingId: string, quantity: number): Promise<SignedTicket[]> {
    if (!deps.tickets) return [];
    const tickets = await deps.tickets.ticketsOfBooking(bookingId);
    if (tickets.length < quantity) throw new Error(`booking ${bookingId}: ${tickets.length} of ${quantity} tickets issued so far`);
    return tickets.filter((t): t is SignedTicket => t.token !== undefined);
  }

  /** The change a booking.changed or booking.change_due message speaks of. */
  async function changeFacts(template: NotifyTemplate, booking: z.infer<typeof BookingFacts>): Promise<BookingChangeFacts | null> {
    const pending = booking.pendingChange;
    if (template === 'booking.change_due' && pending) {
      const slot = deps.slots ? await deps.slots.window(pending.slotId) : null;
      return { slot, people: peopleOf(pending.lines), difference: pending.due, settlement: 'due' };
    }
    if (template === 'booking.change_lapsed') {
      const lapsed = booking.changes?.findLast((r) => r.settlement === 'lapsed');
      if (!lapsed) return null;
      const slot = deps.slots ? await deps.slots.window(lapsed.to.slotId) : null;
      return { slot, people: lapsed.to.people, difference: lapsed.difference, settlement: 'lapsed' };
    }
    const latest = booking.changes?.at(-1);
    if (template !== 'booking.changed' || !latest) return null;
    return { slot: null, people: latest.to.people, difference: latest.difference, settlement: latest.settlement };
  }

  async function prepare(effectId: string, payload: z.infer<typeof NotifyPayload>, contact: Contact): Promise<Job | null> {
    const read = await deps.host.read(bookingDefinition, payload.bookingId);
    if (!read.ok) {
      if (read.code === 'actor.not_found') return null;
      throw new Error(`booking ${payload.bookingId} cannot be read: ${read.code}`);
    }
    const booking = BookingFacts.parse(read.data.context);
    // A confirmation (or a change's new tickets) overtaken by a cancellation is not sent: its tickets no longer admit.
    const withTickets = WITH_TICKETS.has(payload.template);
    if (withTickets && !hasTag(read.data, 'seated')) return null;
    // A change waiting for payment that was paid, lapsed or withdrawn meanwhile has nothing left to ask.
    if (payload.template === 'booking.change_due' && booking.pendingChange === undefined) return null;
    const tickets = withTickets ? await confirmedTickets(payload.bookingId, booking.quantity) : [];
    const withCid = tickets.map((t) => ({ ...t, cid: `qr-${t.ticketId}@venue-hub` }));
    const attachments: EmailAttachment[] = [];
    for (const t of withCid) {
      attachments.push({ filename: `ticket-${t.ticketId}.png`, contentType: 'image/png', cid: t.cid, content: await renderTicketQrPng(t.token) });
    }
    const language = contact.language;
    const ticketTypeName = async (ticketTypeId: string): Promise<string | undefined> => {
      const names = deps.slots?.ticketTypeNames ? await deps.slots.ticketTypeNames(ticketTypeId) : null;
      if (!names) return undefined;
      return language === 'ar' ? (names.ar ?? names.name) : names.name;
    };
    const messageTickets = [];
    for (const t of withCid) {
      const name = await ticketTypeName(t.ticketTypeId);
      messageTickets.push({ ticketId: t.ticketId, ticketTypeId: t.ticketTypeId, cid: t.cid, ...(name === undefined ? {} : { ticketTypeName: name }) });
    }
    const rendered = renderNotification({
      template: payload.template,
      recipientName: contact.name,
      bookingId: payload.bookingId,
      // A failed payment of a change's difference asked for that difference.
      total: payload.template === 'payment.failed' && booking.pendingChange ? booking.pendingChange.due : booking.total,
      quantity: booking.quantity,
      refundRequested: booking.refundRequestedAmount,
      refunded: booking.refundedAmount,
      rejectReason: booking.rejectReason ?? null,
      cancelReason: booking.cancelReason ?? null,
      slot: deps.slots ? await deps.slots.window(booking.slotId) : null,
      change: await changeFacts(payload.template, booking),
      tickets: messageTickets,
      links: deps.links,
      timeZone,
      language,
    });
    return { effectId, template: payload.template, bookingId: payload.bookingId, contact, rendered, tickets, attachments };
  }

  async function send(channel: NotifyChannel, job: Job): Promise<SendOutcome> {
    const { effectId, contact, rendered } = job;
    switch (channel) {
      case 'email': {
        if (!contact.email) return { status: 'skipped', detail: 'no email address' };
        const id = await deps.email.send({ messageId: `<${messageIdOf(effectId, 'email')}>`, to: contact.email, ...rendered.email, attachments: job.attachments });
        return { status: 'sent', detail: id };
      }
      case 'sms': {
        if (!contact.phone) return { status: 'skipped', detail: 'no phone number' };
        const id = await deps.sms.send({ id: messageIdOf(effectId, 'sms'), to: contact.phone, text: rendered.sms });
        return { status: 'sent', detail: id };
      }
      case 'push':
        if (!deps.push) return { status: 'skipped', detail: 'web push is not configured' };
        return deps.push.sendToUser(contact.userId, rendered.push, effectId);
      case 'in_app': {
        const tickets = job.tickets.map((t) => ({ ticketId: t.ticketId, ticketTypeId: t.ticketTypeId, token: t.token }));
        const alert: NotificationAlert = {
          id: effectId,
          template: job.template,
          bookingId: job.bookingId,
          ...rendered.inApp,
          ...(tickets.length > 0 ? { tickets } : {}),
          at: deps.clock(),
        };
        await deps.inApp(contact.userId, alert);
        return { status: 'sent', detail: null };
      }
    }
  }

  async function deliver(effect: EffectRow): Promise<NotifyReport> {
    const parsed = NotifyPayload.safeParse(effect.payload);
    if (!parsed.success) {
      log.error('notify effect is malformed; skipped', { effectId: effect.effectId });
      return {};
    }
    const payload = parsed.data;
    const contact = await deps.contacts.contact(payload.visitorId);
    if (!contact) {
      log.warn('no contact for the person; notification skipped', { effectId: effect.effectId, userId: payload.visitorId });
      return {};
    }
    // Support's resend was asked for by the visitor: it goes out whatever their preferences say.
    const asked = payload.template === 'booking.tickets_resent';
    const channels = TEMPLATE_CHANNELS[payload.template].filter((c) => asked || contact.preferences[c]);
    if (channels.length === 0) return {};
    const job = await prepare(effect.effectId, payload, contact);
    if (!job) {
      log.info('notification no longer applies; skipped', { effectId: effect.effectId, template: payload.template });
      // A resend reports its outcome (support's page follows it): settle it as skipped.
      if (asked) {
        const skipped: SendOutcome = { status: 'skipped', detail: "the booking's tickets no longer admit" };
        return { email: await sendOnce(deps.store, { effectId: effect.effectId, channel: 'email' }, { clock: deps.clock, leaseMs }, () => Promise.resolve(skipped)) };
      }
      return {};
    }
    const report: NotifyReport = {};
    const failures: unknown[] = [];
    for (const channel of channels) {
      try {
        report[channel] = await sendOnce(deps.store, { effectId: effect.effectId, channel }, { clock: deps.clock, leaseMs }, () => send(channel, job));
        if (report[channel] === 'failed' || report[channel] === 'skipped') {
          log.warn('notification not delivered on a channel', { effectId: effect.effectId, channel, result: report[channel] });
        }
      } catch (error) {
        failures.push(error);
        log.warn('notification channel failed; will retry', { effectId: effect.effectId, channel, error: String(error) });
      }
    }
    if (failures.length > 0) throw failures[0];
    return report;
  }

  /** A resend's answer: what it carries, and how far its email got (no receipt yet: accepted). */
  function resendOf(bookingId: string, reference: string, email: string, tickets: number, receipt: Receipt | undefined): TicketsResend {
    return {
      bookingId,
      reference,
      email,
      tickets,
      status: receipt ? RESEND_STATUS[receipt.status] : 'accepted',
      attempts: receipt?.attempts ?? 0,
      detail: receipt?.detail ?? null,
      updatedAt: receipt?.updatedAt ?? null,
    };
  }

  async function resendTickets(bookingId: string, by: ResendBy): Promise<Result<TicketsResend>> {
    const read = await deps.host.read(bookingDefinition, bookingId);
    if (!read.ok) return read;
    const notPaid = () => refuse('booking.not_paid', `booking ${bookingId} is ${read.data.state}: it has no tickets that admit`);
    if (!hasTag(read.data, 'admits')) return notPaid();
    const contact = await deps.contacts.contact(read.data.context.visitorId);
    if (!contact?.email) return refuse('account.invalid', 'the visitor has no email address to send the tickets to');
    const asked = await deps.host.send('booking', bookingId, { type: 'booking.resend_tickets', adminId: by.adminId, at: deps.clock() }, { who: by.who });
    if (!asked.ok) return asked.code === 'event.rejected' ? notPaid() : asked;
    // The resend transition emits exactly one effect, the notify: index 0 of the committed version.
    const reference = `booking/${bookingId}@${asked.data.version}#0`;
    return accept(resendOf(bookingId, reference, contact.email, read.data.context.quantity, undefined));
  }

  async function resendStatus(bookingId: string, reference: string): Promise<Result<TicketsResend>> {
    const version = /^booking\/(.+)@(\d+)#0$/.exec(reference);
    if (!version || version[1] !== bookingId) return refuse('event.invalid', `reference: not a resend of booking ${bookingId}`);
    const booking = await deps.host.read(bookingDefinition, bookingId);
    if (!booking.ok) return booking;
    const contact = await deps.contacts.contact(booking.data.context.visitorId);
    if (!contact?.email) return refuse('account.invalid', 'the visitor has no email address');
    const receipt = (await deps.store.receipts.ofEffect(reference)).find((r) => r.channel === 'email');
    return accept(resendOf(bookingId, reference, contact.email, booking.data.context.quantity, receipt));
  }

  return {
    deliver,
    resendTickets,
    resendStatus,
    effectHandlers: {
      notify: async (effect) => {
        await deliver(effect);
      },
    },
  };
}
