/**
 * The bookings module: the booking actor, its capacity effects, the bookings read model (the
 * bookings search and the review queue) and the sweep that gives back holds nobody booked. Its
 * service also reads, for the edge, the places of slots and who holds them, and a booking's history.
 */
import { BookingEffect } from '../../machines/booking.schemas.js';
import { bookingDefinition } from '../../machines/booking.machine.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { bookingsProjection } from '../projections/venue-projections.js';
import type { CapacityLedger, EventLogEntry } from '../store/actor-store.js';
import { bookingActivity, reviewsFeed } from './booking-feeds.js';
import type { BookingService } from './booking-service.js';
import { createBookingService } from './booking-service.js';

/** What the bookings module offers: the booking service and the reads its routes answer from. */
export interface BookingsModuleService extends BookingService {
  /** Slots' places and who holds them (the capacity ledger, read only). */
  readonly places: Pick<CapacityLedger, 'level' | 'holdsOf' | 'holdsOfHolder'>;
  /** A booking's event log, oldest first: who did what, when. */
  history(bookingId: string): Promise<EventLogEntry[]>;
}

export const bookingsRuntime: RuntimeModule<BookingsModuleService> = {
  name: 'bookings',
  machines: [bookingDefinition],
  effects: effectPayloads(BookingEffect, 'capacity.release', 'capacity.confirm', 'capacity.move'),
  projections: () => [bookingsProjection],
  feeds: [bookingActivity, reviewsFeed],
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
    const { ledger } = ctx.store;
    const places: BookingsModuleService['places'] = {
      level: (slotId) => ledger.level(slotId),
      holdsOf: (slotId) => ledger.holdsOf(slotId),
      holdsOfHolder: (holder) => ledger.holdsOfHolder(holder),
    };
    return {
      service: { ...bookings, places, history: (bookingId) => ctx.store.eventLog('booking', bookingId) },
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
