/**
 * The demo venue created on first start of the embedded default, so a fresh install has
 * something to book: the water-park catalog of `workers/catalog/demo-venue.ts` and a week of
 * hourly slots with their capacity in the ledger. Idempotent: safe on every start.
 */
import { DEFAULT_PREFERENCES } from '../workers/accounts/account-store.js';
import type { AccountStore } from '../workers/accounts/account-store.js';
import type { CatalogService } from '../workers/catalog/catalog-service.js';
import { defineDemoSlotCapacity, seedDemoCatalog } from '../workers/catalog/demo-venue.js';
import { DEFAULT_VENUE_TIME_ZONE } from '../workers/catalog/venue-time.js';
import type { Logger } from '../workers/logger.js';
import type { Runtime } from '../workers/runtime.js';

/**
 * Seeds the demo venue; returns how many slot capacities were defined. Given only the runtime
 * (no catalog service wired yet), it defines the demo slots' capacity in the ledger alone.
 */
export async function seedDemoVenue(target: { catalog: CatalogService } | Pick<Runtime, 'store'>, log: Logger, now = Date.now()): Promise<number> {
  if ('catalog' in target) return (await seedDemoCatalog(target.catalog, log, now)).defined;
  log.warn('no catalog service wired: defining the demo slots in the ledger only');
  const defined = await defineDemoSlotCapacity(target.store.ledger, now, DEFAULT_VENUE_TIME_ZONE);
  if (defined > 0) log.info('demo slots defined', { slots: defined });
  return defined;
}

/** The demo people whose tokens `npm start` prints: a super admin and a verified visitor. */
export const DEMO_PEOPLE = [
  { userId: 'demo-admin', name: 'Demo Admin', role: 'super_admin' },
  { userId: 'demo-visitor', name: 'Demo Visitor', role: 'visitor' },
] as const;

/** Creates the demo people's verified accounts unless they exist. */
export async function seedDemoPeople(store: Pick<AccountStore, 'users'>, now = Date.now()): Promise<void> {
  for (const person of DEMO_PEOPLE) {
    if (await store.users.get(person.userId)) continue;
    await store.users.create({
      ...person,
      email: `${person.userId}@venue-hub.local`,
      phone: null,
      emailVerified: true,
      phoneVerified: false,
      status: 'active',
      preferences: { ...DEFAULT_PREFERENCES },
      pushSubscriptions: [],
      createdAt: now,
      updatedAt: now,
    });
  }
}
