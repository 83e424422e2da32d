/**
 * Gate scans: one verdict per scan, fast, and the same verdict for a retried scan.
 *
 *   band ─▶ resolve the wristband ──unknown / inactive──▶ refused band.unknown / band.inactive
 *        ─▶ (its ticket and booking) the same ticket.scan path as a QR scan
 *   scan ─▶ verify the ticket JWS locally (alg, kid, typ, iss, aud, window) ──fail──▶ refused ticket.invalid
 *        ─▶ host.send('ticket', jti, ticket.scan, eventId scan:<nonce>)
 *             ok (new or duplicate) ─▶ entry: admitted (+ booking.check_in, eventId checkin:<bookingId>)
 *                                      exit:  exited
 *             event.rejected ──────▶ read the ticket: revoked ─▶ refused ticket.revoked
 *                                                     inside + entry ─▶ already_used {at, gateId} of the last entry
 *                                                     outside + exit ─▶ refused ticket.not_inside
 *             actor.not_found ─────▶ refused ticket.invalid
 *
 * The single-use rule lives in the ticket actor: the host serialises commands per actor and commits
 * with a version check, so two gates (on any nodes) scanning one ticket get exactly one admission.
 * A retry with the same nonce is a duplicate of the applied scan and answers as the first did.
 */
import type { ErrorCode } from '../../machines/errors.js';
import { TicketContext } from '../../machines/ticket.schemas.js';
import type { ScanDirection } from '../../machines/ticket.schemas.js';
import type { ActorHost } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import { TICKET } from '../tickets/ticket-service.js';
import type { TicketTokens } from '../tickets/ticket-token.js';
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

/** The answer a gate shows. */
export type ScanVerdict =
  | { verdict: 'admitted'; ticketId: string; bookingId: string; ticketTypeId: string; holderName?: string }
  | { verdict: 'exited'; ticketId: string; bookingId: string }
  | { verdict: 'refused'; code: ErrorCode; message: string }
  | { verdict: 'already_used'; ticketId: string; at: number; gateId: string };

/** What the scan service needs. */
export interface ScanServiceDeps {
  host: Pick<ActorHost, 'send' | 'read'>;
  tickets: Pick<TicketTokens, 'verify'>;
  /** Resolves band taps; without it every band scan is refused. */
  bands?: Pick<WristbandService, 'resolve'>;
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

/** Creates the scan service. */
export function createScanService(deps: ScanServiceDeps): ScanService {
  const { host, log } = deps;

  async function checkIn(bookingId: string, at: number, gateId: string, who: string): Promise<void> {
    const sent = await host.send('booking', bookingId, { type: 'booking.check_in', at, gateId }, { who, eventId: `checkin:${bookingId}` });
    // Already checked in (another ticket of the party, or checked out): nothing to do.
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
    const verified = await deps.tickets.verify(request.token, deps.clock());
    if (!verified.ok) return refused(verified.code, verified.message);
    return { ticketId: verified.claims.ticketId, bookingId: verified.claims.bookingId };
  }

  return {
    async scan(request, deviceId) {
      const presented = await identify(request);
      if ('verdict' in presented) return presented;
      const { ticketId, bookingId } = presented;
      const who = `device:${deviceId}`;
      const event = { type: 'ticket.scan', direction: request.direction, gateId: request.gateId, nonce: request.nonce, at: request.at };
      const sent = await host.send(TICKET, ticketId, event, { who, eventId: `scan:${request.nonce}` });

      if (sent.ok) {
        const context = TicketContext.safeParse(sent.data.context);
        if (!context.success || context.data.bookingId !== bookingId) return refused('ticket.invalid', 'the ticket does not match its token');
        if (request.direction === 'exit') return { verdict: 'exited', ticketId, bookingId };
        await checkIn(bookingId, request.at, request.gateId, who);
        const { ticketTypeId, holderName } = context.data;
        return { verdict: 'admitted', ticketId, bookingId, ticketTypeId, ...(holderName === undefined ? {} : { holderName }) };
      }
      if (sent.code === 'actor.not_found') return refused('ticket.invalid', `there is no ticket ${ticketId}`);
      if (sent.code !== 'event.rejected') return refused(sent.code, sent.message);

      const current = await host.read(TICKET, ticketId);
      if (!current.ok) return refused(current.code, current.message);
      const context = TicketContext.safeParse(current.data.context);
      if (!context.success || context.data.bookingId !== bookingId) return refused('ticket.invalid', 'the ticket does not match its token');
      if (current.data.state === 'revoked') return refused('ticket.revoked', `ticket ${ticketId} was revoked (${context.data.revokeReason ?? 'no reason given'})`);
      const last = context.data.lastEntry;
      if (request.direction === 'entry' && current.data.state === 'inside' && last !== undefined) {
        return { verdict: 'already_used', ticketId, at: last.at, gateId: last.gateId };
      }
      if (request.direction === 'exit') return refused('ticket.not_inside', `ticket ${ticketId} has not been scanned in`);
      return refused('event.rejected', sent.message);
    },
  };
}
