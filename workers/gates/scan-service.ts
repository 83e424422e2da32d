/**
 * Gate scans: one verdict per scan, fast, and the same verdict for a retried scan.
 *
 *   band ─▶ resolve the wristband ──unknown / inactive──▶ refused band.unknown / band.inactive
 *        ─▶ (its ticket and booking) the same path as a QR scan
 *   scan ─▶ verify the ticket JWS locally (alg, kid, typ, iss, aud, window) ──fail──▶ refused ticket.invalid
 *        ─▶ read the ticket and its booking (snapshot cache)
 *             gate bound to another zone ─────────────▶ refused ticket.wrong_zone
 *             entry, booking not paid / no longer admits ▶ refused booking.not_paid
 *             exit, rented items of this ticket's band (or of a band of it replaced since), or of the
 *                   whole booking for the last member out ─▶ refused equipment.unreturned (+ the items)
 *        ─▶ host.send('ticket', jti, ticket.scan, eventId scan:<nonce>)
 *             ok (new or duplicate) ─▶ entry: admitted {holder, type, party size, add-ons to collect}
 *                                            (+ booking.check_in, eventId checkin:<stay>; the ticket's
 *                                            ticket.entered effect sends the same, so a crash here loses nothing;
 *                                            a booking already checked in gets no check-in, and the ticket's
 *                                            commit leaves ticket.entered out while the booking is unchanged)
 *                                      exit:  exited
 *             event.rejected ──────▶ read the ticket: revoked ─▶ refused ticket.revoked
 *                                                     used (single entry) ─▶ refused ticket.used
 *                                                     inside + entry ─▶ already_used {at, gateId} of the last entry
 *                                                     outside + exit ─▶ refused ticket.not_inside
 *             actor.not_found ─────▶ refused ticket.invalid
 *
 * The single-use rule lives in the ticket actor: the host serialises commands per actor and commits
 * with a version check, so two gates (on any nodes) scanning one ticket get exactly one admission.
 * A retry with the same nonce is a duplicate of the applied scan and answers as the first did (the
 * checks before the send read state that a duplicate does not change, so they answer alike too).
 */
import { bookingDefinition } from '../../machines/booking.machine.js';
import { hasTag } from '../../machines/actor-definition.js';
import type { ErrorCode } from '../../machines/errors.js';
import type { AddOnToCollect } from '../../machines/contract/gates.js';
import type { BookingContext } from '../../machines/booking.schemas.js';
import { ticketSeqs } from '../../machines/booking.money.js';
import type { ScanDirection, TicketContext } from '../../machines/ticket.schemas.js';
import { stayHoldId } from '../../machines/ticket.machine.js';
import type { ActorHost } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import { TICKET } from '../tickets/ticket-service.js';
import type { TicketTokens } from '../tickets/ticket-token.js';
import { WRISTBAND } from '../wristbands/wristband-service.js';
import type { WristbandService } from '../wristbands/wristband-service.js';

/** One scan as the gate reports it; gateId and zone come from the device's token, never the payload. */
export interface ScanRequest {
  /** The ticket's QR payload; exactly one of token and band. */
  token?: string;
  /** The UID of a tapped wristband. */
  band?: string;
  nonce: string;
  direction: ScanDirection;
  gateId: string;
  zone?: string;
  /** Epoch ms of the scan on the device. */
  at: number;
}


/** A rented item still out, which blocks the exit until returned or charged by staff. */
export interface UnreturnedItem {
  itemId: string;
  typeId: string;
  bandUid?: string;
}

/** The answer a gate shows. */
export type ScanVerdict =
  | {
      verdict: 'admitted';
      ticketId: string;
      bookingId: string;
      ticketTypeId: string;
      holderName?: string;
      /** The booking visitor's name, when known. */
      visitorName?: string;
      /** People the booking admits in all (the party this ticket belongs to). */
      partySize: number;
      /** Extras booked with the visit, to hand over at the gate. */
      addOns: AddOnToCollect[];
      /** False for a single-entry ticket (the gate says "no re-entry"). */
      reentry: boolean;
    }
  | { verdict: 'exited'; ticketId: string; bookingId: string }
  | { verdict: 'refused'; code: ErrorCode; message: string; unreturned?: UnreturnedItem[] }
  | { verdict: 'already_used'; ticketId: string; at: number; gateId: string };

/** What the scan service needs. */
export interface ScanServiceDeps {
  host: Pick<ActorHost, 'send' | 'read'>;
  tickets: Pick<TicketTokens, 'verifyNow'>;
  /** Resolves band taps; without it every band scan is refused. */
  bands?: Pick<WristbandService, 'resolve'>;
  /** Rented items a booking still has out; without it exits are never blocked. */
  rentals?: { unreturned(bookingId: string): Promise<UnreturnedItem[]> };
  /** The visitor's display name for the admitted verdict; optional. */
  visitorName?: (visitorId: string) => Promise<string | undefined>;
  clock: () => number;
  log: Logger;
}

