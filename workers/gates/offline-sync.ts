/**
 * Offline scans uploaded by a gate that was cut off from the hub: they happened, so they are
 * recorded at their own time, in upload order, each once.
 *
 *   scan ─▶ shown refused / already used ──────────────────▶ not recorded (nobody went through)
 *        ─▶ identify: token verified at the scan's time (signature, kid, typ, iss, aud, window + grace)
 *                     band resolved to its ticket ──fail──▶ not recorded (+ alert if admitted)
 *        ─▶ read the ticket: unknown / other booking / other zone ─▶ not recorded (+ alert if admitted)
 *        ─▶ host.send('ticket', id, ticket.offline_scan, eventId scan:<nonce>)
 *             ok (new or duplicate) ─▶ recorded; doubleEntry = the ticket lists this nonce as a double entry
 *                                      first entry ─▶ booking.check_in (eventId checkin:<bookingId>:<nonce>)
 *             event.rejected ─▶ revoked ─▶ ticket.revoked (+ alert if admitted)
 *                               exit while the hub has it out ─▶ ticket.not_inside
 *
 * The event id is the one an online scan with the same nonce uses, so a scan that reached the hub
 * online and again in an upload, or an upload retried after a lost ack, applies once and answers
 * alike. A double entry is the ticket actor's call (entry while inside or used); its effect reaches
 * staff as a `double_entry` floor alert through the visit service. An admission the hub refuses
 * (revoked, unknown, forged, wrong zone) raises `offline_admit_refused` here, keyed by the nonce so
 * a re-upload repeats the same alert id.
 */
import { decodeJwt } from 'jose';
import type { FloorAlert } from '../../machines/contract/floor-alert.js';
import type { GateSynced, OfflineScan, OfflineScanResult } from '../../machines/contract/wire.js';
import { RETRYABLE_SYNC_CODES } from '../../machines/contract/wire.js';
import type { ErrorCode } from '../../machines/errors.js';
import { TicketContext } from '../../machines/ticket.schemas.js';
import type { ActorHost } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import { TICKET } from '../tickets/ticket-service.js';
import type { TicketTokens } from '../tickets/ticket-token.js';
import type { WristbandService } from '../wristbands/wristband-service.js';

/** What the sync service needs. */
export interface OfflineSyncDeps {
  host: Pick<ActorHost, 'send' | 'read'>;
  tickets: Pick<TicketTokens, 'verify'>;
  /** Resolves band taps; without it uploaded band scans are refused. */
  bands?: Pick<WristbandService, 'resolve'>;
  /** Raises a floor alert to staff (the same sink as the runtime's floor alerts). */
  alert: (alert: FloorAlert) => void;
  clock: () => number;
  log: Logger;
}

/** One upload: the scans in the order the gate made them; gate and zone from the device token. */
export interface OfflineSyncRequest {
  scans: readonly OfflineScan[];
  gateId: string;
  zone?: string;
}

/** Records offline scans. */
export interface OfflineSync {
  sync(request: OfflineSyncRequest, deviceId: string): Promise<GateSynced>;
}

/** How far ahead of the hub's clock a device's scan time may be. */
export const MAX_SCAN_CLOCK_AHEAD_MS = 5 * 60_000;

const RETRYABLE: ReadonlySet<ErrorCode> = new Set(RETRYABLE_SYNC_CODES);

type Refused = Extract<OfflineScanResult, { recorded: false }>;

