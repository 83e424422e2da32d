/**
 * Test support for the payment machine: a sample input, pure steps through `transition()` and
 * one scripted path to every state (shared by the transition tests and the fixture tests).
 */
import { initialTransition, transition } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import { paymentMachine } from './payment.machine.js';
import { PaymentEffect, PaymentInput } from './payment.schemas.js';
import type { PaymentEvent, PaymentState } from './payment.schemas.js';

/** A payment snapshot as `transition()` returns it. */
export type PaymentSnapshot = SnapshotFrom<typeof paymentMachine>;

/** One step's result: the next snapshot and the effects it emitted, in order. */
export interface PaymentStep {
  snapshot: PaymentSnapshot;
  effects: PaymentEffect[];
}

/** 125.00 SAR. */
export const PAY_AMOUNT = 12_500;
export const GATEWAY_REF = 'sim_ref_1';

/** A valid parsed input. */
export function paymentInput(overrides: Partial<PaymentInput> = {}): PaymentInput {
  return PaymentInput.parse({
    paymentId: 'bk_1-p1',
    bookingId: 'bk_1',
    visitorId: 'vis_1',
    amount: PAY_AMOUNT,
    currency: 'SAR',
    method: 'mada',
    createdAt: 1_700_000_000_000,
    ...overrides,
  });
}

function toStep(snapshot: PaymentSnapshot, actions: ReadonlyArray<{ type: string; params?: unknown }>): PaymentStep {
  const effects = actions
    .filter((a) => a.type === 'xstate.emit')
    .map((a) => PaymentEffect.parse((a.params as { event: unknown }).event));
  return { snapshot, effects };
}

/** Creates a payment through `initialTransition()`. */
export function startPayment(input: PaymentInput = paymentInput()): PaymentStep {
  const [snapshot, actions] = initialTransition(paymentMachine, input);
  return toStep(snapshot, actions);
}

/** Sends one event through `transition()`. */
export function payStep(snapshot: PaymentSnapshot, event: PaymentEvent): PaymentStep {
  const [next, actions] = transition(paymentMachine, snapshot, event);
  return toStep(next, actions);
}

export const opened: PaymentEvent = { type: 'payment.opened', gatewayRef: GATEWAY_REF, redirectUrl: 'https://pay.example/sim_ref_1' };
export const captured: PaymentEvent = { type: 'payment.captured', gatewayRef: GATEWAY_REF, amount: PAY_AMOUNT, method: 'mada', by: 'gateway:simulated', at: 1_700_000_010_000 };
export const failed: PaymentEvent = { type: 'payment.failed', gatewayRef: GATEWAY_REF, reason: 'DECLINED', by: 'gateway:simulated', at: 1_700_000_010_000 };
export const refundAll: PaymentEvent = { type: 'refund.requested', refundId: 'rf_1', amount: PAY_AMOUNT, reason: 'cancellation', by: 'user:vis_1', at: 1_700_000_020_000 };
export const refundDone: PaymentEvent = { type: 'refund.succeeded', refundId: 'rf_1', refundRef: 'sim_rf_1', at: 1_700_000_030_000 };

/** One scripted path from creation to each state. */
export const PAYMENT_PATHS: Record<PaymentState, readonly PaymentEvent[]> = {
  pending: [opened],
  failed: [opened, failed],
  captured: [opened, captured],
  refunded: [opened, captured, refundAll, refundDone],
};

/** Drives a fresh payment to `state` along its scripted path. */
export function reachPayment(state: PaymentState): PaymentStep {
  return PAYMENT_PATHS[state].reduce((current, event) => payStep(current.snapshot, event), startPayment());
}
