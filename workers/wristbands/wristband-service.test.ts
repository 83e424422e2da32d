/**
 * Wristbands on the real runtime (temp SQLite): linking, one active band per UID and per ticket
 * (including a 20-band race on one ticket), revoked tickets, replacing a lost band, resolving a tap.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.js';
import type { TempRuntime } from '../testing/temp-runtime.js';
import { startTempRuntime } from '../testing/temp-runtime.js';
import type { WristbandService } from './wristband-service.js';
import { bandSlotId, createWristbandService } from './wristband-service.js';

const T0 = 1_700_000_000_000;

describe('wristband service on SQLite', () => {
  let temp: TempRuntime;
  let rt: Runtime;
  let bands: WristbandService;

  async function issueTicket(n: number): Promise<string> {
    const ticketId = `bk_${n}-t1`;
    const input = { ticketId, bookingId: `bk_${n}`, visitorId: `vis_${n}`, ticketTypeId: 'adult', slotId: 'slot_1', seq: 1, validFrom: T0, validUntil: T0 + 3_600_000, issuedAt: T0 };
    const created = await rt.host.create('ticket', ticketId, input, { who: 'system' });
    expect(created.ok).toBe(true);
    return ticketId;
  }

  beforeEach(async () => {
    temp = await startTempRuntime('vh-bands-');
    rt = temp.rt;
    bands = createWristbandService({ host: rt.host, ledger: temp.store.ledger, clock: Date.now });
  });
  afterEach(() => temp.stop());

  it('links a band to a ticket; a retry returns the same link; a tap resolves to the booking', async () => {
    const ticketId = await issueTicket(1);
    expect(await bands.link('UID-1', ticketId, 'device:kiosk-1')).toMatchObject({ ok: true, data: { id: 'UID-1', state: 'active', context: { ticketId, bookingId: 'bk_1', visitorId: 'vis_1' } } });
    expect(await bands.link('UID-1', ticketId)).toMatchObject({ ok: true, data: { state: 'active' } });
    expect(await temp.store.ledger.level(bandSlotId(ticketId))).toMatchObject({ capacity: 1, taken: 1 });
    expect(await bands.resolve('UID-1')).toEqual({ ok: true, data: { uid: 'UID-1', ticketId, bookingId: 'bk_1', visitorId: 'vis_1' } });
    expect(await bands.resolve('UID-nope')).toMatchObject({ ok: false, code: 'band.unknown' });
  });

  it('refuses a second band for the same ticket, and the same band for another ticket', async () => {
    const t1 = await issueTicket(1);
    const t2 = await issueTicket(2);
    expect((await bands.link('UID-1', t1)).ok).toBe(true);
    expect(await bands.link('UID-2', t1)).toMatchObject({ ok: false, code: 'band.ticket_has_band' });
    expect(await bands.link('UID-1', t2)).toMatchObject({ ok: false, code: 'band.in_use' });
    expect(await bands.resolve('UID-1')).toMatchObject({ ok: true, data: { ticketId: t1 } });
    // The refused band was created but stays unlinked, and the other ticket's unit is free.
    expect(await bands.resolve('UID-2')).toMatchObject({ ok: false, code: 'band.inactive' });
    expect((await temp.store.ledger.level(bandSlotId(t2)))?.taken ?? 0).toBe(0);
    expect((await bands.link('UID-2', t2)).ok).toBe(true);
  });

  it('refuses linking a revoked ticket or an unknown one', async () => {
    const ticketId = await issueTicket(1);
    expect((await rt.host.send('ticket', ticketId, { type: 'ticket.revoke', reason: 'refunded', at: T0 + 1 }, { who: 'system' })).ok).toBe(true);
    expect(await bands.link('UID-1', ticketId)).toMatchObject({ ok: false, code: 'ticket.revoked' });
    expect(await bands.link('UID-1', 'bk_404-t1')).toMatchObject({ ok: false, code: 'actor.not_found' });
  });

  it('follow: the band moves from a revoked ticket to its successor, the units and the ticket names follow; a retry changes nothing', async () => {
    const old = await issueTicket(1);
    const next = 'bk_1-t2';
    const input = { ticketId: next, bookingId: 'bk_1', visitorId: 'vis_1', ticketTypeId: 'adult', slotId: 'slot_2', seq: 2, validFrom: T0, validUntil: T0 + 3_600_000, issuedAt: T0 };
    expect((await rt.host.create('ticket', next, input, { who: 'system' })).ok).toBe(true);
    expect((await bands.link('UID-1', old)).ok).toBe(true);
    expect((await rt.host.send('ticket', old, { type: 'ticket.revoke', reason: 'booking.changed', at: T0 + 1 }, { who: 'system' })).ok).toBe(true);

    expect(await bands.follow('UID-1', old, next)).toMatchObject({ ok: true, data: { state: 'active', context: { ticketId: next, bookingId: 'bk_1', visitorId: 'vis_1' } } });
    expect(await bands.follow('UID-1', old, next)).toMatchObject({ ok: true, data: { context: { ticketId: next } } });
    expect(await bands.resolve('UID-1')).toMatchObject({ ok: true, data: { ticketId: next } });
    expect(await temp.store.ledger.level(bandSlotId(next))).toMatchObject({ taken: 1 });
    expect((await temp.store.ledger.level(bandSlotId(old)))?.taken).toBe(0);
    expect(await rt.host.read('ticket', next)).toMatchObject({ ok: true, data: { context: { bandUid: 'UID-1' } } });
    // Nothing to follow from a ticket the band is no longer on, and never onto a ticket with a band.
    expect(await bands.follow('UID-1', old, 'bk_1-t3')).toMatchObject({ ok: false, code: 'band.inactive' });
    const other = await issueTicket(3);
    expect((await bands.link('UID-3', other)).ok).toBe(true);
    expect(await bands.follow('UID-1', next, other)).toMatchObject({ ok: false, code: 'band.ticket_has_band' });
    expect(await bands.resolve('UID-1')).toMatchObject({ ok: true, data: { ticketId: next } });
  });

  it('20 concurrent links of different bands to one ticket: exactly one is active', async () => {
    const ticketId = await issueTicket(1);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => bands.link(`UID-${i}`, ticketId)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'band.ticket_has_band')).toBe(true);
    const resolved = await Promise.all(Array.from({ length: 20 }, (_, i) => bands.resolve(`UID-${i}`)));
    expect(resolved.filter((r) => r.ok)).toHaveLength(1);
    expect(await temp.store.ledger.level(bandSlotId(ticketId))).toMatchObject({ taken: 1, remaining: 0 });
  });

  it('one band raced onto two tickets is active on exactly one', async () => {
    const t1 = await issueTicket(1);
    const t2 = await issueTicket(2);
    const results = await Promise.all([bands.link('UID-1', t1), bands.link('UID-1', t2)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const levels = await Promise.all([temp.store.ledger.level(bandSlotId(t1)), temp.store.ledger.level(bandSlotId(t2))]);
    expect(levels.reduce((sum, l) => sum + (l?.taken ?? 0), 0)).toBe(1);
  });

  it('replace: the lost band resolves as inactive, the new band carries the ticket and booking', async () => {
    const ticketId = await issueTicket(1);
    await bands.link('UID-old', ticketId);
    const replaced = await bands.replace('UID-old', 'UID-new', 'user:staff');
    expect(replaced).toMatchObject({ ok: true, data: { id: 'UID-new', state: 'active', context: { ticketId, bookingId: 'bk_1' } } });
    expect(await bands.resolve('UID-old')).toMatchObject({ ok: false, code: 'band.inactive' });
    expect(await rt.host.read('wristband', 'UID-old')).toMatchObject({ ok: true, data: { state: 'deactivated', context: { reason: 'lost' } } });
    expect(await bands.resolve('UID-new')).toEqual({ ok: true, data: { uid: 'UID-new', ticketId, bookingId: 'bk_1', visitorId: 'vis_1' } });
    expect(await temp.store.ledger.level(bandSlotId(ticketId))).toMatchObject({ taken: 1 });
    // A retried replace is harmless; the lost band cannot be linked until it is reset.
    expect(await bands.replace('UID-old', 'UID-new')).toMatchObject({ ok: true, data: { id: 'UID-new' } });
    expect(await bands.link('UID-old', ticketId)).toMatchObject({ ok: false, code: 'band.inactive' });
  });

  it('a returned band is deactivated, reset and reused on another ticket', async () => {
    const t1 = await issueTicket(1);
    const t2 = await issueTicket(2);
    await bands.link('UID-1', t1);
    expect(await bands.deactivate('UID-1', 'returned')).toMatchObject({ ok: true, data: { state: 'deactivated' } });
    expect(await bands.deactivate('UID-1', 'returned')).toMatchObject({ ok: true, data: { state: 'deactivated' } });
    expect(await temp.store.ledger.level(bandSlotId(t1))).toMatchObject({ taken: 0 });
    expect(await bands.reset('UID-1')).toMatchObject({ ok: true, data: { state: 'unlinked' } });
    expect(await bands.link('UID-1', t2)).toMatchObject({ ok: true, data: { context: { ticketId: t2 } } });
    expect((await bands.link('UID-2', t1)).ok).toBe(true);
  });
});
