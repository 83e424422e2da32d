/**
 * The demo venue created on first start of the embedded default, so a fresh install has
 * something to book: the water-park catalog of `workers/catalog/demo-venue.ts` and a week of
 * hourly slots with their capacity in the ledger. Idempotent: safe on every start.
 */
import { DEFAULT_PREFERENCES } from '../workers/accounts/account-store.js';
import type { AccountStore } from '../workers/accounts/account-store.js';
import type { CatalogService } from '../workers/catalog/catalog-service.js';
import { seedDemoCatalog } from '../workers/catalog/demo-venue.js';
import type { Logger } from '../workers/logger.js';
import type { Runtime } from '../workers/runtime.js';

/** Seeds the demo venue through the catalog service; returns how many slot capacities were defined. */
export async function seedDemoVenue(target: { catalog: CatalogService }, log: Logger, now = Date.now()): Promise<number> {
  return (await seedDemoCatalog(target.catalog, log, now)).defined;
}

/**
 * The demo people whose tokens `npm start` prints: a super admin and a verified visitor. The demo
 * admin's address is never verified, so no sign-in code is ever sent for it: the only way in is
 * the token printed on the console of the machine that started the hub.
 */
export const DEMO_PEOPLE = [
  { userId: 'demo-admin', name: 'Demo Admin', role: 'super_admin', emailVerified: false },
  { userId: 'demo-visitor', name: 'Demo Visitor', role: 'visitor', emailVerified: true },
] as const;

/** Creates the demo people's accounts unless they exist. */
export async function seedDemoPeople(store: Pick<AccountStore, 'users'>, now = Date.now()): Promise<void> {
  for (const person of DEMO_PEOPLE) {
    if (await store.users.get(person.userId)) continue;
    await store.users.create({
      ...person,
      email: `${person.userId}@venue-hub.local`,
      phone: null,
      phoneVerified: false,
      status: 'active',
      preferences: { ...DEFAULT_PREFERENCES },
      language: 'en',
      pushSubscriptions: [],
      createdAt: now,
      updatedAt: now,
    });
  }
}

/** The demo venue's lockers (zone, size, ids) and rental items (type, ids). */
export const DEMO_LOCKERS = [
  { zone: 'waterpark', size: 'medium', ids: Array.from({ length: 40 }, (_, i) => `L-${String(i + 1).padStart(3, '0')}`) },
  { zone: 'waterpark', size: 'large', ids: Array.from({ length: 10 }, (_, i) => `L-${String(i + 41).padStart(3, '0')}`) },
  { zone: 'kids', size: 'small', ids: Array.from({ length: 20 }, (_, i) => `K-${String(i + 1).padStart(3, '0')}`) },
] as const;
export const DEMO_EQUIPMENT = [
  { typeId: 'tube-rental', items: Array.from({ length: 20 }, (_, i) => ({ itemId: `TUBE-${String(i + 1).padStart(3, '0')}`, zone: 'waterpark' })) },
  { typeId: 'towel-rental', items: Array.from({ length: 50 }, (_, i) => ({ itemId: `TOWEL-${String(i + 1).padStart(3, '0')}` })) },
] as const;

/**
 * Defines the demo lockers and rental items. Pool membership lives in each node's memory, so this
 * runs on every start (it creates only what is missing).
 */
export async function seedDemoFloor(runtime: Pick<Runtime, 'lockers' | 'equipment'>, log: Logger): Promise<void> {
  for (const pool of DEMO_LOCKERS) {
    const defined = await runtime.lockers.defineLockers(pool.zone, pool.size, pool.ids);
    if (!defined.ok) log.warn('demo lockers not defined', { zone: pool.zone, size: pool.size, code: defined.code, message: defined.message });
  }
  for (const type of DEMO_EQUIPMENT) {
    const defined = await runtime.equipment.defineItems(type.typeId, type.items);
    if (!defined.ok) log.warn('demo rental items not defined', { typeId: type.typeId, code: defined.code, message: defined.message });
  }
}
