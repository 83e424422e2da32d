/**
 * The bookings module: the booking actor, its capacity effects, the bookings read model (the
 * bookings search and the review queue) and the sweep that gives back holds nobody booked.
 */
import { BookingEffect } from '../../machines/booking.schemas.js';
import { bookingDefinition } from '../../machines/booking.machine.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { bookingsProjection } from '../projections/venue-projections.js';
import type { BookingService } from './booking-service.js';
import { createBookingService } from './booking-service.js';

export const bookingsRuntime: RuntimeModule<BookingService> = {
  name: 'bookings',
  machines: [bookingDefinition],
  effects: effectPayloads(BookingEffect, 'capacity.release', 'capacity.confirm', 'capacity.move'),
  projections: () => [bookingsProjection],
  start(ctx) {
    const { wiring } = ctx;
    const bookings = createBookingService({
      host: ctx.host,
      ledger: ctx.ledger,
      clock: ctx.clock,
      timings: wiring.timings,
      log: ctx.log,
      capacityChanged: (slotId) => ctx.availability.changed(slotId),
      ...(wiring.holdLimits === undefined ? {} : { holdLimits: wiring.holdLimits }),
    });
    const orphanHoldMs = wiring.orphanHoldMs ?? 60_000;
    let sweep: NodeJS.Timeout | undefined;
    return {
      service: bookings,
      effects: bookings.effectHandlers,
      background: {
        start() {
          sweep = setInterval(() => {
            bookings.releaseOrphans(orphanHoldMs).catch((error: unknown) => ctx.log.error('orphan hold sweep failed', { error: String(error) }));
          }, Math.max(1_000, orphanHoldMs / 2));
          sweep.unref();
        },
        stop: () => clearInterval(sweep),
      },
    };
  },
};
