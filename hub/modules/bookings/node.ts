/**
 * The bookings module on a node: a booking's deadlines (HOLD_MINUTES, REVIEW_HOURS,
 * PAYMENT_MINUTES) and the caps on a visitor's unpaid places (HOLD_MAX_PLACES_PER_SLOT,
 * HOLD_MAX_PLACES). It lends the visitor's cancellation refund policy (REFUND_*) to its routes.
 */
import { z } from 'zod';
import { bookingsRuntime } from '../../../workers/bookings/bookings.module.js';
import type { RefundPolicy } from '../../../workers/bookings/refund-policy.js';
import { integer } from '../../env-fields.js';
import { nodePartOf } from '../node-part.js';

/** The bookings module's variables. */
export const BookingsSettings = z
  .object({
    HOLD_MINUTES: integer('HOLD_MINUTES', 1, 1_440, 15),
    // Unpaid places one visitor may hold at once: in one slot, and over all slots (paid ones do not count).
    HOLD_MAX_PLACES_PER_SLOT: integer('HOLD_MAX_PLACES_PER_SLOT', 1, 10_000, 20),
    HOLD_MAX_PLACES: integer('HOLD_MAX_PLACES', 1, 100_000, 40),
    REVIEW_HOURS: integer('REVIEW_HOURS', 1, 720, 24),
    PAYMENT_MINUTES: integer('PAYMENT_MINUTES', 1, 1_440, 15),
    // Refund policy for a visitor's own cancellation of a paid booking, by time before the slot starts.
    REFUND_FULL_HOURS: integer('REFUND_FULL_HOURS', 0, 8_760, 48),
    REFUND_PARTIAL_HOURS: integer('REFUND_PARTIAL_HOURS', 0, 8_760, 24),
    REFUND_PARTIAL_PERCENT: integer('REFUND_PARTIAL_PERCENT', 0, 100, 50),
  })
  .superRefine((env, ctx) => {
    if (env.HOLD_MAX_PLACES_PER_SLOT > env.HOLD_MAX_PLACES) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOLD_MAX_PLACES_PER_SLOT'],
        message: `must not exceed HOLD_MAX_PLACES (${env.HOLD_MAX_PLACES}), e.g. HOLD_MAX_PLACES_PER_SLOT=${Math.min(20, env.HOLD_MAX_PLACES)}`,
      });
    }
    if (env.REFUND_PARTIAL_HOURS > env.REFUND_FULL_HOURS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REFUND_PARTIAL_HOURS'],
        message: `must not exceed REFUND_FULL_HOURS (${env.REFUND_FULL_HOURS}), e.g. REFUND_PARTIAL_HOURS=${Math.floor(env.REFUND_FULL_HOURS / 2)}`,
      });
    }
  });

/** What the bookings module lends. */
export interface BookingsLends {
  readonly refundPolicy: RefundPolicy;
}

export const bookingsNode = nodePartOf(bookingsRuntime, {
  settings: BookingsSettings,
  async open(_node, settings) {
    return {
      wiring: {
        timings: { holdMs: settings.HOLD_MINUTES * 60_000, reviewMs: settings.REVIEW_HOURS * 3_600_000, paymentMs: settings.PAYMENT_MINUTES * 60_000 },
        holdLimits: { perSlot: settings.HOLD_MAX_PLACES_PER_SLOT, total: settings.HOLD_MAX_PLACES },
      },
      lends: {
        refundPolicy: { fullBeforeHours: settings.REFUND_FULL_HOURS, partialBeforeHours: settings.REFUND_PARTIAL_HOURS, partialPercent: settings.REFUND_PARTIAL_PERCENT },
      } satisfies BookingsLends,
    };
  },
});
