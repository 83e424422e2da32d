/**
 * Runs the accounts store contract against MongoDB when MONGO_URL is set; each store gets a
 * fresh database, dropped after the run. Without MONGO_URL it is skipped loudly.
 */
import { randomUUID } from 'node:crypto';
import { createConnection } from 'mongoose';
import { afterAll, describe } from 'vitest';
import { describeAccountStoreContract } from './account-store.contract.js';
import { connectMongoAccountStore } from './mongo-account-store.js';

const url = process.env.MONGO_URL;

if (url === undefined || url === '') {
  console.warn('SKIPPED: MongoDB account store contract suite — set MONGO_URL=mongodb://127.0.0.1:27017 to run it');
  describe.skip('AccountStore contract: mongo (needs MONGO_URL)', () => {
    describeAccountStoreContract('mongo', () => Promise.reject(new Error('MONGO_URL is not set')));
  });
} else {
  const run = randomUUID().slice(0, 8);
  const databases: string[] = [];

  describeAccountStoreContract('mongo', async () => {
    const dbName = `venue_hub_accounts_test_${run}_${databases.length}`;
    databases.push(dbName);
    return connectMongoAccountStore({ url, dbName });
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
