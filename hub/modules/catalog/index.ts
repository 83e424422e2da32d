/** The catalog: activities, schedules, ticket types and add-ons, and the slots generated from them. */
import { catalogRoutes } from '../../api/catalog-routes.js';
import { policyRows } from '../../policy/policy-table.js';
import type { CatalogService } from '../../../workers/catalog/catalog-service.js';
import type { CatalogWiring } from '../../../workers/catalog/catalog.module.js';
import { catalogRuntime } from '../../../workers/catalog/catalog.module.js';
import type { VenueModule } from '../venue-module.js';
import type { CatalogLends } from './node.js';
import { catalogNode } from './node.js';

export const catalogModule: VenueModule<CatalogService | undefined, CatalogWiring, CatalogLends> = {
  ...catalogRuntime,
  node: catalogNode,
  policy: policyRows('catalog.create', 'catalog.update'),
  http({ node, runtime }) {
    const catalog = runtime.service(catalogRuntime);
    return node === undefined || catalog === undefined ? [] : catalogRoutes({ catalog });
  },
};
