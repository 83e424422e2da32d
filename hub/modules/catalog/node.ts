/**
 * The catalog module on a node: the catalog store, the venue's time zone and how many days ahead
 * slots are generated (SLOT_HORIZON_DAYS); once the runtime runs, the slots of the coming days are kept generated. It
 * lends the catalog store (tickets' slot windows, offline gate bundles, the menu, cancellations).
 */
import { z } from 'zod';
import { keepSlotsGenerated } from '../../../workers/catalog/catalog-service.js';
import { catalogRuntime } from '../../../workers/catalog/catalog.module.js';
import type { CatalogStore } from '../../../workers/catalog/catalog-store.js';
import { openCatalogStore } from '../../../workers/catalog/open-catalog-store.js';
import { integer } from '../../env-fields.js';
import { nodePartOf } from '../node-part.js';

/** The catalog module's variables. */
export const CatalogSettings = z.object({ SLOT_HORIZON_DAYS: integer('SLOT_HORIZON_DAYS', 1, 90, 7) });

/** What the catalog module lends. */
export interface CatalogLends {
  readonly store: CatalogStore;
}

export const catalogNode = nodePartOf(catalogRuntime, {
  settings: CatalogSettings,
  async open({ config, store: choice, clock, log }, settings) {
    const store = await openCatalogStore(choice);
    return {
      wiring: { store, timeZone: config.VENUE_TIME_ZONE, horizonDays: settings.SLOT_HORIZON_DAYS },
      lends: { store } satisfies CatalogLends,
      started(runtime) {
        const catalog = runtime.service(catalogRuntime);
        if (catalog === undefined) return undefined;
        const keeper = keepSlotsGenerated(catalog, clock, log.child({ part: 'catalog' }));
        return () => keeper.stop();
      },
      close: () => store.close(),
    };
  },
});
