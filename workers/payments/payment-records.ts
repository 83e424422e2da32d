/**
 * The payments read side: the transaction log admins read, and an index of payments by status
 * and gateway reference (the webhook intake finds a payment by its reference; reconciliation
 * finds old pending ones). Two adapters (SQLite, MongoDB), one contract suite.
 *
 *   payment actor ──txn.record effect (at least once)──▶ appendTransaction(txnId = effect id)  idempotent
 *   payment actor ──payment.index effect (in order)────▶ indexPayment                         status only moves forward
 *   checkout ──before the payer sees the page──────────▶ indexPayment(gatewayRef)              so a fast webhook finds it
 *
 * Both are projections of committed actor state: losing them loses no money, and replaying
 * the outbox rebuilds them.
 */
import type { PaymentState, TransactionRecord } from '../../machines/payment.schemas.js';
import { MAX_TRANSACTIONS_PAGE } from '../../machines/contract/payments.js';

/** One money movement as admins read it. */
export interface TransactionEntry extends TransactionRecord {
  /** Stable id (the outbox effect that wrote it). */
  txnId: string;
}

/** Filters of the transaction log; oldest first from `since`. */
export interface TransactionQuery {
  since?: number;
  limit: number;
  bookingId?: string;
}

/** One payment in the index. */
export interface PaymentIndexEntry {
  paymentId: string;
  bookingId: string;
  status: PaymentState;
  amount: number;
  gatewayRef: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What an index write carries; a missing gateway reference keeps the stored one. */
export interface PaymentIndexWrite {
  paymentId: string;
  bookingId: string;
  status: PaymentState;
  amount: number;
  createdAt: number;
  gatewayRef?: string;
  at: number;
}

/** Status order for the index: a late projection row never moves a payment backwards. */
export const STATUS_RANK: Readonly<Record<PaymentState, number>> = { pending: 0, failed: 1, captured: 2, refunded: 3 };

/** The payments read side (transaction log and payment index), one adapter per store. */
export interface PaymentRecords {
  readonly name: string;
  /** Writes one movement; a second write with the same txnId does nothing. */
  appendTransaction(txnId: string, row: TransactionRecord): Promise<void>;
  listTransactions(query: TransactionQuery): Promise<TransactionEntry[]>;
  indexPayment(write: PaymentIndexWrite): Promise<void>;
  paymentIdByGatewayRef(gatewayRef: string): Promise<string | null>;
  /** Pending payments created within [createdAfter, createdBefore], oldest first. */
  pendingPayments(query: { createdAfter: number; createdBefore: number; limit: number }): Promise<PaymentIndexEntry[]>;
  close(): Promise<void>;
}

export { MAX_TRANSACTIONS_PAGE };
