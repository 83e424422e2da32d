/**
 * Booking checkout across two stores of truth: the capacity ledger and the booking actor.
 *
 *   hold(input) ─zod─▶ ledger.take(slot, holdId = bookingId, qty) ──sold out──▶ slot.sold_out
 *                      (with hold limits: ledger.takeFor(…, holder = visitor) ──over the cap──▶ booking.hold_limit)
 *                              │ok (idempotent per holdId)
 *                              ▼
 *                 host.create('booking', bookingId)  ──refused──▶ ledger.release(holdId)
 *
 *   change(bookingId, {slotId, lines, addOns}) (a booking admin, before payment)
 *     booking held / under review / awaiting payment, no payment under way? ──no──▶ event.rejected
 *     ledger.move(holdId = bookingId, new slot, people) ──sold out / no slot──▶ refused, nothing changed
 *     host.send(booking.change) ──refused (the booking moved on meanwhile)──▶ ledger.move back
 *
 * The machine then drives the ledger through effects (capacity.confirm on confirmation,
 * capacity.release on expiry, rejection and cancellation). A crash between the take and the
 * actor's creation leaves a hold with no actor; `releaseOrphans` gives those back.
 */
import type { z } from 'zod';
import { BookingInput, peopleOf } from '../../machines/booking.schemas.js';
import type { BookingAddOn, BookingContext, BookingLine } from '../../machines/booking.schemas.js';
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

/** A booking's new slot and party, priced. */
export interface BookingChange {
  slotId: string;
  lines: BookingLine[];
  addOns?: BookingAddOn[];
  requiresApproval: boolean;
}

/** The states in which a booking can still be changed (nothing paid yet). */
export const CHANGEABLE_STATES: readonly string[] = ['held', 'under_review', 'awaiting_payment'];

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
  /**
   * Moves a booking not paid yet to another slot and/or party (lines priced by the caller from the
   * catalog): its places move in the ledger first, then the booking takes the change. `changeId`
   * makes a retry answer the same.
   */
  change(bookingId: string, change: BookingChange, by: { who: string; adminId: string; changeId: string }): Promise<Result<ActorView>>;
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

    async change(bookingId, change, by) {
      const current = await deps.host.read(BOOKING, bookingId);
      if (!current.ok) return current;
      const before = current.data.context as BookingContext;
      if (!CHANGEABLE_STATES.includes(current.data.state)) {
        return refuse('event.rejected', `booking ${bookingId} is ${current.data.state}: only a booking not paid yet (held, under review, awaiting payment) is changed; cancel it with a refund and book again`);
      }
      if (before.paymentStatus === 'pending') return refuse('event.rejected', `booking ${bookingId} has a payment under way; change it once that attempt is over`);
      const people = peopleOf(change.lines);
      const moved = await deps.ledger.move(bookingId, change.slotId, people, deps.clock());
      if (!moved.ok) {
        if (moved.code === 'hold.missing') return refuse('event.rejected', `booking ${bookingId} holds no places any more`);
        return refuse(moved.code, moved.code === 'slot.sold_out' ? `slot ${change.slotId} has ${moved.remaining} place(s) left; ${people} needed` : `slot ${change.slotId} does not exist`);
      }
      const event = { type: 'booking.change' as const, adminId: by.adminId, at: deps.clock(), ...change };
      const sent = await deps.host.send(BOOKING, bookingId, event, { who: by.who, eventId: `change:${by.changeId}` });
      if (!sent.ok) {
        // The booking moved on between the read and the send (paid, expired): its places go back where they were.
        const back = await deps.ledger.move(bookingId, before.slotId, before.quantity, deps.clock());
        if (!back.ok) deps.log.error('a refused booking change could not move its places back', { bookingId, slotId: before.slotId, code: back.code });
      }
      return sent;
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
