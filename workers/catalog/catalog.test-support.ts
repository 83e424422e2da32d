/**
 * A real catalog service for tests: the actor store (ledger, audit) and the catalog store on one
 * SQLite file in a temp directory, and a manual clock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../logger.js';
import type { ActorStore } from '../store/actor-store.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import type { CatalogStore } from './catalog-store.js';
import { createCatalogService, type CatalogService } from './catalog-service.js';
import { openSqliteCatalogStore } from './sqlite-catalog-store.js';

/** A catalog under test. */
export interface CatalogHarness {
  catalog: CatalogService;
  store: CatalogStore;
  actors: ActorStore;
  now: { value: number };
  /** Opens a second service over the same file (another start of the node). */
  reopen(): CatalogService;
  close(): Promise<void>;
}

/** The super admin every test acts as. */
export const SUPER = { userId: 'admin-1', role: 'super_admin' } as const;

/** Opens a fresh catalog starting at `start` (epoch ms). */
export async function openCatalogHarness(start: number): Promise<CatalogHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'venue-hub-catalog-service-'));
  const file = join(dir, 'hub.db');
  const actors = openSqliteActorStore({ file });
  const store = openSqliteCatalogStore({ file });
  const now = { value: start };
  const make = () => createCatalogService({ store, ledger: actors.ledger, audit: actors.audit, clock: () => now.value, timeZone: 'Asia/Riyadh', log: silentLogger });
  return {
    catalog: make(),
    store,
    actors,
    now,
    reopen: make,
    async close() {
      await store.close();
      await actors.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
