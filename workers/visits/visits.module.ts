/**
 * The visits module: occupancy (every ticket commit entering or leaving `inside` moves the zone's
 * and the slot's counters in the same transaction), double entries reported to staff, and the
 * close of a visit (lockers freed, bands deactivated, unused rental reservations given back).
 */
import { BookingEffect } from '../../machines/booking.schemas.js';
import { TicketEffect } from '../../machines/ticket.schemas.js';
import { equipmentRuntime } from '../equipment/equipment.module.js';
import { lockersRuntime } from '../lockers/lockers.module.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { wristbandsRuntime } from '../wristbands/wristbands.module.js';
import type { VisitService } from './visit-service.js';
import { createVisitService, occupancyCounters } from './visit-service.js';

/** How the visits module closes a visit. */
export interface VisitsWiring {
  /** How long after the last member's exit the visit closes; default 15 minutes. */
  checkoutGraceMs?: number;
}

export const visitsRuntime: RuntimeModule<VisitService, VisitsWiring> = {
  name: 'visits',
  counters: { ticket: occupancyCounters },
  effects: { ...effectPayloads(TicketEffect, 'ticket.entered', 'ticket.exited', 'ticket.double_entry'), ...effectPayloads(BookingEffect, 'visit.close') },
  start(ctx) {
    const log = ctx.log.child({ part: 'floor' });
    const lockers = ctx.service(lockersRuntime);
    const wristbands = ctx.service(wristbandsRuntime);
    const equipment = ctx.service(equipmentRuntime);
    const visits = createVisitService({
      host: ctx.host,
      counters: ctx.store,
      checkoutGraceMs: ctx.wiring?.checkoutGraceMs ?? 15 * 60_000,
      releases: {
        lockers: (bookingId, who) => lockers.releaseBooking(bookingId, who),
        band: async (uid, who) => {
          const gone = await wristbands.deactivate(uid, 'returned', who);
          if (!gone.ok && gone.code !== 'band.inactive') log.warn('band not deactivated at check-out', { uid, code: gone.code, message: gone.message });
        },
        reservations: (bookingId) => equipment.releaseReservations(bookingId),
      },
      onDoubleEntry: (entry, effectId) =>
        ctx.alert({
          type: 'double_entry',
          alertId: effectId,
          ticketId: entry.ticketId,
          bookingId: entry.bookingId,
          gateId: entry.gateId,
          at: entry.at,
          state: entry.state,
          ...(entry.previous === undefined ? {} : { previous: { at: entry.previous.at, gateId: entry.previous.gateId } }),
        }),
      clock: ctx.clock,
      log,
    });
    return { service: visits, effects: visits.effectHandlers };
  },
};
