/**
 * Staff HTTP routes for the venue floor: locker pools and manual assignment, rental items, and
 * closing a visit by hand. Every route is gated by role and every refusal is audited.
 *
 *   POST  /api/admin/lockers                           super_admin     define a pool {zone, size, ids}
 *   POST  /api/admin/lockers/:id/assign                front desk      {band}: this locker to this band's booking
 *   POST  /api/admin/lockers/:id/release               front desk      free it now
 *   POST  /api/admin/lockers/:id/out-of-service        front desk      (a free locker only)
 *   POST  /api/admin/lockers/:id/back-in-service       front desk
 *   POST  /api/admin/equipment                         super_admin     define items {typeId, items: [{itemId, zone?}]}
 *   POST  /api/admin/equipment/:id/charge              front desk      {reason}: settle an item not coming back
 *   POST  /api/admin/equipment/:id/repaired            front desk
 *   POST  /api/admin/equipment/:id/out-of-service      front desk      {note?}
 *   POST  /api/admin/bookings/:id/check-out            front desk      close the visit now (refused while items are out)
 *
 * Front desk: super, booking and support admins.
 */
import { z } from 'zod';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import { LockerSize } from '../../machines/locker.schemas.js';
import type { LockerContext } from '../../machines/locker.schemas.js';
import type { ActorHost } from '../../workers/actors/actor-host.js';
import type { EquipmentService } from '../../workers/equipment/equipment-service.js';
import type { Logger } from '../../workers/logger.js';
import type { LockerService } from '../../workers/lockers/locker-service.js';
import type { AuditLog } from '../../workers/store/actor-store.js';
import type { WristbandService } from '../../workers/wristbands/wristband-service.js';
import { createAuditTrail } from '../policy/audit-trail.js';
import type { ApiRequest, ApiRoute } from './api-router.js';
import { readJson } from './api-router.js';
import type { HttpAuth } from './http-auth.js';
import { staffRoutes } from './http-auth.js';

export interface FloorAdminDeps extends HttpAuth {
  host: Pick<ActorHost, 'read' | 'send'>;
  lockers: Pick<LockerService, 'defineLockers' | 'claim' | 'release' | 'outOfService' | 'backInService' | 'list'>;
  equipment: Pick<EquipmentService, 'defineItems' | 'charge' | 'repaired' | 'outOfService' | 'unreturned'>;
  bands: Pick<WristbandService, 'resolve'>;
  audit: Pick<AuditLog, 'append'>;
  clock?: () => number;
  log: Logger;
}


const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'letters, digits and _ . : - only' });
const BandUid = z.string().regex(/^[A-Za-z0-9:-]{4,64}$/, { error: 'a wristband UID (4–64 of letters, digits, : and -)' });
const LockerPool = z.strictObject({ zone: Id, size: LockerSize, ids: z.array(Id).min(1).max(2_000) });
const Assign = z.strictObject({ band: BandUid });
const Items = z.strictObject({ typeId: Id, items: z.array(z.strictObject({ itemId: Id, zone: Id.optional() })).min(1).max(2_000) });
const Charge = z.strictObject({ reason: z.string().trim().min(1).max(500) });
const Note = z.strictObject({ note: z.string().trim().min(1).max(500).optional() });

