/**
 * What visitors browse before booking, public and read-only: activities with their ticket types,
 * add-ons, the slots of a day with remaining capacity, and a price quote for a selection. The
 * quote is computed exactly as `booking:hold` prices a hold, so what is shown is what is held.
 *
 *   GET  /api/catalog/activities                         active activities + ticket types on sale
 *   GET  /api/catalog/add-ons                            active add-ons
 *   GET  /api/catalog/activities/:id/slots?date=…        slots of a venue-local day, remaining places
 *   POST /api/catalog/price {slotId, items, addOns?}     lines at catalog prices, approval, seats, total
 */
import { refuse } from '../../machines/errors.js';
import type { CatalogService } from '../../workers/catalog/catalog-service.js';
import { PriceHoldInput } from '../../workers/catalog/catalog-schemas.js';
import type { ApiRoute } from './api-router.js';
import { readJson } from './api-router.js';

/** What the catalog routes need. */
export interface CatalogRoutesDeps {
  catalog: Pick<CatalogService, 'listActivities' | 'listAddOns' | 'listSlots' | 'priceHold' | 'timeZone'>;
}

/** The public catalog routes. */
export function catalogRoutes(deps: CatalogRoutesDeps): ApiRoute[] {
  const { catalog } = deps;
  return [
    {
      method: 'GET',
      pattern: '/api/catalog/activities',
      handler: async () => ({ ok: true, data: { timeZone: catalog.timeZone, activities: await catalog.listActivities() } }),
    },
    {
      method: 'GET',
      pattern: '/api/catalog/add-ons',
      handler: async () => ({ ok: true, data: { addOns: await catalog.listAddOns() } }),
    },
    {
      method: 'GET',
      pattern: '/api/catalog/activities/:id/slots',
      handler: async (req) => {
        const date = req.search.get('date');
        if (date === null) return refuse('event.invalid', 'date: give the venue-local day as ?date=yyyy-mm-dd');
        const slots = await catalog.listSlots(req.params['id'], date);
        return slots.ok ? { ok: true, data: { activityId: req.params['id'], date, timeZone: catalog.timeZone, slots: slots.data } } : slots;
      },
    },
    {
      method: 'POST',
      pattern: '/api/catalog/price',
      handler: async (req) => {
        const body = readJson(PriceHoldInput, req);
        return body.ok ? catalog.priceHold(body.data) : body;
      },
    },
  ];
}
