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
 *   change of a confirmed (paid) booking (the money rule: machines/booking.change.ts)
 *     a change waiting, tickets cancelled by a refund, a food pre-order, nothing new? ──▶ event.rejected
 *     cheaper, the same price, or dearer and waived:
 *       cheaper: the difference split over the booking's payments (what each has left to refund)
 *       ledger.move(bookingId, new slot, people) ─▶ host.send(booking.change + settle) ──refused──▶ move back
 *     dearer, the visitor pays:
 *       ledger.take(new slot, hold = chg_<hash>, the places beyond those it holds there, confirmed)
 *       ─▶ host.send(booking.change, settle collect) ──refused──▶ release the reserved places
 *       (the payment of the difference applies it: capacity.move onto the reserved places, below)
 *   withdrawChange: host.send(booking.change_withdraw) (the booking releases the reserved places)
 *
 * The machine then drives the ledger through effects (capacity.confirm on confirmation,
 * capacity.release on expiry, rejection and cancellation, and for a change that lapsed,
 * capacity.move when a change's difference is paid). A crash between the take and the
 * actor's creation leaves a hold with no actor; `releaseOrphans` gives those back.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { totalOf } from '../../machines/booking.change.js';
import { BookingEffect, BookingInput, FOOD_PREORDER_ADDON, peopleOf } from '../../machines/booking.schemas.js';
import type { BookingAddOn, BookingContext, BookingLine } from '../../machines/booking.schemas.js';
import { PaymentContext } from '../../machines/payment.schemas.js';
import { accept, refuse } from '../../machines/errors.js';
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
  /** How long a paid booking's dearer change waits for its difference (default 24 h, never past the new slot's start). */
  changeDueMs?: number;
}

/** Default wait for a change's difference to be paid. */
export const DEFAULT_CHANGE_DUE_MS = 24 * 3_600_000;

/** A booking's new slot and party, priced. */
export interface BookingChange {
  slotId: string;
  lines: BookingLine[];
  addOns?: BookingAddOn[];
  requiresApproval: boolean;
  /** When the new slot starts: a change waiting for its difference lapses by then. */
  startsAt?: number;
}

/** Who changes a booking, under which form id, and (a paid booking, dearer) who pays the difference. */
export interface ChangeBy {
  who: string;
  adminId: string;
  changeId: string;
  /** A paid booking's dearer change: the visitor pays it first (default), or the admin waives it. */
  priceIncrease?: 'collect' | 'waive';
}

