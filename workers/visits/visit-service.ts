/**
 * What follows a gate passage: live occupancy, the end of a visit, and what closing it releases.
 *
 *   ticket commit valid ─▶ inside ─▶ +1 `occupancy:zone:<zone>` and `occupancy:slot:<slot>` ┐ in the same
 *   ticket commit inside ─▶ valid / used / revoked ─▶ −1 on both                            ┘ commit (occupancyCounters)
 *                  ─▶ the node publishes the counts at most once a second (availability feed)
 *   ticket.entered ─▶ booking.check_in (the same event id the gate used: applied once, and never lost
 *                    when the node that admitted crashed before checking the booking in). Not written
 *                    for a member entering a booking the gate read as checked in, while the booking
 *                    is still at that version when the ticket commits (CommitRequest.omitEffects)
 *   ticket.exited  ─▶ no other ticket of the booking inside? ─▶ booking.all_out {graceMs}
 *                      ─▶ someone inside now after all? ─▶ booking.check_in (back to checked_in)
 *                      (the booking closes the visit when the grace runs out, unless someone re-enters)
 *   visit.close    ─▶ members still inside (a staff check-out) are walked out: their exit commits
 *                    bring the counts down; release the booking's lockers, deactivate its bands
 *                    (reason returned), give back rental reservations nobody picked up
 *
 * Occupancy is the number of tickets in the `inside` state, kept by the commits that move tickets
 * in and out: a redelivered effect, a duplicate scan or a conflict moves nothing, and every node
 * reads the same number.
 *
 * An entry racing the last exit: the exit's handler reads every ticket outside, then commits
 * `all_out`. An entry committed before that all_out (its ticket.entered left out, or already
 * handled, because the booking was still checked in) is seen by the second look after the
 * all_out, which checks the booking back in; an entry committed after it finds the booking's
 * version moved, so its ticket.entered is written and checks the booking in. Either way the
 * visit stays open while someone is inside.
 */
import { bookingDefinition } from '../../machines/booking.machine.js';
import { hasTag } from '../../machines/actor-definition.js';
import { BookingContext } from '../../machines/booking.schemas.js';
import { ticketSeqs } from '../../machines/booking.money.js';
import { TicketEffect } from '../../machines/ticket.schemas.js';
import type { TicketContext } from '../../machines/ticket.schemas.js';
import type { AnyMachineSnapshot } from 'xstate';
import type { ActorHost, CounterRule } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';
import type { ActorStore, EffectRow } from '../store/actor-store.js';

/** The counter of who is inside a zone or a slot. */
export function occupancySlotId(scope: 'zone' | 'slot', id: string): string {
  return `occupancy:${scope}:${id}`;
}

/** The reverse of occupancySlotId, for publishing; null for ordinary slots. */
export function occupancyScope(slotId: string): { scope: 'zone' | 'slot'; id: string } | null {
  const match = /^occupancy:(zone|slot):(.+)$/.exec(slotId);
  return match?.[1] === 'zone' || match?.[1] === 'slot' ? { scope: match[1], id: match[2] ?? '' } : null;
}

/** The counts a ticket holds while inside: its slot's and its zone's. */
function occupancyOf(snapshot: AnyMachineSnapshot | null): string[] {
  if (snapshot === null || snapshot.value !== 'inside') return [];
  const { slotId, zone } = snapshot.context as Pick<TicketContext, 'slotId' | 'zone'>;
  return [occupancySlotId('slot', slotId), ...(zone === undefined ? [] : [occupancySlotId('zone', zone)])];
}

/** The ticket's counter rule: +1 for each count it enters, −1 for each it leaves. */
export const occupancyCounters: CounterRule = (before, after) => {
  const deltas: Record<string, number> = {};
  for (const name of occupancyOf(before)) deltas[name] = (deltas[name] ?? 0) - 1;
  for (const name of occupancyOf(after)) deltas[name] = (deltas[name] ?? 0) + 1;
  return deltas;
};

/** The members of a visit closed with someone still inside are walked out by this gate id. */
export const VISIT_CLOSE_GATE = 'visit-close';

/** What closing a visit releases; each part is optional (a node without lockers skips them). */
export interface VisitReleases {
  /** Frees every locker assigned to the booking; returns how many. */
  lockers?: (bookingId: string, who: string) => Promise<number>;
  /** Deactivates a band (reason returned). */
  band?: (uid: string, who: string) => Promise<void>;
  /** Gives back the booking's rental reservations nobody picked up. */
  reservations?: (bookingId: string) => Promise<void>;
}

export interface VisitServiceDeps {
  host: Pick<ActorHost, 'send' | 'read'>;
  counters: Pick<ActorStore, 'counter'>;
  /** How long after the last member's exit the visit closes (a re-entry in between keeps it open). */
  checkoutGraceMs: number;
  releases?: VisitReleases;
  /** Called for every double entry an offline gate reported (the hub alerts staff). */
  onDoubleEntry?: (entry: Extract<TicketEffect, { type: 'ticket.double_entry' }>, effectId: string) => void;
  clock: () => number;
  log: Logger;
}

export interface VisitService {
  readonly effectHandlers: Readonly<Record<string, EffectHandler>>;
  /** People inside a zone or a slot now. */
  inside(scope: 'zone' | 'slot', id: string): Promise<number>;
}

const WHO = 'system:visits';

