/**
 * The catalog module: activities, schedules, ticket types, add-ons and menu entities, and the
 * slots generated from them (each slot's capacity defined in the capacity ledger). Its service is
 * built on the catalog store and settings it is wired with and on the actor store's ledger and
 * audit log (reached through the module context); unwired, the module runs no service.
 */
import type { RuntimeModule } from '../modules/runtime-module.js';
import type { CatalogService, CatalogServiceDeps } from './catalog-service.js';
import { createCatalogService } from './catalog-service.js';

/** The catalog store and the venue's time zone and slot horizon (the ledger and audit are the actor store's). */
export type CatalogWiring = Omit<CatalogServiceDeps, 'ledger' | 'audit' | 'log'>;

export const catalogRuntime: RuntimeModule<CatalogService | undefined, CatalogWiring> = {
  name: 'catalog',
  start(ctx) {
    const { wiring } = ctx;
    if (wiring === undefined) return { service: undefined };
    return { service: createCatalogService({ ...wiring, ledger: ctx.store.ledger, audit: ctx.store.audit, log: ctx.log.child({ part: 'catalog' }) }) };
  },
};
