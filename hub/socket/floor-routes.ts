/**
 * The venue floor besides gates and rental desks: live occupancy, locker banks and wristband
 * activation.
 *
 *   occupancy:subscribe {zones, slotIds} ─▶ join the rooms, then read ─▶ ack {levels}
 *                                           then `occupancy:changed` after every entry and exit
 *   locker:open {lockerId, band} ─▶ mayLocker (locker device, front-desk staff) ─▶ device zone = locker zone?
 *                                ─▶ locker service: the assigned band, or the band that replaced it when it
 *                                   was lost ──no──▶ locker.not_yours; a deactivated band ──▶ band.inactive
 *                                ─▶ ack {lockerId, bandUid, at}: open the door
 *   locker:claim {band, size, nonce} ─▶ mayLocker ─▶ band → booking ─▶ atomic claim in the device's zone
 *                                    ─▶ ack the locker (a retry with the same nonce gets the same one)
 *   band:link {band, token | ticketId, replaces?} ─▶ mayLinkBand (gate device, front-desk staff)
 *                                    ─▶ token verified like a scan (gates must show the QR) ─▶ link / replace
 *
 * Anyone signed in may watch occupancy (visitors see how busy a zone is); the numbers carry no names.
 */
import { hasTag } from '../../machines/actor-definition.js';
import { bookingDefinition } from '../../machines/booking.machine.js';
import { ticketDefinition } from '../../machines/ticket.machine.js';
import type { ActorHost } from '../../workers/actors/actor-host.js';
import type { ActorState, LockerUnlock, OccupancyLevel } from '../../machines/contract/wire.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { LockerContext } from '../../machines/locker.schemas.js';
import { occupancyRoom, occupancyShardOf } from '../../workers/fanout/change-rooms.js';
import type { LockerService } from '../../workers/lockers/locker-service.js';
import type { TicketTokens } from '../../workers/tickets/ticket-token.js';
import type { VisitService } from '../../workers/visits/visit-service.js';
import type { WristbandService } from '../../workers/wristbands/wristband-service.js';
import type { Principal } from '../auth/tokens.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { mayLinkBand, mayLocker, mayWatchCounts } from '../policy/role-policy.js';
import { subjectOf } from '../rooms.js';
import { route } from './inbound.js';
import type { Route } from './inbound.js';

/** What the floor routes need. */
export interface FloorRouteDeps {
  visits: Pick<VisitService, 'inside'>;
  lockers: Pick<LockerService, 'open' | 'claim'> & { read(lockerId: string): Promise<Result<ActorState>> };
  /** Reads bookings and tickets (whether the visit admits). */
  host: Pick<ActorHost, 'read'>;
  bands: Pick<WristbandService, 'link' | 'replace' | 'resolve'>;
  /** Verifies the QR payload a gate shows for `band:link`; without it only staff link (by ticket id). */
  tickets?: Pick<TicketTokens, 'verify'>;
  trail: AuditTrail;
  clock: () => number;
}

export { lockerZoneRoom } from '../../workers/fanout/change-rooms.js';

/** Every occupancy room a subscription names, in this socket's shard. */
function occupancyRooms(
  request: { zones?: string[] | undefined; slotIds?: string[] | undefined },
  socketId: string,
): Array<{ scope: 'zone' | 'slot'; id: string; room: string }> {
  const shard = occupancyShardOf(socketId);
  return [
    ...(request.zones ?? []).map((id) => ({ scope: 'zone' as const, id, room: occupancyRoom('zone', id, shard) })),
    ...(request.slotIds ?? []).map((id) => ({ scope: 'slot' as const, id, room: occupancyRoom('slot', id, shard) })),
  ];
}

/** The zone a device is bound to; staff name it in the payload. */
function zoneOf(principal: Principal, named: string | undefined): string | undefined {
  return principal.kind === 'device' ? principal.scope.zone : named;
}

