/**
 * Wristbands: an RFID band (actor id = its UID) linked to one ticket, its booking and visitor.
 *
 * Two invariants, each enforced by one atomic operation:
 *
 *   one active band per UID     the wristband actor: `band.link` is accepted only on `unlinked`, and
 *                               the host's per-actor mailbox + version compare-and-set make it a
 *                               compare-and-set across nodes.
 *   one active band per ticket  a one-unit ledger slot per ticket, `band-of:<ticketId>`. A link takes
 *                               that unit (hold id `band:<uid>:<ticketId>:<band version>`, unique per
 *                               link attempt) BEFORE it touches the band; the ledger's take is one
 *                               atomic store operation, so of N concurrent links to one ticket exactly
 *                               one gets the unit and the others are refused without touching a band.
 *
 *   link(uid, ticketId)
 *     1. ticket actor: missing ──▶ actor.not_found; revoked ──▶ ticket.revoked
 *     2. band actor created if new (unlinked); active on this ticket ──▶ that band (a retry);
 *        active elsewhere ──▶ band.in_use; deactivated ──▶ band.inactive (reset it first)
 *     3. ledger.take(band-of:<ticket>, holdId, 1)   sold out ──▶ band.ticket_has_band
 *     4. send band.link (holdId recorded on the band)
 *          accepted ──▶ ledger.confirm(holdId)
 *          refused  ──▶ ledger.release(holdId); the band was linked concurrently ──▶ band.in_use
 *
 *   deactivate(uid, reason) sends band.deactivate, then releases the hold the band recorded; a retry
 *   on a deactivated band releases it again (the ledger releases once), repairing a crash between
 *   the actor and the ledger. A crash between take and link leaves a 'held' unit with no actor of
 *   that id; the runtime's orphan-hold sweep gives it back.
 *
 *   replace(old, new) deactivates the old band (reason lost), which frees the ticket's unit, then
 *   links the new band to the same ticket. Between the two steps another band could in principle
 *   take the ticket; then the new link is refused with band.ticket_has_band and the old band stays
 *   deactivated (it is lost either way).
 *
 *   follow(uid, from, to) (the booking's tickets were reissued by a change: `bands.follow`)
 *     band active on `to` already ──▶ that band (a retry: its hold confirmed, the ticket named again)
 *     band not active on `from` ──▶ band.inactive (deactivated or moved meanwhile: nothing to follow)
 *     ticket `to` revoked ──▶ ticket.revoked (changed again meanwhile; the next follow moves it on)
 *     ledger.take(band-of:<to>, holdId) ─▶ send band.move ─▶ confirm it, name the band on `to`,
 *     release the old ticket's unit. A crash after the move leaves the old unit held: harmless, its
 *     ticket is revoked and never takes a band again.
 *
 * A linked band is named on its ticket (`ticket.band`), and a deactivation clears it when it is
 * still that band, so closing a visit finds the bands to deactivate from the tickets.
 * A ticket revoked between step 1 and step 4 still gets its band; revoking a ticket is expected to
 * deactivate its band (check-out / revocation flow).
 */
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { TicketContext } from '../../machines/ticket.schemas.js';
import type { DeactivationReason, WristbandContext } from '../../machines/wristband.schemas.js';
import type { ActorHost, ActorView } from '../actors/actor-host.js';
import type { CapacityLedger } from '../store/actor-store.js';

export const WRISTBAND = 'wristband';
const TICKET = 'ticket';

export interface WristbandServiceDeps {
  host: ActorHost;
  ledger: CapacityLedger;
  clock: () => number;
}

export interface BandResolution {
  uid: string;
  ticketId: string;
  bookingId: string;
  visitorId: string;
}

export interface WristbandService {
  /** Links the band to the ticket (its booking and visitor); idempotent for the same band and ticket. */
  link(uid: string, ticketId: string, who?: string): Promise<Result<ActorView>>;
  /** Deactivates an active band and frees its ticket for another band. */
  deactivate(uid: string, reason: DeactivationReason, who?: string): Promise<Result<ActorView>>;
  /** Makes a deactivated band linkable again (a returned band is reused). */
  reset(uid: string, who?: string): Promise<Result<ActorView>>;
  /** A lost band: deactivates the old one (reason lost) and links the new one to the same ticket. */
  replace(oldUid: string, newUid: string, who?: string): Promise<Result<ActorView>>;
  /** Moves an active band from a ticket that was reissued to its successor (same booking); idempotent. */
  follow(uid: string, fromTicketId: string, toTicketId: string, who?: string): Promise<Result<ActorView>>;
  /** What a tap of the band at a gate, locker or rental desk means: its ticket, booking and visitor. */
  resolve(uid: string): Promise<Result<BandResolution>>;
}

