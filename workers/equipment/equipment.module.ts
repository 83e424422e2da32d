/**
 * The equipment module: rental items (the equipment actor) handed out against a band, overdue
 * alerts, reservations for a booking's rental add-ons, the equipment read model and the `rentals`
 * feed of the items out, and the counts of each type pushed to the desks that watch them.
 */
import { BookingEffect } from '../../machines/booking.schemas.js';
import { EquipmentEffect } from '../../machines/equipment.schemas.js';
import { equipmentDefinition } from '../../machines/equipment.machine.js';
import { equipmentRoom } from '../fanout/change-rooms.js';
import { toRooms } from '../fanout/outbound.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { equipmentProjection } from '../projections/venue-projections.js';
import { wristbandsRuntime } from '../wristbands/wristbands.module.js';
import { equipmentEffectHandlers } from './equipment-alerts.js';
import type { EquipmentService } from './equipment-service.js';
import { createEquipmentService } from './equipment-service.js';
import { rentalsFeed } from './rentals-feed.js';

const ADDONS = effectPayloads(BookingEffect, 'addons.reserve', 'addons.release');

/** How long rentals last. */
export interface EquipmentWiring {
  /** How long a rental lasts before it is overdue; default 4 hours. */
  rentalMs?: number;
}

export const equipmentRuntime: RuntimeModule<EquipmentService, EquipmentWiring> = {
  name: 'equipment',
  machines: [equipmentDefinition],
  effects: { ...effectPayloads(EquipmentEffect, 'equipment.overdue'), ...ADDONS },
  projections: () => [equipmentProjection],
  feeds: [rentalsFeed],
  start(ctx) {
    const log = ctx.log.child({ part: 'floor' });
    const rentalMs = ctx.wiring?.rentalMs;
    const equipment = createEquipmentService({
      host: ctx.host,
      ledger: ctx.ledger,
      bands: ctx.service(wristbandsRuntime),
      clock: ctx.clock,
      log,
      ...(rentalMs === undefined ? {} : { rentalMs }),
    });
    return {
      service: equipment,
      effects: {
        ...equipmentEffectHandlers({ onOverdue: (a) => ctx.alert({ type: 'equipment_overdue', ...a }), log }),
        'addons.reserve': async (effect) => {
          const reserve = BookingEffect.parse({ type: effect.type, ...effect.payload });
          if (reserve.type !== 'addons.reserve') return;
          const { bookingId } = reserve;
          for (const item of reserve.items) {
            const reserved = await equipment.reserve(bookingId, item.addOnId, item.qty);
            // Short or unknown: the visitor is served at the desk from what is there (walk-up).
            if (!reserved.ok) log.warn('rental add-on not reserved', { bookingId, typeId: item.addOnId, qty: item.qty, code: reserved.code, message: reserved.message });
          }
        },
        'addons.release': async (effect) => {
          const release = BookingEffect.parse({ type: effect.type, ...effect.payload });
          if (release.type === 'addons.release') await equipment.releaseReservations(release.bookingId);
        },
      },
      publishes: (publisher) => equipment.subscribe((level) => publisher.publish(toRooms(equipmentRoom(level.typeId), 'equipment:availability', level))),
    };
  },
};