/** Creates the sync service. */
export function createOfflineSync(deps: OfflineSyncDeps): OfflineSync {
  const { host, log } = deps;

  async function identify(scan: OfflineScan): Promise<{ ticketId: string; bookingId: string } | Refused> {
    const refused = (code: ErrorCode, message: string): Refused => ({ nonce: scan.nonce, recorded: false, code, message });
    if (scan.band !== undefined) {
      if (deps.bands === undefined) return refused('internal', 'this hub node cannot resolve wristbands');
      const resolved = await deps.bands.resolve(scan.band);
      return resolved.ok ? { ticketId: resolved.data.ticketId, bookingId: resolved.data.bookingId } : refused(resolved.code, resolved.message);
    }
    if (scan.token === undefined) return refused('event.invalid', 'a scan carries a token or a band');
    // The scan happened at `at`: the ticket's window is judged then, not now.
    const verified = await deps.tickets.verify(scan.token, scan.at);
    if (!verified.ok) return refused(verified.code, verified.message);
    return { ticketId: verified.claims.ticketId, bookingId: verified.claims.bookingId };
  }

  async function checkIn(bookingId: string, scan: OfflineScan, gateId: string, who: string): Promise<void> {
    const event = { type: 'booking.check_in', at: scan.at, gateId };
    const sent = await host.send('booking', bookingId, event, { who, eventId: `checkin:${bookingId}:${scan.nonce}` });
    // Already checked in (another member of the party, or the visit moved on): nothing to do.
    if (!sent.ok && sent.code !== 'event.rejected') log.warn('booking check-in failed after an offline admission', { bookingId, code: sent.code, message: sent.message });
  }

  /** Applies one scan; answers its result and, once known, the ticket it presented. */
  async function apply(scan: OfflineScan, request: OfflineSyncRequest, who: string): Promise<OfflineScanResult & { known?: string }> {
    const refused = (code: ErrorCode, message: string): Refused => ({ nonce: scan.nonce, recorded: false, code, message });
    if (scan.verdictShown === 'refused' || scan.verdictShown === 'already_used') {
      return refused('event.rejected', `the gate showed ${scan.verdictShown}: nobody went through, nothing to record`);
    }
    if (scan.at > deps.clock() + MAX_SCAN_CLOCK_AHEAD_MS) return refused('event.invalid', 'the scan time is ahead of the hub clock; check the gate clock');
    const presented = await identify(scan);
    if ('recorded' in presented) return presented;
    const { ticketId, bookingId } = presented;
    const refusedFor = (code: ErrorCode, message: string) => ({ ...refused(code, message), known: ticketId });

    const before = await host.read(TICKET, ticketId);
    if (!before.ok) return before.code === 'actor.not_found' ? refusedFor('ticket.invalid', `there is no ticket ${ticketId}`) : refusedFor(before.code, before.message);
    const ticket = TicketContext.safeParse(before.data.context);
    if (!ticket.success || ticket.data.bookingId !== bookingId) return refused('ticket.invalid', 'the ticket does not match its token');
    if (request.zone !== undefined && ticket.data.zone !== undefined && ticket.data.zone !== request.zone) {
      return refusedFor('ticket.wrong_zone', `this ticket is for zone ${ticket.data.zone}; the gate is in zone ${request.zone}`);
    }

    const event = { type: 'ticket.offline_scan', direction: scan.direction, gateId: request.gateId, nonce: scan.nonce, at: scan.at };
    const sent = await host.send(TICKET, ticketId, event, { who, eventId: `scan:${scan.nonce}` });
    if (sent.ok) {
      const after = TicketContext.safeParse(sent.data.context);
      const doubleEntry = after.success && (after.data.doubleEntries ?? []).some((entry) => entry.nonce === scan.nonce);
      // A double entry was counted in by the entry before it; checking in again could reopen a closed visit.
      if (scan.direction === 'entry' && !doubleEntry) await checkIn(bookingId, scan, request.gateId, who);
      return { nonce: scan.nonce, recorded: true, ticketId, doubleEntry };
    }
    if (sent.code === 'actor.not_found') return refusedFor('ticket.invalid', `there is no ticket ${ticketId}`);
    if (sent.code !== 'event.rejected') return refusedFor(sent.code, sent.message);
    const current = await host.read(TICKET, ticketId);
    if (current.ok && current.data.state === 'revoked') {
      const reason = (current.data.context as { revokeReason?: string }).revokeReason ?? 'no reason given';
      return refusedFor('ticket.revoked', `ticket ${ticketId} was revoked (${reason})`);
    }
    if (scan.direction === 'exit') return refusedFor('ticket.not_inside', `the hub has ticket ${ticketId} outside already; nothing to record`);
    return refusedFor('event.rejected', sent.message);
  }

  /** A best-effort ticket id for an alert about a token that did not verify or a band that did not resolve. */
  function claimedTicket(scan: OfflineScan): string {
    if (scan.band !== undefined) return `band:${scan.band}`;
    try {
      const { jti } = decodeJwt(scan.token ?? '');
      return typeof jti === 'string' && jti.length > 0 ? jti.slice(0, 200) : 'unknown';
    } catch {
      return 'unknown';
    }
  }

  return {
    async sync(request, deviceId) {
      const who = `device:${deviceId}`;
      const results: OfflineScanResult[] = [];
      for (const scan of request.scans) {
        const { known, ...result } = await apply(scan, request, who);
        results.push(result);
        if (result.recorded || scan.verdictShown !== 'admitted' || RETRYABLE.has(result.code)) continue;
        const ticketId = known ?? claimedTicket(scan);
        log.warn('an offline gate admitted a ticket the hub refuses', { gateId: request.gateId, ticketId, code: result.code, at: scan.at });
        deps.alert({ type: 'offline_admit_refused', alertId: `offline-admit:${request.gateId}:${scan.nonce}`, ticketId, gateId: request.gateId, at: scan.at, code: result.code, message: result.message });
      }
      return { results };
    },
  };
}
