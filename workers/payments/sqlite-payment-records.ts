/**
 * Payment records on the embedded SQLite file (own connection to the same WAL file as the
 * actor store, own tables). Idempotency is the database's: a UNIQUE txn id and an upsert whose
 * status only moves forward.
 */
import type { PaymentMethod, PaymentState, TransactionRecord } from '../../machines/payment.schemas.js';
import { applyComponentSchema } from '../sqlite-component-schema.js';
import { openSqliteDatabase, type SqliteOpenOptions } from '../store/sqlite-schema.js';
import { MAX_TRANSACTIONS_PAGE, STATUS_RANK } from './payment-records.js';
import type { PaymentIndexEntry, PaymentRecords, TransactionEntry } from './payment-records.js';

const SCHEMA_VERSION = 3;
const DDL = `
CREATE TABLE IF NOT EXISTS payment_transactions (
  seq         INTEGER PRIMARY KEY,
  txn_id      TEXT    NOT NULL UNIQUE,
  at          INTEGER NOT NULL,
  payment_id  TEXT    NOT NULL,
  booking_id  TEXT    NOT NULL,
  visitor_id  TEXT    NOT NULL,
  movement    TEXT    NOT NULL,
  amount      INTEGER NOT NULL,
  currency    TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  by_who      TEXT    NOT NULL,
  method      TEXT,
  refund_id   TEXT,
  reason      TEXT,
  gateway_ref TEXT,
  payment_status TEXT,
  order_id    TEXT
);
CREATE INDEX IF NOT EXISTS payment_transactions_at ON payment_transactions (at, seq);
CREATE INDEX IF NOT EXISTS payment_transactions_booking ON payment_transactions (booking_id, at, seq);
CREATE TABLE IF NOT EXISTS payment_index (
  payment_id  TEXT    PRIMARY KEY,
  booking_id  TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  rank        INTEGER NOT NULL,
  amount      INTEGER NOT NULL,
  gateway_ref TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS payment_index_status ON payment_index (status, created_at);
CREATE INDEX IF NOT EXISTS payment_index_gateway_ref ON payment_index (gateway_ref);
`;

interface TxnRow {
  txn_id: string;
  at: number;
  payment_id: string;
  booking_id: string;
  visitor_id: string;
  movement: TransactionRecord['movement'];
  amount: number;
  currency: 'SAR';
  status: TransactionRecord['status'];
  by_who: string;
  method: PaymentMethod | null;
  refund_id: string | null;
  reason: string | null;
  gateway_ref: string | null;
  payment_status: TransactionRecord['paymentStatus'] | null;
  order_id: string | null;
}

interface IndexRow {
  payment_id: string;
  booking_id: string;
  status: PaymentState;
  amount: number;
  gateway_ref: string | null;
  created_at: number;
  updated_at: number;
}

function toEntry(r: TxnRow): TransactionEntry {
  return {
    txnId: r.txn_id,
    at: r.at,
    paymentId: r.payment_id,
    bookingId: r.booking_id,
    visitorId: r.visitor_id,
    movement: r.movement,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    by: r.by_who,
    ...(r.method === null ? {} : { method: r.method }),
    ...(r.refund_id === null ? {} : { refundId: r.refund_id }),
    ...(r.reason === null ? {} : { reason: r.reason }),
    ...(r.gateway_ref === null ? {} : { gatewayRef: r.gateway_ref }),
    ...(r.payment_status === null ? {} : { paymentStatus: r.payment_status }),
    ...(r.order_id === null ? {} : { orderId: r.order_id }),
  };
}

const toIndex = (r: IndexRow): PaymentIndexEntry => ({
  paymentId: r.payment_id, bookingId: r.booking_id, status: r.status, amount: r.amount, gatewayRef: r.gateway_ref, createdAt: r.created_at, updatedAt: r.updated_at,
});

const TXN_COLUMNS = 'txn_id, at, payment_id, booking_id, visitor_id, movement, amount, currency, status, by_who, method, refund_id, reason, gateway_ref, payment_status, order_id';