/** The hold a paid booking's change reserves its new places under (deterministic: a retry takes it once). */
export function changeHoldIdOf(bookingId: string, changeId: string): string {
  return `chg_${createHash('sha256').update(`${bookingId}\n${changeId}`).digest('hex').slice(0, 40)}`;
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
  change(bookingId: string, change: BookingChange, by: ChangeBy): Promise<Result<ActorView>>;
  /** Withdraws a paid booking's change still waiting for its difference; its reserved places go back. */
  withdrawChange(bookingId: string, by: { who: string; adminId: string }): Promise<Result<ActorView>>;
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

  /** A cheaper change's difference split over the booking's payments, newest first, by what each has left to refund. */
  async function refundsFor(before: BookingContext, amount: number): Promise<Result<Array<{ paymentId: string; amount: number }>>> {
    const refunds: Array<{ paymentId: string; amount: number }> = [];
    let left = amount;
    for (const payment of [...before.payments].reverse()) {
      if (left === 0) break;
      if (payment.status !== 'captured') continue;
      const read = await deps.host.read('payment', payment.paymentId);
      if (!read.ok) {
        if (read.code === 'actor.not_found') continue;
        return read;
      }
      const context = PaymentContext.parse(read.data.context);
      const share = Math.min(left, context.capturedAmount - context.refundRequestedAmount);
      if (share <= 0) continue;
      refunds.push({ paymentId: payment.paymentId, amount: share });
      left -= share;
    }
    if (left > 0) return refuse('refund.exceeds_capture', `booking ${before.bookingId}: ${amount - left} of the ${amount} halalas the change gives back are left to refund on its payments`);
    return accept(refunds);
  }

  /** Why a paid booking cannot be changed now, or null. */
  function paidRefusal(before: BookingContext, change: BookingChange): string | null {
    const id = before.bookingId;
    if (before.pendingChange) return `booking ${id} has a change waiting for the visitor's payment; withdraw it first`;
    if ((before.cancelledTickets?.length ?? 0) > 0) return `booking ${id} has tickets cancelled by a refund; its party is no longer its lines`;
    if ((before.addOns ?? []).some((a) => a.addOnId === FOOD_PREORDER_ADDON)) return `booking ${id} carries a food pre-order for its day; cancel the pre-order first`;
    const party = (lines: ReadonlyArray<{ ticketTypeId: string; qty: number }>) => lines.map((l) => `${l.ticketTypeId}×${l.qty}`).sort().join(',');
    const same = change.slotId === before.slotId && party(change.lines) === party(before.lines);
    return same ? `booking ${id} already has this slot and party` : null;
  }

  async function changePaid(view: ActorView, change: BookingChange, by: ChangeBy): Promise<Result<ActorView>> {
    const before = view.context as BookingContext;
    const bookingId = before.bookingId;
    const refusal = paidRefusal(before, change);
    if (refusal) return refuse('event.rejected', refusal);
    const people = peopleOf(change.lines);
    const difference = totalOf(change.lines, change.addOns) - before.total;
    const { startsAt, ...target } = change;
    const event = { type: 'booking.change' as const, adminId: by.adminId, at: deps.clock(), ...target, changeId: by.changeId };
    const meta = { who: by.who, eventId: `change:${by.changeId}` };

    if (difference > 0 && (by.priceIncrease ?? 'collect') === 'collect') {
      const holdId = changeHoldIdOf(bookingId, by.changeId);
      const extra = change.slotId === before.slotId ? people - before.quantity : people;
      if (extra > 0) {
        const taken = await deps.ledger.take(change.slotId, holdId, extra, deps.clock(), true);
        if (!taken.ok) return refuse(taken.code, taken.code === 'slot.sold_out' ? `slot ${change.slotId} has ${taken.remaining} place(s) left; ${extra} more needed` : `slot ${change.slotId} does not exist`);
      }
      const waitMs = deps.timings.changeDueMs ?? DEFAULT_CHANGE_DUE_MS;
      const dueMs = Math.max(60_000, Math.min(waitMs, startsAt === undefined ? waitMs : startsAt - deps.clock()));
      const sent = await deps.host.send(BOOKING, bookingId, { ...event, settle: 'collect', dueMs, ...(extra > 0 ? { holdId } : {}) }, meta);
      if (!sent.ok && extra > 0 && (await deps.ledger.release(holdId, deps.clock()))) deps.capacityChanged?.(change.slotId);
      return sent;
    }

    let refunds: Array<{ paymentId: string; amount: number }> = [];
    if (difference < 0) {
      const split = await refundsFor(before, -difference);
      if (!split.ok) return split;
      refunds = split.data;
    }
    const moved = await deps.ledger.move(bookingId, change.slotId, people, deps.clock());
    if (!moved.ok) {
      if (moved.code === 'hold.missing') return refuse('event.rejected', `booking ${bookingId} holds no places any more`);
      return refuse(moved.code, moved.code === 'slot.sold_out' ? `slot ${change.slotId} has ${moved.remaining} place(s) left; ${people} needed` : `slot ${change.slotId} does not exist`);
    }
    const settle = difference < 0 ? { settle: 'refund' as const, refunds } : difference > 0 ? { settle: 'waive' as const } : {};
    const sent = await deps.host.send(BOOKING, bookingId, { ...event, ...settle }, meta);
    if (!sent.ok) {
      const back = await deps.ledger.move(bookingId, before.slotId, before.quantity, deps.clock());
      if (!back.ok) deps.log.error('a refused booking change could not move its places back', { bookingId, slotId: before.slotId, code: back.code });
    }
    return sent;
  }

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
      // The same form again: a paid booking's change was applied (or is waiting) already.
      if (before.changes?.some((r) => r.changeId === by.changeId)) return accept(current.data);
      if (current.data.state === 'confirmed') return changePaid(current.data, change, by);
      if (!CHANGEABLE_STATES.includes(current.data.state)) {
        return refuse('event.rejected', `booking ${bookingId} is ${current.data.state}: only a booking not paid yet or paid and not checked in (confirmed) is changed`);
      }
      if (before.paymentStatus === 'pending') return refuse('event.rejected', `booking ${bookingId} has a payment under way; change it once that attempt is over`);
      const people = peopleOf(change.lines);
      const moved = await deps.ledger.move(bookingId, change.slotId, people, deps.clock());
      if (!moved.ok) {
        if (moved.code === 'hold.missing') return refuse('event.rejected', `booking ${bookingId} holds no places any more`);
        return refuse(moved.code, moved.code === 'slot.sold_out' ? `slot ${change.slotId} has ${moved.remaining} place(s) left; ${people} needed` : `slot ${change.slotId} does not exist`);
      }
      const { startsAt: _startsAt, ...target } = change;
      const event = { type: 'booking.change' as const, adminId: by.adminId, at: deps.clock(), ...target };
      const sent = await deps.host.send(BOOKING, bookingId, event, { who: by.who, eventId: `change:${by.changeId}` });
      if (!sent.ok) {
        // The booking moved on between the read and the send (paid, expired): its places go back where they were.
        const back = await deps.ledger.move(bookingId, before.slotId, before.quantity, deps.clock());
        if (!back.ok) deps.log.error('a refused booking change could not move its places back', { bookingId, slotId: before.slotId, code: back.code });
      }
      return sent;
    },

    async withdrawChange(bookingId, by) {
      const current = await deps.host.read(BOOKING, bookingId);
      if (!current.ok) return current;
      const pending = (current.data.context as BookingContext).pendingChange;
      if (!pending) return refuse('event.rejected', `booking ${bookingId} has no change waiting for payment`);
      const event = { type: 'booking.change_withdraw', adminId: by.adminId, at: deps.clock() };
      return deps.host.send(BOOKING, bookingId, event, { who: by.who, eventId: `withdraw:${pending.changeId}` });
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
      'capacity.move': async (effect) => {
        const parsed = BookingEffect.safeParse({ ...effect.payload, type: effect.type });
        if (!parsed.success || parsed.data.type !== 'capacity.move') {
          deps.log.error('capacity.move effect is malformed; skipped', { effectId: effect.effectId });
          return;
        }
        const { holdId, slotId, qty, absorb } = parsed.data;
        const moved = await deps.ledger.move(holdId, slotId, qty, deps.clock(), absorb);
        // The reserved places make room by construction; a refusal means the ledger and the booking disagree.
        if (!moved.ok) deps.log.error('a paid change could not move its places', { bookingId: holdId, slotId, qty, code: moved.code });
      },
    },
  };
}
