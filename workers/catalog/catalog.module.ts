/**
 * The catalog module: activities, schedules, ticket types, add-ons and menu entities, and the
 * slots generated from them (each slot's capacity defined in the capacity ledger). Its service is
 * built on the catalog store the runtime is wired with and on the actor store's ledger and audit
 * log (reached through the module context); without `catalog` in the wiring the module runs no
 * service.
 */
import type { RuntimeModule } from '../modules/runtime-module.js';
import type { CatalogService } from './catalog-service.js';
import { createCatalogService } from './catalog-service.js';

export const catalogRuntime: RuntimeModule<CatalogService | undefined> = {
  name: 'catalog',
  start(ctx) {
    const wiring = ctx.wiring.catalog;
    if (wiring === undefined) return { service: undefined };
    return { service: createCatalogService({ ...wiring, ledger: ctx.store.ledger, audit: ctx.store.audit, log: ctx.log.child({ part: 'catalog' }) }) };
  },
};
