/**
 * Slot windows read from the catalog store: the slot's start and end, labelled with its
 * activity's name for messages ("Wave pool") and its zone for the gates; and the gate rules of
 * ticket types (re-entry or single entry).
 */
import type { CatalogItems, SlotRepository } from '../catalog/catalog-store.js';
import type { SlotWindows } from './slot-windows.js';

/** Adapts the catalog's slot repository (and activity names) to the SlotWindows port. */
export function catalogSlotWindows(catalog: { slots: Pick<SlotRepository, 'get'>; items: Pick<CatalogItems, 'get'> }): SlotWindows {
  return {
    async window(slotId) {
      const slot = await catalog.slots.get(slotId);
      if (!slot) return null;
      const activity = await catalog.items.get('activity', slot.activityId);
      return { startsAt: slot.startsAt, endsAt: slot.endsAt, ...(activity ? { label: activity.name, zone: activity.zone } : {}) };
    },
    async rules(ticketTypeId) {
      const type = await catalog.items.get('ticket_type', ticketTypeId);
      return type ? { reentry: type.reentry } : null;
    },
  };
}
