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

const V1: Record<PaymentState, unknown> = { pending: v1Pending, failed: v1Failed, captured: v1Captured, refunded: v1Refunded };

function restore(stored: unknown) {
  const parsed = PaymentPersisted.parse(stored);
  return paymentMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status });
}

describe('payment fixtures v1', () => {
  it.each(PAYMENT_STATES)('restores %s', (state) => {
    const snapshot = restore(V1[state]);
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe((PAYMENT_FINAL_STATES as readonly string[]).includes(state) ? 'done' : 'active');
  });

  it.each(PAYMENT_STATES)('the current machine still persists %s exactly as the v1 fixture', (state) => {
    expect(PAYMENT_MACHINE_VERSION).toBe(1);
    const persisted = paymentMachine.getPersistedSnapshot(reachPayment(state).snapshot);
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(V1[state]);
  });

  it('a restored payment keeps going: pending captures, captured refunds', () => {
    expect(payStep(restore(V1.pending), captured).snapshot.value).toBe('captured');
    const asked = payStep(restore(V1.captured), refundAll);
    expect(asked.snapshot.context.refundRequestedAmount).toBe(PAY_AMOUNT);
  });

  it('refuses a snapshot whose status disagrees with its state, and any migration', () => {
    expect(PaymentPersisted.safeParse({ ...(V1.refunded as object), status: 'active' }).success).toBe(false);
    expect(PaymentPersisted.safeParse({ ...(V1.pending as object), value: 'authorized' }).success).toBe(false);
    expect(() => paymentDefinition.migrate(V1.pending, 0)).toThrow(/version 0/);
  });
});
