/**
 * Ticket issuing and revocation, driven by the booking's effects, plus the reads the visitor's
 * screen and the QR endpoint need.
 *
 *   booking confirmed ──tickets.issue──▶ read booking (lines, slot) ─▶ slot window ─▶ host.create('ticket', `${bookingId}-t${n}`)
 *   booking cancelled ──tickets.revoke─▶ host.send('ticket', `${bookingId}-t${n}`, ticket.revoke)
 *   paid booking changed ──tickets.revoke (seqs first…last: the old slot's or party's)
 *                        ──tickets.issue ─▶ new tickets numbered after them (the booking's ticketBase)
 *
 * Idempotent by construction: ticket ids are derived from the booking, creation is deduplicated
 * by a per-ticket event id, and a second revoke of a revoked ticket is answered, not applied.
 * The relay delivers a booking's effects in commit order, so tickets exist before the
 * `booking.confirmed` notice that mails them and before any revoke; a booking already cancelled
 * when its issue effect arrives gets no tickets (and a cancel racing the creation is caught by a
 * re-read afterwards).
 */
import { bookingDefinition } from '../../machines/booking.machine.js';
import { hasTag } from '../../machines/actor-definition.js';
import { z } from 'zod';
import { BookingContext } from '../../machines/booking.schemas.js';
import { ticketSeqs } from '../../machines/booking.money.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import { TicketContext, TicketState } from '../../machines/ticket.schemas.js';
import type { TicketInput } from '../../machines/ticket.schemas.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';
import type { EffectRow } from '../store/actor-store.js';
import { renderTicketQr } from './ticket-qr.js';
import type { TicketQrFormat, TicketQrImage } from './ticket-qr.js';
import type { SlotWindows } from './slot-windows.js';
import type { TicketTokens } from './ticket-token.js';

/** The actor kind of tickets. */
export const TICKET = 'ticket';

/** The id of the n-th ticket (1-based) of a booking. */
export function ticketIdOf(bookingId: string, seq: number): string {
  return `${bookingId}-t${seq}`;
}

/** A ticket as the visitor's screen, the mail and the QR endpoint see it. */
export interface TicketView extends TicketContext {
  state: TicketState;
  version: number;
  /** The signed QR payload; present until the ticket is revoked. */
  token?: string;
}

/** What the ticket service needs besides the host. */
export interface TicketWiring {
  slots: SlotWindows;
  tokens: TicketTokens;
}

/** The wiring plus what the runtime supplies. */
export interface TicketServiceDeps extends TicketWiring {
  host: ActorHost;
  clock: () => number;
  log: Logger;
}

/** Ticket reads for screens and the QR endpoint, and the handlers of the booking's ticket effects. */
export interface TicketService {
  /** The tickets issued so far for a booking, in order; empty when none (or no such booking). */
  ticketsOfBooking(bookingId: string): Promise<TicketView[]>;
  /** One ticket, or `actor.not_found`. */
  ticket(ticketId: string): Promise<Result<TicketView>>;
  /** The ticket's QR image; `ticket.revoked` once revoked, `actor.not_found` when unknown. */
  qr(ticketId: string, format: TicketQrFormat): Promise<Result<TicketQrImage>>;
  /** Outbox handlers for `tickets.issue` and `tickets.revoke`. */
  readonly effectHandlers: Readonly<Record<string, EffectHandler>>;
}

const IssuePayload = z.object({ bookingId: z.string().min(1), visitorId: z.string().min(1), quantity: z.number().int().positive() });
const RevokePayload = z.object({
  bookingId: z.string().min(1),
  reason: z.string().min(1).max(200),
  ticketIds: z.array(z.string().min(1)).optional(),
  seqs: z.object({ first: z.number().int().positive(), last: z.number().int().positive() }).optional(),
});
const BookingFacts = BookingContext.pick({ bookingId: true, visitorId: true, slotId: true, lines: true, quantity: true, ticketBase: true });
/** The most tickets one revoke by numbers touches (a booking's whole party is far below it). */
const MAX_REVOKE_RANGE = 10_000;
type BookingFacts = z.infer<typeof BookingFacts>;

const WHO = 'system:tickets';

