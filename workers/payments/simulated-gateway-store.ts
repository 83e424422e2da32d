/**
 * The simulated provider's own books, in its own tables of the embedded SQLite file (a real
 * provider keeps its state away from ours; only the API and webhooks connect the two).
 *
 *   simpay_payments  one row per hosted payment; unique idempotency key; paid or failed once;
 *                    while initiated it may wait for the payer (3-D Secure, Apple Pay) or the bank
 *                    (`pending_reason`; the bank answers at `answer_due_at`)
 *   simpay_refunds   one row per refund; unique idempotency key; CHECK: refunded ≤ amount
 *
 * Every decision is one IMMEDIATE transaction, so concurrent creates with one key open one
 * payment and concurrent refunds can never together exceed the payment.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { PendingReason } from '../../machines/booking.schemas.js';
import type { PaymentMethod } from '../../machines/payment.schemas.js';
import { applyComponentSchema } from '../sqlite-component-schema.js';
import { openSqliteDatabase } from '../store/sqlite-schema.js';

const SCHEMA_VERSION = 2;
const DDL = `
CREATE TABLE IF NOT EXISTS simpay_payments (
  ref             TEXT    PRIMARY KEY,
  idempotency_key TEXT    NOT NULL UNIQUE,
  merchant_ref    TEXT    NOT NULL,
  amount          INTEGER NOT NULL CHECK (amount > 0),
  currency        TEXT    NOT NULL,
  method          TEXT    NOT NULL,
  description     TEXT    NOT NULL,
  callback_url    TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('initiated', 'paid', 'failed')),
  paid_method     TEXT,
  failure         TEXT,
  refunded        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  pending_reason  TEXT,
  answer_due_at   INTEGER,
  CHECK (refunded >= 0 AND refunded <= amount)
);
CREATE TABLE IF NOT EXISTS simpay_refunds (
  ref             TEXT    PRIMARY KEY,
  payment_ref     TEXT    NOT NULL,
  idempotency_key TEXT    NOT NULL UNIQUE,
  amount          INTEGER NOT NULL CHECK (amount > 0),
  status          TEXT    NOT NULL CHECK (status IN ('succeeded', 'failed')),
  reason          TEXT,
  created_at      INTEGER NOT NULL
);
`;

/** A hosted payment as the provider keeps it. */
export interface SimPayment {
  ref: string;
  idempotencyKey: string;
  merchantRef: string;
  amount: number;
  currency: string;
  method: PaymentMethod;
  description: string;
  callbackUrl: string;
  status: 'initiated' | 'paid' | 'failed';
  paidMethod: PaymentMethod | null;
  failure: string | null;
  refunded: number;
  createdAt: number;
  updatedAt: number;
  /** While initiated: what the payer or the bank still has to do (null: nothing asked yet). */
  pendingReason: PendingReason | null;
  /** When the bank answers a payment pending on it. */
  answerDueAt: number | null;
}

/** A refund as the provider keeps it. */
export interface SimRefund {
  ref: string;
  paymentRef: string;
  idempotencyKey: string;
  amount: number;
  status: 'succeeded' | 'failed';
  reason: string | null;
  createdAt: number;
}

interface PaymentRow {
  ref: string;
  idempotency_key: string;
  merchant_ref: string;
  amount: number;
  currency: string;
  method: PaymentMethod;
  description: string;
  callback_url: string;
  status: SimPayment['status'];
  paid_method: PaymentMethod | null;
  failure: string | null;
  refunded: number;
  created_at: number;
  updated_at: number;
  pending_reason: PendingReason | null;
  answer_due_at: number | null;
}

interface RefundRow {
  ref: string;
  payment_ref: string;
  idempotency_key: string;
  amount: number;
  status: SimRefund['status'];
  reason: string | null;
  created_at: number;
}

const toPayment = (r: PaymentRow): SimPayment => ({
  ref: r.ref, idempotencyKey: r.idempotency_key, merchantRef: r.merchant_ref, amount: r.amount, currency: r.currency,
  method: r.method, description: r.description, callbackUrl: r.callback_url, status: r.status, paidMethod: r.paid_method,
  failure: r.failure, refunded: r.refunded, createdAt: r.created_at, updatedAt: r.updated_at,
  pendingReason: r.pending_reason, answerDueAt: r.answer_due_at,
});
const toRefund = (r: RefundRow): SimRefund => ({
  ref: r.ref, paymentRef: r.payment_ref, idempotencyKey: r.idempotency_key, amount: r.amount, status: r.status, reason: r.reason, createdAt: r.created_at,
});

/** What a refund call did: `created` is false when the key had been used (the stored answer is returned). */
export interface SimRefundResult {
  refund: SimRefund;
  payment: SimPayment;
  created: boolean;
}

/** The provider's books. */
export interface SimulatedGatewayStore {
  /** Opens a payment, or returns the one already opened under the same idempotency key. */
  open(p: Omit<SimPayment, 'ref' | 'status' | 'paidMethod' | 'failure' | 'refunded' | 'updatedAt' | 'pendingReason' | 'answerDueAt'>): SimPayment;
  get(ref: string): SimPayment | null;
  /** Settles an initiated payment once; null when it was already settled or does not exist. */
  settle(ref: string, outcome: { status: 'paid' | 'failed'; method: PaymentMethod; failure: string | null }, at: number): SimPayment | null;
  /**
   * Marks an initiated payment as waiting (once per reason); null when settled, unknown or already
   * waiting so. For the bank, `plannedFailure` is its answer at `answerDueAt` (null: approved),
   * kept in `failure` until then.
   */
  await(ref: string, wait: { reason: PendingReason; method: PaymentMethod; answerDueAt: number | null; plannedFailure: string | null }, at: number): SimPayment | null;
  /** Payments waiting on the bank whose answer is due by `at`. */
  dueBankAnswers(at: number): SimPayment[];
  /** Refunds once per key; a refund beyond what is left fails (a real provider refuses it too). */
  refund(paymentRef: string, amount: number, idempotencyKey: string, at: number): SimRefundResult | null;
  close(): void;
}

