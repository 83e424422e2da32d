import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../../sdk/index.js';
import { dayCsv, dayStart, nextDay, sar, totalsOf } from './ledger.js';

const row = (over: Partial<Transaction> & Pick<Transaction, 'txnId' | 'movement' | 'amount'>): Transaction => ({
  paymentId: 'pay_1',
  bookingId: 'bk-1',
  visitorId: 'u1',
  currency: 'SAR',
  status: 'succeeded',
  by: 'system',
  at: Date.parse('2026-12-05T09:00:00Z'),
  ...over,
});

describe('the day ledger', () => {
  it('finds the venue-local midnight of a day', () => {
    expect(new Date(dayStart('2026-12-05', 'Asia/Riyadh')).toISOString()).toBe('2026-12-04T21:00:00.000Z');
    expect(new Date(dayStart('2026-03-29', 'Europe/Berlin')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(dayStart('2026-03-30', 'Europe/Berlin')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('totals captures and refunds by method, a refund under its payment’s method', () => {
    const rows = [
      row({ txnId: 't1', movement: 'payment.pending', amount: 5_000, method: 'card', status: 'pending' }),
      row({ txnId: 't2', movement: 'payment.captured', amount: 5_000, method: 'card' }),
      row({ txnId: 't3', paymentId: 'pay_2', movement: 'payment.captured', amount: 12_000, method: 'mada' }),
      row({ txnId: 't4', paymentId: 'pay_2', movement: 'refund.requested', amount: 2_000, status: 'pending' }),
      row({ txnId: 't5', paymentId: 'pay_2', movement: 'refund.succeeded', amount: 2_000 }),
      row({ txnId: 't6', paymentId: 'pay_3', movement: 'payment.failed', amount: 7_000, method: 'applepay', status: 'failed' }),
    ];
    const totals = totalsOf(rows);
    expect(totals).toMatchObject({ gross: 17_000, refunds: 2_000, net: 15_000 });
    expect(totals.byMethod.mada).toEqual({ gross: 12_000, refunds: 2_000, net: 10_000 });
    expect(totals.byMethod.card).toEqual({ gross: 5_000, refunds: 0, net: 5_000 });
    expect(totals.byMethod.applepay.gross).toBe(0);
    const csv = dayCsv('2026-12-05', 'Asia/Riyadh', rows).split('\r\n');
    expect(csv[0]).toBe('txn_id,at_utc,at_venue,movement,status,method,amount_sar,payment_id,booking_id,refund_id,by,reason,food_order_id');
    expect(csv[1]).toBe('t1,2026-12-05T09:00:00.000Z,2026-12-05 12:00:00,payment.pending,pending,card,50.00,pay_1,bk-1,,system,,');
    expect(csv).toContain('day 2026-12-05,all,170.00,20.00,150.00');
    expect(csv).toContain('day 2026-12-05,mada,120.00,20.00,100.00');
  });

  it("names the food order of a movement of a food order's own payment", () => {
    const csv = dayCsv('2026-12-05', 'Asia/Riyadh', [row({ txnId: 'f1', paymentId: 'fo_1-p1', orderId: 'fo_1', movement: 'payment.captured', amount: 7_100 })]).split('\r\n');
    expect(csv[1]?.endsWith(',fo_1')).toBe(true);
  });

  it('writes amounts as a spreadsheet reads them and quotes what needs it', () => {
    expect(sar(5)).toBe('0.05');
    expect(sar(-1_250)).toBe('-12.50');
    const csv = dayCsv('2026-12-05', 'Asia/Riyadh', [row({ txnId: 't1', movement: 'refund.succeeded', amount: 100, reason: 'late, "sorry"' })]);
    expect(csv).toContain('"late, ""sorry"""');
  });
});
