/**
 * Stored payment snapshots of every machine version must stay restorable: each fixture is a
 * `getPersistedSnapshot()` written by that version, restored the way the host restores one.
 */
import { describe, expect, it } from 'vitest';
import { PAYMENT_MACHINE_VERSION, paymentDefinition, paymentMachine } from './payment.machine.js';
import { PAYMENT_FINAL_STATES, PAYMENT_STATES, PaymentPersisted } from './payment.schemas.js';
import type { PaymentState } from './payment.schemas.js';
import { PAY_AMOUNT, captured, payStep, reachPayment, refundAll } from './payment.test-support.js';
import v1Captured from './fixtures/payment.v1.captured.json' with { type: 'json' };
import v1Failed from './fixtures/payment.v1.failed.json' with { type: 'json' };
import v1Pending from './fixtures/payment.v1.pending.json' with { type: 'json' };
import v1Refunded from './fixtures/payment.v1.refunded.json' with { type: 'json' };
import v2Captured from './fixtures/payment.v2.captured.json' with { type: 'json' };
import v2Failed from './fixtures/payment.v2.failed.json' with { type: 'json' };
import v2Pending from './fixtures/payment.v2.pending.json' with { type: 'json' };
import v2PendingAwaiting from './fixtures/payment.v2.pending_awaiting.json' with { type: 'json' };
import v2Refunded from './fixtures/payment.v2.refunded.json' with { type: 'json' };
import v3Captured from './fixtures/payment.v3.captured.json' with { type: 'json' };
import v3Failed from './fixtures/payment.v3.failed.json' with { type: 'json' };
import v3OrderCaptured from './fixtures/payment.v3.order_captured.json' with { type: 'json' };
import v3Pending from './fixtures/payment.v3.pending.json' with { type: 'json' };
import v3Refunded from './fixtures/payment.v3.refunded.json' with { type: 'json' };
import v3CapturedChangeRefund from './fixtures/payment.v3.captured_change_refund.json' with { type: 'json' };

const V1: Record<PaymentState, unknown> = { pending: v1Pending, failed: v1Failed, captured: v1Captured, refunded: v1Refunded };
const V2: Record<PaymentState, unknown> = { pending: v2Pending, failed: v2Failed, captured: v2Captured, refunded: v2Refunded };
const V3: Record<PaymentState, unknown> = { pending: v3Pending, failed: v3Failed, captured: v3Captured, refunded: v3Refunded };

/** Restores a stored snapshot as the host does: migrate (older versions), parse, resolve. */
function restore(stored: unknown, fromVersion = PAYMENT_MACHINE_VERSION) {
  const migrated = fromVersion === PAYMENT_MACHINE_VERSION ? stored : paymentDefinition.migrate(stored, fromVersion);
  const parsed = PaymentPersisted.parse(migrated);
  return paymentMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status });
}

const expectedStatus = (state: PaymentState) => ((PAYMENT_FINAL_STATES as readonly string[]).includes(state) ? 'done' : 'active');

describe('payment fixtures v1 (restored through the v1 → v3 migration)', () => {
  it.each(PAYMENT_STATES)('restores %s', (state) => {
    const snapshot = restore(V1[state], 1);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(expectedStatus(state));
  });

  it('a restored payment keeps going: pending waits for 3-D Secure and captures, captured refunds', () => {
    const waiting = payStep(restore(V1.pending, 1), { type: 'payment.awaiting', gatewayRef: 'sim_ref_1', reason: 'three_d_secure', by: 'gateway:simulated', at: 1_700_000_005_000 });
    expect(waiting.snapshot.context.pendingReason).toBe('three_d_secure');
    expect(payStep(waiting.snapshot, captured).snapshot.value).toBe('captured');
    const asked = payStep(restore(V1.captured, 1), refundAll);
    expect(asked.snapshot.context.refundRequestedAmount).toBe(PAY_AMOUNT);
  });

  it('passes every version 1 snapshot through unchanged', () => {
    for (const state of PAYMENT_STATES) expect(paymentDefinition.migrate(V1[state], 1)).toBe(V1[state]);
  });
});

describe('payment fixtures v2 (restored unchanged as v3)', () => {
  it.each(PAYMENT_STATES)('restores %s', (state) => {
    const snapshot = restore(V2[state], 2);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(expectedStatus(state));
  });

  it('passes every version 2 snapshot through unchanged', () => {
    for (const state of PAYMENT_STATES) expect(paymentDefinition.migrate(V2[state], 2)).toBe(V2[state]);
  });

  it('restores a payment waiting for 3-D Secure, which captures', () => {
    const waiting = restore(v2PendingAwaiting, 2);
    expect(waiting.context).toMatchObject({ pendingReason: 'three_d_secure', pendingAt: 1_700_000_005_000 });
    expect(payStep(waiting, captured).snapshot.value).toBe('captured');
  });
});

describe('payment fixtures v3', () => {
  it.each(PAYMENT_STATES)('restores %s', (state) => {
    const snapshot = restore(V3[state]);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(expectedStatus(state));
  });

  it.each(PAYMENT_STATES)('the current machine still persists %s exactly as the v3 fixture', (state) => {
    expect(PAYMENT_MACHINE_VERSION).toBe(3);
    const persisted = paymentMachine.getPersistedSnapshot(reachPayment(state).snapshot);
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(V3[state]);
  });

  it("restores a food order's own captured payment, whose refund outcome goes to the order", () => {
    const restored = restore(v3OrderCaptured);
    expect(restored.context).toMatchObject({ orderId: 'fo_1', capturedAmount: PAY_AMOUNT });
    const asked = payStep(restored, refundAll);
    const done = payStep(asked.snapshot, { type: 'refund.succeeded', refundId: 'rf_1', refundRef: 'sim_rf_1', at: 1_700_000_030_000 });
    expect(done.effects.map((e) => e.type)).toEqual(['txn.record', 'food.order_refunded', 'payment.index']);
  });

  it('restores a payment refunding part of itself for a booking change, which completes', () => {
    const asked = restore(v3CapturedChangeRefund);
    expect(asked.context.refunds).toMatchObject([{ refundId: 'rf_change_1', reason: 'change', status: 'pending' }]);
    const done = payStep(asked, { type: 'refund.succeeded', refundId: 'rf_change_1', refundRef: 'sim_rf_1', at: 1_700_000_020_000 });
    expect(done.snapshot.context.refundedAmount).toBe(asked.context.refundRequestedAmount);
  });

  it('refuses a snapshot whose status disagrees with its state, and any other version', () => {
    expect(PaymentPersisted.safeParse({ ...(V3.refunded as object), status: 'active' }).success).toBe(false);
    expect(PaymentPersisted.safeParse({ ...(V3.pending as object), value: 'authorized' }).success).toBe(false);
    expect(() => paymentDefinition.migrate(V3.pending, 0)).toThrow(/version 0/);
    expect(() => paymentDefinition.migrate(V3.pending, 3)).toThrow(/version 3/);
  });
});
