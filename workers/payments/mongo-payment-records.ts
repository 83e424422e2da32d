/**
 * Payment records on MongoDB through mongoose; each write is one single-document operation:
 *
 *   payment_transactions  { _id: txnId, at, seq, paymentId, bookingId, … }   insert; duplicate key = already written
 *   payment_index         { _id: paymentId, status, rank, gatewayRef, … }    upsert guarded by rank ≤ new rank
 *
 * A guarded upsert that matches nothing because the stored rank is higher tries to insert the
 * same _id and fails with a duplicate key: that is the "never move backwards" answer, not an error.
 */
import { Schema, createConnection } from 'mongoose';
import type { PaymentState, TransactionRecord } from '../../machines/payment.schemas.js';
import { isDuplicateKey } from '../store/mongo-models.js';
import { MAX_TRANSACTIONS_PAGE, STATUS_RANK } from './payment-records.js';
import type { PaymentIndexEntry, PaymentRecords, TransactionEntry } from './payment-records.js';

interface TxnDoc extends TransactionRecord {
  _id: string;
  /** Tie-breaker for equal `at`: insertion order within this process's clock. */
  seq: number;
}

interface IndexDoc {
  _id: string;
  bookingId: string;
  status: PaymentState;
  rank: number;
  amount: number;
  gatewayRef: string | null;
  createdAt: number;
  updatedAt: number;
}

/** Where the records live. */
export interface MongoPaymentRecordsOptions {
  url: string;
  dbName?: string;
}

/** Connects, ensures the indexes and returns the records over that database. */
export async function connectMongoPaymentRecords(options: MongoPaymentRecordsOptions): Promise<PaymentRecords> {
  const connection = createConnection(options.url, options.dbName === undefined ? {} : { dbName: options.dbName });
  await connection.asPromise();
  const txnSchema = new Schema<TxnDoc>(
    {
      _id: String, seq: Number, at: Number, paymentId: String, bookingId: String, visitorId: String, movement: String, amount: Number,
      currency: String, status: String, by: String, method: String, refundId: String, reason: String, gatewayRef: String, paymentStatus: String, orderId: String,
    },
    { versionKey: false, collection: 'payment_transactions' },
  );
  txnSchema.index({ at: 1, seq: 1 });
  txnSchema.index({ bookingId: 1, at: 1, seq: 1 });
  const indexSchema = new Schema<IndexDoc>(
    { _id: String, bookingId: String, status: String, rank: Number, amount: Number, gatewayRef: String, createdAt: Number, updatedAt: Number },
    { versionKey: false, collection: 'payment_index' },
  );
  indexSchema.index({ status: 1, createdAt: 1 });
  indexSchema.index({ gatewayRef: 1 }, { sparse: true });
  const txns = connection.model<TxnDoc>('PaymentTransaction', txnSchema);
  const index = connection.model<IndexDoc>('PaymentIndex', indexSchema);
  await Promise.all([txns.init(), index.init()]);
  let seq = 0;

  return {
    name: 'mongo',
    async appendTransaction(txnId, row) {
      try {
        await txns.create({ ...row, _id: txnId, seq: seq++ });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    },
    async listTransactions({ since = 0, limit, bookingId }) {
      const page = Math.max(1, Math.min(limit, MAX_TRANSACTIONS_PAGE));
      const filter = bookingId === undefined ? { at: { $gte: since } } : { bookingId, at: { $gte: since } };
      const docs = await txns.find(filter).sort({ at: 1, seq: 1 }).limit(page).lean<TxnDoc[]>();
      return docs.map(({ _id, seq: _seq, ...row }): TransactionEntry => ({ ...row, txnId: _id }));
    },
    async indexPayment(w) {
      const rank = STATUS_RANK[w.status];
      const set = { status: w.status, rank, updatedAt: w.at, ...(w.gatewayRef === undefined ? {} : { gatewayRef: w.gatewayRef }) };
      try {
        await index.updateOne(
          { _id: w.paymentId, rank: { $lte: rank } },
          { $set: set, $setOnInsert: { bookingId: w.bookingId, amount: w.amount, createdAt: w.createdAt, ...(w.gatewayRef === undefined ? { gatewayRef: null } : {}) } },
          { upsert: true },
        );
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // The stored status is further along; the reference may still be new.
        if (w.gatewayRef !== undefined) await index.updateOne({ _id: w.paymentId, gatewayRef: null }, { $set: { gatewayRef: w.gatewayRef } });
      }
    },
    async paymentIdByGatewayRef(gatewayRef) {
      const doc = await index.findOne({ gatewayRef }, { _id: 1 }).lean<{ _id: string }>();
      return doc?._id ?? null;
    },
    async pendingPayments({ createdAfter, createdBefore, limit }) {
      const docs = await index.find({ status: 'pending', createdAt: { $gte: createdAfter, $lte: createdBefore } }).sort({ createdAt: 1 }).limit(limit).lean<IndexDoc[]>();
      return docs.map((d): PaymentIndexEntry => ({
        paymentId: d._id, bookingId: d.bookingId, status: d.status, amount: d.amount, gatewayRef: d.gatewayRef ?? null, createdAt: d.createdAt, updatedAt: d.updatedAt,
      }));
    },
    async close() {
      await connection.close();
    },
  };
}
