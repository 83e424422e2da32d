/**
 * The bookings module on a node: a booking's deadlines (HOLD_MINUTES, REVIEW_HOURS,
 * PAYMENT_MINUTES) and the caps on a visitor's unpaid places (HOLD_MAX_PLACES_PER_SLOT,
 * HOLD_MAX_PLACES). It lends the visitor's cancellation refund policy (REFUND_*) to its routes.
 */
import { bookingsRuntime } from '../../../workers/bookings/bookings.module.js';
import type { RefundPolicy } from '../../../workers/bookings/refund-policy.js';
import { nodePartOf } from '../node-part.js';

/** What the bookings module lends. */
export interface BookingsLends {
  readonly refundPolicy: RefundPolicy;
}

export const bookingsNode = nodePartOf(bookingsRuntime, {
  async open({ config }) {
    return {
      wiring: {
        timings: { holdMs: config.HOLD_MINUTES * 60_000, reviewMs: config.REVIEW_HOURS * 3_600_000, paymentMs: config.PAYMENT_MINUTES * 60_000 },
        holdLimits: { perSlot: config.HOLD_MAX_PLACES_PER_SLOT, total: config.HOLD_MAX_PLACES },
      },
      lends: {
        refundPolicy: { fullBeforeHours: config.REFUND_FULL_HOURS, partialBeforeHours: config.REFUND_PARTIAL_HOURS, partialPercent: config.REFUND_PARTIAL_PERCENT },
      } satisfies BookingsLends,
    };
  },
});
