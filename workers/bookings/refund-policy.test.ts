import { describe, expect, it } from 'vitest';
import { DEFAULT_REFUND_POLICY, refundFor } from './refund-policy.js';

const HOUR = 60 * 60 * 1000;
const START = Date.UTC(2030, 0, 10, 10);

function at(hoursBefore: number, extra: Partial<Parameters<typeof refundFor>[0]> = {}) {
  return refundFor({ capturedAmount: 10_000, alreadyRequested: 0, slotStartsAt: START, now: START - hoursBefore * HOUR, policy: DEFAULT_REFUND_POLICY, ...extra });
}

describe('refundFor', () => {
  it('refunds in full from 48 hours before the slot, boundary included', () => {
    expect(at(100)).toEqual({ amount: 10_000, rule: 'full' });
    expect(at(48)).toEqual({ amount: 10_000, rule: 'full' });
  });

  it('refunds half from 24 hours before, boundary included, until just before 48', () => {
    expect(refundFor({ capturedAmount: 10_000, alreadyRequested: 0, slotStartsAt: START, now: START - 48 * HOUR + 1, policy: DEFAULT_REFUND_POLICY })).toEqual({ amount: 5_000, rule: 'partial' });
    expect(at(24)).toEqual({ amount: 5_000, rule: 'partial' });
  });

  it('refunds nothing later than 24 hours before, nor once the slot has started', () => {
    expect(refundFor({ capturedAmount: 10_000, alreadyRequested: 0, slotStartsAt: START, now: START - 24 * HOUR + 1, policy: DEFAULT_REFUND_POLICY })).toEqual({ amount: 0, rule: 'none' });
    expect(at(0)).toEqual({ amount: 0, rule: 'none' });
    expect(at(-5)).toEqual({ amount: 0, rule: 'none' });
  });

  it('rounds a partial refund down to whole halalas', () => {
    expect(at(30, { capturedAmount: 3_333 })).toEqual({ amount: 1_666, rule: 'partial' });
  });

  it('never gives back more than is captured and not yet requested', () => {
    expect(at(72, { alreadyRequested: 4_000 })).toEqual({ amount: 6_000, rule: 'full' });
    expect(at(30, { alreadyRequested: 8_000 })).toEqual({ amount: 2_000, rule: 'partial' });
    expect(at(72, { alreadyRequested: 12_000 })).toEqual({ amount: 0, rule: 'full' });
  });

  it('follows a configured policy', () => {
    const policy = { fullBeforeHours: 72, partialBeforeHours: 12, partialPercent: 25 };
    expect(at(72, { policy })).toEqual({ amount: 10_000, rule: 'full' });
    expect(at(50, { policy })).toEqual({ amount: 2_500, rule: 'partial' });
    expect(at(11, { policy })).toEqual({ amount: 0, rule: 'none' });
  });
});
