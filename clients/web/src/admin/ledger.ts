/**
 * The day's money from the transaction log (GET /api/admin/transactions, finance and super
 * admins): a venue day's bounds, its totals by method, and the CSV of its movements and totals
 * (a food order paid on its own during a visit names it in `food_order_id`).
 * Pure functions (transactions.ts reads the log).
 *
 *   gross   = Σ payment.captured              refunds = Σ refund.succeeded + refund.external
 *   net     = gross − refunds                  by method: card, mada, applepay (a refund counts
 *                                              under the method its payment was captured with)
 */
import type { Transaction } from '../../../sdk/index.js';

/** Payment methods in the order the report lists them. */
export const METHODS = ['card', 'mada', 'applepay'] as const;
export type Method = (typeof METHODS)[number] | 'other';

/** Epoch ms of the venue-local midnight that starts `day` (yyyy-mm-dd) in `timeZone`. */
export function dayStart(day: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  // The zone's offset at a moment, from how Intl writes that moment there.
  const offsetAt = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - at;
  };
  const guess = utcMidnight - offsetAt(utcMidnight);
  return utcMidnight - offsetAt(guess);
}

/** The day after `day`. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Totals of a set of movements (halalas). */
export interface DayTotals {
  gross: number;
  refunds: number;
  net: number;
  byMethod: Record<Method, { gross: number; refunds: number; net: number }>;
}

const isRefund = (row: Transaction) => row.movement === 'refund.succeeded' || row.movement === 'refund.external';

/** Gross, refunds and net, in all and by method. */
export function totalsOf(rows: readonly Transaction[]): DayTotals {
  const capturedWith = new Map<string, Method>();
  for (const row of rows) if (row.movement === 'payment.captured') capturedWith.set(row.paymentId, row.method ?? 'other');
  const blank = () => ({ gross: 0, refunds: 0, net: 0 });
  const totals: DayTotals = { gross: 0, refunds: 0, net: 0, byMethod: { card: blank(), mada: blank(), applepay: blank(), other: blank() } };
  for (const row of rows) {
    const method: Method = row.method ?? capturedWith.get(row.paymentId) ?? 'other';
    if (row.movement === 'payment.captured') {
      totals.gross += row.amount;
      totals.byMethod[method].gross += row.amount;
    } else if (isRefund(row)) {
      totals.refunds += row.amount;
      totals.byMethod[method].refunds += row.amount;
    }
  }
  totals.net = totals.gross - totals.refunds;
  for (const m of Object.values(totals.byMethod)) m.net = m.gross - m.refunds;
  return totals;
}

function cell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** SAR with two decimals from halalas, as a spreadsheet reads it (never localised). */
export function sar(halalas: number): string {
  const sign = halalas < 0 ? '-' : '';
  const abs = Math.abs(halalas);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * The day as CSV: one line per movement (times in UTC ISO and venue-local), then the totals
 * (gross, refunds, net, and each by method).
 */
export function dayCsv(day: string, timeZone: string, rows: readonly Transaction[]): string {
  const local = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const lines = [['txn_id', 'at_utc', 'at_venue', 'movement', 'status', 'method', 'amount_sar', 'payment_id', 'booking_id', 'refund_id', 'by', 'reason', 'food_order_id'].join(',')];
  for (const row of rows) {
    lines.push(
      [row.txnId, new Date(row.at).toISOString(), local.format(row.at).replace(',', ''), row.movement, row.status, row.method ?? '', sar(row.amount), row.paymentId, row.bookingId, row.refundId ?? '', row.by, row.reason ?? '', row.orderId ?? ''].map(cell).join(','),
    );
  }
  const totals = totalsOf(rows);
  lines.push('');
  lines.push(['total', 'method', 'gross_sar', 'refunds_sar', 'net_sar'].join(','));
  lines.push(['day ' + day, 'all', sar(totals.gross), sar(totals.refunds), sar(totals.net)].map(cell).join(','));
  for (const method of METHODS) {
    const m = totals.byMethod[method];
    lines.push(['day ' + day, method, sar(m.gross), sar(m.refunds), sar(m.net)].map(cell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
