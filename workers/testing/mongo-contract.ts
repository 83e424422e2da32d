/**
 * Runs a store's contract suite against MongoDB when MONGO_URL is set: every store the suite opens
 * gets a fresh database, dropped after the run. Without MONGO_URL the suite is skipped, loudly,
 * saying how to run it.
 */
import { randomUUID } from 'node:crypto';
import { createConnection } from 'mongoose';
import { afterAll, describe } from 'vitest';

/** Registers `contract(name, open)` for MongoDB, or a loud skip when no server is configured. */
export function describeMongoContract<S>(
  what: string,
  contract: (name: string, open: () => Promise<S>) => void,
  connect: (options: { url: string; dbName: string }) => Promise<S>,
): void {
  const url = process.env['MONGO_URL'];
  if (url === undefined || url === '') {
    console.warn(`SKIPPED: MongoDB ${what} contract suite — set MONGO_URL=mongodb://127.0.0.1:27017 to run it`);
    describe.skip(`${what} contract: mongo (needs MONGO_URL)`, () => {
      contract('mongo', () => Promise.reject(new Error('MONGO_URL is not set')));
    });
    return;
  }
  const run = randomUUID().slice(0, 8);
  const databases: string[] = [];
  const prefix = what.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  contract('mongo', async () => {
    const dbName = `venue_hub_${prefix}_test_${run}_${databases.length}`;
    databases.push(dbName);
    return connect({ url, dbName });
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