/**
 * Older tables lack `payment_status` (version 2: the seed's status on payment rows) and `order_id`
 * (version 3: the food order a payment paid on its own); adding them is idempotent.
 */
function addColumns(db: ReturnType<typeof openSqliteDatabase>): void {
  db.transaction(() => {
    const columns = db.prepare<[], { name: string }>('PRAGMA table_info(payment_transactions)').all();
    if (!columns.some((c) => c.name === 'payment_status')) db.exec('ALTER TABLE payment_transactions ADD COLUMN payment_status TEXT');
    if (!columns.some((c) => c.name === 'order_id')) db.exec('ALTER TABLE payment_transactions ADD COLUMN order_id TEXT');
  }).immediate();
}

/** Opens (creating if needed) the payment tables in the SQLite file at `options.file`. */
export function openSqlitePaymentRecords(options: SqliteOpenOptions): PaymentRecords {
  const db = openSqliteDatabase(options);
  applyComponentSchema(db, 'payments', SCHEMA_VERSION, DDL);
  addColumns(db);
  type TxnValues = [string, number, string, string, string, string, number, string, string, string, string | null, string | null, string | null, string | null, string | null, string | null];
  const insertTxn = db.prepare<TxnValues>(
    `INSERT INTO payment_transactions (${TXN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (txn_id) DO NOTHING`,
  );
  const listAll = db.prepare<[number, number], TxnRow>(`SELECT ${TXN_COLUMNS} FROM payment_transactions WHERE at >= ? ORDER BY at, seq LIMIT ?`);
  const listBooking = db.prepare<[string, number, number], TxnRow>(
    `SELECT ${TXN_COLUMNS} FROM payment_transactions WHERE booking_id = ? AND at >= ? ORDER BY at, seq LIMIT ?`,
  );
  const upsertIndex = db.prepare<[string, string, string, number, number, string | null, number, number]>(
    `INSERT INTO payment_index (payment_id, booking_id, status, rank, amount, gateway_ref, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (payment_id) DO UPDATE SET
       status = CASE WHEN excluded.rank >= rank THEN excluded.status ELSE status END,
       rank = max(rank, excluded.rank),
       gateway_ref = coalesce(excluded.gateway_ref, gateway_ref),
       updated_at = max(updated_at, excluded.updated_at)`,
  );
  const byRef = db.prepare<[string], { payment_id: string }>('SELECT payment_id FROM payment_index WHERE gateway_ref = ? LIMIT 1');
  const pending = db.prepare<[number, number, number], IndexRow>(
    `SELECT payment_id, booking_id, status, amount, gateway_ref, created_at, updated_at FROM payment_index
     WHERE status = 'pending' AND created_at >= ? AND created_at <= ? ORDER BY created_at LIMIT ?`,
  );

  return {
    name: 'sqlite',
    async appendTransaction(txnId, r) {
      insertTxn.run(
        txnId, r.at, r.paymentId, r.bookingId, r.visitorId, r.movement, r.amount, r.currency, r.status, r.by,
        r.method ?? null, r.refundId ?? null, r.reason ?? null, r.gatewayRef ?? null, r.paymentStatus ?? null, r.orderId ?? null,
      );
    },
    async listTransactions({ since = 0, limit, bookingId }) {
      const page = Math.max(1, Math.min(limit, MAX_TRANSACTIONS_PAGE));
      const rows = bookingId === undefined ? listAll.all(since, page) : listBooking.all(bookingId, since, page);
      return rows.map(toEntry);
    },
    async indexPayment(w) {
      upsertIndex.run(w.paymentId, w.bookingId, w.status, STATUS_RANK[w.status], w.amount, w.gatewayRef ?? null, w.createdAt, w.at);
    },
    async paymentIdByGatewayRef(gatewayRef) {
      return byRef.get(gatewayRef)?.payment_id ?? null;
    },
    async pendingPayments({ createdAfter, createdBefore, limit }) {
      return pending.all(createdAfter, createdBefore, limit).map(toIndex);
    },
    async close() {
      db.close();
    },
  };
}
