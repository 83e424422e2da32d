import { describe, expect, it } from 'vitest';
import { MAX_REFUNDS_PER_PAYMENT } from './payment.schemas.js';
import type { PaymentEvent, RefundReason } from './payment.schemas.js';
import { GATEWAY_REF, PAY_AMOUNT, captured, failed, opened, paymentInput, payStep, reachPayment, refundAll, refundDone, startPayment } from './payment.test-support.js';

const base = { paymentId: 'bk_1-p1', bookingId: 'bk_1' };
const index = (status: string, gatewayRef?: string) => ({
  type: 'payment.index', ...base, status, amount: PAY_AMOUNT, createdAt: 1_700_000_000_000, ...(gatewayRef ? { gatewayRef } : {}),
});
const refund = (refundId: string, amount: number, reason: Exclude<RefundReason, 'external'> = 'cancellation'): PaymentEvent => ({
  type: 'refund.requested', refundId, amount, reason, by: 'user:vis_1', at: 5,
});

describe('payment: pending', () => {
  it('starts pending and indexes itself', () => {
    const { snapshot, effects } = startPayment();
    expect(snapshot.value).toBe('pending');
    expect(snapshot.context).toMatchObject({ amount: PAY_AMOUNT, currency: 'SAR', capturedAmount: 0, refunds: [] });
    expect(effects).toEqual([index('pending')]);
  });

  it('records the hosted page once: a second opening (double-click, other node) is refused', () => {
    const first = payStep(startPayment().snapshot, opened);
    expect(first.snapshot.context).toMatchObject({ gatewayRef: GATEWAY_REF, redirectUrl: 'https://pay.example/sim_ref_1' });
    expect(first.effects).toEqual([index('pending', GATEWAY_REF)]);
    expect(first.snapshot.can({ type: 'payment.opened', gatewayRef: 'other', redirectUrl: 'https://x' })).toBe(false);
  });

  it('captures: logs the movement, indexes, asks the booking to settle', () => {
    const { snapshot, effects } = payStep(reachPayment('pending').snapshot, captured);
    expect(snapshot.value).toBe('captured');
    expect(snapshot.context).toMatchObject({ capturedAmount: PAY_AMOUNT, capturedMethod: 'mada', capturedAt: 1_700_000_010_000 });
    expect(effects).toEqual([
      { type: 'txn.record', ...base, visitorId: 'vis_1', movement: 'payment.captured', amount: PAY_AMOUNT, currency: 'SAR', status: 'succeeded', by: 'gateway:simulated', at: 1_700_000_010_000, method: 'mada', gatewayRef: GATEWAY_REF, paymentStatus: 'authorized' },
      index('captured', GATEWAY_REF),
      { type: 'booking.settle_capture', ...base, amount: PAY_AMOUNT },
    ]);
  });

  it('captures before the opening was recorded (crash in between) and keeps the gateway reference', () => {
    const { snapshot } = payStep(startPayment().snapshot, captured);
    expect(snapshot.context.gatewayRef).toBe(GATEWAY_REF);
    expect(snapshot.can(opened)).toBe(false);
  });

  it('refuses gateway events about another gateway payment', () => {
    const pending = reachPayment('pending').snapshot;
    expect(pending.can({ ...captured, gatewayRef: 'someone_else' } as PaymentEvent)).toBe(false);
    expect(pending.can({ ...failed, gatewayRef: 'someone_else' } as PaymentEvent)).toBe(false);
  });

  it('waits for the payer or the bank: logs a pending row with the reason and tells the booking, once per reason', () => {
    const awaiting: PaymentEvent = { type: 'payment.awaiting', gatewayRef: GATEWAY_REF, reason: 'three_d_secure', by: 'gateway:simulated', at: 1_700_000_005_000 };
    const { snapshot, effects } = payStep(reachPayment('pending').snapshot, awaiting);
    expect(snapshot.value).toBe('pending');
    expect(snapshot.context).toMatchObject({ pendingReason: 'three_d_secure', pendingAt: 1_700_000_005_000 });
    expect(effects).toEqual([
      { type: 'txn.record', ...base, visitorId: 'vis_1', movement: 'payment.pending', amount: PAY_AMOUNT, currency: 'SAR', status: 'pending', by: 'gateway:simulated', at: 1_700_000_005_000, gatewayRef: GATEWAY_REF, reason: 'three_d_secure', paymentStatus: 'pending' },
      { type: 'booking.notify_pending', ...base, reason: 'three_d_secure' },
    ]);
    expect(snapshot.can(awaiting)).toBe(false);
    expect(snapshot.can({ ...awaiting, reason: 'bank_processing' })).toBe(true);
    expect(snapshot.can({ ...awaiting, gatewayRef: 'someone_else' })).toBe(false);
    expect(reachPayment('captured').snapshot.can(awaiting)).toBe(false);
    expect(reachPayment('failed').snapshot.can(awaiting)).toBe(false);
  });

  it('fails: logs, indexes and tells the booking', () => {
    const { snapshot, effects } = payStep(reachPayment('pending').snapshot, failed);
    expect(snapshot.value).toBe('failed');
    expect(effects.map((e) => e.type)).toEqual(['txn.record', 'payment.index', 'booking.notify_failed']);
    expect(effects[2]).toEqual({ type: 'booking.notify_failed', ...base, reason: 'DECLINED' });
  });
});

