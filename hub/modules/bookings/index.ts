/**
 * Bookings: holds (priced by the catalog), submission, review, cancellation under the refund
 * policy, a slot's places, and the bookings read model (search, review queue).
 */
import { bookingsRuntime } from '../../../workers/bookings/bookings.module.js';
import { foodRuntime } from '../../../workers/food/food.module.js';
import type { BookingsModuleService } from '../../../workers/bookings/bookings.module.js';
import { bookingAdminRoutes } from '../../api/booking-admin-routes.js';
import { cancelRoutes } from '../../api/cancel-routes.js';
import { holdRoutes } from '../../api/hold-routes.js';
import { policyRows } from '../../policy/policy-table.js';
import { availabilityRoutes } from '../../socket/availability.js';
import { commandRoutes } from '../../socket/commands.js';
import type { PreOrders } from '../../socket/commands.js';
import { pickRoutes } from '../pick-routes.js';
import type { EdgeContext, VenueModule } from '../venue-module.js';
import { catalogRuntime } from '../../../workers/catalog/catalog.module.js';
import type { BookingsWiring } from '../../../workers/bookings/bookings.module.js';
import { catalogModule } from '../catalog/index.js';
import type { BookingsLends } from './node.js';
import { bookingsNode } from './node.js';

/** The food module's pre-orders, when it runs on this node. */
function preOrdersOf({ runtime }: EdgeContext): PreOrders | undefined {
  if (!runtime.modules.some((m) => m.name === foodRuntime.name)) return undefined;
  const food = runtime.service(foodRuntime);
  return { place: (visitorId, bookingId, request, startsAt) => food.placePreOrder(visitorId, bookingId, request, startsAt) };
}

export const bookingsModule: VenueModule<BookingsModuleService, BookingsWiring, BookingsLends> = {
  ...bookingsRuntime,
  node: bookingsNode,
  policy: policyRows('booking.watch', 'booking.hold', 'booking.submit', 'booking.cancel', 'booking.cancel_refund', 'booking.approve', 'booking.reject', 'booking.change', 'holds.read'),
  socket: (ctx) => ({
    ...pickRoutes(
      commandRoutes({
        host: ctx.runtime.host,
        bookings: ctx.runtime.bookings,
        accounts: ctx.accounts,
        catalog: ctx.catalog,
        revocations: ctx.runtime.access.revocations,
        preOrders: preOrdersOf(ctx),
        trail: ctx.trail,
        io: ctx.io,
        metrics: ctx.metrics,
        clock: ctx.clock,
        log: ctx.log,
      }),
      'actor:command',
      'booking:hold',
    ),
    ...availabilityRoutes({ ledger: ctx.runtime.bookings.places, clock: ctx.clock, trail: ctx.trail }),
  }),
  http({ node, runtime, trail, authenticate, log }) {
    const catalog = runtime.service(catalogRuntime);
    if (node === undefined || catalog === undefined) return [];
    const { refundPolicy } = node.services.lent(bookingsModule);
    return [
      ...cancelRoutes({ authenticate, host: runtime.host, slots: node.services.lent(catalogModule).store.slots, policy: refundPolicy, clock: Date.now }),
      ...holdRoutes({ tokens: node.tokens, revocations: runtime.access.revocations, ledger: runtime.bookings.places, trail }),
      ...bookingAdminRoutes({
        auth: { tokens: node.tokens, revocations: runtime.access.revocations },
        trail,
        host: runtime.host,
        catalog,
        bookings: runtime.bookings,
        log,
      }),
    ];
  },
};
