import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describePaymentRecordsContract } from './payment-records.contract.js';
import { openSqlitePaymentRecords } from './sqlite-payment-records.js';

const dir = mkdtempSync(join(tmpdir(), 'vh-payrec-'));
let n = 0;

describePaymentRecordsContract('sqlite', async () => openSqlitePaymentRecords({ file: join(dir, `records-${n++}.db`) }));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite payment records on a file an older build wrote', () => {
  it('adds the order column to a version 2 table and keeps its rows', async () => {
    const file = join(dir, 'v2.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE payment_transactions (seq INTEGER PRIMARY KEY, txn_id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL, payment_id TEXT NOT NULL,
      booking_id TEXT NOT NULL, visitor_id TEXT NOT NULL, movement TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL,
      by_who TEXT NOT NULL, method TEXT, refund_id TEXT, reason TEXT, gateway_ref TEXT, payment_status TEXT)`);
    old.prepare(`INSERT INTO payment_transactions (txn_id, at, payment_id, booking_id, visitor_id, movement, amount, currency, status, by_who)
      VALUES ('t0', 1, 'b1-p1', 'b1', 'v1', 'payment.captured', 5000, 'SAR', 'succeeded', 'gateway:simulated')`).run();
    old.close();
    const records = openSqlitePaymentRecords({ file });
    await records.appendTransaction('t1', { paymentId: 'fo_1-p1', bookingId: 'b1', orderId: 'fo_1', visitorId: 'v1', movement: 'payment.captured', amount: 2_000, currency: 'SAR', status: 'succeeded', by: 'gateway:simulated', at: 2 });
    expect((await records.listTransactions({ limit: 10, bookingId: 'b1' })).map((t) => [t.txnId, t.orderId])).toEqual([['t0', undefined], ['t1', 'fo_1']]);
    await records.close();
  });
});