describe('payment: out of order', () => {
  it('a capture after a failure wins (the money moved) and is settled with the booking', () => {
    const { snapshot, effects } = payStep(reachPayment('failed').snapshot, captured);
    expect(snapshot.value).toBe('captured');
    expect(effects.map((e) => e.type)).toEqual(['txn.record', 'payment.index', 'booking.settle_capture']);
  });

  it('a failure after a capture is refused', () => {
    expect(reachPayment('captured').snapshot.can(failed)).toBe(false);
  });
});

describe('payment: refunds', () => {
  const capturedSnapshot = () => reachPayment('captured').snapshot;

  it('asks the gateway for a refund within the capture and logs it as pending', () => {
    const { snapshot, effects } = payStep(capturedSnapshot(), refund('rf_1', 4_000));
    expect(snapshot.value).toBe('captured');
    expect(snapshot.context).toMatchObject({ refundRequestedAmount: 4_000, refundedAmount: 0 });
    expect(effects).toEqual([
      expect.objectContaining({ type: 'txn.record', movement: 'refund.requested', amount: 4_000, status: 'pending', refundId: 'rf_1', by: 'user:vis_1', reason: 'cancellation' }),
      { type: 'gateway.refund', paymentId: 'bk_1-p1', refundId: 'rf_1', gatewayRef: GATEWAY_REF, amount: 4_000 },
    ]);
  });

  it('never lets requested refunds exceed the capture, and accepts a refund id once', () => {
    const part = payStep(capturedSnapshot(), refund('rf_1', 10_000)).snapshot;
    expect(part.can(refund('rf_2', PAY_AMOUNT - 10_000 + 1))).toBe(false);
    expect(part.can(refund('rf_1', 1))).toBe(false);
    expect(part.can(refund('rf_2', PAY_AMOUNT - 10_000))).toBe(true);
    expect(reachPayment('pending').snapshot.can(refund('rf_1', 1))).toBe(false);
    expect(reachPayment('failed').snapshot.can(refund('rf_1', 1))).toBe(false);
  });

  it('a refund of a payment nobody needed also tells the payer', () => {
    const { effects } = payStep(capturedSnapshot(), refund('rf_auto', PAY_AMOUNT, 'unneeded_payment'));
    expect(effects.map((e) => e.type)).toEqual(['txn.record', 'gateway.refund', 'notify']);
    expect(effects[2]).toEqual({ type: 'notify', template: 'payment.refunded_auto', bookingId: 'bk_1', visitorId: 'vis_1' });
  });

  it('settles in parts and ends refunded when everything captured went back', () => {
    let snapshot = payStep(capturedSnapshot(), refund('rf_1', 5_000)).snapshot;
    snapshot = payStep(snapshot, refund('rf_2', PAY_AMOUNT - 5_000)).snapshot;
    const first = payStep(snapshot, { type: 'refund.succeeded', refundId: 'rf_1', refundRef: 'g_rf_1', at: 9 });
    expect(first.snapshot.value).toBe('captured');
    expect(first.effects.map((e) => e.type)).toEqual(['txn.record', 'booking.notify_refunded']);
    expect(first.effects[1]).toEqual({ type: 'booking.notify_refunded', ...base, refundId: 'rf_1', amount: 5_000, reason: 'cancellation' });
    expect(first.snapshot.can({ type: 'refund.succeeded', refundId: 'rf_1', refundRef: 'g_rf_1', at: 9 })).toBe(false);
    const second = payStep(first.snapshot, { type: 'refund.succeeded', refundId: 'rf_2', refundRef: 'g_rf_2', at: 10 });
    expect(second.snapshot.value).toBe('refunded');
    expect(second.snapshot.status).toBe('done');
    expect(second.snapshot.context.refundedAmount).toBe(PAY_AMOUNT);
    expect(second.effects.map((e) => e.type)).toEqual(['txn.record', 'booking.notify_refunded', 'payment.index']);
  });

  it('a failed refund frees its amount for another attempt', () => {
    const asked = payStep(capturedSnapshot(), refundAll).snapshot;
    const failedRefund = payStep(asked, { type: 'refund.failed', refundId: 'rf_1', reason: 'gateway declined', at: 7 });
    expect(failedRefund.snapshot.context).toMatchObject({ refundRequestedAmount: 0, refunds: [{ refundId: 'rf_1', status: 'failed', failure: 'gateway declined' }] });
    expect(failedRefund.effects).toEqual([
      expect.objectContaining({ movement: 'refund.failed', status: 'failed', amount: PAY_AMOUNT }),
      { type: 'booking.notify_refund_failed', ...base, refundId: 'rf_1', amount: PAY_AMOUNT, reason: 'cancellation' },
    ]);
    expect(failedRefund.snapshot.can(refund('rf_2', PAY_AMOUNT))).toBe(true);
  });

  it('a gateway refund report settles the pending refund it names, once', () => {
    const asked = payStep(capturedSnapshot(), refundAll).snapshot;
    const report: PaymentEvent = { type: 'refund.reported', refundedTotal: PAY_AMOUNT, refundId: 'rf_1', refundRef: 'g_rf', by: 'gateway:simulated', at: 8 };
    const settled = payStep(asked, report);
    expect(settled.snapshot.value).toBe('refunded');
    expect(payStep(asked, refundDone).snapshot.can(report)).toBe(false);
  });

  it('records a refund made outside (provider dashboard) without exceeding the capture', () => {
    const report: PaymentEvent = { type: 'refund.reported', refundedTotal: 2_000, by: 'gateway:moyasar', at: 8 };
    const { snapshot, effects } = payStep(capturedSnapshot(), report);
    expect(snapshot.context).toMatchObject({ refundRequestedAmount: 2_000, refundedAmount: 2_000, refunds: [{ refundId: 'ext-1', reason: 'external', status: 'succeeded' }] });
    expect(effects).toEqual([expect.objectContaining({ movement: 'refund.external', amount: 2_000, status: 'succeeded' })]);
    expect(snapshot.can(report)).toBe(false); // the same total again is nothing new
    expect(snapshot.can({ ...report, refundedTotal: PAY_AMOUNT + 1 } as PaymentEvent)).toBe(false);
  });

  it('keeps at most the bounded number of refunds', () => {
    let snapshot = capturedSnapshot();
    for (let i = 0; i < MAX_REFUNDS_PER_PAYMENT; i++) snapshot = payStep(snapshot, refund(`rf_${i}`, 1)).snapshot;
    expect(snapshot.can(refund('rf_last', 1))).toBe(false);
  });

  it('refunded is final', () => {
    const done = reachPayment('refunded').snapshot;
    expect(done.status).toBe('done');
    for (const event of [opened, captured, failed, refundAll, refundDone]) expect(done.can(event)).toBe(false);
  });
});

