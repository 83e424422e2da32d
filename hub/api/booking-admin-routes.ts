/**
 * Staff routes on one booking: why it is in its state (every committed event, who sent it, when,
 * and the state before and after, from the actor's event log, with a paid change's from → to and
 * money on the events that asked for and paid it), and a booking admin's change of a booking
 * (another slot, another party), priced again from the catalog.
 *
 *   GET  /api/admin/bookings/:id/history          staff (booking.read)              {bookingId, events: [...] oldest first}
 *   POST /api/admin/bookings/:id/change           super, booking admins (audited)   {slotId, items, changeId, priceIncrease?} ─▶ the booking
 *        ─▶ catalog.priceHold(new slot, items, the booking's add-ons) ─▶ bookings.change (ledger, then the event)
 *   POST /api/admin/bookings/:id/change/withdraw  super, booking admins (audited)   a paid change still waiting for its difference
 */
import { z } from 'zod';
import { BookingChangeRequest } from '../../machines/contract/bookings.js';
import type { BookingHistory, BookingHistoryChange } from '../../machines/contract/bookings.js';
import type { BookingChangeRecord, BookingContext } from '../../machines/booking.schemas.js';
import { accept, refuse } from '../../machines/errors.js';
import type { ActorHost } from '../../workers/actors/actor-host.js';
import type { BookingsModuleService } from '../../workers/bookings/bookings.module.js';
import type { CatalogService } from '../../workers/catalog/catalog-service.js';
import type { Logger } from '../../workers/logger.js';
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
  host: Pick<ActorHost, 'read'>;
  catalog: Pick<CatalogService, 'priceHold'>;
  bookings: Pick<BookingsModuleService, 'change' | 'withdrawChange' | 'history'>;
  log: Logger;
}

const AUDIT_UNAVAILABLE = 'the audit trail cannot be written right now, so this privileged action was not run; retry shortly';

/** A paid change by the event ids that asked for it (`change:<changeId>`) and paid it (`capture:<paymentId>`). */
function changesByEventId(changes: readonly BookingChangeRecord[] = []): Map<string, BookingHistoryChange> {
  const byEvent = new Map<string, BookingHistoryChange>();
  for (const record of changes) {
    const { at: _at, ...change } = record;
    byEvent.set(`change:${record.changeId}`, change);
    if (record.paymentId !== undefined) byEvent.set(`capture:${record.paymentId}`, change);
  }
  return byEvent;
}

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
        const entries = await deps.bookings.history(id.data);
        if (entries.length === 0) return refuse('actor.not_found', `no booking ${id.data}`);
        const booking = await deps.host.read('booking', id.data);
        const changes = changesByEventId(booking.ok ? (booking.data.context as BookingContext).changes : []);
        const answer: BookingHistory = {
          bookingId: id.data,
          events: entries.map((entry) => {
            const change = entry.eventId === null ? undefined : changes.get(entry.eventId);
            return { version: entry.version, eventType: entry.eventType, who: entry.who, at: entry.at, from: entry.from, to: entry.to, ...(change === undefined ? {} : { change }) };
          }),
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
        const detail = {
          from: { slotId: context.slotId, people: context.quantity, total: context.total },
          to: { slotId: body.data.slotId, people: priced.data.seats, total: priced.data.total },
          state: booking.data.state,
          difference: priced.data.total - context.total,
          ...(body.data.priceIncrease === undefined ? {} : { priceIncrease: body.data.priceIncrease }),
        };
        if (!(await deps.trail.allow(by, 'booking.change', target(id.data), detail))) return refuse('store.unavailable', AUDIT_UNAVAILABLE);
        const { lines, requiresApproval, startsAt } = priced.data;
        const changed = await deps.bookings.change(
          id.data,
          {
            slotId: body.data.slotId,
            lines: lines.map(({ ticketTypeId, qty, unitPrice, admits }) => ({ ticketTypeId, qty, unitPrice, admits })),
            ...(priced.data.addOns.length === 0 ? {} : { addOns: priced.data.addOns.map(({ addOnId, kind, qty, unitPrice }) => ({ addOnId, kind, qty, unitPrice })) }),
            requiresApproval,
            startsAt,
          },
          { who: `user:${by.userId}`, adminId: by.userId, changeId: body.data.changeId, ...(body.data.priceIncrease === undefined ? {} : { priceIncrease: body.data.priceIncrease }) },
        );
        if (!changed.ok) await deps.trail.failed(by, 'booking.change', target(id.data), changed);
        return changed;
      },
    ),
    staffRoute(
      'POST',
      '/api/admin/bookings/:id/change/withdraw',
      (req) => ({ action: 'booking.change', target: target(req.params['id']) }),
      async (by, req) => {
        const id = BookingId.safeParse(req.params['id']);
        if (!id.success) return refuse('event.invalid', 'id: a booking id (1–64 characters)');
        const body = readJson(z.strictObject({}), req);
        if (!body.ok) return body;
        if (!(await deps.trail.allow(by, 'booking.change', target(id.data), { withdraw: true }))) return refuse('store.unavailable', AUDIT_UNAVAILABLE);
        const withdrawn = await deps.bookings.withdrawChange(id.data, { who: `user:${by.userId}`, adminId: by.userId });
        if (!withdrawn.ok) await deps.trail.failed(by, 'booking.change', target(id.data), withdrawn);
        return withdrawn;
      },
    ),
  ];
}