/** Version 1 tables lack the waiting columns (version 2); adding them is idempotent. */
function addWaitColumns(db: Database.Database): void {
  db.transaction(() => {
    const columns = new Set(db.prepare<[], { name: string }>('PRAGMA table_info(simpay_payments)').all().map((c) => c.name));
    if (!columns.has('pending_reason')) db.exec('ALTER TABLE simpay_payments ADD COLUMN pending_reason TEXT');
    if (!columns.has('answer_due_at')) db.exec('ALTER TABLE simpay_payments ADD COLUMN answer_due_at INTEGER');
  }).immediate();
}

/** Opens the provider's tables in the SQLite file at `file`. */
export function openSimulatedGatewayStore(file: string): SimulatedGatewayStore {
  const db: Database.Database = openSqliteDatabase({ file });
  applyComponentSchema(db, 'simpay', SCHEMA_VERSION, DDL);
  addWaitColumns(db);
  const byKey = db.prepare<[string], PaymentRow>('SELECT * FROM simpay_payments WHERE idempotency_key = ?');
  const byRef = db.prepare<[string], PaymentRow>('SELECT * FROM simpay_payments WHERE ref = ?');
  const insert = db.prepare<[string, string, string, number, string, string, string, string, number, number]>(
    `INSERT INTO simpay_payments (ref, idempotency_key, merchant_ref, amount, currency, method, description, callback_url, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'initiated', ?, ?)`,
  );
  const settle = db.prepare<[string, string, string | null, number, string]>(
    `UPDATE simpay_payments SET status = ?, paid_method = ?, failure = ?, updated_at = ?, answer_due_at = NULL WHERE ref = ? AND status = 'initiated'`,
  );
  const markPending = db.prepare<[string, string, number | null, string | null, number, string, string]>(
    `UPDATE simpay_payments SET pending_reason = ?, paid_method = ?, answer_due_at = ?, failure = ?, updated_at = ?
     WHERE ref = ? AND status = 'initiated' AND (pending_reason IS NULL OR pending_reason <> ?)`,
  );
  const dueBank = db.prepare<[number], PaymentRow>(
    `SELECT * FROM simpay_payments WHERE status = 'initiated' AND answer_due_at IS NOT NULL AND answer_due_at <= ? ORDER BY answer_due_at LIMIT 100`,
  );
  const refundByKey = db.prepare<[string], RefundRow>('SELECT * FROM simpay_refunds WHERE idempotency_key = ?');
  const insertRefund = db.prepare<[string, string, string, number, string, string | null, number]>(
    'INSERT INTO simpay_refunds (ref, payment_ref, idempotency_key, amount, status, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const addRefunded = db.prepare<[number, number, string]>('UPDATE simpay_payments SET refunded = refunded + ?, updated_at = ? WHERE ref = ?');

  const openTx = db.transaction((p: Parameters<SimulatedGatewayStore['open']>[0]): SimPayment => {
    const existing = byKey.get(p.idempotencyKey);
    if (existing) return toPayment(existing);
    const ref = `sim_${randomBytes(9).toString('base64url')}`;
    insert.run(ref, p.idempotencyKey, p.merchantRef, p.amount, p.currency, p.method, p.description, p.callbackUrl, p.createdAt, p.createdAt);
    return toPayment(byRef.get(ref)!);
  });

  const refundTx = db.transaction((paymentRef: string, amount: number, key: string, at: number): SimRefundResult | null => {
    const known = refundByKey.get(key);
    const row = byRef.get(paymentRef);
    if (!row) return null;
    if (known) return { refund: toRefund(known), payment: toPayment(row), created: false };
    const ref = `simrf_${randomBytes(9).toString('base64url')}`;
    const reason = row.status !== 'paid' ? 'PAYMENT_NOT_PAID' : row.refunded + amount > row.amount ? 'EXCEEDS_REMAINING' : null;
    insertRefund.run(ref, paymentRef, key, amount, reason === null ? 'succeeded' : 'failed', reason, at);
    if (reason === null) addRefunded.run(amount, at, paymentRef);
    return { refund: toRefund(refundByKey.get(key)!), payment: toPayment(byRef.get(paymentRef)!), created: true };
  });

  return {
    open: (p) => openTx.immediate(p),
    get: (ref) => {
      const row = byRef.get(ref);
      return row ? toPayment(row) : null;
    },
    settle(ref, outcome, at) {
      const changed = settle.run(outcome.status, outcome.method, outcome.failure, at, ref).changes;
      return changed === 1 ? toPayment(byRef.get(ref)!) : null;
    },
    await(ref, wait, at) {
      const changed = markPending.run(wait.reason, wait.method, wait.answerDueAt, wait.plannedFailure, at, ref, wait.reason).changes;
      return changed === 1 ? toPayment(byRef.get(ref)!) : null;
    },
    dueBankAnswers: (at) => dueBank.all(at).map(toPayment),
    refund: (paymentRef, amount, key, at) => refundTx.immediate(paymentRef, amount, key, at),
    close: () => db.close(),
  };
}
