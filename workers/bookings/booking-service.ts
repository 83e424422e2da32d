/**
 * Booking checkout across two stores of truth: the capacity ledger and the booking actor.
 *
 *   hold(input) ─zod─▶ ledger.take(slot, holdId = bookingId, qty) ──sold out──▶ slot.sold_out
 *                      (with hold limits: ledger.takeFor(…, holder = visitor) ──over the cap──▶ booking.hold_limit)
 *                              │ok (idempotent per holdId)
 *                              ▼
 *                 host.create('booking', bookingId)  ──refused──▶ ledger.release(holdId)
 *
 * The machine then drives the ledger through effects (capacity.confirm on confirmation,
 * capacity.release on expiry, rejection and cancellation). A crash between the take and the
 * actor's creation leaves a hold with no actor; `releaseOrphans` gives those back.
 */
import type { z } from 'zod';
import { BookingInput, peopleOf } from '../../machines/booking.schemas.js';
import { refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';
import type { CapacityLedger } from '../store/actor-store.js';
import type { Logger } from '../logger.js';

export const BOOKING = 'booking';

/** What a visitor (or a test) asks for; timing defaults come from the service's configuration. */
export type HoldRequest = Omit<z.input<typeof BookingInput>, 'holdMs' | 'reviewMs' | 'paymentMs'>;

export interface BookingTimings {
  holdMs: number;
  reviewMs: number;
  paymentMs: number;
}

/** Caps on one visitor's unpaid held places: in one slot, and over every slot. */
export interface HoldLimits {
  perSlot: number;
  total: number;
}

export interface BookingServiceDeps {
  host: ActorHost;
  ledger: CapacityLedger;
  clock: () => number;
  timings: BookingTimings;
  /** Without limits a visitor may hold as many unpaid places as a slot has. */
  holdLimits?: HoldLimits;
  log: Logger;
  /** Told when places go back to a slot (takes are reported by the ledger itself). */
  capacityChanged?: (slotId: string) => void;
}

export interface BookingService {
  /** Takes capacity and creates the booking in `held`; retrying with the same bookingId is safe. */
  hold(request: HoldRequest, who: string): Promise<Result<ActorView>>;
  /** Gives back holds older than `olderThanMs` whose booking actor never came to exist. */
  releaseOrphans(olderThanMs: number): Promise<number>;
  /** Outbox handlers for the ledger effects the booking machine emits. */
  readonly effectHandlers: Readonly<Record<string, EffectHandler>>;
}

/** Creates the booking service. */
export function createBookingService(deps: BookingServiceDeps): BookingService {
  const holdIdOf = (payload: Record<string, unknown>): string => {
    const holdId = payload['holdId'];
    if (typeof holdId !== 'string') throw new Error('capacity effect without a holdId');
    return holdId;
  };

  return {
    async hold(request, who) {
      const parsed = BookingInput.safeParse({ ...deps.timings, ...request });
      if (!parsed.success) {
        return refuse('input.invalid', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      }
      const input = parsed.data;
      const qty = peopleOf(input.lines);
      const limits = deps.holdLimits;
      const taken = limits
        ? await deps.ledger.takeFor(input.slotId, input.bookingId, qty, deps.clock(), { holder: input.visitorId, maxPerSlot: limits.perSlot, maxTotal: limits.total })
        : await deps.ledger.take(input.slotId, input.bookingId, qty, deps.clock());
      if (!taken.ok) {
        if (taken.code === 'booking.hold_limit') {
          const where = taken.scope === 'slot' ? 'in this slot' : 'across all slots';
          return refuse('booking.hold_limit', `you already hold ${taken.held} unpaid place(s) ${where} and may hold ${taken.max}; pay for or cancel a held booking first (${qty} requested)`);
        }
        return refuse(
          taken.code,
          taken.code === 'slot.sold_out'
            ? `slot ${input.slotId} has ${taken.remaining} place(s) left; ${qty} requested`
            : `slot ${input.slotId} does not exist`,
        );
      }
      const created = await deps.host.create(BOOKING, input.bookingId, input, { who, eventId: `hold:${input.bookingId}` });
      if (!created.ok && created.code !== 'actor.exists') {
        if (await deps.ledger.release(input.bookingId, deps.clock())) deps.capacityChanged?.(input.slotId);
      }
      return created;
    },

    async releaseOrphans(olderThanMs) {
      const orphans = await deps.ledger.orphanHolds(BOOKING, deps.clock() - olderThanMs, 500);
      for (const holdId of orphans) await deps.ledger.release(holdId, deps.clock());
      if (orphans.length > 0) deps.log.warn('released holds whose booking was never created', { count: orphans.length });
      return orphans.length;
    },

    effectHandlers: {
      'capacity.release': async (effect) => {
        const released = await deps.ledger.release(holdIdOf(effect.payload), deps.clock());
        const slotId = effect.payload['slotId'];
        if (released && typeof slotId === 'string') deps.capacityChanged?.(slotId);
      },
      'capacity.confirm': async (effect) => {
        await deps.ledger.confirm(holdIdOf(effect.payload), deps.clock());
      },
    },
  };
}
