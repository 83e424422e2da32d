/**
 * The contract every PaymentRecords adapter passes (SQLite always, MongoDB when MONGO_URL is set).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransactionRecord } from '../../machines/payment.schemas.js';
import type { PaymentRecords } from './payment-records.js';

const row = (over: Partial<TransactionRecord> = {}): TransactionRecord => ({
  paymentId: 'b1-p1',
  bookingId: 'b1',
  visitorId: 'v1',
  movement: 'payment.captured',
  amount: 5_000,
  currency: 'SAR',
  status: 'succeeded',
  by: 'gateway:simulated',
  at: 1_000,
  method: 'mada',
  gatewayRef: 'ref_1',
  ...over,
});

/** Registers the contract suite for one adapter. */
export function describePaymentRecordsContract(name: string, open: () => Promise<PaymentRecords>): void {
  describe(`PaymentRecords contract: ${name}`, () => {
    let records: PaymentRecords;
    beforeEach(async () => {
      records = await open();
    });
    afterEach(async () => {
      await records.close();
    });

    it('writes each movement once per txn id and lists oldest first from `since`, per booking', async () => {
      await records.appendTransaction('t1', row());
      await records.appendTransaction('t1', row({ amount: 1 })); // a re-delivered effect
      await records.appendTransaction('t2', row({ movement: 'refund.requested', status: 'pending', at: 2_000, refundId: 'rf_1', reason: 'cancellation', by: 'user:v1', method: undefined }));
      await records.appendTransaction('t3', row({ bookingId: 'b2', paymentId: 'b2-p1', at: 1_500 }));
      const all = await records.listTransactions({ limit: 10 });
      expect(all.map((t) => [t.txnId, t.at])).toEqual([['t1', 1_000], ['t3', 1_500], ['t2', 2_000]]);
      expect(all[0]).toEqual({ txnId: 't1', ...row() });
      expect(all[2]).toMatchObject({ movement: 'refund.requested', refundId: 'rf_1', reason: 'cancellation', by: 'user:v1' });
      expect(all[2]).not.toHaveProperty('method');
      expect((await records.listTransactions({ limit: 10, since: 1_200 })).map((t) => t.txnId)).toEqual(['t3', 't2']);
      expect((await records.listTransactions({ limit: 10, bookingId: 'b1' })).map((t) => t.txnId)).toEqual(['t1', 't2']);
      expect(await records.listTransactions({ limit: 1 })).toHaveLength(1);
    });

    it('keeps the seed payment status of payment rows', async () => {
      await records.appendTransaction('p1', row({ movement: 'payment.pending', status: 'pending', reason: 'three_d_secure', paymentStatus: 'pending', method: undefined }));
      await records.appendTransaction('p2', row({ at: 1_001, paymentStatus: 'authorized' }));
      const rows = await records.listTransactions({ limit: 10 });
      expect(rows.map((t) => [t.movement, t.paymentStatus])).toEqual([['payment.pending', 'pending'], ['payment.captured', 'authorized']]);
    });

    it('keeps the food order a payment paid on its own', async () => {
      await records.appendTransaction('f1', row({ orderId: 'fo_1' }));
      await records.appendTransaction('t1', row({ at: 1_001 }));
      const rows = await records.listTransactions({ limit: 10 });
      expect(rows.map((t) => [t.txnId, t.orderId])).toEqual([['f1', 'fo_1'], ['t1', undefined]]);
    });

    it('indexes payments: status only moves forward, the gateway reference is kept', async () => {
      const base = { paymentId: 'b1-p1', bookingId: 'b1', amount: 5_000, createdAt: 100 };
      await records.indexPayment({ ...base, status: 'pending', at: 100 });
      expect(await records.paymentIdByGatewayRef('ref_1')).toBeNull();
      await records.indexPayment({ ...base, status: 'pending', gatewayRef: 'ref_1', at: 110 });
      expect(await records.paymentIdByGatewayRef('ref_1')).toBe('b1-p1');
      await records.indexPayment({ ...base, status: 'captured', at: 120 });
      await records.indexPayment({ ...base, status: 'pending', gatewayRef: 'ref_1', at: 130 }); // late checkout write
      expect(await records.pendingPayments({ createdAfter: 0, createdBefore: 1_000, limit: 10 })).toEqual([]);
      expect(await records.paymentIdByGatewayRef('ref_1')).toBe('b1-p1');
    });

    it('finds pending payments in a creation window, oldest first', async () => {
      for (const [id, createdAt] of [['a', 300], ['b', 100], ['c', 200], ['d', 900]] as const) {
        await records.indexPayment({ paymentId: id, bookingId: 'b', amount: 1, createdAt, status: 'pending', gatewayRef: `r_${id}`, at: createdAt });
      }
      await records.indexPayment({ paymentId: 'c', bookingId: 'b', amount: 1, createdAt: 200, status: 'failed', at: 250 });
      const found = await records.pendingPayments({ createdAfter: 50, createdBefore: 500, limit: 10 });
      expect(found.map((p) => [p.paymentId, p.gatewayRef])).toEqual([['b', 'r_b'], ['a', 'r_a']]);
      expect(found[0]).toMatchObject({ status: 'pending', bookingId: 'b', amount: 1, createdAt: 100 });
    });
  });
}