/** Creates the visit service. */
export function createVisitService(deps: VisitServiceDeps): VisitService {
  const { host, log } = deps;

  function parse<T extends TicketEffect['type']>(effect: EffectRow, type: T): Extract<TicketEffect, { type: T }> | null {
    const parsed = TicketEffect.safeParse({ ...effect.payload, type: effect.type });
    if (!parsed.success || parsed.data.type !== type) {
      log.error(`${type} effect is malformed; skipped`, { effectId: effect.effectId });
      return null;
    }
    return parsed.data as Extract<TicketEffect, { type: T }>;
  }

  async function anyoneInside(bookingId: string): Promise<boolean> {
    const booking = await host.read('booking', bookingId);
    if (!booking.ok) return false;
    const context = BookingContext.safeParse(booking.data.context);
    if (!context.success) return false;
    for (const seq of ticketSeqs(context.data)) {
      const ticket = await host.read('ticket', `${bookingId}-t${String(seq)}`);
      if (ticket.ok && ticket.data.state === 'inside') return true;
    }
    return false;
  }

  async function closeVisit(effect: EffectRow): Promise<void> {
    const bookingId = effect.payload['bookingId'];
    const quantity = effect.payload['quantity'];
    const at = effect.payload['at'];
    if (typeof bookingId !== 'string' || typeof quantity !== 'number') {
      log.error('visit.close effect is malformed; skipped', { effectId: effect.effectId });
      return;
    }
    const releases = deps.releases ?? {};
    const lockers = (await releases.lockers?.(bookingId, WHO)) ?? 0;
    let bands = 0;
    let walkedOut = 0;
    // The current tickets: a booking changed once paid numbers them after those it replaced.
    const booking = await host.read('booking', bookingId);
    const ticketBase = booking.ok ? BookingContext.safeParse(booking.data.context).data?.ticketBase : undefined;
    for (const seq of ticketSeqs({ quantity, ticketBase })) {
      const ticketId = `${bookingId}-t${String(seq)}`;
      const ticket = await host.read('ticket', ticketId);
      if (!ticket.ok) continue;
      // Staff closed the visit with this member inside: the exit is recorded so the counts come down.
      if (ticket.data.state === 'inside') {
        const exit = { type: 'ticket.scan', direction: 'exit', gateId: VISIT_CLOSE_GATE, nonce: `close-${String(seq).padStart(4, '0')}-${effect.version}`, at: typeof at === 'number' && at > 0 ? at : deps.clock() };
        const out = await host.send('ticket', ticketId, exit, { who: WHO, eventId: `visit-close:${effect.effectId}:${String(seq)}` });
        if (!out.ok && out.code !== 'event.rejected') throw new Error(`ticket ${ticketId} could not be walked out: ${out.code} ${out.message}`);
        if (out.ok) walkedOut++;
      }
      const uid = (ticket.data.context as TicketContext).bandUid;
      if (uid === undefined || releases.band === undefined) continue;
      await releases.band(uid, WHO);
      bands++;
    }
    await releases.reservations?.(bookingId);
    log.info('visit closed', { bookingId, lockersReleased: lockers, bandsDeactivated: bands, walkedOut });
  }

  return {
    async inside(scope, id) {
      return deps.counters.counter(occupancySlotId(scope, id));
    },

    effectHandlers: {
      'ticket.entered': async (effect) => {
        const entered = parse(effect, 'ticket.entered');
        if (!entered) return;
        // The gate checked the booking in already unless it died first; only then is a send needed.
        const booking = await host.read(bookingDefinition, entered.bookingId);
        if (booking.ok && hasTag(booking.data, 'admits') && !hasTag(booking.data, 'inside')) {
          const checkIn = { type: 'booking.check_in', at: entered.at, gateId: entered.gateId };
          const checked = await host.send('booking', entered.bookingId, checkIn, { who: WHO, eventId: `checkin:${entered.holdId}` });
          if (!checked.ok && checked.code !== 'event.rejected' && checked.code !== 'actor.not_found') {
            throw new Error(`booking ${entered.bookingId} could not be checked in: ${checked.code} ${checked.message}`);
          }
        }
      },

      'ticket.exited': async (effect) => {
        const exited = parse(effect, 'ticket.exited');
        if (!exited) return;
        if (await anyoneInside(exited.bookingId)) return;
        const event = { type: 'booking.all_out', at: exited.at, graceMs: deps.checkoutGraceMs };
        const sent = await host.send('booking', exited.bookingId, event, { who: WHO, eventId: `all-out:${effect.effectId}` });
        // Refused: the booking is not checked in (already leaving, checked out, or someone came back in).
        if (!sent.ok && sent.code !== 'event.rejected' && sent.code !== 'actor.not_found') {
          throw new Error(`booking ${exited.bookingId} could not start its check-out: ${sent.code} ${sent.message}`);
        }
        // An entry committed between the look above and the all_out saw the booking checked in and did not check it in.
        if (!sent.ok || !(await anyoneInside(exited.bookingId))) return;
        const back = { type: 'booking.check_in', at: exited.at };
        const checked = await host.send('booking', exited.bookingId, back, { who: WHO, eventId: `back-in:${effect.effectId}` });
        if (!checked.ok && checked.code !== 'event.rejected' && checked.code !== 'actor.not_found') {
          throw new Error(`booking ${exited.bookingId} could not be checked back in: ${checked.code} ${checked.message}`);
        }
      },

      'visit.close': closeVisit,

      'ticket.double_entry': async (effect) => {
        const entry = parse(effect, 'ticket.double_entry');
        if (!entry) return;
        log.warn('double entry reported by an offline gate', { ticketId: entry.ticketId, bookingId: entry.bookingId, gateId: entry.gateId, at: entry.at, previous: entry.previous });
        deps.onDoubleEntry?.(entry, effect.effectId);
      },
    },
  };
}
