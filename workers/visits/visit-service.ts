/**
 * What follows a gate passage: live occupancy, the end of a visit, and what closing it releases.
 *
 *   ticket.entered ─▶ booking.check_in (the same event id the gate used: applied once, and never lost
 *                    when the node that admitted crashed before checking the booking in)
 *                  ─▶ occupancy: take one unit of `occupancy:zone:<zone>` and `occupancy:slot:<slot>`
 *                    (hold ids from the stay, confirmed at once) ─▶ levels published
 *   ticket.exited  ─▶ occupancy: give both units back ─▶ levels published
 *                  ─▶ no other ticket of the booking inside? ─▶ booking.all_out {graceMs}
 *                      (the booking closes the visit when the grace runs out, unless someone re-enters)
 *   visit.close    ─▶ release the booking's lockers, deactivate its bands (reason returned),
 *                    give back rental reservations nobody picked up
 *
 * Occupancy is counted in the capacity ledger: each stay is one confirmed hold, so a redelivered
 * effect takes or gives back nothing twice and every node reads the same number. Effects of one
 * ticket arrive in order (the relay is ordered per actor), so an exit never overtakes its entry.
 * A re-entry racing the all-out check can send `all_out` after the booking is back in (it is then
 * refused) or just before (the booking returns to checked_in on the re-entry's check-in): either
 * way the visit stays open.
 */
import { bookingDefinition } from '../../machines/booking.machine.js';
import { hasTag } from '../../machines/actor-definition.js';
import { BookingContext } from '../../machines/booking.schemas.js';
import { TicketEffect } from '../../machines/ticket.schemas.js';
import type { TicketContext } from '../../machines/ticket.schemas.js';
import type { ActorHost } from '../actors/actor-host.js';
import type { AvailabilityFeed } from '../fanout/availability.js';
import type { Logger } from '../logger.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';
import type { CapacityLedger, EffectRow } from '../store/actor-store.js';

/** The ledger slot that counts who is inside a zone or a slot. */
export function occupancySlotId(scope: 'zone' | 'slot', id: string): string {
  return `occupancy:${scope}:${id}`;
}

/** The reverse of occupancySlotId, for publishing; null for ordinary slots. */
export function occupancyScope(slotId: string): { scope: 'zone' | 'slot'; id: string } | null {
  const match = /^occupancy:(zone|slot):(.+)$/.exec(slotId);
  return match?.[1] === 'zone' || match?.[1] === 'slot' ? { scope: match[1], id: match[2] ?? '' } : null;
}

/** Counting has no real limit; the ledger needs a capacity. */
const OCCUPANCY_CAPACITY = 10_000_000;

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
  ledger: CapacityLedger;
  availability: Pick<AvailabilityFeed, 'changed'>;
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
  const { host, ledger, log } = deps;
  const defined = new Set<string>();

  async function ensureSlot(slotId: string): Promise<void> {
    if (defined.has(slotId)) return;
    const level = await ledger.level(slotId);
    if (level === null || level.capacity < OCCUPANCY_CAPACITY) await ledger.defineSlot(slotId, OCCUPANCY_CAPACITY);
    defined.add(slotId);
  }

  function scopes(effect: { zone?: string | undefined; slotId: string }): string[] {
    return [occupancySlotId('slot', effect.slotId), ...(effect.zone === undefined ? [] : [occupancySlotId('zone', effect.zone)])];
  }

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
    for (let seq = 1; seq <= context.data.quantity; seq++) {
      const ticket = await host.read('ticket', `${bookingId}-t${String(seq)}`);
      if (ticket.ok && ticket.data.state === 'inside') return true;
    }
    return false;
  }

  async function closeVisit(effect: EffectRow): Promise<void> {
    const bookingId = effect.payload['bookingId'];
    const quantity = effect.payload['quantity'];
    if (typeof bookingId !== 'string' || typeof quantity !== 'number') {
      log.error('visit.close effect is malformed; skipped', { effectId: effect.effectId });
      return;
    }
    const releases = deps.releases ?? {};
    const lockers = (await releases.lockers?.(bookingId, WHO)) ?? 0;
    let bands = 0;
    for (let seq = 1; seq <= quantity; seq++) {
      const ticket = await host.read('ticket', `${bookingId}-t${String(seq)}`);
      const uid = ticket.ok ? (ticket.data.context as TicketContext).bandUid : undefined;
      if (uid === undefined || releases.band === undefined) continue;
      await releases.band(uid, WHO);
      bands++;
    }
    await releases.reservations?.(bookingId);
    log.info('visit closed', { bookingId, lockersReleased: lockers, bandsDeactivated: bands });
  }

  return {
    async inside(scope, id) {
      return (await ledger.level(occupancySlotId(scope, id)))?.taken ?? 0;
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
        for (const slotId of scopes(entered)) {
          await ensureSlot(slotId);
          const taken = await ledger.take(slotId, `${entered.holdId}:${slotId}`, 1, deps.clock(), true);
          if (!taken.ok) throw new Error(`occupancy of ${slotId} could not count ${entered.ticketId}: ${taken.code}`);
          deps.availability.changed(slotId);
        }
      },

      'ticket.exited': async (effect) => {
        const exited = parse(effect, 'ticket.exited');
        if (!exited) return;
        if (exited.holdId !== undefined) {
          for (const slotId of scopes(exited)) {
            if (await ledger.release(`${exited.holdId}:${slotId}`, deps.clock())) deps.availability.changed(slotId);
          }
        }
        if (await anyoneInside(exited.bookingId)) return;
        const event = { type: 'booking.all_out', at: exited.at, graceMs: deps.checkoutGraceMs };
        const sent = await host.send('booking', exited.bookingId, event, { who: WHO, eventId: `all-out:${effect.effectId}` });
        // Refused: the booking is not checked in (already leaving, checked out, or someone came back in).
        if (!sent.ok && sent.code !== 'event.rejected' && sent.code !== 'actor.not_found') {
          throw new Error(`booking ${exited.bookingId} could not start its check-out: ${sent.code} ${sent.message}`);
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
