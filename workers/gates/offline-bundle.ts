/**
 * The offline bundle: what a gate downloads so that it keeps admitting while the hub is
 * unreachable, for the venue day it is in.
 *
 *   today (venue time zone) ─▶ catalog slots running today ─▶ ledger.holdsOf(slot) (hold id = booking id)
 *     ─▶ host.read booking ─▶ admitting or closed? ─▶ host.read ticket 1..quantity
 *        ─▶ the gate's zone (or no zone)? ─▶ {ticketId, …, state, reentry, band, partySize, addOns, visitorName}
 *     + the ticket keys (public JWKS) and the issuer, so the gate verifies QR tokens itself
 *
 * Revoked tickets of live holds are listed with state `revoked` and in `revoked`; a cancelled or
 * refunded booking gives its seats back, so its tickets usually drop out of the list altogether,
 * and a gate refuses a ticket it does not find (as it does one bought after the download). A
 * booking whose visit was closed lists its tickets as `used`, the way a gate online refuses them;
 * bookings not paid yet have no tickets. The bundle is a snapshot: the gate applies its own scans
 * on top of it and the hub reconciles when they are uploaded.
 */
import { bookingDefinition } from '../../machines/booking.machine.js';
import { hasTag } from '../../machines/actor-definition.js';
import { BookingContext } from '../../machines/booking.schemas.js';
import { OfflineTicketState } from '../../machines/contract/wire.js';
import type { OfflineBundle, OfflineTicket, TicketJwk } from '../../machines/contract/wire.js';
import { accept } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import { TicketContext } from '../../machines/ticket.schemas.js';
import type { ActorHost } from '../actors/actor-host.js';
import type { SlotRepository } from '../catalog/catalog-store.js';
import { addDays, localDate, zonedTime } from '../catalog/venue-time.js';
import type { CapacityLedger } from '../store/actor-store.js';
import { TICKET, ticketIdOf } from '../tickets/ticket-service.js';

/** The gate asking: its id and zone come from its device token. */
export interface OfflineGate {
  gateId: string;
  zone?: string;
}

/** What the bundle service needs. */
export interface OfflineBundleDeps {
  host: Pick<ActorHost, 'read'>;
  ledger: Pick<CapacityLedger, 'holdsOf'>;
  slots: Pick<SlotRepository, 'startingBetween'>;
  /** The public halves of the ticket signing keys (the ticket key ring's JWKS). */
  jwks: () => { keys: TicketJwk[] };
  /** The `iss` of ticket tokens (TOKEN_ISSUER). */
  issuer: string;
  /** IANA zone of the venue (VENUE_TIME_ZONE). */
  timeZone: string;
  /** The visitor's display name, as the online verdict shows it (absent: the bundle carries none). */
  visitorName?: (visitorId: string) => Promise<string | undefined>;
  clock: () => number;
}

/** Builds offline bundles for gates. */
export interface OfflineBundles {
  bundle(gate: OfflineGate): Promise<Result<OfflineBundle>>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The booking state whose tickets are spent (the visit closed). */
const CLOSED = 'checked_out';
/** Booking states whose tickets were (or are being) revoked. */
const REVOKING = new Set(['cancelled', 'refunded']);

/** The venue day around an instant: [start, end) in epoch ms. */
export function venueDay(at: number, timeZone: string): { start: number; end: number } {
  const date = localDate(at, timeZone);
  return { start: zonedTime(date, '00:00', timeZone), end: zonedTime(addDays(date, 1), '00:00', timeZone) };
}

/** Creates the bundle service. */
export function createOfflineBundles(deps: OfflineBundleDeps): OfflineBundles {
  const { host } = deps;

  /** The tickets of one booking as the gate should see them; none when the booking does not admit. */
  async function ticketsOf(bookingId: string, gate: OfflineGate): Promise<OfflineTicket[]> {
    const booking = await host.read(bookingDefinition, bookingId);
    if (!booking.ok) return [];
    const { state } = booking.data;
    if (!hasTag(booking.data, 'admits') && state !== CLOSED && !REVOKING.has(state)) return [];
    const context = BookingContext.safeParse(booking.data.context);
    if (!context.success) return [];
    const found: OfflineTicket[] = [];
    // The same name an online verdict shows, looked up once per booking; a failed lookup only leaves it out.
    const visitorName = deps.visitorName === undefined ? undefined : await deps.visitorName(context.data.visitorId).catch(() => undefined);
    // Tickets a change replaced (numbered before the current ones) are listed too: revoked, so a gate refuses them offline.
    const last = (context.data.ticketBase ?? 0) + context.data.quantity;
    for (let seq = 1; seq <= last; seq++) {
      const read = await host.read(TICKET, ticketIdOf(bookingId, seq));
      if (!read.ok) continue;
      const ticket = TicketContext.safeParse(read.data.context);
      const known = OfflineTicketState.safeParse(read.data.state);
      if (!ticket.success || !known.success) continue;
      const t = ticket.data;
      if (gate.zone !== undefined && t.zone !== undefined && t.zone !== gate.zone) continue;
      const ticketState = known.data;
      const offlineState: OfflineTicketState = ticketState !== 'revoked' && state === CLOSED ? 'used' : ticketState;
      found.push({
        ticketId: t.ticketId,
        bookingId: t.bookingId,
        ticketTypeId: t.ticketTypeId,
        slotId: t.slotId,
        ...(t.zone === undefined ? {} : { zone: t.zone }),
        validFrom: t.validFrom,
        validUntil: t.validUntil,
        state: REVOKING.has(state) && ticketState !== 'revoked' ? 'revoked' : offlineState,
        reentry: t.reentry !== false,
        ...(t.holderName === undefined ? {} : { holderName: t.holderName }),
        ...(visitorName === undefined ? {} : { visitorName }),
        ...(t.bandUid === undefined || ticketState === 'revoked' ? {} : { band: t.bandUid }),
        partySize: context.data.quantity,
        addOns: (context.data.addOns ?? []).map(({ addOnId, kind, qty }) => ({ addOnId, kind, qty })),
      });
    }
    return found;
  }

  return {
    async bundle(gate) {
      const issuedAt = deps.clock();
      const today = venueDay(issuedAt, deps.timeZone);
      // Slots that started yesterday may still run today (an evening slot past midnight).
      const slots = (await deps.slots.startingBetween(today.start - DAY_MS, today.end)).filter((slot) => slot.endsAt > today.start);
      const tickets: OfflineTicket[] = [];
      const seen = new Set<string>();
      for (const slot of slots) {
        for (const hold of await deps.ledger.holdsOf(slot.slotId)) {
          if (seen.has(hold.holdId)) continue;
          seen.add(hold.holdId);
          tickets.push(...(await ticketsOf(hold.holdId, gate)));
        }
      }
      return accept({
        gateId: gate.gateId,
        ...(gate.zone === undefined ? {} : { zone: gate.zone }),
        issuer: deps.issuer,
        issuedAt,
        validUntil: today.end,
        keys: { keys: deps.jwks().keys.map((key) => ({ ...key })) },
        tickets,
        revoked: tickets.filter((t) => t.state === 'revoked').map((t) => t.ticketId),
      });
    },
  };
}
