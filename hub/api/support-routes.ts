/**
 * Support's tools on a booking:
 *
 *   POST /api/admin/bookings/:id/resend-tickets               super, support admins (audited)  ─▶ 202 the resend, accepted
 *        ─▶ audit row (allowed) ─▶ notifications.resendTickets: the booking records the request and
 *           emits the email as a notify effect; the outbox relay sends it, retrying while the mail server fails
 *   GET  /api/admin/bookings/:id/resend-tickets?reference=…   super, support admins            ─▶ the resend as it is now
 *
 * The audit row is written before the booking is asked; a request the booking refuses leaves a `failed` row.
 */
import { z } from 'zod';
import { ResendQuery } from '../../machines/contract/bookings.js';
import { refuse } from '../../machines/errors.js';
import type { NotificationService } from '../../workers/notifications/notification-service.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import type { ApiRoute } from './api-router.js';
import type { HttpAuth } from './http-auth.js';
import { staffRoutes } from './http-auth.js';

const BookingId = z.string().min(1).max(64);

/** What the support routes need. */
export interface SupportRoutesDeps {
  auth: HttpAuth;
  trail: AuditTrail;
  notifications: Pick<NotificationService, 'resendTickets' | 'resendStatus'>;
}

/** The support routes. */
export function supportRoutes(deps: SupportRoutesDeps): ApiRoute[] {
  const staffRoute = staffRoutes(deps.auth, deps.trail);
  const target = (id: string | undefined) => `booking/${id ?? ''}`;
  return [
    {
      ...staffRoute(
        'POST',
        '/api/admin/bookings/:id/resend-tickets',
        (req) => ({ action: 'booking.resend_tickets', target: target(req.params['id']) }),
        async (by, req) => {
          const id = BookingId.safeParse(req.params['id']);
          if (!id.success) return refuse('event.invalid', 'id: a booking id (1–64 characters)');
          if (!(await deps.trail.allow(by, 'booking.resend_tickets', target(id.data)))) {
            return refuse('store.unavailable', 'the audit trail cannot be written right now, so nothing was sent; retry shortly');
          }
          const asked = await deps.notifications.resendTickets(id.data, { adminId: by.userId, who: `user:${by.userId}` });
          if (!asked.ok) await deps.trail.failed(by, 'booking.resend_tickets', target(id.data), asked);
          return asked;
        },
      ),
      accepted: true,
    },
    staffRoute(
      'GET',
      '/api/admin/bookings/:id/resend-tickets',
      (req) => ({ action: 'booking.resend_tickets', target: target(req.params['id']) }),
      async (_by, req) => {
        const id = BookingId.safeParse(req.params['id']);
        if (!id.success) return refuse('event.invalid', 'id: a booking id (1–64 characters)');
        const query = ResendQuery.safeParse(Object.fromEntries(req.search));
        if (!query.success) return refuse('event.invalid', 'reference: the reference the resend was answered with');
        return deps.notifications.resendStatus(id.data, query.data.reference);
      },
    ),
  ];
}
