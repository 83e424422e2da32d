/**
 * Overdue rentals reach staff: the equipment actor emits `equipment.overdue` when a rental's due
 * timer fires (a durable timer, so it fires after a restart too); the relay hands the outbox row
 * to this handler, which logs it and passes it to `onOverdue` (the hub turns it into a live alert).
 *
 *   due timer ─▶ equipment actor ─emit─▶ outbox row ─relay─▶ handler ─▶ onOverdue(alert)
 *
 * Delivery is at least once: `alertId` (the outbox effect id) is stable across redeliveries, so
 * whoever shows the alert shows each id once.
 */
import { EquipmentOverdue } from '../../machines/equipment.schemas.js';
import type { Logger } from '../logger.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';

/** An item kept past its due time, as staff screens receive it. */
export interface OverdueAlert {
  /** Stable across redeliveries: show each once. */
  alertId: string;
  itemId: string;
  typeId: string;
  bandUid: string;
  bookingId: string;
  dueAt: number;
}

export interface EquipmentAlertDeps {
  onOverdue: (alert: OverdueAlert) => void | Promise<void>;
  log: Logger;
}

/** The outbox handlers for the effects the equipment machine emits; pass them to the runtime's `effectHandlers`. */
export function equipmentEffectHandlers(deps: EquipmentAlertDeps): Readonly<Record<string, EffectHandler>> {
  return {
    'equipment.overdue': async (effect) => {
      const parsed = EquipmentOverdue.safeParse({ type: effect.type, ...effect.payload });
      if (!parsed.success) {
        // Retrying cannot make a malformed row valid; holding it would block this item's later effects.
        deps.log.error('malformed equipment.overdue effect dropped', { effectId: effect.effectId, error: parsed.error.message });
        return;
      }
      const { itemId, typeId, bandUid, bookingId, dueAt } = parsed.data;
      deps.log.warn('equipment overdue', { itemId, typeId, bandUid, bookingId, dueAt });
      await deps.onOverdue({ alertId: effect.effectId, itemId, typeId, bandUid, bookingId, dueAt });
    },
  };
}
