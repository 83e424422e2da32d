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
import type { BookingService, BookingTimings, HoldLimits } from './booking-service.js';
import { createBookingService } from './booking-service.js';

/** What the bookings module offers: the booking service and the reads its routes answer from. */
export interface BookingsModuleService extends BookingService {
  /** Slots' places and who holds them (the capacity ledger, read only). */
  readonly places: Pick<CapacityLedger, 'level' | 'holdsOf' | 'holdsOfHolder'>;
  /** A booking's event log, oldest first: who did what, when. */
  history(bookingId: string): Promise<EventLogEntry[]>;
}

/** The deadlines of a booking and the caps on what a visitor may hold. */
export interface BookingsWiring {
  /** How long a hold, a review and a payment may take; default DEFAULT_BOOKING_TIMINGS. */
  timings?: BookingTimings;
  /** Caps on a visitor's unpaid held places (HOLD_MAX_PLACES_PER_SLOT, HOLD_MAX_PLACES); none when omitted. */
  holdLimits?: HoldLimits;
  /** How old a hold without a booking must be before it is given back; default a minute. */
  orphanHoldMs?: number;
}

/** The venue's default deadlines: a 15-minute hold, a day's review, 15 minutes to pay. */
export const DEFAULT_BOOKING_TIMINGS: BookingTimings = { holdMs: 15 * 60_000, reviewMs: 24 * 3_600_000, paymentMs: 15 * 60_000 };

export const bookingsRuntime: RuntimeModule<BookingsModuleService, BookingsWiring> = {
  name: 'bookings',
  machines: [bookingDefinition],
  effects: effectPayloads(BookingEffect, 'capacity.release', 'capacity.confirm', 'capacity.move'),
  projections: () => [bookingsProjection],
  feeds: [bookingActivity, reviewsFeed],
  start(ctx) {
    const wiring = ctx.wiring ?? {};
    const bookings = createBookingService({
      host: ctx.host,
      ledger: ctx.ledger,
      clock: ctx.clock,
      timings: wiring.timings ?? DEFAULT_BOOKING_TIMINGS,
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
