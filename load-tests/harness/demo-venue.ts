/**
 * Places to hold in the demo venue a node seeds with SEED_DEMO=true (see
 * workers/catalog/demo-venue.ts): slots `<activityId>-<yyyy-mm-dd>-<hhmm>` every hour from 10:00
 * to 17:00 for today and the next six venue-local days, capacity 50 each. Only the days from
 * tomorrow to five days ahead (UTC) are used, which lie inside that window in every time zone.
 * The hub prices holds from the catalog; the client names ticket types only. Benches and tests
 * cancel what they hold, so the seats come back.
 */
import type { z } from 'zod';
import type { BookingHold } from '../../machines/contract/wire.js';

/** One demo slot. */
export interface DemoPlace {
  slotId: string;
  activityId: 'wave-pool' | 'lazy-river';
}

/** Demo places, interleaved so that consecutive holds land on different slots. */
export function demoPlaces(now = Date.now()): DemoPlace[] {
  const places: DemoPlace[] = [];
  for (let hour = 10; hour <= 17; hour++) {
    for (let day = 1; day <= 5; day++) {
      const date = new Date(now + day * 86_400_000).toISOString().slice(0, 10);
      for (const activityId of ['wave-pool', 'lazy-river'] as const) places.push({ slotId: `${activityId}-${date}-${String(hour).padStart(2, '0')}00`, activityId });
    }
  }
  return places;
}

/** A hold of one adult ticket at `place` (no approval needed). */
export function oneSeat(bookingId: string, place: DemoPlace): z.input<typeof BookingHold> {
  return { bookingId, slotId: place.slotId, items: [{ ticketTypeId: `${place.activityId}-adult`, qty: 1 }] };
}

/** A hold of one wave-pool family pass, which the catalog marks as needing an admin's approval. */
export function familyPass(bookingId: string, place: DemoPlace): z.input<typeof BookingHold> {
  if (place.activityId !== 'wave-pool') throw new TypeError('family passes are sold for the wave pool only');
  return { bookingId, slotId: place.slotId, items: [{ ticketTypeId: 'wave-pool-family', qty: 1 }] };
}
