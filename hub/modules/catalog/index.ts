/** The catalog: activities, schedules, ticket types and add-ons, and the slots generated from them. */
import { catalogRoutes } from '../../api/catalog-routes.js';
import { policyRows } from '../../policy/policy-table.js';
import { edgeModule } from '../venue-module.js';

export const catalogModule = edgeModule({
  name: 'catalog',
  policy: policyRows('catalog.create', 'catalog.update'),
  http: ({ node }) => (node === undefined ? [] : catalogRoutes({ catalog: node.services.catalog })),
});
