/**
 * Staff routes on one booking: why it is in its state (every committed event, who sent it, when,
 * and the state before and after, from the actor's event log).
 *
 *   GET /api/admin/bookings/:id/history   staff (booking.read)   {bookingId, events: [...] oldest first}
 */
import { z } from 'zod';
import { accept, refuse } from '../../machines/errors.js';
import type { BookingHistory } from '../../machines/contract/bookings.js';
import type { ActorStore } from '../../workers/store/actor-store.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import type { ApiRoute } from './api-router.js';
import type { HttpAuth } from './http-auth.js';
import { staffRoutes } from './http-auth.js';

const BookingId = z.string().min(1).max(64);

/** The booking staff routes. */
export function bookingAdminRoutes(deps: { auth: HttpAuth; trail: AuditTrail; store: Pick<ActorStore, 'eventLog'> }): ApiRoute[] {
  const staffRoute = staffRoutes(deps.auth, deps.trail);
  return [
    staffRoute(
      'GET',
      '/api/admin/bookings/:id/history',
      (req) => ({ action: 'booking.read', target: `booking/${req.params['id'] ?? ''}` }),
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
  ];
}