describe("payment: a food order's own payment (during the visit of its booking)", () => {
  const order = { paymentId: 'fo_1-p1', orderId: 'fo_1' };
  const pending = () => payStep(startPayment(paymentInput(order)).snapshot, opened).snapshot;

  it('captures: the movement names the order (food), and the order, not the booking, is told', () => {
    const { snapshot, effects } = payStep(pending(), captured);
    expect(snapshot.value).toBe('captured');
    expect(effects.map((e) => e.type)).toEqual(['txn.record', 'payment.index', 'food.order_paid']);
    expect(effects[0]).toMatchObject({ movement: 'payment.captured', bookingId: 'bk_1', orderId: 'fo_1', amount: PAY_AMOUNT });
    expect(effects[2]).toEqual({ type: 'food.order_paid', paymentId: 'fo_1-p1', orderId: 'fo_1', amount: PAY_AMOUNT });
  });

  it('a failed attempt tells the order; a wait tells nobody', () => {
    const failedAttempt = payStep(pending(), failed);
    expect(failedAttempt.effects.map((e) => e.type)).toEqual(['txn.record', 'payment.index', 'food.order_payment_failed']);
    expect(failedAttempt.effects[2]).toEqual({ type: 'food.order_payment_failed', paymentId: 'fo_1-p1', orderId: 'fo_1', reason: 'DECLINED' });
    const waiting = payStep(pending(), { type: 'payment.awaiting', gatewayRef: GATEWAY_REF, reason: 'three_d_secure', by: 'gateway:simulated', at: 3 });
    expect(waiting.effects.map((e) => e.type)).toEqual(['txn.record']);
  });

  it("refund outcomes go to the order; an unneeded payment's refund leaves telling the visitor to the order", () => {
    const paid = payStep(pending(), captured).snapshot;
    const asked = payStep(paid, refund('rf_1', PAY_AMOUNT));
    expect(asked.effects.map((e) => e.type)).toEqual(['txn.record', 'gateway.refund']);
    expect(asked.effects[0]).toMatchObject({ movement: 'refund.requested', orderId: 'fo_1' });
    const through = payStep(asked.snapshot, { type: 'refund.succeeded', refundId: 'rf_1', refundRef: 'g_rf_1', at: 9 });
    expect(through.effects[1]).toEqual({ type: 'food.order_refunded', paymentId: 'fo_1-p1', orderId: 'fo_1', refundId: 'rf_1', amount: PAY_AMOUNT, reason: 'cancellation' });
    const declined = payStep(asked.snapshot, { type: 'refund.failed', refundId: 'rf_1', reason: 'nothing left', at: 9 });
    expect(declined.effects[1]).toEqual({ type: 'food.order_refund_failed', paymentId: 'fo_1-p1', orderId: 'fo_1', refundId: 'rf_1', amount: PAY_AMOUNT, reason: 'cancellation' });
    expect(payStep(paid, refund('rf_auto', PAY_AMOUNT, 'unneeded_payment')).effects.map((e) => e.type)).toEqual(['txn.record', 'gateway.refund']);
  });
});
