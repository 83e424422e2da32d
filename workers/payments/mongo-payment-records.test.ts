/**
 * Runs the payment records contract against MongoDB when MONGO_URL is set (a fresh database per
 * store, dropped afterwards). Without MONGO_URL it is skipped loudly.
 */
import { randomUUID } from 'node:crypto';
import { createConnection } from 'mongoose';
import { afterAll, describe } from 'vitest';
import { connectMongoPaymentRecords } from './mongo-payment-records.js';
import { describePaymentRecordsContract } from './payment-records.contract.js';

const url = process.env.MONGO_URL;

if (url === undefined || url === '') {
  console.warn('SKIPPED: MongoDB payment records contract suite — set MONGO_URL=mongodb://127.0.0.1:27017 to run it');
  describe.skip('PaymentRecords contract: mongo (needs MONGO_URL)', () => {
    describePaymentRecordsContract('mongo', () => Promise.reject(new Error('MONGO_URL is not set')));
  });
} else {
  const run = randomUUID().slice(0, 8);
  const databases: string[] = [];
  describePaymentRecordsContract('mongo', async () => {
    const dbName = `venue_hub_payments_test_${run}_${databases.length}`;
    databases.push(dbName);
    return connectMongoPaymentRecords({ url, dbName });
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
