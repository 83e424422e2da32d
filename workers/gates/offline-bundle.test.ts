/**
 * The offline bundle on a real floor: today's tickets found through the catalog's slots and the
 * ledger's holds, with their entry state, the ticket keys and the end of the venue day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineBundle } from '../../machines/contract/wire.js';
import type { OfflineTicket } from '../../machines/contract/wire.js';
import { createOfflineBundles, venueDay } from './offline-bundle.js';
import type { OfflineFloor } from './offline-floor.test-support.js';
import { ISSUER, startOfflineFloor, TIME_ZONE } from './offline-floor.test-support.js';

describe('offline bundle', () => {
  let floor: OfflineFloor;
  let n = 0;
  const nonce = () => `bundle-nonce-${String(++n).padStart(4, '0')}`;

  beforeAll(async () => {
    floor = await startOfflineFloor();
  });
  afterAll(async () => {
    await floor?.stop();
  });

  const byId = (tickets: OfflineTicket[]) => new Map(tickets.map((t) => [t.ticketId, t]));

  it("lists today's tickets of the gate's zone with their entry state, keys, issuer and the end of the venue day", async () => {
    const [outside] = await floor.confirmedBooking('bk_b1', { qty: 1 });
    const [inside, second] = await floor.confirmedBooking('bk_b2', { qty: 2 });
    const [used] = await floor.confirmedBooking('bk_b3', { ticketTypeId: 'single' });
    const [revoked] = await floor.confirmedBooking('bk_b4');
    const [earlier] = await floor.confirmedBooking('bk_b5', { slot: 'early' });
    await floor.heldBooking('bk_b6');
    const gate = { gateId: 'gate_a', zone: 'pool' };
    const online = await floor.scans.scan({ token: inside!.token, nonce: nonce(), direction: 'entry', at: Date.now(), ...gate }, 'gate-a');
    expect(online).toMatchObject({ verdict: 'admitted', visitorName: 'Guest vis-bk_b2' });
    expect(await floor.scans.scan({ token: used!.token, nonce: nonce(), direction: 'entry', at: Date.now(), ...gate }, 'gate-a')).toMatchObject({ verdict: 'admitted' });
    expect(await floor.scans.scan({ token: used!.token, nonce: nonce(), direction: 'exit', at: Date.now(), ...gate }, 'gate-a')).toMatchObject({ verdict: 'exited' });
    expect(await floor.rt.host.send('ticket', revoked!.ticketId, { type: 'ticket.revoke', reason: 'lost', at: Date.now() }, { who: 'test' })).toMatchObject({ ok: true });

    const answer = await floor.bundles.bundle(gate);
    if (!answer.ok) throw new Error(answer.message);
    const bundle = OfflineBundle.parse(answer.data);
    const now = Date.now();
    expect(bundle).toMatchObject({ gateId: 'gate_a', zone: 'pool', issuer: ISSUER, keys: floor.jwks, validUntil: venueDay(now, TIME_ZONE).end });
    expect(bundle.issuedAt).toBeLessThanOrEqual(now);
    expect(bundle.validUntil).toBeGreaterThan(now);
    const tickets = byId(bundle.tickets);
    expect(tickets.get(outside!.ticketId)).toMatchObject({ bookingId: 'bk_b1', ticketTypeId: 'adult', slotId: floor.slots.day, zone: 'pool', state: 'valid', reentry: true });
    // The party, the extras to hand over and the visitor's name, as an online verdict shows them (and nothing more of the account).
    expect(tickets.get(inside!.ticketId)).toMatchObject({ state: 'inside', partySize: 2, addOns: [], visitorName: online.verdict === 'admitted' ? online.visitorName : 'none' });
    expect(Object.keys(tickets.get(outside!.ticketId) ?? {}).filter((key) => /name|email|phone/i.test(key))).toEqual(['visitorName']);
    expect(tickets.get(second!.ticketId)).toMatchObject({ state: 'valid' });
    expect(tickets.get(used!.ticketId)).toMatchObject({ state: 'used', reentry: false });
    expect(tickets.get(revoked!.ticketId)).toMatchObject({ state: 'revoked' });
    expect(tickets.get(earlier!.ticketId)).toMatchObject({ slotId: floor.slots.early, state: 'valid' });
    expect([...tickets.values()].some((t) => t.bookingId === 'bk_b6')).toBe(false);
    expect(bundle.revoked).toEqual([revoked!.ticketId]);
  });

  it('leaves out tickets of other zones, and cancelled bookings once their seats are given back', async () => {
    const [ticket] = await floor.confirmedBooking('bk_b7');
    expect(byId(await list('pool')).has(ticket!.ticketId)).toBe(true);
    expect(byId(await list('slides')).has(ticket!.ticketId)).toBe(false);
    // A gate bound to no zone sees every zone.
    expect(byId(await list(undefined)).has(ticket!.ticketId)).toBe(true);
    expect(await floor.store.ledger.release('bk_b7', Date.now())).toBe(true);
    expect(byId(await list('pool')).has(ticket!.ticketId)).toBe(false);
  });

  it('finds no tickets on a day without slots', async () => {
    const tomorrow = createOfflineBundles({
      host: floor.rt.host,
      ledger: floor.store.ledger,
      slots: floor.catalog.slots,
      jwks: () => floor.jwks,
      issuer: ISSUER,
      timeZone: TIME_ZONE,
      clock: () => venueDay(Date.now(), TIME_ZONE).end + 2 * 86_400_000,
    });
    expect(await tomorrow.bundle({ gateId: 'gate_a', zone: 'pool' })).toMatchObject({ ok: true, data: { tickets: [], revoked: [] } });
  });

  async function list(zone: string | undefined): Promise<OfflineTicket[]> {
    const answer = await floor.bundles.bundle({ gateId: 'gate_x', ...(zone === undefined ? {} : { zone }) });
    if (!answer.ok) throw new Error(answer.message);
    return answer.data.tickets;
  }
});
