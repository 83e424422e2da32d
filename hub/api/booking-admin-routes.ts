/**
 * Staff routes on one booking: why it is in its state (every committed event, who sent it, when,
 * and the state before and after, from the actor's event log), and a booking admin's change of a
 * booking not paid yet (another slot, another party), priced again from the catalog.
 *
 *   GET  /api/admin/bookings/:id/history   staff (booking.read)              {bookingId, events: [...] oldest first}
 *   POST /api/admin/bookings/:id/change    super, booking admins (audited)   {slotId, items, changeId} ─▶ the booking
 *        ─▶ catalog.priceHold(new slot, items, the booking's add-ons) ─▶ bookings.change (ledger move, then the event)
 */
import { z } from 'zod';
import { BookingChangeRequest } from '../../machines/contract/bookings.js';
import type { BookingHistory } from '../../machines/contract/bookings.js';
import type { BookingContext } from '../../machines/booking.schemas.js';
import { accept, refuse } from '../../machines/errors.js';
import type { ActorHost } from '../../workers/actors/actor-host.js';
import type { BookingService } from '../../workers/bookings/booking-service.js';
import type { CatalogService } from '../../workers/catalog/catalog-service.js';
import type { Logger } from '../../workers/logger.js';
import type { ActorStore } from '../../workers/store/actor-store.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import type { ApiRoute } from './api-router.js';
import { readJson } from './api-router.js';
import type { HttpAuth } from './http-auth.js';
import { staffRoutes } from './http-auth.js';

const BookingId = z.string().min(1).max(64);

/** What the booking staff routes need. */
export interface BookingAdminDeps {
  auth: HttpAuth;
  trail: AuditTrail;
  store: Pick<ActorStore, 'eventLog'>;
  host: Pick<ActorHost, 'read'>;
  catalog: Pick<CatalogService, 'priceHold'>;
  bookings: Pick<BookingService, 'change'>;
  log: Logger;
}

const AUDIT_UNAVAILABLE = 'the audit trail cannot be written right now, so this privileged action was not run; retry shortly';

/** The booking staff routes. */
export function bookingAdminRoutes(deps: BookingAdminDeps): ApiRoute[] {
  const staffRoute = staffRoutes(deps.auth, deps.trail);
  const target = (id: string | undefined) => `booking/${id ?? ''}`;
  return [
    staffRoute(
      'GET',
      '/api/admin/bookings/:id/history',
      (req) => ({ action: 'booking.read', target: target(req.params['id']) }),
      async (_by, req) => {
        const id = BookingId.safeParse(req.params['id']);
        if (!id.success) return refuse('event.invalid', 'id: a booking id (1–64 characters)');
        const entries = await deps.store.eventLog('booking', id.data);
        if (entries.length === 0) return refuse('actor.not_found', `no booking ${id.data}`);
        const answer: BookingHistory = {
          bookingId: id.data,
          events: entries.map((entry) => ({ version: entry.version, eventType: entry.eventType, who: entry.who, at: entry.at, from: entry.from, to: entry.to })),
        };
        return accept(answer);
      },
    ),
    staffRoute(
      'POST',
      '/api/admin/bookings/:id/change',
      (req) => ({ action: 'booking.change', target: target(req.params['id']) }),
      async (by, req) => {
        const id = BookingId.safeParse(req.params['id']);
        if (!id.success) return refuse('event.invalid', 'id: a booking id (1–64 characters)');
        const body = readJson(BookingChangeRequest, req);
        if (!body.ok) return body;
        const booking = await deps.host.read('booking', id.data);
        if (!booking.ok) return booking;
        const context = booking.data.context as BookingContext;
        // Prices come from the catalog for the new slot; the booking keeps its add-ons, priced again.
        const addOns = (context.addOns ?? []).map(({ addOnId, qty }) => ({ addOnId, qty }));
        const priced = await deps.catalog.priceHold({ slotId: body.data.slotId, items: body.data.items, addOns });
        if (!priced.ok) return priced;
        const detail = { from: { slotId: context.slotId, people: context.quantity, total: context.total }, to: { slotId: body.data.slotId, people: priced.data.seats, total: priced.data.total } };
        if (!(await deps.trail.allow(by, 'booking.change', target(id.data), detail))) return refuse('store.unavailable', AUDIT_UNAVAILABLE);
        const { lines, requiresApproval } = priced.data;
        const changed = await deps.bookings.change(
          id.data,
          {
            slotId: body.data.slotId,
            lines: lines.map(({ ticketTypeId, qty, unitPrice, admits }) => ({ ticketTypeId, qty, unitPrice, admits })),
            ...(priced.data.addOns.length === 0 ? {} : { addOns: priced.data.addOns.map(({ addOnId, kind, qty, unitPrice }) => ({ addOnId, kind, qty, unitPrice })) }),
            requiresApproval,
          },
          { who: `user:${by.userId}`, adminId: by.userId, changeId: body.data.changeId },
        );
        if (!changed.ok) await deps.trail.failed(by, 'booking.change', target(id.data), changed);
        return changed;
      },
    ),
  ];
}
