/**
 * Runs the catalog store contract against MongoDB when MONGO_URL is set; each store gets a
 * fresh database, dropped after the run. Without MONGO_URL it is skipped loudly.
 */
import { randomUUID } from 'node:crypto';
import { createConnection } from 'mongoose';
import { afterAll, describe } from 'vitest';
import { describeCatalogStoreContract } from './catalog-store.contract.js';
import { connectMongoCatalogStore } from './mongo-catalog-store.js';

const url = process.env.MONGO_URL;

if (url === undefined || url === '') {
  console.warn('SKIPPED: MongoDB catalog store contract suite — set MONGO_URL=mongodb://127.0.0.1:27017 to run it');
  describe.skip('CatalogStore contract: mongo (needs MONGO_URL)', () => {
    describeCatalogStoreContract('mongo', () => Promise.reject(new Error('MONGO_URL is not set')));
  });
} else {
  const run = randomUUID().slice(0, 8);
  const databases: string[] = [];

  describeCatalogStoreContract('mongo', async () => {
    const dbName = `venue_hub_catalog_test_${run}_${databases.length}`;
    databases.push(dbName);
    return connectMongoCatalogStore({ url, dbName });
  });

  afterAll(async () => {
    const connection = await createConnection(url).asPromise();
    try {
      for (const dbName of databases) await connection.useDb(dbName).dropDatabase();
    } finally {
      await connection.close();
    }
  });
}
