/**
 * Opens the catalog store next to the actor store of a deployment: the same SQLite file on the
 * embedded default, the same MongoDB database in production. Called from a `main`.
 */
import { sqliteFile, type StoreChoice } from '../open-store.js';
import type { CatalogStore } from './catalog-store.js';
import { connectMongoCatalogStore } from './mongo-catalog-store.js';
import { openSqliteCatalogStore } from './sqlite-catalog-store.js';

/** Opens the catalog store for the chosen deployment. */
export async function openCatalogStore(choice: StoreChoice): Promise<CatalogStore> {
  return choice.kind === 'sqlite' ? openSqliteCatalogStore({ file: sqliteFile(choice.dataDir) }) : connectMongoCatalogStore({ url: choice.url });
}