/** Scans tickets at gates. */
export interface ScanService {
  scan(request: ScanRequest, deviceId: string): Promise<ScanVerdict>;
}

function refused(code: ErrorCode, message: string): ScanVerdict {
  return { verdict: 'refused', code, message };
}

/** The booking check-in of one stay: the gate and the entry effect send it with this id, so it applies once. */
export function checkInEventId(ticketId: string, nonce: string): string {
  return `checkin:${stayHoldId(ticketId, { nonce, at: 0 })}`;
}

/** How long a visitor's display name is reused for the admitted verdicts of the party. */
const NAME_TTL_MS = 60_000;
const NAMES_KEPT = 5_000;

/** Creates the scan service. */
export function createScanService(deps: ScanServiceDeps): ScanService {
  const { host, log } = deps;
  const names = new Map<string, { name: string | undefined; at: number }>();

  /** The visitor's display name, looked up once per party arriving (the members scan within seconds). */
  async function nameOf(visitorId: string): Promise<string | undefined> {
    if (deps.visitorName === undefined) return undefined;
    const now = deps.clock();
    const kept = names.get(visitorId);
    if (kept !== undefined && now - kept.at < NAME_TTL_MS) return kept.name;
    const name = await deps.visitorName(visitorId).catch(() => undefined);
    if (names.size >= NAMES_KEPT) names.clear();
    names.set(visitorId, { name, at: now });
    return name;
  }

  async function checkIn(bookingId: string, ticketId: string, request: ScanRequest, who: string): Promise<void> {
    const event = { type: 'booking.check_in', at: request.at, gateId: request.gateId };
    // The same event id as the check-in that follows the ticket's own entry effect (whichever lands first).
    const sent = await host.send('booking', bookingId, event, { who, eventId: checkInEventId(ticketId, request.nonce) });
    // Already checked in (another member of the party, or checked out): nothing to do.
    if (!sent.ok && sent.code !== 'event.rejected') log.warn('booking check-in failed after an admission', { bookingId, code: sent.code, message: sent.message });
  }

  /** The ticket and booking a scan presents, or the refusal. */
  async function identify(request: ScanRequest): Promise<{ ticketId: string; bookingId: string } | ScanVerdict> {
    if (request.band !== undefined) {
      if (request.token !== undefined) return refused('event.invalid', 'a scan carries a token or a band, not both');
      if (deps.bands === undefined) return refused('internal', 'this hub node cannot resolve wristbands');
      const resolved = await deps.bands.resolve(request.band);
      if (!resolved.ok) return refused(resolved.code, resolved.message);
      return { ticketId: resolved.data.ticketId, bookingId: resolved.data.bookingId };
    }
    if (request.token === undefined) return refused('event.invalid', 'a scan carries a token or a band');
    // Validity is judged by our clock: the device's clock only dates the passage.
    const verified = deps.tickets.verifyNow(request.token, deps.clock());
    if (!verified.ok) return refused(verified.code, verified.message);
    return { ticketId: verified.claims.ticketId, bookingId: verified.claims.bookingId };
  }

  /** Items that keep this ticket from leaving: those on its band, and all of the booking's if it is the last one inside. */
  async function blockingItems(ticket: TicketContext): Promise<UnreturnedItem[]> {
    if (deps.rentals === undefined) return [];
    const out = await deps.rentals.unreturned(ticket.bookingId);
    if (out.length === 0) return out;
    const mine: UnreturnedItem[] = [];
    for (const item of out) if (await rentedBy(item, ticket)) mine.push(item);
    if (mine.length > 0) return mine;
    return (await othersInside(ticket)) ? [] : out;
  }

  /** Was the item rented with this ticket's band, or with a band of this ticket that was since replaced? */
  async function rentedBy(item: UnreturnedItem, ticket: TicketContext): Promise<boolean> {
    if (item.bandUid === undefined || item.bandUid === '') return false;
    if (item.bandUid === ticket.bandUid) return true;
    const band = await host.read(WRISTBAND, item.bandUid);
    return band.ok && (band.data.context as { ticketId?: unknown }).ticketId === ticket.ticketId;
  }

  async function othersInside(ticket: TicketContext): Promise<boolean> {
    const booking = await host.read('booking', ticket.bookingId);
    const seqs = booking.ok ? ticketSeqs(booking.data.context as BookingContext) : [];
    for (const seq of seqs) {
      const id = `${ticket.bookingId}-t${String(seq)}`;
      if (id === ticket.ticketId) continue;
      const other = await host.read(TICKET, id);
      if (other.ok && other.data.state === 'inside') return true;
    }
    return false;
  }

  return {
    async scan(request, deviceId) {
      const presented = await identify(request);
      if ('verdict' in presented) return presented;
      const { ticketId, bookingId } = presented;

      const before = await host.read(TICKET, ticketId);
      if (!before.ok) return before.code === 'actor.not_found' ? refused('ticket.invalid', `there is no ticket ${ticketId}`) : refused(before.code, before.message);
      // The host validated the stored snapshot when it restored it: the context is typed, not parsed again.
      const ticket = { data: before.data.context as TicketContext };
      if (ticket.data.bookingId !== bookingId) return refused('ticket.invalid', 'the ticket does not match its token');
      if (request.zone !== undefined && ticket.data.zone !== undefined && ticket.data.zone !== request.zone) {
        return refused('ticket.wrong_zone', `this ticket is for zone ${ticket.data.zone}; this gate is in zone ${request.zone}`);
      }
      const bookingRead = await host.read(bookingDefinition, bookingId);
      if (!bookingRead.ok) return refused('ticket.invalid', `ticket ${ticketId} has no readable booking ${bookingId}`);
      const booking = { data: bookingRead.data.context };
      if (request.direction === 'entry' && bookingRead.data.state === 'checked_out') {
        return refused('ticket.used', `the visit of booking ${bookingId} was closed at ${String(booking.data.checkedOutAt ?? '?')}`);
      }
      if (request.direction === 'entry' && !hasTag(bookingRead.data, 'admits')) {
        return refused('booking.not_paid', `booking ${bookingId} is ${bookingRead.data.state}: its tickets do not admit`);
      }
      if (request.direction === 'exit' && before.data.state === 'inside') {
        const items = await blockingItems(ticket.data);
        if (items.length > 0) {
          const list = items.map((item) => item.itemId).join(', ');
          return { verdict: 'refused', code: 'equipment.unreturned', message: `return or settle the rented items first: ${list}`, unreturned: items };
        }
      }

      const who = `device:${deviceId}`;
      const event = { type: 'ticket.scan', direction: request.direction, gateId: request.gateId, nonce: request.nonce, at: request.at };
      // A party member entering a booking already checked in: the entry's ticket.entered effect
      // would find nothing to do, so it is not written while the booking stays as read here.
      const omitEffects =
        request.direction === 'entry' && hasTag(bookingRead.data, 'inside')
          ? { types: ['ticket.entered'], whileUnchanged: { kind: bookingDefinition.kind, id: bookingId, version: bookingRead.data.version } }
          : undefined;
      const sent = await host.send(TICKET, ticketId, event, { who, eventId: `scan:${request.nonce}`, ...(omitEffects === undefined ? {} : { omitEffects }) });

      if (sent.ok) {
        const context = { data: sent.data.context as TicketContext };
        if (request.direction === 'exit') return { verdict: 'exited', ticketId, bookingId };
        // The first member in checks the booking in (and a re-entry during the check-out grace).
        if (hasTag(bookingRead.data, 'admits') && !hasTag(bookingRead.data, 'inside')) await checkIn(bookingId, ticketId, request, who);
        const { ticketTypeId, holderName, reentry } = context.data;
        const visitorName = await nameOf(booking.data.visitorId);
        return {
          verdict: 'admitted',
          ticketId,
          bookingId,
          ticketTypeId,
          ...(holderName === undefined ? {} : { holderName }),
          ...(visitorName === undefined ? {} : { visitorName }),
          partySize: booking.data.quantity,
          addOns: (booking.data.addOns ?? []).map(({ addOnId, kind, qty }) => ({ addOnId, kind, qty })),
          reentry: reentry !== false,
        };
      }
      if (sent.code === 'actor.not_found') return refused('ticket.invalid', `there is no ticket ${ticketId}`);
      if (sent.code !== 'event.rejected') return refused(sent.code, sent.message);

      const current = await host.read(TICKET, ticketId);
      if (!current.ok) return refused(current.code, current.message);
      const context = { data: current.data.context as TicketContext };
      if (current.data.state === 'revoked') return refused('ticket.revoked', `ticket ${ticketId} was revoked (${context.data.revokeReason ?? 'no reason given'})`);
      if (current.data.state === 'used') return refused('ticket.used', `ticket ${ticketId} is single entry and was used (out at ${String(context.data.lastExit?.at ?? '?')})`);
      const last = context.data.lastEntry;
      if (request.direction === 'entry' && current.data.state === 'inside' && last !== undefined) {
        return { verdict: 'already_used', ticketId, at: last.at, gateId: last.gateId };
      }
      if (request.direction === 'exit') return refused('ticket.not_inside', `ticket ${ticketId} has not been scanned in`);
      return refused('event.rejected', sent.message);
    },
  };
}
