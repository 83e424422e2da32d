/**
 * Ticket issuing and revocation through the real runtime (SQLite, agenda, outbox relay): the
 * booking's effects create and revoke ticket actors, idempotently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EffectRow } from '../store/actor-store.js';
import { ISSUER, SLOT_END, SLOT_START, startNotifyRuntime } from '../notifications/notify-runtime.test-support.js';
import type { NotifyRuntime } from '../notifications/notify-runtime.test-support.js';
import type { TicketService } from './ticket-service.js';
import { verifyTicketToken } from './ticket-token.js';
import { decodeQrPng } from './tickets.test-support.js';

describe('tickets through the runtime', () => {
  let dir: string;
  let h: NotifyRuntime;
  let tickets: TicketService;

  async function start(relay: boolean) {
    h = await startNotifyRuntime({ dir, relay, notifications: false });
    if (!h.rt.tickets) throw new Error('tickets are not wired');
    tickets = h.rt.tickets;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vh-tickets-'));
  });
  afterEach(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Delivers every pending row of `type` to its handler, as a relay would. */
  async function deliver(type: string): Promise<EffectRow[]> {
    const rows = (await h.actors.pendingEffects(100)).filter((r) => r.type === type);
    for (const row of rows) await tickets.effectHandlers[type]?.(row);
    return rows;
  }

  it('issues one ticket per admitted person once, even when tickets.issue is delivered three times', async () => {
    await start(false);
    await h.confirm('bk_1', 'vis_1', 3);
    const rows = await deliver('tickets.issue');
    expect(rows).toHaveLength(1);
    await deliver('tickets.issue'); // redelivery after a crash before the ack
    await h.rt.relay.drain(); // and the relay's own delivery

    const issued = await tickets.ticketsOfBooking('bk_1');
    expect(issued.map((t) => [t.ticketId, t.seq, t.state, t.ticketTypeId])).toEqual([
      ['bk_1-t1', 1, 'valid', 'adult'],
      ['bk_1-t2', 2, 'valid', 'adult'],
      ['bk_1-t3', 3, 'valid', 'adult'],
    ]);
    for (const t of issued) {
      expect(t).toMatchObject({ bookingId: 'bk_1', visitorId: 'vis_1', slotId: 'slot_1', validFrom: SLOT_START, validUntil: SLOT_END, version: 1 });
      const verified = await verifyTicketToken(t.token, { keys: h.keys, issuer: ISSUER, at: SLOT_START });
      expect(verified).toMatchObject({ ok: true, claims: { ticketId: t.ticketId, bookingId: 'bk_1' } });
      expect((await h.actors.eventLog('ticket', t.ticketId)).map((e) => e.eventType)).toEqual(['ticket.created']);
    }
    expect(await tickets.ticketsOfBooking('nope')).toEqual([]);
  });

  it('serves each valid ticket as a QR image that decodes to its token', async () => {
    await start(true);
    await h.confirm('bk_2', 'vis_1', 1);
    await h.rt.relay.drain();
    const [ticket] = await tickets.ticketsOfBooking('bk_2');
    const png = await tickets.qr('bk_2-t1', 'png');
    expect(png.ok).toBe(true);
    if (png.ok) expect(decodeQrPng(png.data.body)).toBe(ticket?.token);
    expect(await tickets.qr('bk_2-t9', 'svg')).toMatchObject({ ok: false, code: 'actor.not_found' });
  });

  it('revokes every ticket when the confirmed booking is cancelled with a refund, and the QR stops being served', async () => {
    await start(true);
    await h.confirm('bk_3', 'vis_1', 2);
    await h.rt.relay.drain();
    const cancel = await h.rt.host.send('booking', 'bk_3', { type: 'booking.cancel', refundAmount: 10_000, reason: 'ill', at: 1 }, { who: 'vis_1' });
    expect(cancel).toMatchObject({ ok: true, data: { state: 'cancelled' } });
    await h.rt.relay.drain();

    const revoked = await tickets.ticketsOfBooking('bk_3');
    expect(revoked.map((t) => [t.ticketId, t.state, t.revokeReason, t.token])).toEqual([
      ['bk_3-t1', 'revoked', 'booking.cancelled', undefined],
      ['bk_3-t2', 'revoked', 'booking.cancelled', undefined],
    ]);
    expect(await tickets.qr('bk_3-t1', 'png')).toMatchObject({ ok: false, code: 'ticket.revoked' });
    // A second delivery of the revoke changes nothing.
    const version = revoked[0]?.version;
    const row: EffectRow = { effectId: 'booking/bk_3@9#0', kind: 'booking', actorId: 'bk_3', version: 9, index: 0, type: 'tickets.revoke', payload: { bookingId: 'bk_3', reason: 'booking.cancelled' }, createdAt: 1 };
    await tickets.effectHandlers['tickets.revoke']?.(row);
    expect((await tickets.ticketsOfBooking('bk_3'))[0]?.version).toBe(version);
  });

  it('issues no tickets for a booking cancelled before its issue effect was delivered', async () => {
    await start(false);
    await h.confirm('bk_4', 'vis_1', 2);
    await h.rt.host.send('booking', 'bk_4', { type: 'booking.cancel', refundAmount: 0, at: 1 }, { who: 'vis_1' });
    await h.rt.relay.drain();
    expect(await tickets.ticketsOfBooking('bk_4')).toEqual([]);
  });

  it('keeps retrying (never skips) while the slot has no window, then issues', async () => {
    await start(false);
    await h.actors.ledger.defineSlot('slot_x', 5);
    const held = await h.rt.bookings.hold({ bookingId: 'bk_5', visitorId: 'vis_1', slotId: 'slot_x', lines: [{ ticketTypeId: 'child', qty: 1, unitPrice: 100 }], requiresApproval: false }, 'vis_1');
    expect(held.ok).toBe(true);
    await h.rt.host.send('booking', 'bk_5', { type: 'booking.submit' }, { who: 'vis_1' });
    await h.rt.host.send('booking', 'bk_5', { type: 'payment.captured', paymentId: 'p5', amount: 100 }, { who: 'gw' });
    await expect(deliver('tickets.issue')).rejects.toThrow(/no window/);
    expect((await h.actors.pendingEffects(100)).some((r) => r.type === 'tickets.issue')).toBe(true);
    h.slots.set('slot_x', { startsAt: SLOT_START, endsAt: SLOT_END });
    await h.rt.relay.drain();
    expect((await tickets.ticketsOfBooking('bk_5')).map((t) => t.ticketTypeId)).toEqual(['child']);
  });
});
