/** The catalog: activities, schedules, ticket types and add-ons, and the slots generated from them. */
import { catalogRoutes } from '../../api/catalog-routes.js';
import { policyRows } from '../../policy/policy-table.js';
import type { CatalogService } from '../../../workers/catalog/catalog-service.js';
import { catalogRuntime } from '../../../workers/catalog/catalog.module.js';
import type { VenueModule } from '../venue-module.js';

export const catalogModule: VenueModule<CatalogService | undefined> = {
  ...catalogRuntime,
  policy: policyRows('catalog.create', 'catalog.update'),
  http: ({ node }) => (node === undefined ? [] : catalogRoutes({ catalog: node.services.catalog })),
};