/** The routes of occupancy, lockers and wristband activation. */
export function floorRoutes(deps: FloorRouteDeps): {
  'occupancy:subscribe': Route;
  'occupancy:unsubscribe': Route;
  'locker:open': Route;
  'locker:claim': Route;
  'band:link': Route;
} {
  /** Bands and lockers are for visits that admit: paid, and not yet checked out. */
  async function bookingAdmits(bookingId: string): Promise<Result<true>> {
    const booking = await deps.host.read(bookingDefinition, bookingId);
    if (!booking.ok) return booking;
    return hasTag(booking.data, 'admits') ? accept(true as const) : refuse('booking.not_paid', `booking ${bookingId} is ${booking.data.state}: no bands or lockers for it`);
  }

  return {
    'occupancy:subscribe': route('occupancy:subscribe', async ({ socket, principal }, request): Promise<Result<{ levels: OccupancyLevel[] }>> => {
      const decision = mayWatchCounts(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'occupancy.watch', null, decision);
      const rooms = occupancyRooms(request, socket.id);
      // Join first, then read: a change between the two is either in the reading or pushed after it.
      await socket.join(rooms.map((r) => r.room));
      const at = deps.clock();
      const levels = await Promise.all(rooms.map(async ({ scope, id }) => ({ scope, id, inside: await deps.visits.inside(scope, id), at })));
      return accept({ levels });
    }),

    'occupancy:unsubscribe': route('occupancy:unsubscribe', async ({ socket }, request) => {
      for (const { room } of occupancyRooms(request, socket.id)) await socket.leave(room);
      return accept({ unsubscribed: true as const });
    }),

    'locker:open': route('locker:open', async ({ principal }, { lockerId, band }): Promise<Result<LockerUnlock>> => {
      const decision = mayLocker(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'locker.open', `locker/${lockerId}`, decision);
      const locker = await deps.lockers.read(lockerId);
      if (!locker.ok) return locker.code === 'actor.not_found' ? refuse('locker.not_yours', `there is no locker ${lockerId}`) : locker;
      const zone = zoneOf(principal, undefined);
      const context = locker.data.context as LockerContext;
      if (zone !== undefined && context.zone !== zone) return refuse('locker.wrong_zone', `locker ${lockerId} is in zone ${context.zone}, not ${zone}`);
      const opened = await deps.lockers.open(lockerId, band, subjectOf(principal));
      if (!opened.ok) {
        return opened.code === 'event.rejected' ? refuse('locker.not_yours', `band ${band} does not open locker ${lockerId}`) : opened;
      }
      return accept({ lockerId, bandUid: band, at: deps.clock() });
    }),

    'locker:claim': route('locker:claim', async ({ principal }, claim): Promise<Result<ActorState>> => {
      const decision = mayLocker(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'locker.claim', null, decision);
      const zone = zoneOf(principal, claim.zone);
      if (zone === undefined) return refuse('event.invalid', principal.kind === 'device' ? 'this locker device is not bound to a zone' : 'name the zone');
      const resolved = await deps.bands.resolve(claim.band);
      if (!resolved.ok) return resolved;
      const { bookingId, visitorId } = resolved.data;
      const admits = await bookingAdmits(bookingId);
      if (!admits.ok) return admits;
      return deps.lockers.claim({ zone, size: claim.size, bandUid: claim.band, bookingId, visitorId }, `claim:${claim.nonce}`, subjectOf(principal));
    }),

    'band:link': route('band:link', async ({ principal }, request): Promise<Result<ActorState>> => {
      const decision = mayLinkBand(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'band.link', `wristband/${request.band}`, decision);
      const who = subjectOf(principal);
      if (request.replaces !== undefined) {
        if (principal.kind === 'device') return refuse('auth.forbidden', 'a lost band is replaced by staff');
        return deps.bands.replace(request.replaces, request.band, who);
      }
      let ticketId = request.ticketId;
      if (request.token !== undefined) {
        if (deps.tickets === undefined) return refuse('internal', 'this hub node cannot verify tickets');
        const verified = await deps.tickets.verify(request.token, deps.clock());
        if (!verified.ok) return refuse(verified.code, verified.message);
        ticketId = verified.claims.ticketId;
      } else if (principal.kind === 'device') {
        return refuse('auth.forbidden', 'a gate links a band to the ticket it scanned: send its token');
      }
      if (ticketId === undefined) return refuse('event.invalid', 'name the ticket');
      const ticket = await deps.host.read(ticketDefinition, ticketId);
      if (ticket.ok) {
        const admits = await bookingAdmits(ticket.data.context.bookingId);
        if (!admits.ok) return admits;
      }
      return deps.bands.link(request.band, ticketId, who);
    }),
  };
}