/** Creates the ticket service. */
export function createTicketService(deps: TicketServiceDeps): TicketService {
  const { host, log } = deps;

  async function readBooking(bookingId: string): Promise<{ state: string; seated: boolean; facts: BookingFacts } | null> {
    const read = await host.read(bookingDefinition, bookingId);
    if (!read.ok) {
      if (read.code === 'actor.not_found') return null;
      throw new Error(`booking ${bookingId} cannot be read: ${read.code} ${read.message}`);
    }
    const facts = BookingFacts.safeParse(read.data.context);
    if (!facts.success) throw new Error(`booking ${bookingId} has a context the ticket service cannot read`);
    return { state: read.data.state, seated: hasTag(read.data, 'seated'), facts: facts.data };
  }

  async function toView(view: ActorView): Promise<TicketView> {
    const context = TicketContext.parse(view.context);
    const state = TicketState.parse(view.state);
    const base: TicketView = { ...context, state, version: view.version };
    return state !== 'revoked' ? { ...base, token: await deps.tokens.sign(context) } : base;
  }

  async function revokeAll(booking: BookingFacts, reason: string, eventId: string): Promise<void> {
    await revokeTickets(ticketSeqs(booking).map((seq) => ticketIdOf(booking.bookingId, seq)), reason, eventId);
  }

  async function revokeTickets(ticketIds: readonly string[], reason: string, eventId: string): Promise<void> {
    for (const ticketId of ticketIds) {
      const sent = await host.send(TICKET, ticketId, { type: 'ticket.revoke', reason, at: deps.clock() }, { who: WHO, eventId });
      // Never issued, or already revoked: both mean this ticket no longer admits.
      if (!sent.ok && sent.code !== 'actor.not_found' && sent.code !== 'event.rejected') {
        throw new Error(`ticket ${ticketId} could not be revoked: ${sent.code} ${sent.message}`);
      }
    }
  }

  async function issue(effect: EffectRow): Promise<void> {
    const payload = IssuePayload.safeParse(effect.payload);
    if (!payload.success) {
      log.error('tickets.issue effect is malformed; skipped', { effectId: effect.effectId });
      return;
    }
    const { bookingId } = payload.data;
    const booking = await readBooking(bookingId);
    if (!booking) {
      log.error('tickets.issue for a booking that does not exist; skipped', { effectId: effect.effectId, bookingId });
      return;
    }
    if (!booking.seated) {
      log.info('booking no longer admits; no tickets issued', { bookingId, state: booking.state });
      return;
    }
    const window = await deps.slots.window(booking.facts.slotId);
    // Thrown, not skipped: a paid booking must end with tickets, so the relay keeps retrying (and logging).
    if (!window) throw new Error(`slot ${booking.facts.slotId} of booking ${bookingId} has no window in the catalog`);
    // One ticket per admitted person: a family pass that admits 4 becomes 4 tickets of its type.
    const types = booking.facts.lines.flatMap((line) => Array.from({ length: line.qty * (line.admits ?? 1) }, () => line.ticketTypeId));
    const rules = new Map<string, boolean | undefined>();
    for (const ticketTypeId of new Set(types)) rules.set(ticketTypeId, (await deps.slots.rules?.(ticketTypeId))?.reentry);
    // A changed booking's tickets are numbered after those of its earlier slot or party.
    const base = booking.facts.ticketBase ?? 0;
    const created: string[] = [];
    for (const [index, ticketTypeId] of types.entries()) {
      const seq = base + index + 1;
      const input: TicketInput = {
        ticketId: ticketIdOf(bookingId, seq),
        bookingId,
        visitorId: booking.facts.visitorId,
        ticketTypeId,
        slotId: booking.facts.slotId,
        seq,
        validFrom: window.startsAt,
        validUntil: window.endsAt,
        issuedAt: deps.clock(),
        ...(window.zone === undefined ? {} : { zone: window.zone }),
        ...(rules.get(ticketTypeId) === false ? { reentry: false } : {}),
      };
      const made = await host.create(TICKET, input.ticketId, input, { who: WHO, eventId: `issue:${input.ticketId}` });
      if (!made.ok && made.code !== 'actor.exists') {
        throw new Error(`ticket ${input.ticketId} could not be created: ${made.code} ${made.message}`);
      }
      created.push(input.ticketId);
    }
    // A cancel (or another change) that committed while the tickets were being created finds none to revoke: do it here.
    const after = await readBooking(bookingId);
    if (after && !after.seated) await revokeTickets(created, `booking.${after.state}`, `revoke:${effect.effectId}`);
    else if (after && (after.facts.ticketBase ?? 0) !== base) await revokeTickets(created, 'booking.changed', `revoke:${effect.effectId}`);
  }

  async function revoke(effect: EffectRow): Promise<void> {
    const payload = RevokePayload.safeParse(effect.payload);
    if (!payload.success) {
      log.error('tickets.revoke effect is malformed; skipped', { effectId: effect.effectId });
      return;
    }
    const { bookingId, reason, ticketIds, seqs } = payload.data;
    const booking = await readBooking(bookingId);
    if (!booking) return;
    const eventId = `revoke:${effect.effectId}`;
    if (seqs !== undefined) {
      // The tickets of the slot or party a change replaced, by their numbers.
      const last = Math.min(seqs.last, seqs.first + MAX_REVOKE_RANGE - 1);
      return revokeTickets(Array.from({ length: Math.max(0, last - seqs.first + 1) }, (_, i) => ticketIdOf(bookingId, seqs.first + i)), reason, eventId);
    }
    if (ticketIds === undefined) return revokeAll(booking.facts, reason, eventId);
    // A partial refund's tickets: only this booking's current ones are touched.
    const own = new Set(ticketSeqs(booking.facts).map((seq) => ticketIdOf(bookingId, seq)));
    await revokeTickets(ticketIds.filter((id) => own.has(id)), reason, eventId);
  }

  async function ticket(ticketId: string): Promise<Result<TicketView>> {
    const read = await host.read(TICKET, ticketId);
    return read.ok ? accept(await toView(read.data)) : read;
  }

  return {
    async ticketsOfBooking(bookingId) {
      const booking = await readBooking(bookingId);
      if (!booking) return [];
      const views: TicketView[] = [];
      for (const seq of ticketSeqs(booking.facts)) {
        const found = await ticket(ticketIdOf(bookingId, seq));
        if (found.ok) views.push(found.data);
        else if (found.code !== 'actor.not_found') throw new Error(`ticket ${ticketIdOf(bookingId, seq)}: ${found.code} ${found.message}`);
      }
      return views;
    },

    ticket,

    async qr(ticketId, format) {
      const found = await ticket(ticketId);
      if (!found.ok) return found;
      if (found.data.token === undefined) return refuse('ticket.revoked', `ticket ${ticketId} was revoked`);
      return accept(await renderTicketQr(found.data.token, format));
    },

    effectHandlers: { 'tickets.issue': issue, 'tickets.revoke': revoke },
  };
}