export function bandSlotId(ticketId: string): string {
  return `band-of:${ticketId}`;
}

const bandOf = (view: ActorView): WristbandContext => view.context as WristbandContext;

/** Creates the wristband service. */
export function createWristbandService(deps: WristbandServiceDeps): WristbandService {
  async function readOrCreateBand(uid: string, who: string): Promise<Result<ActorView>> {
    const current = await deps.host.read(WRISTBAND, uid);
    if (current.ok || current.code !== 'actor.not_found') return current;
    const created = await deps.host.create(WRISTBAND, uid, { uid }, { who });
    return created.ok || created.code !== 'actor.exists' ? created : deps.host.read(WRISTBAND, uid);
  }

  function activeElsewhere(uid: string, band: WristbandContext): Result<never> {
    return refuse('band.in_use', `band ${uid} is active on ticket ${band.ticketId ?? '?'}`);
  }

  async function link(uid: string, ticketId: string, who = 'system'): Promise<Result<ActorView>> {
    const ticket = await deps.host.read(TICKET, ticketId);
    if (!ticket.ok) return ticket;
    if (ticket.data.state === 'revoked') return refuse('ticket.revoked', `ticket ${ticketId} is revoked`);
    const { bookingId, visitorId } = ticket.data.context as TicketContext;

    const band = await readOrCreateBand(uid, who);
    if (!band.ok) return band;
    const current = bandOf(band.data);
    if (band.data.state === 'active') return current.ticketId === ticketId ? band : activeElsewhere(uid, current);
    if (band.data.state !== 'unlinked') return refuse('band.inactive', `band ${uid} is ${band.data.state}; reset it before linking again`);

    const slotId = bandSlotId(ticketId);
    const holdId = `band:${uid}:${ticketId}:${String(band.data.version)}`;
    await deps.ledger.defineSlot(slotId, 1);
    const taken = await deps.ledger.take(slotId, holdId, 1, deps.clock());
    if (!taken.ok) return refuse('band.ticket_has_band', `ticket ${ticketId} already has an active band`);

    const event = { type: 'band.link', ticketId, bookingId, visitorId, holdId, at: deps.clock() };
    const linked = await deps.host.send(WRISTBAND, uid, event, { who, eventId: `link:${holdId}` });
    if (linked.ok && bandOf(linked.data).holdId === holdId) {
      await deps.ledger.confirm(holdId, deps.clock());
      // The ticket names its band, so check-out finds the bands to deactivate (a revoked ticket refuses: fine).
      await deps.host.send(TICKET, ticketId, { type: 'ticket.band', bandUid: uid, at: deps.clock() }, { who, eventId: `band-link:${holdId}` });
      return linked;
    }
    await deps.ledger.release(holdId, deps.clock());
    if (!linked.ok && linked.code !== 'event.rejected') return linked;
    // Linked concurrently by someone else: to this ticket is impossible (we held its unit).
    const now = await deps.host.read(WRISTBAND, uid);
    if (!now.ok) return now;
    return now.data.state === 'active' ? activeElsewhere(uid, bandOf(now.data)) : refuse('band.inactive', `band ${uid} is ${now.data.state}`);
  }

  async function deactivate(uid: string, reason: DeactivationReason, who = 'system'): Promise<Result<ActorView>> {
    const sent = await deps.host.send(WRISTBAND, uid, { type: 'band.deactivate', reason, at: deps.clock(), by: who }, { who });
    if (!sent.ok && sent.code === 'actor.not_found') return refuse('band.unknown', `no band ${uid}`);
    const view = sent.ok ? sent : sent.code === 'event.rejected' ? await deps.host.read(WRISTBAND, uid) : sent;
    if (!view.ok) return view;
    if (view.data.state !== 'deactivated') return refuse('band.inactive', `band ${uid} is ${view.data.state}, not active`);
    const { holdId, ticketId } = bandOf(view.data);
    if (holdId !== undefined) await deps.ledger.release(holdId, deps.clock());
    if (ticketId !== undefined && holdId !== undefined) {
      const ticket = await deps.host.read(TICKET, ticketId);
      if (ticket.ok && (ticket.data.context as TicketContext).bandUid === uid) {
        await deps.host.send(TICKET, ticketId, { type: 'ticket.band', at: deps.clock() }, { who, eventId: `band-unlink:${holdId}` });
      }
    }
    return view;
  }

  async function follow(uid: string, fromTicketId: string, toTicketId: string, who = 'system'): Promise<Result<ActorView>> {
    const band = await deps.host.read(WRISTBAND, uid);
    if (!band.ok) return band.code === 'actor.not_found' ? refuse('band.unknown', `no band ${uid}`) : band;
    const current = bandOf(band.data);
    if (band.data.state === 'active' && current.ticketId === toTicketId && current.holdId !== undefined) {
      // A retry after the move: finish what may not have been done.
      await deps.ledger.confirm(current.holdId, deps.clock());
      await deps.host.send(TICKET, toTicketId, { type: 'ticket.band', bandUid: uid, at: deps.clock() }, { who, eventId: `band-link:${current.holdId}` });
      return band;
    }
    if (band.data.state !== 'active' || current.ticketId !== fromTicketId) return refuse('band.inactive', `band ${uid} is no longer on ticket ${fromTicketId}`);
    const ticket = await deps.host.read(TICKET, toTicketId);
    if (!ticket.ok) return ticket;
    if (ticket.data.state === 'revoked') return refuse('ticket.revoked', `ticket ${toTicketId} is revoked`);

    const holdId = `band:${uid}:${toTicketId}:${String(band.data.version)}`;
    await deps.ledger.defineSlot(bandSlotId(toTicketId), 1);
    const taken = await deps.ledger.take(bandSlotId(toTicketId), holdId, 1, deps.clock());
    if (!taken.ok) return refuse('band.ticket_has_band', `ticket ${toTicketId} already has an active band`);
    const moved = await deps.host.send(WRISTBAND, uid, { type: 'band.move', ticketId: toTicketId, holdId, at: deps.clock(), by: who }, { who, eventId: `move:${holdId}` });
    if (!moved.ok || bandOf(moved.data).holdId !== holdId) {
      await deps.ledger.release(holdId, deps.clock());
      return moved.ok ? refuse('band.inactive', `band ${uid} changed while it was being moved`) : moved;
    }
    await deps.ledger.confirm(holdId, deps.clock());
    await deps.host.send(TICKET, toTicketId, { type: 'ticket.band', bandUid: uid, at: deps.clock() }, { who, eventId: `band-link:${holdId}` });
    if (current.holdId !== undefined) await deps.ledger.release(current.holdId, deps.clock());
    return moved;
  }

  return {
    link,
    deactivate,
    follow,

    async reset(uid, who = 'system') {
      const current = await deps.host.read(WRISTBAND, uid);
      if (!current.ok) return current.code === 'actor.not_found' ? refuse('band.unknown', `no band ${uid}`) : current;
      // Give the last link's unit back first, in case a crash came between deactivation and release.
      const holdId = current.data.state === 'deactivated' ? bandOf(current.data).holdId : undefined;
      if (holdId !== undefined) await deps.ledger.release(holdId, deps.clock());
      return deps.host.send(WRISTBAND, uid, { type: 'band.reset', at: deps.clock(), by: who }, { who });
    },

    async replace(oldUid, newUid, who = 'system') {
      if (oldUid === newUid) return refuse('input.invalid', 'the new band must differ from the old one');
      const old = await deps.host.read(WRISTBAND, oldUid);
      if (!old.ok) return old.code === 'actor.not_found' ? refuse('band.unknown', `no band ${oldUid}`) : old;
      const ticketId = bandOf(old.data).ticketId;
      if (ticketId === undefined || old.data.state === 'unlinked') return refuse('band.inactive', `band ${oldUid} is not linked`);
      if (old.data.state === 'deactivated' && bandOf(old.data).reason === 'returned') return refuse('band.inactive', `band ${oldUid} was returned`);
      if (old.data.state === 'active') {
        const gone = await deactivate(oldUid, 'lost', who);
        if (!gone.ok) return gone;
      } else {
        // A retried replace: the old band is already deactivated; make sure its unit is back.
        const holdId = bandOf(old.data).holdId;
        if (holdId !== undefined) await deps.ledger.release(holdId, deps.clock());
      }
      return link(newUid, ticketId, who);
    },

    async resolve(uid) {
      const band = await deps.host.read(WRISTBAND, uid);
      if (!band.ok) return band.code === 'actor.not_found' ? refuse('band.unknown', `no band ${uid}`) : band;
      const ctx = bandOf(band.data);
      if (band.data.state !== 'active' || ctx.ticketId === undefined || ctx.bookingId === undefined || ctx.visitorId === undefined) {
        return refuse('band.inactive', `band ${uid} is ${band.data.state}`);
      }
      return accept({ uid, ticketId: ctx.ticketId, bookingId: ctx.bookingId, visitorId: ctx.visitorId });
    },
  };
}
