/**
 * The booking's late-payment rule (machine version 2): a capture reported after expiry asks for
 * the capacity again; with seats it confirms, without them the payment is refunded in full.
 */
import { describe, expect, it } from 'vitest';
import { SAMPLE_TOTAL, reach, step } from './booking.test-support.js';

const ids = { bookingId: 'bk_1', visitorId: 'vis_1' };
const notify = (template: string) => ({ type: 'notify', template, ...ids });

describe('booking: a payment captured after expiry', () => {
  const expired = () => reach('expired').snapshot;

  it('asks for the capacity again and changes nothing else yet', () => {
    const before = expired();
    const { snapshot, effects } = step(before, { type: 'payment.captured', paymentId: 'pay_7', amount: SAMPLE_TOTAL });
    expect(snapshot.value).toBe('expired');
    expect(snapshot.context).toEqual(before.context);
    expect(effects).toEqual([
      { type: 'capacity.retake', holdId: 'bk_1', slotId: 'slot_1', qty: 3, paymentId: 'pay_7', amount: SAMPLE_TOTAL },
    ]);
  });

  it('refuses a late capture below the total (the payments service refunds it)', () => {
    expect(expired().can({ type: 'payment.captured', paymentId: 'pay_7', amount: SAMPLE_TOTAL - 1 })).toBe(false);
    expect(expired().can({ type: 'payment.captured_late', paymentId: 'pay_7', amount: SAMPLE_TOTAL - 1 })).toBe(false);
  });

  it('confirms once the capacity was taken again: tickets issued, capacity confirmed', () => {
    const { snapshot, effects } = step(expired(), { type: 'payment.captured_late', paymentId: 'pay_7', amount: SAMPLE_TOTAL });
    expect(snapshot.value).toBe('confirmed');
    expect(snapshot.context).toMatchObject({ capturedAmount: SAMPLE_TOTAL, paymentAttempts: 1 });
    expect(effects).toEqual([
      { type: 'capacity.confirm', holdId: 'bk_1', slotId: 'slot_1' },
      { type: 'tickets.issue', ...ids, quantity: 3 },
      notify('booking.confirmed'),
    ]);
  });

  it('without capacity: records the payment, asks for a full refund, tells the payer, then ends refunded', () => {
    const late = step(expired(), { type: 'payment.refund_late', paymentId: 'pay_7', amount: SAMPLE_TOTAL });
    expect(late.snapshot.value).toBe('expired');
    expect(late.snapshot.context).toMatchObject({ capturedAmount: SAMPLE_TOTAL, refundRequestedAmount: SAMPLE_TOTAL });
    expect(late.effects).toEqual([
      { type: 'refund.request', bookingId: 'bk_1', paymentId: 'pay_7', amount: SAMPLE_TOTAL, reason: 'late_payment' },
      notify('payment.refunded_late'),
    ]);
    // The same payment is never refunded twice, and no capture confirms while the refund is under way.
    expect(late.snapshot.can({ type: 'payment.refund_late', paymentId: 'pay_7', amount: SAMPLE_TOTAL })).toBe(false);
    expect(late.snapshot.can({ type: 'payment.captured_late', paymentId: 'pay_8', amount: SAMPLE_TOTAL })).toBe(false);
    const done = step(late.snapshot, { type: 'payment.refunded', refundId: 'rf_1', amount: SAMPLE_TOTAL });
    expect(done.snapshot.value).toBe('refunded');
    expect(done.snapshot.status).toBe('active');
    expect(done.effects).toEqual([notify('booking.refunded')]);
  });

  it('a second late payment while the first is being refunded is refunded too', () => {
    const first = step(expired(), { type: 'payment.refund_late', paymentId: 'pay_7', amount: SAMPLE_TOTAL }).snapshot;
    const second = step(first, { type: 'payment.refund_late', paymentId: 'pay_8', amount: SAMPLE_TOTAL });
    expect(second.snapshot.context.refundRequestedAmount).toBe(2 * SAMPLE_TOTAL);
    const part = step(second.snapshot, { type: 'payment.refunded', refundId: 'rf_1', amount: SAMPLE_TOTAL });
    expect(part.snapshot.value).toBe('expired');
    expect(step(part.snapshot, { type: 'payment.refunded', refundId: 'rf_2', amount: SAMPLE_TOTAL }).snapshot.value).toBe('refunded');
  });

  it('a booking that used a late payment refuses another one', () => {
    const confirmed = step(expired(), { type: 'payment.captured_late', paymentId: 'pay_7', amount: SAMPLE_TOTAL }).snapshot;
    expect(confirmed.can({ type: 'payment.captured', paymentId: 'pay_8', amount: SAMPLE_TOTAL })).toBe(false);
    expect(confirmed.can({ type: 'payment.captured_late', paymentId: 'pay_8', amount: SAMPLE_TOTAL })).toBe(false);
  });
});
