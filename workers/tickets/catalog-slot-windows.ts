/**
 * Slot windows read from the catalog store: the slot's start and end, labelled with its
 * activity's name for messages ("Wave pool", and its Arabic name) and its zone for the gates; the
 * gate rules of ticket types (re-entry or single entry) and their names for messages.
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
      const labelAr = activity?.translations?.ar?.name;
      return {
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        ...(activity ? { label: activity.name, zone: activity.zone } : {}),
        ...(labelAr === undefined ? {} : { labelAr }),
      };
    },
    async rules(ticketTypeId) {
      const type = await catalog.items.get('ticket_type', ticketTypeId);
      return type ? { reentry: type.reentry } : null;
    },
    async ticketTypeNames(ticketTypeId) {
      const type = await catalog.items.get('ticket_type', ticketTypeId);
      if (!type) return null;
      const ar = type.translations?.ar?.name;
      return { name: type.name, ...(ar === undefined ? {} : { ar }) };
    },
  };
}