/** The staff routes of the venue floor. */
export function floorAdminRoutes(deps: FloorAdminDeps): ApiRoute[] {
  const clock = deps.clock ?? Date.now;
  const trail = createAuditTrail({ audit: deps.audit, clock, log: deps.log });
  const staffRoute = staffRoutes({ tokens: deps.tokens, revocations: deps.revocations }, trail);
  const idOf = (req: ApiRequest): Result<string> => {
    const id = Id.safeParse(req.params['id']);
    return id.success ? accept(id.data) : refuse('event.invalid', 'id: letters, digits and _ . : - only');
  };
  const who = (by: { userId: string }) => `user:${by.userId}`;
  const lockerTarget = (req: ApiRequest) => `locker/${req.params['id'] ?? ''}`;
  const itemTarget = (req: ApiRequest) => `equipment/${req.params['id'] ?? ''}`;

  /** Runs `act` on the path's id once the body parsed. */
  function withId<T>(req: ApiRequest, act: (id: string) => Promise<Result<T>>): Promise<Result<T>> {
    const id = idOf(req);
    return id.ok ? act(id.data) : Promise.resolve(id);
  }

  return [
    staffRoute('POST', '/api/admin/lockers', () => ({ action: 'locker.define', target: null }), async (by, req) => {
      const body = readJson(LockerPool, req);
      if (!body.ok) return body;
      await trail.allow(by, 'locker.define', `lockers/${body.data.zone}/${body.data.size}`, { count: body.data.ids.length });
      return deps.lockers.defineLockers(body.data.zone, body.data.size, body.data.ids, who(by));
    }, true),

    staffRoute('POST', '/api/admin/lockers/:id/assign', (req) => ({ action: 'locker.assign', target: lockerTarget(req) }), (by, req) =>
      withId(req, async (lockerId) => {
        const body = readJson(Assign, req);
        if (!body.ok) return body;
        const locker = await deps.host.read('locker', lockerId);
        if (!locker.ok) return locker;
        const band = await deps.bands.resolve(body.data.band);
        if (!band.ok) return band;
        const { zone, size } = locker.data.context as LockerContext;
        const request = { zone, size, bandUid: body.data.band, bookingId: band.data.bookingId, visitorId: band.data.visitorId };
        await trail.allow(by, 'locker.assign', `locker/${lockerId}`, { band: body.data.band, bookingId: band.data.bookingId });
        return deps.lockers.claim(request, `desk:${lockerId}:${String(locker.data.version)}`, who(by), lockerId);
      }),
    ),

    staffRoute('POST', '/api/admin/lockers/:id/release', (req) => ({ action: 'locker.release', target: lockerTarget(req) }), (by, req) =>
      withId(req, async (lockerId) => {
        await trail.allow(by, 'locker.release', `locker/${lockerId}`);
        return deps.lockers.release(lockerId, who(by));
      }),
    ),

    staffRoute('POST', '/api/admin/lockers/:id/out-of-service', (req) => ({ action: 'locker.out_of_service', target: lockerTarget(req) }), (by, req) =>
      withId(req, (lockerId) => deps.lockers.outOfService(lockerId, who(by))),
    ),

    staffRoute('POST', '/api/admin/lockers/:id/back-in-service', (req) => ({ action: 'locker.back_in_service', target: lockerTarget(req) }), (by, req) =>
      withId(req, (lockerId) => deps.lockers.backInService(lockerId, who(by))),
    ),

    staffRoute('POST', '/api/admin/equipment', () => ({ action: 'equipment.define', target: null }), async (by, req) => {
      const body = readJson(Items, req);
      if (!body.ok) return body;
      await trail.allow(by, 'equipment.define', `equipment-type/${body.data.typeId}`, { count: body.data.items.length });
      return deps.equipment.defineItems(body.data.typeId, body.data.items.map(({ itemId, zone }) => (zone === undefined ? { itemId } : { itemId, zone })), who(by));
    }, true),

    staffRoute('POST', '/api/admin/equipment/:id/charge', (req) => ({ action: 'equipment.charge', target: itemTarget(req) }), (by, req) =>
      withId(req, async (itemId) => {
        const body = readJson(Charge, req);
        if (!body.ok) return body;
        await trail.allow(by, 'equipment.charge', `equipment/${itemId}`, { reason: body.data.reason });
        return deps.equipment.charge(itemId, who(by), body.data.reason);
      }),
    ),

    staffRoute('POST', '/api/admin/equipment/:id/repaired', (req) => ({ action: 'equipment.repaired', target: itemTarget(req) }), (by, req) =>
      withId(req, (itemId) => deps.equipment.repaired(itemId, who(by))),
    ),

    staffRoute('POST', '/api/admin/equipment/:id/out-of-service', (req) => ({ action: 'equipment.out_of_service', target: itemTarget(req) }), (by, req) =>
      withId(req, (itemId) => {
        const body = readJson(Note, req);
        return body.ok ? deps.equipment.outOfService(itemId, who(by), body.data.note) : Promise.resolve(body);
      }),
    ),

    staffRoute('POST', '/api/admin/bookings/:id/check-out', (req) => ({ action: 'booking.check_out', target: `booking/${req.params['id'] ?? ''}` }), (by, req) =>
      withId(req, async (bookingId) => {
        const out = await deps.equipment.unreturned(bookingId);
        if (!out.ok) return out;
        if (out.data.length > 0) {
          return refuse('equipment.unreturned', `return or charge the rented items first: ${out.data.map((item) => item.itemId).join(', ')}`);
        }
        await trail.allow(by, 'booking.check_out', `booking/${bookingId}`);
        return deps.host.send('booking', bookingId, { type: 'booking.check_out', at: clock() }, { who: who(by), eventId: null });
      }),
    ),
  ];
}
