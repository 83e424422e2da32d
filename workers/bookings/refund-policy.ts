/**
 * The refund a visitor gets for cancelling a paid booking, by how long before the slot starts
 * they cancel:
 *
 *   hours before the start ≥ fullBeforeHours          full      everything not yet refunded
 *   ≥ partialBeforeHours (and < fullBeforeHours)       partial   partialPercent % of the capture
 *   fewer, or the slot has started                     none      0
 *
 * Amounts are whole halalas; a partial refund rounds down. Never more than what is captured and
 * not already requested back.
 */

const HOUR_MS = 60 * 60 * 1000;

/** The venue's cancellation policy. */
export interface RefundPolicy {
  /** Cancelling at least this many hours before the slot refunds in full. */
  fullBeforeHours: number;
  /** Cancelling at least this many hours before the slot (and less than `fullBeforeHours`) refunds `partialPercent`. */
  partialBeforeHours: number;
  /** 0-100. */
  partialPercent: number;
}

export const DEFAULT_REFUND_POLICY: RefundPolicy = { fullBeforeHours: 48, partialBeforeHours: 24, partialPercent: 50 };

export type RefundRule = 'full' | 'partial' | 'none';

export interface RefundQuestion {
  capturedAmount: number;
  alreadyRequested: number;
  slotStartsAt: number;
  now: number;
  policy: RefundPolicy;
}

/** What the policy gives back for a cancellation at `now`. */
export function refundFor(question: RefundQuestion): { amount: number; rule: RefundRule } {
  const { capturedAmount, alreadyRequested, slotStartsAt, now, policy } = question;
  const left = Math.max(0, capturedAmount - alreadyRequested);
  const before = slotStartsAt - now;
  if (before <= 0) return { amount: 0, rule: 'none' };
  if (before >= policy.fullBeforeHours * HOUR_MS) return { amount: left, rule: 'full' };
  if (before >= policy.partialBeforeHours * HOUR_MS) {
    const percent = Math.min(100, Math.max(0, policy.partialPercent));
    return { amount: Math.min(left, Math.floor((capturedAmount * percent) / 100)), rule: 'partial' };
  }
  return { amount: 0, rule: 'none' };
}
